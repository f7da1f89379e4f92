"""Certificates: issuing (for a passed course or an attended session), expiry, revoking and
the renewal reminders."""

from __future__ import annotations

import calendar
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from academie.models import Certificate, QuizAttempt, Registration
from academie.selectors import (
    certificate_latest_for,
    certificate_renewal_days,
    certificate_renewal_open,
    course_law_version,
)
from kpo.core.access import has_staff_role
from kpo.notifications.services import notify

if TYPE_CHECKING:
    from kpo.accounts.models import User


ACADEMY_ROLE = "academie"


def _add_months(moment: datetime, months: int) -> datetime:
    """``moment`` plus whole calendar months (the day clamped to the month's length)."""
    month_index = moment.month - 1 + months
    year, month = moment.year + month_index // 12, month_index % 12 + 1
    day = min(moment.day, calendar.monthrange(year, month)[1])
    return moment.replace(year=year, month=month, day=day)


@transaction.atomic
def certificate_issue(*, attempt: QuizAttempt) -> Certificate:
    """Issue the certificate for a passed attempt. Idempotent per attempt; while the learner's
    latest certificate of the course is current (not in its renewal window) that one is
    returned instead. Expires after the course's ``certificate_valid_months``, if set."""
    if not attempt.passed:
        raise ValidationError(_("Alleen een geslaagde toets levert een certificaat op."))
    existing = Certificate.objects.filter(attempt=attempt).first()
    if existing is not None:
        return existing
    enrolment = attempt.enrolment
    user = enrolment.user
    course = enrolment.course
    latest = certificate_latest_for(user=user, course=course)
    if latest is not None and not certificate_renewal_open(certificate=latest):
        return latest
    revision = course.live_revision
    certificate = Certificate.objects.create(
        user=user,
        course=course,
        attempt=attempt,
        learner_name=user.get_full_name() or user.email,
        course_title=course.title,
        # the versions it is earned on (ADR 0026)
        course_revision=revision,
        course_version_at=revision.created_at if revision is not None else None,
        law_version=course_law_version(course=course),
    )
    return _set_expiry(certificate, course.certificate_valid_months)


def _set_expiry(certificate: Certificate, valid_months: int | None) -> Certificate:
    if valid_months:
        certificate.expires_at = _add_months(certificate.issued_at, valid_months)
        certificate.save(update_fields=["expires_at"])
    return certificate


# --- certificates: expiry, revocation, attendance, re-certification (#18) -----------------------


@transaction.atomic
def certificate_issue_for_attendance(*, registration: Registration) -> Certificate:
    """The certificate for attending a training session, naming the session and its date.
    Idempotent per registration: marking someone present twice gives one certificate. Attending
    a later session of the same training earns a new one (re-certification keeps the history).
    Expires after the training's ``certificate_valid_months``, if set."""
    registration = (
        Registration.objects.select_for_update()
        .select_related("session__training", "user")
        .get(pk=registration.pk)
    )
    if registration.status != Registration.Status.REGISTERED or not registration.attended:
        raise ValidationError(
            _("Alleen wie aanwezig was bij de sessie krijgt een certificaat."), code="absent"
        )
    existing = Certificate.objects.filter(registration=registration).first()
    if existing is not None:
        return existing
    session = registration.session
    training = session.training
    user = registration.user
    certificate = Certificate.objects.create(
        user=user,
        training=training,
        session=session,
        registration=registration,
        learner_name=user.get_full_name() or user.email,
        course_title=training.title,
        session_label=_("%(location)s, %(date)s")
        % {
            "location": session.location,
            "date": timezone.localtime(session.starts_at).strftime("%d-%m-%Y"),
        },
    )
    return _set_expiry(certificate, training.certificate_valid_months)


