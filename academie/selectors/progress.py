"""A learner's progress: lesson states, prerequisites, my learning, refreshers after a law
change."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, cast

from django.utils import timezone

from academie.models import Certificate, CoursePage, Enrolment, Lesson, QuizAttempt, Registration
from academie.selectors.certificates import certificate_latest_for, certificate_list_for_user
from academie.selectors.quizzes import quiz_round_for

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from kpo.accounts.models import User


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
