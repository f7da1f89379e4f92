"""Writes of the academy. Every caller (web, API, admin, tasks) goes through these functions.

Each function is atomic, takes keyword-only arguments and raises ``ValidationError`` with a Dutch
message when a rule is broken (never a partial write) or ``PermissionDenied`` for staff-only
actions.
"""

from __future__ import annotations

import calendar
import logging
import random
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from academie.models import (
    Certificate,
    CoursePage,
    Enrolment,
    Lesson,
    LessonProgress,
    QuizAttempt,
    QuizQuestion,
    Registration,
    TrainingSession,
)
from academie.selectors import (
    certificate_latest_for,
    certificate_renewal_days,
    certificate_renewal_open,
    course_law_version,
    prerequisites_missing,
    quiz_draw,
    quiz_draw_seed,
    quiz_round_for,
)
from kpo.core.access import can_read, has_staff_role
from kpo.notifications.services import notify

if TYPE_CHECKING:
    from wagtail.models import TaskState

    from kpo.accounts.models import User

logger = logging.getLogger(__name__)

ACADEMY_ROLE = "academie"


# --- e-learnings --------------------------------------------------------------------------------


def _require_reader(user: User, course: CoursePage) -> None:
    if not course.live or not can_read(user, course):
        raise ValidationError(_("Deze e-learning is niet beschikbaar."))


@transaction.atomic
def course_enrol(*, user: User, course: CoursePage) -> Enrolment:
    """Enrol ``user`` in ``course``. Idempotent: an existing enrolment is returned unchanged.

    Raises ``ValidationError`` when the course is not live/readable or a prerequisite has not
    been passed.
    """
    _require_reader(user, course)
    existing = Enrolment.objects.filter(user=user, course=course).first()
    if existing is not None:
        return existing
    missing = prerequisites_missing(user=user, course=course)
    if missing:
        raise ValidationError(
            _("Rond eerst deze e-learning af: %(titles)s.")
            % {"titles": ", ".join(c.title for c in missing)},
            code="prerequisites",
        )
    enrolment, _created = Enrolment.objects.get_or_create(user=user, course=course)
    return enrolment


def _enrolment_for(user: User, course: CoursePage, *, lock: bool = False) -> Enrolment:
    qs = Enrolment.objects.filter(user=user, course=course)
    if lock:
        qs = qs.select_for_update()
    enrolment = qs.first()
    if enrolment is None:
        raise ValidationError(_("Schrijf je eerst in voor deze e-learning."), code="not_enrolled")
    return enrolment


@transaction.atomic
def lesson_visit(*, user: User, lesson: Lesson) -> Enrolment:
    """Remember the lesson the learner opened last, so they can resume there."""
    enrolment = _enrolment_for(user, lesson.course)
    if enrolment.last_lesson_id != lesson.pk:
        enrolment.last_lesson = lesson
        enrolment.save(update_fields=["last_lesson"])
    return enrolment


@transaction.atomic
def lesson_complete(*, user: User, lesson: Lesson) -> LessonProgress:
    """Mark a lesson done. Lessons are done in order: every earlier lesson must be done first.
    Idempotent: completing a done lesson returns the existing progress row."""
    course = lesson.course
    _require_reader(user, course)
    enrolment = _enrolment_for(user, course, lock=True)
    lessons = list(course.lessons.order_by("sort_order", "pk"))
    done = set(enrolment.progress.values_list("lesson_id", flat=True))
    if lesson.pk in done:
        return enrolment.progress.get(lesson=lesson)
    for earlier in lessons:
        if earlier.pk == lesson.pk:
            break
        if earlier.pk not in done:
            raise ValidationError(
                _("Rond eerst de les '%(title)s' af.") % {"title": earlier.title},
                code="lesson_order",
            )
    progress = LessonProgress.objects.create(enrolment=enrolment, lesson=lesson)
    position = [item.pk for item in lessons].index(lesson.pk)
    next_lesson = lessons[position + 1] if position + 1 < len(lessons) else lesson
    enrolment.last_lesson = next_lesson
    enrolment.save(update_fields=["last_lesson"])
    return progress


@dataclass(frozen=True)
class QuizScore:
    results: dict[str, bool]
    correct: int
    total: int

    @property
    def percent(self) -> int:
        return (self.correct * 100) // self.total if self.total else 0


def parse_answers(questions: list[QuizQuestion], answers: Mapping[Any, Any]) -> dict[int, set[int]]:
    """Validate raw answers ({question id: choice id or list of ids}) against the quiz."""
    if not isinstance(answers, Mapping):
        raise ValidationError(_("De antwoorden hebben een ongeldig formaat."), code="invalid")
    by_id = {q.pk: q for q in questions}
    parsed: dict[int, set[int]] = {}
    for raw_qid, raw_choices in answers.items():
        try:
            qid = int(raw_qid)
        except (TypeError, ValueError):
            raise ValidationError(
                _("Onbekende vraag: %(id)s.") % {"id": raw_qid}, code="unknown_question"
            ) from None
        if qid not in by_id:
            raise ValidationError(
                _("Onbekende vraag: %(id)s.") % {"id": raw_qid}, code="unknown_question"
            )
        values = raw_choices if isinstance(raw_choices, list | tuple | set) else [raw_choices]
        try:
            chosen = {int(v) for v in values if v not in (None, "")}
        except (TypeError, ValueError):
            raise ValidationError(
                _("Ongeldig antwoord bij vraag %(id)s.") % {"id": qid}, code="invalid_choice"
            ) from None
        valid = {c.pk for c in by_id[qid].choices.all()}
        if not chosen <= valid:
            raise ValidationError(
                _("Ongeldig antwoord bij vraag %(id)s: dat antwoord hoort niet bij deze vraag.")
                % {"id": qid},
                code="invalid_choice",
            )
        if by_id[qid].kind == QuizQuestion.Kind.SINGLE and len(chosen) > 1:
            raise ValidationError(
                _("Bij vraag %(id)s mag je maar één antwoord kiezen.") % {"id": qid},
                code="invalid_choice",
            )
        parsed[qid] = chosen
    unanswered = [q for q in questions if not parsed.get(q.pk)]
    if unanswered:
        raise ValidationError(
            _("Beantwoord alle vragen (%(count)s nog open).") % {"count": len(unanswered)},
            code="unanswered",
        )
    return parsed


