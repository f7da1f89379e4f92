"""Suspensions: a community's managers and moderators suspend a member there, platform admins
and platform moderators suspend an account on the whole platform, each with an end date and a
reason (kept in the moderation log).

While suspended a member reads as before but does not post, reply, edit, upload, react, accept
an answer or say "yes"/"maybe" to an event: every one of those services calls
``require_not_suspended`` first (the rule itself is ``selectors.suspension_active``). A
suspension ends by itself at its end date: the rule compares dates, no job is needed.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from communities.models import Community, Membership, ModerationLog, Suspension
from communities.selectors import can_suspend_platform_wide, membership_get, suspension_active
from communities.services.rights import moderation_log_write, require_moderator
from kpo.audit.services import audit_record
from kpo.notifications.services import notify

if TYPE_CHECKING:
    from kpo.accounts.models import User

REASON_MAX = 2000


class MemberSuspended(PermissionDenied):
    """Refusal of a write while the user is suspended; the message names the end date. The API
    answers 403 with code ``suspended`` (``problem_code``, read by ``kpo.core.api``)."""

    problem_code = "suspended"

    def __init__(self, suspension: Suspension) -> None:
        self.suspension = suspension
        super().__init__(suspension_message(suspension=suspension))


def suspension_end_text(*, suspension: Suspension) -> str:
    """The end date as people read it (local time, Dutch month name)."""
    return date_format(timezone.localtime(suspension.ends_at), "j F Y, H:i")


def suspension_message(*, suspension: Suspension) -> str:
    """What the suspended member reads, in the UI and in the API's problem detail."""
    if suspension.community is None:
        where = _("op het hele platform")
    else:
        where = _("in de community %(name)s") % {"name": suspension.community.name}
    return _(
        "Je bent %(where)s geschorst tot %(end)s. Tot dan kun je meelezen, maar geen berichten "
        "plaatsen, reageren, bestanden delen, berichten als nuttig markeren of je aanmelden "
        "voor bijeenkomsten."
    ) % {"where": where, "end": suspension_end_text(suspension=suspension)}


def require_not_suspended(*, user: User, community: Community | None) -> None:
    """Raise ``MemberSuspended`` when ``user`` is suspended in ``community`` or on the whole
    platform (``community=None``: a network-wide event, platform-wide suspensions only)."""
    suspension = suspension_active(user=user, community=community)
    if suspension is not None:
        raise MemberSuspended(suspension)


def _clean(*, actor: User, user: User, ends_at: datetime, reason: str) -> str:
    if user.pk == actor.pk:
        raise ValidationError(_("Je kunt jezelf niet schorsen."))
    if timezone.is_naive(ends_at):
        raise ValidationError({"ends_at": _("Geef een datum en tijd met tijdzone.")})
    if ends_at <= timezone.now():
        raise ValidationError({"ends_at": _("De einddatum moet in de toekomst liggen.")})
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Geef een reden op.")})
    if len(reason) > REASON_MAX:
        raise ValidationError({"reason": _("De reden is te lang (maximaal 2.000 tekens).")})
    return reason


def _tell(suspension: Suspension) -> None:
    notify(
        recipients=[suspension.user],
        kind="suspension",
        title=_("Je bent geschorst"),
        body=f"{suspension_message(suspension=suspension)} {suspension.reason}"[:500],
        url=suspension.community.get_absolute_url() if suspension.community else "/",
        key=f"suspension:{suspension.pk}",
    )


@transaction.atomic
def member_suspend(
    *, community: Community, actor: User, user: User, ends_at: datetime, reason: str
) -> Suspension:
    """Suspend an active member of ``community`` until ``ends_at`` (its managers and
    moderators). Managers and moderators of the community are not suspended: change their role
    first. The reason goes into the moderation log; the member is told."""
    require_moderator(community, actor)
    reason = _clean(actor=actor, user=user, ends_at=ends_at, reason=reason)
    membership = membership_get(community=community, user=user)
    if membership is None or not membership.is_active:
        raise ValidationError(_("Alleen leden van de community kunnen worden geschorst."))
    if membership.role != Membership.Role.MEMBER:
        raise ValidationError(
            _("Een moderator of community manager schors je niet: maak diegene eerst weer lid.")
        )
    suspension = Suspension.objects.create(
        user=user, community=community, ends_at=ends_at, reason=reason, suspended_by=actor
    )
    moderation_log_write(
        community,
        actor,
        ModerationLog.Action.SUSPEND,
        target_user=user,
        note=_("tot %(end)s: %(reason)s")
        % {"end": suspension_end_text(suspension=suspension), "reason": reason},
    )
    _tell(suspension)
    return suspension


@transaction.atomic
def account_suspend(*, actor: User, user: User, ends_at: datetime, reason: str) -> Suspension:
    """Suspend an account on the whole platform until ``ends_at`` (platform admins and platform
    moderators). Written to the moderation log of every community the user is a member of and
    to the audit log; the user is told."""
    if not can_suspend_platform_wide(user=actor):
        raise PermissionDenied(
            _("Alleen platformbeheerders en platformmoderatoren schorsen een account.")
        )
    reason = _clean(actor=actor, user=user, ends_at=ends_at, reason=reason)
    suspension = Suspension.objects.create(
        user=user, community=None, ends_at=ends_at, reason=reason, suspended_by=actor
    )
    note = _("op het hele platform tot %(end)s: %(reason)s") % {
        "end": suspension_end_text(suspension=suspension),
        "reason": reason,
    }
    for community in Community.objects.filter(
        memberships__user=user, memberships__state=Membership.State.ACTIVE
    ):
        moderation_log_write(
            community, actor, ModerationLog.Action.SUSPEND, target_user=user, note=note
        )
    audit_record(
        actor=actor,
        action="moderation.account_suspended",
        target=suspension,
        data={"user": user.pk, "ends_at": ends_at.isoformat()},
    )
    _tell(suspension)
    return suspension


@transaction.atomic
def suspension_lift(*, suspension: Suspension, actor: User) -> Suspension:
    """End a suspension before its end date (who may impose it may lift it)."""
    suspension = Suspension.objects.select_for_update().get(pk=suspension.pk)
    community = suspension.community
    if community is not None:
        require_moderator(community, actor)
    elif not can_suspend_platform_wide(user=actor):
        raise PermissionDenied(
            _("Alleen platformbeheerders en platformmoderatoren heffen deze schorsing op.")
        )
    if suspension.lifted_at is not None or suspension.ends_at <= timezone.now():
        raise ValidationError(_("Deze schorsing is al voorbij."))
    suspension.lifted_at = timezone.now()
    suspension.lifted_by = actor
    suspension.save(update_fields=["lifted_at", "lifted_by"])
    if community is not None:
        moderation_log_write(
            community, actor, ModerationLog.Action.LIFT_SUSPENSION, target_user=suspension.user
        )
    else:
        audit_record(actor=actor, action="moderation.account_suspension_lifted", target=suspension)
    return suspension
