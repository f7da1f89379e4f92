"""Attendance at an event: the organiser's check-off list (who said yes or maybe, ticked off at
the event). Organisers are the ones who may change the event (``require_event_organiser``:
the community's moderators, for a network-wide event platform staff)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from communities.models import RSVP, Event
from communities.services.events import require_event_organiser

if TYPE_CHECKING:
    from kpo.accounts.models import User

ON_THE_LIST = (RSVP.Answer.YES, RSVP.Answer.MAYBE)


@transaction.atomic
def attendance_set(*, event: Event, actor: User, user: User, present: bool) -> RSVP:
    """Tick someone off as present (or undo it), from the day of the event on. Only who said
    yes or maybe is on the list; a cancelled event has no attendance."""
    require_event_organiser(community=event.community, actor=actor)
    if event.is_cancelled:
        raise ValidationError(_("Deze bijeenkomst is afgelast."))
    if timezone.localdate() < timezone.localtime(event.starts_at).date():
        raise ValidationError(_("Aanwezigheid registreer je vanaf de dag van de bijeenkomst."))
    rsvp = RSVP.objects.select_for_update().filter(event=event, user=user).first()
    if rsvp is None or rsvp.answer not in ON_THE_LIST:
        raise ValidationError(_("Alleen wie zich heeft aangemeld, staat op de lijst."))
    rsvp.attended_at = timezone.now() if present else None
    rsvp.attendance_recorded_by = actor
    rsvp.save(update_fields=["attended_at", "attendance_recorded_by", "updated_at"])
    return rsvp
