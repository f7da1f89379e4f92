"""Live sessions: registering, the waiting list, cancelling, capacity, attendance and the
session reminders."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from academie.models import Registration, TrainingSession
from academie.services.certificates import (
    ACADEMY_ROLE,
    attendance_certificate_withdraw,
    certificate_issue_for_attendance,
)
from kpo.core.access import can_read, has_staff_role
from kpo.notifications.services import notify

if TYPE_CHECKING:
    from kpo.accounts.models import User


# --- trainings ----------------------------------------------------------------------------------


def _free_seats(session: TrainingSession) -> list[int]:
    taken = set(
        session.registrations.filter(status=Registration.Status.REGISTERED).values_list(
            "seat", flat=True
        )
    )
    return [n for n in range(1, session.capacity + 1) if n not in taken]


def _take_seat(registration: Registration, seat: int) -> bool:
    """Try to give ``registration`` the seat; the partial unique constraint is the last word."""
    registration.status = Registration.Status.REGISTERED
    registration.seat = seat
    registration.waitlisted_at = None
    try:
        with transaction.atomic():
            registration.save()
    except IntegrityError:
        return False
    return True


@transaction.atomic
def session_register(
    *, user: User, session: TrainingSession, now: datetime | None = None
) -> Registration:
    """Register for a session, or join its waiting list when it is full.

    The session row is locked (``SELECT … FOR UPDATE``) while seats are counted, so two people
    taking the last seat at the same moment are serialised: exactly one gets it. The partial
    unique constraint on (session, seat) guarantees the same at the database level.
    Idempotent for an active registration (returned unchanged).
    """
    now = now or timezone.now()
    session = (
        TrainingSession.objects.select_for_update().select_related("training").get(pk=session.pk)
    )
    training = session.training
    if not training.live or not can_read(user, training):
        raise ValidationError(_("Deze training is niet beschikbaar."))
    if now > session.registration_deadline:
        raise ValidationError(
            _("Aanmelden voor deze sessie kan niet meer: de aanmeldtermijn is verstreken."),
            code="deadline",
        )
    registration = Registration.objects.filter(session=session, user=user).first()
    if registration is not None and registration.status != Registration.Status.CANCELLED:
        return registration
    if registration is None:
        registration = Registration(session=session, user=user)
    for seat in _free_seats(session):
        if _take_seat(registration, seat):
            return registration
    registration.status = Registration.Status.WAITLISTED
    registration.seat = None
    registration.waitlisted_at = now
    registration.save()
    return registration


def _fill_from_waitlist(session: TrainingSession) -> list[Registration]:
    """Move people from the waiting list (first come, first served) into free seats and notify
    them. Caller holds the session lock."""
    promoted = []
    free = _free_seats(session)
    waiting = session.registrations.filter(status=Registration.Status.WAITLISTED).order_by(
        "waitlisted_at", "pk"
    )
    for registration, seat in zip(list(waiting[: len(free)]), free, strict=False):
        if not _take_seat(registration, seat):
            continue
        promoted.append(registration)
        notify(
            recipients=[registration.user],
            kind="academie.waitlist_promoted",
            title=_("Je hebt een plaats bij %(training)s") % {"training": session.training.title},
            body=_(
                "Er is een plaats vrijgekomen. Je bent nu aangemeld voor de sessie in "
                "%(location)s op %(date)s."
            )
            % {
                "location": session.location,
                "date": timezone.localtime(session.starts_at).strftime("%d-%m-%Y %H:%M"),
            },
            url=session.training.url or "",
            key=f"academie-promoted:{registration.pk}:{registration.updated_at:%Y%m%d%H%M%S%f}",
        )
    return promoted


@transaction.atomic
def registration_cancel(
    *, user: User, session: TrainingSession, now: datetime | None = None
) -> Registration:
    """Cancel the user's registration (or waiting-list place). The seat goes to the first on the
    waiting list, who is notified."""
    now = now or timezone.now()
    session = (
        TrainingSession.objects.select_for_update().select_related("training").get(pk=session.pk)
    )
    registration = (
        Registration.objects.select_for_update()
        .filter(session=session, user=user)
        .exclude(status=Registration.Status.CANCELLED)
        .first()
    )
    if registration is None:
        raise ValidationError(_("Je bent niet aangemeld voor deze sessie."), code="not_registered")
    if now >= session.starts_at:
        raise ValidationError(_("Deze sessie is al begonnen; afmelden kan niet meer."))
    registration.status = Registration.Status.CANCELLED
    registration.seat = None
    registration.waitlisted_at = None
    registration.save()
    _fill_from_waitlist(session)
    return registration


@transaction.atomic
def session_update_capacity(
    *, session: TrainingSession, capacity: int, by: User
) -> TrainingSession:
    """Staff change a session's capacity; a larger capacity lets waiting people move up."""
    if not has_staff_role(by, ACADEMY_ROLE):
        raise PermissionDenied
    session = TrainingSession.objects.select_for_update().get(pk=session.pk)
    message = session.capacity_error(capacity)
    if message:
        raise ValidationError({"capacity": message})
    session.capacity = capacity
    session.save(update_fields=["capacity"])
    _fill_from_waitlist(session)
    return session


@transaction.atomic
def attendance_mark(
    *, session: TrainingSession, attended_user_ids: Iterable[int], actor: User
) -> int:
    """Staff (group Academie) record who attended. Returns the number marked present. Everyone
    marked present gets the training's certificate (``certificate_issue_for_attendance``); a
    correction to absent revokes the certificate that mark had given."""
    if not has_staff_role(actor, ACADEMY_ROLE):
        raise PermissionDenied
    present = {int(pk) for pk in attended_user_ids}
    registered = Registration.objects.select_for_update().filter(
        session=session, status=Registration.Status.REGISTERED
    )
    count = 0
    for registration in registered:
        attended = registration.user_id in present
        if registration.attended != attended:
            registration.attended = attended
            registration.save(update_fields=["attended", "updated_at"])
        if attended:
            certificate_issue_for_attendance(registration=registration)
        else:
            attendance_certificate_withdraw(registration=registration, actor=actor)
        count += attended
    return count


def session_reminders_send(*, now: datetime | None = None) -> int:
    """Remind everyone registered for a session that starts tomorrow (local date). Each
    registration is reminded once (``reminded_at`` under a row lock; the e-mail key repeats
    it), so running this twice sends nothing twice."""
    now = now or timezone.now()
    tomorrow = timezone.localtime(now).date() + timedelta(days=1)
    ids = list(
        Registration.objects.filter(
            status=Registration.Status.REGISTERED,
            reminded_at__isnull=True,
            session__starts_at__date=tomorrow,
        ).values_list("pk", flat=True)
    )
    sent = 0
    for pk in ids:
        with transaction.atomic():
            registration = (
                Registration.objects.select_for_update(skip_locked=True)
                .select_related("session__training", "user")
                .filter(pk=pk, reminded_at__isnull=True, status=Registration.Status.REGISTERED)
                .first()
            )
            if registration is None:
                continue
            session = registration.session
            notify(
                recipients=[registration.user],
                kind="academie.session_reminder",
                title=_("Herinnering: morgen %(training)s") % {"training": session.training.title},
                body=_("Je bent aangemeld voor de sessie in %(location)s op %(date)s.")
                % {
                    "location": session.location,
                    "date": timezone.localtime(session.starts_at).strftime("%d-%m-%Y %H:%M"),
                },
                url=session.training.url or "",
                key=f"academie-session-reminder:{registration.pk}",
            )
            registration.reminded_at = now
            registration.save(update_fields=["reminded_at"])
            sent += 1
    return sent