def attendance_certificate_withdraw(*, registration: Registration, actor: User) -> None:
    certificate = Certificate.objects.filter(
        registration=registration, revoked_at__isnull=True
    ).first()
    if certificate is not None:
        certificate_revoke(
            certificate=certificate,
            by=actor,
            reason=_("Aanwezigheid gecorrigeerd: niet aanwezig bij de sessie."),
        )


@transaction.atomic
def certificate_revoke(*, certificate: Certificate, by: User, reason: str) -> Certificate:
    """Academy staff revoke a certificate, with a reason. Verification then shows "ingetrokken
    op …". Audited (``certificate.revoked``, the reason in the entry's data). Raises
    ``PermissionDenied`` for anyone else and ``ValidationError`` without a reason or when the
    certificate is revoked already."""
    from kpo.audit.services import audit_record

    if not has_staff_role(by, ACADEMY_ROLE):
        raise PermissionDenied
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Geef een reden voor de intrekking.")}, code="reason")
    if len(reason) > 1000:
        raise ValidationError(
            {"reason": _("De reden is te lang (hoogstens 1000 tekens).")}, code="reason"
        )
    certificate = Certificate.objects.select_for_update().get(pk=certificate.pk)
    if certificate.revoked_at is not None:
        raise ValidationError(_("Dit certificaat is al ingetrokken."), code="already_revoked")
    certificate.revoked_at = timezone.now()
    certificate.revoked_by = by
    certificate.revoked_reason = reason
    certificate.save(update_fields=["revoked_at", "revoked_by", "revoked_reason"])
    audit_record(
        actor=by,
        action="certificate.revoked",
        target=certificate,
        data={"certificate": certificate.pk, "reason": reason},
    )
    return certificate


def certificate_renewal_reminders_send(*, now: datetime | None = None) -> int:
    """Remind holders whose certificate expires within ``KPO_CERTIFICATE_RENEWAL_DAYS`` that
    they can earn it again (a new attempt, or attending a new session). Each certificate is
    reminded once (``renewal_reminded_at`` under a row lock; the notification key repeats it),
    so running this twice sends nothing twice. Skipped: revoked certificates, expired ones, and
    ones the holder has already renewed (a newer certificate of the same course or training)."""
    now = now or timezone.now()
    horizon = now + timedelta(days=certificate_renewal_days())
    ids = list(
        Certificate.objects.filter(
            revoked_at__isnull=True,
            renewal_reminded_at__isnull=True,
            expires_at__isnull=False,
            expires_at__gt=now,
            expires_at__lte=horizon,
        ).values_list("pk", flat=True)
    )
    sent = 0
    for pk in ids:
        with transaction.atomic():
            certificate = (
                Certificate.objects.select_for_update(skip_locked=True, of=("self",))
                .select_related("user", "course", "training")
                .filter(pk=pk, renewal_reminded_at__isnull=True, revoked_at__isnull=True)
                .first()
            )
            if certificate is None:
                continue
            renewed = (
                Certificate.objects.filter(
                    user=certificate.user_id,
                    course=certificate.course_id,
                    training=certificate.training_id,
                    issued_at__gt=certificate.issued_at,
                    revoked_at__isnull=True,
                )
                .exclude(pk=certificate.pk)
                .exists()
            )
            if not renewed:
                page = certificate.course or certificate.training
                notify(
                    recipients=[certificate.user],
                    kind="academie.certificate_renewal",
                    title=_("Je certificaat %(title)s verloopt binnenkort")
                    % {"title": certificate.course_title},
                    body=_(
                        "Je certificaat is geldig tot %(date)s. Je kunt het nu opnieuw behalen: "
                        "maak de toets opnieuw of meld je aan voor een nieuwe sessie."
                    )
                    % {"date": timezone.localtime(certificate.expires_at).strftime("%d-%m-%Y")},
                    url=(page.url if page is not None else "") or "",
                    key=f"academie-certificate-renewal:{certificate.pk}",
                )
                sent += 1
            certificate.renewal_reminded_at = now
            certificate.save(update_fields=["renewal_reminded_at"])
    return sent
