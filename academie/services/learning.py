"""Learning writes: enrolling in a course, visiting and completing lessons, scoring and
submitting quizzes (a passed final quiz issues the certificate)."""

from __future__ import annotations

import random
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from academie.models import CoursePage, Enrolment, Lesson, LessonProgress, QuizAttempt, QuizQuestion
from academie.selectors import prerequisites_missing, quiz_draw, quiz_draw_seed, quiz_round_for
from academie.services.certificates import certificate_issue
from kpo.core.access import can_read

if TYPE_CHECKING:
    from kpo.accounts.models import User


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