def quiz_score(*, questions: Iterable[QuizQuestion], answers: Mapping[int, set[int]]) -> QuizScore:
    """Pure scoring. Single choice: right iff the chosen choice is correct. Multiple choice: right
    iff exactly the set of correct choices is chosen (no subset, no superset)."""
    results: dict[str, bool] = {}
    for question in questions:
        correct = {c.pk for c in question.choices.all() if c.is_correct}
        chosen = set(answers.get(question.pk, set()))
        results[str(question.pk)] = bool(correct) and chosen == correct
    return QuizScore(results=results, correct=sum(results.values()), total=len(results))


@transaction.atomic
def quiz_submit(
    *,
    user: User,
    course: CoursePage,
    answers: Mapping[Any, Any],
    rng: random.Random | None = None,
) -> QuizAttempt:
    """Score a quiz attempt on the server and store it; issue the certificate on a pass.

    Rules: enrolled; every lesson done; not passed already (in the current round: a certificate
    whose renewal window is open starts a new one); fewer than ``quiz_max_attempts`` attempts in
    the round; every question of the attempt's draw answered with choices of that question. The
    draw is the one the learner was shown (``selectors.quiz_draw`` seeded by
    ``selectors.quiz_draw_seed``; tests may inject ``rng``) and is recorded on the attempt.
    """
    _require_reader(user, course)
    enrolment = _enrolment_for(user, course, lock=True)
    lesson_ids = set(course.lessons.values_list("pk", flat=True))
    done = set(enrolment.progress.values_list("lesson_id", flat=True))
    if not lesson_ids <= done:
        raise ValidationError(
            _("Rond eerst alle lessen af voordat je de toets maakt."), code="lessons_open"
        )
    quiz_round = quiz_round_for(enrolment=enrolment)
    if quiz_round.passed:
        raise ValidationError(_("Je bent al geslaagd voor deze toets."), code="already_passed")
    if len(quiz_round.attempts) >= course.quiz_max_attempts:
        raise ValidationError(
            _("Je hebt het maximale aantal pogingen (%(max)s) gebruikt.")
            % {"max": course.quiz_max_attempts},
            code="attempts_exhausted",
        )
    number = quiz_round.next_number
    if rng is None:
        rng = random.Random(quiz_draw_seed(user=user, course=course, number=number))  # noqa: S311
    questions = quiz_draw(course=course, rng=rng)
    if not questions:
        raise ValidationError(_("Deze e-learning heeft geen toets."), code="no_quiz")
    parsed = parse_answers(questions, answers)
    score = quiz_score(questions=questions, answers=parsed)
    passed = score.percent >= course.quiz_pass_mark
    attempt = QuizAttempt.objects.create(
        enrolment=enrolment,
        number=number,
        answers={str(k): sorted(v) for k, v in parsed.items()},
        results=score.results,
        question_ids=[q.pk for q in questions],
        correct_count=score.correct,
        question_count=score.total,
        score=score.percent,
        passed=passed,
    )
    if passed:
        enrolment.completed_at = timezone.now()
        enrolment.save(update_fields=["completed_at"])
        certificate_issue(attempt=attempt)
    return attempt


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
            _attendance_certificate_withdraw(registration=registration, actor=actor)
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


NOTIFY_KIND_LEGAL_REVIEW = "legal_review"


def legal_review_task_started(*, task_state: TaskState) -> None:
    """A course or training waits for legal review: the jurists get an in-app notification
    (and e-mail), like the kennisbank's reviewers do."""
    from django.urls import reverse
    from wagtail.models import GroupApprovalTask, Page, TaskState

    from academie.legal import LEGAL_TASK_NAME
    from kpo.accounts.models import User

    task_state = TaskState.objects.filter(pk=task_state.pk).first()
    if task_state is None or task_state.status != TaskState.STATUS_IN_PROGRESS:
        return
    task = task_state.task.specific
    page = task_state.workflow_state.content_object
    if isinstance(page, Page):
        page = page.specific
    if not isinstance(task, GroupApprovalTask) or task.name != LEGAL_TASK_NAME:
        return
    if not getattr(page, "legal_review_required", False):
        return
    jurists = User.objects.filter(is_active=True, groups__in=task.groups.all()).distinct()
    notify(
        recipients=list(jurists),
        kind=NOTIFY_KIND_LEGAL_REVIEW,
        title=_("Juridische toetsing gevraagd: %(title)s") % {"title": page.title},
        body=_("“%(title)s” wacht op jouw juridische toetsing in de beheeromgeving.")
        % {"title": page.title},
        url=reverse("wagtailadmin_pages:edit", args=[page.pk]),
        key=f"academie-legal-review:{task_state.pk}",
    )


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


def _attendance_certificate_withdraw(*, registration: Registration, actor: User) -> None:
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
