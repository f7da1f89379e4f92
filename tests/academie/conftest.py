"""Fixtures of the academy tests: small courses and sessions built on the corpus's index page."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from academie.models import (
    AcademieIndexPage,
    CoursePage,
    Lesson,
    QuizChoice,
    QuizQuestion,
    TrainingPage,
    TrainingSession,
)
from tests.factories import UserFactory


def make_course(
    *,
    slug: str = "test-cursus",
    lessons: int = 2,
    max_attempts: int = 2,
    pass_mark: int = 100,
    prerequisites=(),
    legal: bool = False,
    publish: bool = True,
) -> CoursePage:
    """A course with ``lessons`` lessons and two questions: Q1 single choice (B right), Q2
    multiple choice (A and C right)."""
    index = AcademieIndexPage.objects.get()
    page = CoursePage(
        title=f"Cursus {slug}",
        slug=slug,
        summary="Een e-learning om te testen.",
        quiz_pass_mark=pass_mark,
        quiz_max_attempts=max_attempts,
        legal_review_required=legal,
        live=False,
        lessons=[
            Lesson(title=f"Les {i + 1}", body=[("text", f"<p>Inhoud {i + 1}</p>")], sort_order=i)
            for i in range(lessons)
        ],
        questions=[
            QuizQuestion(
                text="Enkele keuze",
                kind="single",
                explanation="Uitleg 1",
                sort_order=0,
                choices=[
                    QuizChoice(text="A", is_correct=False, sort_order=0),
                    QuizChoice(text="B", is_correct=True, sort_order=1),
                    QuizChoice(text="C", is_correct=False, sort_order=2),
                ],
            ),
            QuizQuestion(
                text="Meerkeuze",
                kind="multiple",
                explanation="Uitleg 2",
                sort_order=1,
                choices=[
                    QuizChoice(text="A", is_correct=True, sort_order=0),
                    QuizChoice(text="B", is_correct=False, sort_order=1),
                    QuizChoice(text="C", is_correct=True, sort_order=2),
                ],
            ),
        ],
    )
    index.add_child(instance=page)
    page = CoursePage.objects.get(pk=page.pk)
    page.prerequisites = list(prerequisites)
    revision = page.save_revision()
    if publish:
        revision.publish()
    return CoursePage.objects.get(pk=page.pk)


def answer_ids(course: CoursePage, *, q1: str, q2: str) -> dict[int, list[int]]:
    """Answers by choice text, e.g. q1="B", q2="AC"."""
    questions = list(course.questions.order_by("sort_order"))
    result = {}
    for question, letters in zip(questions, (q1, q2), strict=True):
        result[question.pk] = [c.pk for c in question.choices.all() if c.text in letters]
    return result


def make_session(*, capacity: int = 1, days_ahead: int = 10, deadline_days: int = 3):
    index = AcademieIndexPage.objects.get()
    training = TrainingPage(
        title="Test training",
        slug=f"test-training-{capacity}-{days_ahead}",
        summary="Oefenen.",
        live=False,
    )
    index.add_child(instance=training)
    training.save_revision().publish()
    starts = timezone.now() + timedelta(days=days_ahead)
    return TrainingSession.objects.create(
        training=TrainingPage.objects.get(pk=training.pk),
        starts_at=starts,
        ends_at=starts + timedelta(hours=3),
        location="Utrecht",
        capacity=capacity,
        registration_deadline=starts - timedelta(days=deadline_days),
    )


@pytest.fixture
def course(db):
    return make_course()


@pytest.fixture
def learner(db):
    return UserFactory(first_name="Lotte", last_name="Leerling")
