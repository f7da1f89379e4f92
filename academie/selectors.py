"""Reads of the academy, through the access rule (``kpo.core.access``)."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, cast

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from academie.models import (
    Certificate,
    CoursePage,
    Enrolment,
    Lesson,
    QuizAttempt,
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

    @property
    def enrolled(self) -> bool:
        return self.enrolment is not None


def prerequisites_missing(*, user: Any, course: CoursePage) -> list[CoursePage]:
    """The prerequisite courses the user has not passed yet (passed attempt or certificate)."""
    missing = []
    for prerequisite in course.prerequisites.all().order_by("title"):
        passed = (
            Certificate.objects.filter(user=user, course=prerequisite).exists()
            or QuizAttempt.objects.filter(
                enrolment__user=user, enrolment__course=prerequisite, passed=True
            ).exists()
        )
        if not passed:
            missing.append(prerequisite)
    return missing


def course_progress_for_user(*, course: CoursePage, user: User | AnonymousUser) -> CourseProgress:
    """Everything the course page, the lesson view and the API need about one learner."""
    lessons = list(course.lessons.order_by("sort_order", "pk"))
    authenticated = getattr(user, "is_authenticated", False)
    enrolment = (
        Enrolment.objects.filter(user=cast("User", user), course=course).first()
        if authenticated
        else None
    )
    done: set[int] = set()
    attempts: list[QuizAttempt] = []
    certificate = None
    if enrolment is not None:
        done = set(enrolment.progress.values_list("lesson_id", flat=True))
        attempts = list(enrolment.attempts.order_by("number"))
    if authenticated:
        certificate = Certificate.objects.filter(user=cast("User", user), course=course).first()
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
    passed = any(a.passed for a in attempts) or certificate is not None
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
    )


def quiz_questions_for_attempt(*, course: CoursePage, user: User) -> list[dict[str, Any]]:
    """The quiz as shown to a learner: no ``is_correct``. Shuffled per learner and attempt when
    the course asks for it (stable for one attempt number, so a reload shows the same order)."""
    questions = list(course.questions.prefetch_related("choices").order_by("sort_order", "pk"))
    attempt_no = (
        QuizAttempt.objects.filter(enrolment__user=user, enrolment__course=course).count() + 1
    )
    rng = random.Random(f"{user.pk}:{course.pk}:{attempt_no}")  # noqa: S311 - not security
    shown = []
    for question in questions:
        choices = [{"id": c.pk, "text": c.text} for c in question.choices.all()]
        if course.quiz_shuffle:
            rng.shuffle(choices)
        shown.append(
            {"id": question.pk, "text": question.text, "kind": question.kind, "choices": choices}
        )
    if course.quiz_shuffle:
        rng.shuffle(shown)
    return shown


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
    """Per question: the learner's answer and whether it was right; the correct choices and the
    explanation only when ``attempt_reveals_answers`` (else empty)."""
    course = attempt.enrolment.course
    reveal = attempt_reveals_answers(attempt=attempt)
    questions = course.questions.prefetch_related("choices").order_by("sort_order", "pk")
    feedback = []
    for question in questions:
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


# --- people: expertise evidence (docs/decisions/0031) ---------------------------------------------


def expertise_evidence(
    *, person: User, themes: list[Theme], user: User | AnonymousUser
) -> dict[str, Any]:
    """The live e-learnings ``person`` passed (holds a certificate of), per theme, as far as
    the reader ``user`` may read them. Two queries, whatever the number of courses."""
    from django.utils.translation import gettext as _

    theme_ids = {t.pk for t in themes}
    certificates = (
        Certificate.objects.filter(
            user=person,
            course__in=filter_visible(CoursePage.objects.live(), user),
            course__themes__in=theme_ids,
        )
        .distinct()
        .select_related("course")
        .prefetch_related("course__themes")
        .order_by("-issued_at", "-pk")
    )
    items: dict[int, list[dict[str, Any]]] = {}
    for certificate in certificates:
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
