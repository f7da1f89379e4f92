"""Reads of the academy, through the access rule (``kpo.core.access``)."""

from __future__ import annotations

import hashlib
import hmac
import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, cast

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from academie.models import (
    Certificate,
    CoursePage,
    Enrolment,
    Lesson,
    QuizAttempt,
    QuizQuestion,
    Registration,
    TrainingPage,
    TrainingSession,
)
from kpo.core.access import can_read, filter_visible

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from kpo.accounts.models import User
    from kpo.themes.models import Theme


def course_list_for_user(*, user: User | AnonymousUser) -> QuerySet[CoursePage]:
    return (
        filter_visible(CoursePage.objects.live(), user).prefetch_related("themes").order_by("title")
    )


def course_get_for_user(*, user: User | AnonymousUser, pk: int) -> CoursePage | None:
    return course_list_for_user(user=user).filter(pk=pk).first()


def training_list_for_user(*, user: User | AnonymousUser) -> QuerySet[TrainingPage]:
    return (
        filter_visible(TrainingPage.objects.live(), user)
        .prefetch_related("themes")
        .order_by("title")
    )


def training_get_for_user(*, user: User | AnonymousUser, pk: int) -> TrainingPage | None:
    return training_list_for_user(user=user).filter(pk=pk).first()


def session_get_for_user(*, user: User | AnonymousUser, pk: int) -> TrainingSession | None:
    session = TrainingSession.objects.select_related("training").filter(pk=pk).first()
    if session is None or not session.training.live or not can_read(user, session.training):
        return None
    return session


@dataclass
class LessonState:
    lesson: Lesson
    number: int
    done: bool
    available: bool


@dataclass
class CourseProgress:
    course: CoursePage
    enrolment: Enrolment | None
    lessons: list[LessonState]
    percent: int
    resume_lesson: Lesson | None
    quiz_available: bool
    attempts: list[QuizAttempt]
    attempts_left: int
    passed: bool
    certificate: Certificate | None
    prerequisites_missing: list[CoursePage] = field(default_factory=list)
    renewal_open: bool = False

    @property
    def enrolled(self) -> bool:
        return self.enrolment is not None


def prerequisites_missing(*, user: Any, course: CoursePage) -> list[CoursePage]:
    """The prerequisite courses the user has not passed yet (passed attempt or certificate)."""
    missing = []
    for prerequisite in course.prerequisites.all().order_by("title"):
        passed = (
            Certificate.objects.filter(
                user=user, course=prerequisite, revoked_at__isnull=True
            ).exists()
            or QuizAttempt.objects.filter(
                enrolment__user=user, enrolment__course=prerequisite, passed=True
            ).exists()
        )
        if not passed:
            missing.append(prerequisite)
    return missing


