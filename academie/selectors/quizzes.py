"""Reads of quizzes: the round a learner is in, the drawn questions of an attempt, feedback."""

from __future__ import annotations

import hashlib
import hmac
import random
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from academie.models import Certificate, CoursePage, Enrolment, QuizAttempt, QuizQuestion
from academie.selectors.certificates import certificate_latest_for, certificate_renewal_open

if TYPE_CHECKING:
    from kpo.accounts.models import User


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