def course_progress_for_user(*, course: CoursePage, user: User | AnonymousUser) -> CourseProgress:
    """Everything the course page, the lesson view and the API need about one learner.

    ``certificate`` is the learner's latest certificate of the course. Once its renewal window
    is open (``certificate_renewal_open``) a new round of attempts starts: the quiz is available
    again and ``attempts``/``attempts_left`` count only the attempts of that round."""
    lessons = list(course.lessons.order_by("sort_order", "pk"))
    authenticated = getattr(user, "is_authenticated", False)
    enrolment = (
        Enrolment.objects.filter(user=cast("User", user), course=course).first()
        if authenticated
        else None
    )
    done: set[int] = set()
    certificate = None
    quiz_round = None
    if enrolment is not None:
        done = set(enrolment.progress.values_list("lesson_id", flat=True))
        quiz_round = quiz_round_for(enrolment=enrolment)
        certificate = quiz_round.certificate
    elif authenticated:
        certificate = certificate_latest_for(user=cast("User", user), course=course)
    states = []
    previous_done = True
    for number, lesson in enumerate(lessons, start=1):
        is_done = lesson.pk in done
        states.append(
            LessonState(
                lesson=lesson,
                number=number,
                done=is_done,
                available=enrolment is not None and (is_done or previous_done),
            )
        )
        previous_done = previous_done and is_done
    percent = (
        (len(done & {lesson.pk for lesson in lessons}) * 100 // len(lessons)) if lessons else 0
    )
    resume = None
    if enrolment is not None:
        resume = enrolment.last_lesson or next((s.lesson for s in states if not s.done), None)
        if resume is None and lessons:
            resume = lessons[0]
    attempts = quiz_round.attempts if quiz_round is not None else []
    passed = quiz_round.passed if quiz_round is not None else certificate is not None
    all_done = bool(lessons) and all(s.done for s in states)
    attempts_left = max(0, course.quiz_max_attempts - len(attempts))
    return CourseProgress(
        course=course,
        enrolment=enrolment,
        lessons=states,
        percent=percent,
        resume_lesson=resume,
        quiz_available=enrolment is not None and all_done and not passed and attempts_left > 0,
        attempts=attempts,
        attempts_left=attempts_left,
        passed=passed,
        certificate=certificate,
        prerequisites_missing=(
            prerequisites_missing(user=cast("User", user), course=course)
            if authenticated and enrolment is None
            else []
        ),
        renewal_open=quiz_round.renewal_open if quiz_round is not None else False,
    )


# --- question banks (#18) ---------------------------------------------------------------------


@dataclass
class QuizRound:
    """The attempts that count now for one enrolment. Normally every attempt; once the latest
    certificate's renewal window is open, only the attempts made after it (re-certification)."""

    certificate: Certificate | None
    renewal_open: bool
    attempts: list[QuizAttempt]
    next_number: int

    @property
    def passed(self) -> bool:
        if any(a.passed for a in self.attempts):
            return True
        return self.certificate is not None and not self.renewal_open


def certificate_latest_for(*, user: User, course: CoursePage) -> Certificate | None:
    certificates = Certificate.objects.filter(user=user, course=course)
    return certificates.order_by("-issued_at", "-pk").first()


def certificate_renewal_open(*, certificate: Certificate, now: datetime | None = None) -> bool:
    """Whether the holder may earn ``certificate`` again: it has a validity period, is not
    revoked, and ``KPO_CERTIFICATE_RENEWAL_DAYS`` before its expiry has been reached (the day the
    reminder goes out)."""
    if certificate.revoked_at is not None or certificate.expires_at is None:
        return False
    now = now or timezone.now()
    return now >= certificate.expires_at - timedelta(days=certificate_renewal_days())


def certificate_renewal_days() -> int:
    return int(getattr(settings, "KPO_CERTIFICATE_RENEWAL_DAYS", 30))


def quiz_round_for(*, enrolment: Enrolment, now: datetime | None = None) -> QuizRound:
    all_attempts = list(enrolment.attempts.order_by("number"))
    certificate = certificate_latest_for(user=enrolment.user, course=enrolment.course)
    renewal_open = certificate is not None and certificate_renewal_open(
        certificate=certificate, now=now
    )
    attempts = all_attempts
    if certificate is not None and renewal_open:
        if certificate.attempt_id is not None:
            since = next((a.number for a in all_attempts if a.pk == certificate.attempt_id), 0)
            attempts = [a for a in all_attempts if a.number > since]
        else:
            attempts = [a for a in all_attempts if a.submitted_at > certificate.issued_at]
    next_number = (all_attempts[-1].number + 1) if all_attempts else 1
    return QuizRound(
        certificate=certificate,
        renewal_open=renewal_open,
        attempts=attempts,
        next_number=next_number,
    )


def quiz_draw_seed(*, user: User, course: CoursePage, number: int) -> str:
    """The seed of attempt ``number``'s draw and order: stable for one attempt (a reload shows
    the same questions), new for every retry, and not predictable without the server's secret
    (``KPO_QUIZ_DRAW_SECRET``, else ``SECRET_KEY``)."""
    secret = getattr(settings, "KPO_QUIZ_DRAW_SECRET", "") or settings.SECRET_KEY
    message = f"{user.pk}:{course.pk}:{number}".encode()
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def quiz_draw(*, course: CoursePage, rng: random.Random) -> list[QuizQuestion]:
    """The questions one attempt asks, in the order shown.

    Without draw rules: every question of the course (shuffled when ``quiz_shuffle``). With draw
    rules: per rule, ``count`` questions drawn at random from the questions with that tag
    (case-insensitive), then shuffled together. Raises ``ValidationError`` when a tag has fewer
    questions than its rule asks for. ``rng`` is injected so a fixed seed gives a fixed draw."""
    questions = list(course.questions.prefetch_related("choices").order_by("sort_order", "pk"))
    rules = list(course.draw_rules.order_by("sort_order", "pk"))
    if not rules:
        if course.quiz_shuffle:
            rng.shuffle(questions)
        return questions
    drawn: list[QuizQuestion] = []
    for rule in rules:
        tag = rule.tag.strip().casefold()
        pool = [q for q in questions if q.tag.strip().casefold() == tag and q not in drawn]
        if len(pool) < rule.count:
            raise ValidationError(
                _(
                    "De vraagbank heeft te weinig vragen in de categorie '%(tag)s' "
                    "(%(have)s, nodig %(need)s)."
                )
                % {"tag": rule.tag, "have": len(pool), "need": rule.count},
                code="bank_too_small",
            )
        drawn.extend(rng.sample(pool, rule.count))
    rng.shuffle(drawn)
    return drawn


def quiz_questions_for_attempt(*, course: CoursePage, user: User) -> list[dict[str, Any]]:
    """The quiz as shown to a learner for their next attempt: no ``is_correct``. The questions
    are that attempt's draw (``quiz_draw`` with ``quiz_draw_seed``); choices are shuffled too
    when the course asks for it."""
    enrolment = Enrolment.objects.filter(user=user, course=course).first()
    number = quiz_round_for(enrolment=enrolment).next_number if enrolment is not None else 1
    rng = random.Random(quiz_draw_seed(user=user, course=course, number=number))  # noqa: S311
    shown = []
    for question in quiz_draw(course=course, rng=rng):
        choices = [{"id": c.pk, "text": c.text} for c in question.choices.all()]
        if course.quiz_shuffle:
            rng.shuffle(choices)
        shown.append(
            {"id": question.pk, "text": question.text, "kind": question.kind, "choices": choices}
        )
    return shown


def attempt_question_ids(*, attempt: QuizAttempt) -> list[int]:
    """The questions ``attempt`` asked (older attempts, from before question banks, recorded only
    their results: those are the questions they asked)."""
    ids = attempt.question_ids or list(attempt.results)
    return [int(pk) for pk in ids]


def attempt_reveals_answers(*, attempt: QuizAttempt) -> bool:
    """Whether the result of ``attempt`` may show the correct answers and explanations: after
    passing or after the last attempt, or after every attempt where the course says so."""
    course = attempt.enrolment.course
    return (
        attempt.passed
        or course.quiz_explanations == course.Explanations.ALWAYS
        or attempt.number >= course.quiz_max_attempts
    )


def attempt_feedback(*, attempt: QuizAttempt) -> list[dict[str, Any]]:
    """Per question the attempt asked (its draw, in the order shown): the learner's answer and
    whether it was right; the correct choices and the explanation only when
    ``attempt_reveals_answers`` (else empty)."""
    course = attempt.enrolment.course
    reveal = attempt_reveals_answers(attempt=attempt)
    ids = attempt_question_ids(attempt=attempt)
    by_id = {q.pk: q for q in course.questions.prefetch_related("choices").filter(pk__in=ids)}
    feedback = []
    for question in (by_id[pk] for pk in ids if pk in by_id):
        chosen = set(attempt.answers.get(str(question.pk), []))
        feedback.append(
            {
                "question": question,
                "correct": bool(attempt.results.get(str(question.pk))),
                "chosen": [c for c in question.choices.all() if c.pk in chosen],
                "right": [c for c in question.choices.all() if c.is_correct] if reveal else [],
                "explanation": question.explanation if reveal else "",
            }
        )
    return feedback


def attempt_get_for_user(*, user: User, pk: int) -> QuizAttempt | None:
    return (
        QuizAttempt.objects.select_related("enrolment__course")
        .filter(pk=pk, enrolment__user=user)
        .first()
    )


def certificate_get_for_owner(*, user: User | AnonymousUser, pk: int) -> Certificate | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return Certificate.objects.filter(pk=pk, user=cast("User", user)).first()


def certificate_get_by_code(*, code: str) -> Certificate | None:
    """Public verification: look a certificate up by its code (case-insensitive)."""
    return Certificate.objects.filter(code=(code or "").strip().upper()).first()


def certificate_verify_url(*, code: str) -> str:
    """The public verification page: ``/certificaat/<code>/`` once ``kpo/urls.py`` mounts
    ``academie.urls.certificate_urlpatterns`` (namespace "certificaat"), else the copy inside
    ``/academie/``."""
    from django.urls import NoReverseMatch, reverse

    try:
        return reverse("certificaat:verify", args=[code])
    except NoReverseMatch:
        return reverse("academie:certificate_verify", args=[code])


def certificate_list_for_user(*, user: User) -> QuerySet[Certificate]:
    return Certificate.objects.filter(user=user).order_by("-issued_at")


def session_list_for_training(
    *, training: TrainingPage, user: User | AnonymousUser
) -> list[dict[str, Any]]:
    sessions = training.sessions.annotate(
        registered_count=Count("registrations", filter=Q(registrations__status="registered")),
        waitlist_count=Count("registrations", filter=Q(registrations__status="waitlisted")),
    ).order_by("starts_at")
    mine = {}
    if getattr(user, "is_authenticated", False):
        mine = {
            r.session_id: r
            for r in Registration.objects.filter(
                user=cast("User", user), session__training=training
            ).exclude(status=Registration.Status.CANCELLED)
        }
    now = timezone.now()
    result = []
    for session in sessions:
        registration = mine.get(session.pk)
        position = None
        if registration is not None and registration.status == Registration.Status.WAITLISTED:
            position = (
                session.registrations.filter(
                    status=Registration.Status.WAITLISTED,
                    waitlisted_at__lt=registration.waitlisted_at,
                ).count()
                + 1
            )
        result.append(
            {
                "session": session,
                "registered": session.registered_count,
                "waitlisted": session.waitlist_count,
                "places_left": max(0, session.capacity - session.registered_count),
                "open": now <= session.registration_deadline,
                "registration": registration,
                "waitlist_position": position,
                "past": session.starts_at < now,
            }
        )
    return result


def my_learning(*, user: User) -> dict[str, Any]:
    """ "Mijn leren": enrolled courses with progress, certificates and upcoming sessions."""
    enrolments = (
        Enrolment.objects.filter(user=user).select_related("course").order_by("-enrolled_at")
    )
    courses = [
        course_progress_for_user(course=e.course, user=user) for e in enrolments if e.course.live
    ]
    upcoming = (
        Registration.objects.filter(
            user=user,
            status__in=[Registration.Status.REGISTERED, Registration.Status.WAITLISTED],
            session__starts_at__gte=timezone.now(),
        )
        .select_related("session__training")
        .order_by("session__starts_at")
    )
    return {
        "courses": courses,
        "certificates": list(certificate_list_for_user(user=user).select_related("course")),
        "registrations": list(upcoming),
    }


def session_attendees(*, session: TrainingSession) -> QuerySet[Registration]:
    return (
        session.registrations.filter(status=Registration.Status.REGISTERED)
        .select_related("user", "user__profile__organisation")
        .order_by("user__last_name", "user__first_name")
    )


def theme_section(*, theme: Theme, user: User | AnonymousUser) -> dict[str, Any] | None:
    """E-learnings and trainings of a theme, for the theme page (access rule applied)."""
    courses = course_list_for_user(user=user).filter(themes=theme)
    trainings = training_list_for_user(user=user).filter(themes=theme)
    pages: list[Any] = [*courses[:5], *trainings[:3]]
    items = [{"title": page.title, "url": page.url, "summary": page.summary} for page in pages]
    return {
        "key": "academie",
        "title": "E-learnings en trainingen",
        "items": items,
        "more_url": "/academie/",
    }


# --- law-linked re-review and certificate versions (ADR 0026) -----------------------------------


def course_citation_pairs(*, course: CoursePage) -> list[tuple[str, str]]:
    return [(c.identifier, c.article) for c in course.citations.all()]


def course_law_version(*, course: CoursePage) -> Any:
    """The law version of the course now: the latest effective date of a known change of the
    articles it cites (``None`` when none is known)."""
    from kpo.law.selectors import law_version_for

    return law_version_for(citations=course_citation_pairs(course=course))


def refresher_open_for(*, user: User | AnonymousUser, course: CoursePage) -> Any:
    """The newest refresher offered to ``user`` for ``course`` and not completed, or ``None``."""
    from academie.models import CertificateRefresher

    if not getattr(user, "is_authenticated", False):
        return None
    return (
        CertificateRefresher.objects.filter(
            certificate__user_id=cast(int, user.pk),
            certificate__course=course,
            completed_at__isnull=True,
        )
        .order_by("-offered_at", "-pk")
        .first()
    )


def refresher_lessons(*, refresher: Any) -> list[Lesson]:
    """The lessons the refresher asks to read again (changed or added since the holder's
    version), in course order; lessons removed since are left out."""
    return list(
        Lesson.objects.filter(
            pk__in=refresher.lesson_ids, course_id=refresher.certificate.course_id
        ).order_by("sort_order", "pk")
    )


def lessons_changed_between(*, old: Any, new: Any) -> list[int]:
    """Ids of the lessons of revision ``new`` whose title or content differ from revision
    ``old`` (every lesson when ``old`` is unknown)."""

    def lessons(revision: Any) -> dict[int, tuple[Any, Any]]:
        rows = (revision.content or {}).get("lessons", []) if revision is not None else []
        return {row.get("pk"): (row.get("title"), row.get("body")) for row in rows}

    before, after = lessons(old), lessons(new)
    return [pk for pk, value in after.items() if pk is not None and before.get(pk) != value]


# --- certificates: verification, status (#18) ---------------------------------------------------


def certificate_verification(
    *, certificate: Certificate | None, now: datetime | None = None
) -> dict[str, Any]:
    """What public verification may show, and nothing more: name, title, date and status. An
    unknown code gives the same keys (``found`` false, the rest empty), so the web page and the
    API answer in one shape either way."""
    if certificate is None:
        return {
            "found": False,
            "learner_name": "",
            "title": "",
            "issued_at": None,
            "status": "",
            "status_label": "",
            "course_version_at": None,
            "law_version": None,
            "session_label": "",
        }
    return {
        "found": True,
        "learner_name": certificate.learner_name,
        "title": certificate.course_title,
        "issued_at": certificate.issued_at,
        "status": str(certificate.status(now)),
        "status_label": certificate.status_label(now),
        # the versions it was earned on (ADR 0026)
        "course_version_at": certificate.course_version_at,
        "law_version": certificate.law_version,
        "session_label": certificate.session_label,
    }


def certificate_get_for_staff(*, pk: int) -> Certificate | None:
    """A certificate by id, for academy staff (the caller checks the role)."""
    return Certificate.objects.filter(pk=pk).first()


# --- people: expertise evidence (docs/decisions/0031) ---------------------------------------------


def expertise_evidence(
    *, person: User, themes: list[Theme], user: User | AnonymousUser
) -> dict[str, Any]:
    """The live e-learnings ``person`` passed (holds a valid certificate of), per theme, as far as
    the reader ``user`` may read them. Two queries, whatever the number of courses."""
    from django.utils.translation import gettext as _

    theme_ids = {t.pk for t in themes}
    certificates = (
        Certificate.objects.filter(
            user=person,
            course__in=filter_visible(CoursePage.objects.live(), user),
            course__themes__in=theme_ids,
            # only what still holds: not revoked, not expired (ADR 0030)
            revoked_at__isnull=True,
        )
        .exclude(expires_at__lte=timezone.now())
        .distinct()
        .select_related("course")
        .prefetch_related("course__themes")
        .order_by("-issued_at", "-pk")
    )
    items: dict[int, list[dict[str, Any]]] = {}
    for certificate in certificates:
        if certificate.course is None:  # a training's attendance certificate (not a course)
            continue
        entry = {
            "title": certificate.course.title,
            "url": certificate.course.url,
            "date": certificate.issued_at,
            "context": "",
        }
        for theme in certificate.course.themes.all():
            if theme.pk in theme_ids:
                items.setdefault(theme.pk, []).append(entry)
    return {"key": "courses", "title": _("Behaalde e-learnings"), "items": items}
