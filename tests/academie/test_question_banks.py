"""Question banks: each attempt draws its own questions per tag, recorded on the attempt; the score
and the review use exactly the drawn questions; a fixed seed gives a fixed draw."""

from __future__ import annotations

import random

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from academie import selectors, services
from academie.models import (
    AcademieIndexPage,
    CoursePage,
    Lesson,
    QuizChoice,
    QuizDrawRule,
    QuizQuestion,
)

pytestmark = pytest.mark.django_db


def make_bank_course(*, slug: str = "vraagbank", explanations: str = "final", law: int = 4):
    """One lesson; ``law`` questions tagged "wet" and three tagged "Praktijk"; each attempt
    draws two "wet" and one "praktijk" (tags match case-insensitively). Every question's right
    answer is the choice "goed"."""
    index = AcademieIndexPage.objects.get()
    questions: list[QuizQuestion] = []
    for tag, count in (("wet", law), ("Praktijk", 3)):
        for n in range(count):
            questions.append(
                QuizQuestion(
                    text=f"{tag} {n + 1}",
                    kind="single",
                    tag=tag,
                    explanation=f"Uitleg {tag} {n + 1}",
                    sort_order=len(questions),
                    choices=[
                        QuizChoice(text="goed", is_correct=True, sort_order=0),
                        QuizChoice(text="fout", is_correct=False, sort_order=1),
                    ],
                )
            )
    page = CoursePage(
        title=f"Cursus {slug}",
        slug=slug,
        summary="Een e-learning met een vraagbank.",
        quiz_pass_mark=100,
        quiz_max_attempts=3,
        quiz_explanations=explanations,
        live=False,
        lessons=[Lesson(title="Les 1", body=[("text", "<p>Inhoud</p>")], sort_order=0)],
        questions=questions,
        draw_rules=[
            QuizDrawRule(tag="wet", count=2, sort_order=0),
            QuizDrawRule(tag="praktijk", count=1, sort_order=1),
        ],
    )
    index.add_child(instance=page)
    page.save_revision().publish()
    return CoursePage.objects.get(pk=page.pk)


def _ready(course, user):
    services.course_enrol(user=user, course=course)
    for lesson in course.lessons.all():
        services.lesson_complete(user=user, lesson=lesson)


def _answers(shown, *, right: bool):
    """Answers for the questions shown: all "goed" or all "fout"."""
    wanted = "goed" if right else "fout"
    return {q["id"]: [next(c["id"] for c in q["choices"] if c["text"] == wanted)] for q in shown}


def _tags(question_ids):
    return sorted(QuizQuestion.objects.get(pk=pk).tag.lower() for pk in question_ids)


def test_a_fixed_seed_gives_a_fixed_draw_with_the_counts_per_tag():
    course = make_bank_course()
    first = [q.pk for q in selectors.quiz_draw(course=course, rng=random.Random(7))]
    again = [q.pk for q in selectors.quiz_draw(course=course, rng=random.Random(7))]
    assert first == again
    assert len(set(first)) == 3
    assert _tags(first) == ["praktijk", "wet", "wet"]
    draws = {
        tuple(q.pk for q in selectors.quiz_draw(course=course, rng=random.Random(seed)))
        for seed in range(20)
    }
    assert len(draws) > 1  # the draw really depends on the seed


def test_each_attempt_draws_anew_records_its_draw_and_a_reload_shows_the_same(learner, settings):
    settings.KPO_QUIZ_DRAW_SECRET = "vaste-test-sleutel"
    course = make_bank_course()
    _ready(course, learner)
    shown = selectors.quiz_questions_for_attempt(course=course, user=learner)
    assert shown == selectors.quiz_questions_for_attempt(course=course, user=learner)
    assert all(set(c) == {"id", "text"} for q in shown for c in q["choices"])
    first = services.quiz_submit(user=learner, course=course, answers=_answers(shown, right=False))
    assert first.question_ids == [q["id"] for q in shown]
    assert first.question_count == 3 and not first.passed
    retry = selectors.quiz_questions_for_attempt(course=course, user=learner)
    assert [q["id"] for q in retry] != first.question_ids  # a retry is a new test
    assert _tags(q["id"] for q in retry) == ["praktijk", "wet", "wet"]
    second = services.quiz_submit(user=learner, course=course, answers=_answers(retry, right=True))
    assert second.question_ids == [q["id"] for q in retry]
    assert second.passed and second.score == 100
    assert set(second.results) == {str(pk) for pk in second.question_ids}


def test_the_same_seed_secret_reproduces_the_draw_for_another_run(learner, settings):
    settings.KPO_QUIZ_DRAW_SECRET = "vaste-test-sleutel"
    course = make_bank_course()
    seed = selectors.quiz_draw_seed(user=learner, course=course, number=1)
    assert seed == selectors.quiz_draw_seed(user=learner, course=course, number=1)
    assert seed != selectors.quiz_draw_seed(user=learner, course=course, number=2)
    settings.KPO_QUIZ_DRAW_SECRET = "een-andere-sleutel"
    assert seed != selectors.quiz_draw_seed(user=learner, course=course, number=1)


def test_an_injected_rng_decides_the_draw_that_is_scored(learner):
    course = make_bank_course()
    _ready(course, learner)
    expected = [q.pk for q in selectors.quiz_draw(course=course, rng=random.Random(3))]
    by_id = {q.pk: q for q in course.questions.all()}
    answers = {pk: [by_id[pk].choices.get(text="goed").pk] for pk in expected}
    attempt = services.quiz_submit(
        user=learner, course=course, answers=answers, rng=random.Random(3)
    )
    assert attempt.question_ids == expected and attempt.passed


def test_answers_to_questions_outside_the_draw_are_refused_without_a_write(learner):
    course = make_bank_course()
    _ready(course, learner)
    drawn = {q.pk for q in selectors.quiz_draw(course=course, rng=random.Random(5))}
    outside = course.questions.exclude(pk__in=drawn).first()
    answers = {outside.pk: [outside.choices.get(text="goed").pk]}
    with pytest.raises(ValidationError, match="Onbekende vraag"):
        services.quiz_submit(user=learner, course=course, answers=answers, rng=random.Random(5))
    assert not learner.enrolments.get().attempts.exists()


def test_a_bank_with_too_few_questions_for_its_rule_says_so(learner):
    course = make_bank_course(slug="te-klein", law=1)
    with pytest.raises(ValidationError, match="te weinig vragen in de categorie 'wet'"):
        selectors.quiz_draw(course=course, rng=random.Random(1))


def test_a_course_without_a_bank_asks_every_question_as_before(course, learner):
    services.course_enrol(user=learner, course=course)
    for lesson in course.lessons.all():
        services.lesson_complete(user=learner, lesson=lesson)
    shown = selectors.quiz_questions_for_attempt(course=course, user=learner)
    all_ids = list(course.questions.order_by("sort_order", "pk").values_list("pk", flat=True))
    assert [q["id"] for q in shown] == all_ids
    answers = {q["id"]: [q["choices"][0]["id"]] for q in shown}
    attempt = services.quiz_submit(user=learner, course=course, answers=answers)
    assert attempt.question_ids == all_ids and attempt.question_count == 2


@pytest.mark.parametrize(("mode", "revealed"), [("always", True), ("final", False)])
def test_the_feedback_mode_applies_to_the_drawn_questions(client, learner, mode, revealed):
    course = make_bank_course(slug=f"feedback-{mode}", explanations=mode)
    _ready(course, learner)
    shown = selectors.quiz_questions_for_attempt(course=course, user=learner)
    attempt = services.quiz_submit(
        user=learner, course=course, answers=_answers(shown, right=False)
    )
    feedback = selectors.attempt_feedback(attempt=attempt)
    assert [item["question"].pk for item in feedback] == attempt.question_ids
    assert all(bool(item["explanation"]) is revealed for item in feedback)
    assert all(bool(item["right"]) is revealed for item in feedback)
    client.force_login(learner)
    html = client.get(
        reverse("academie:quiz_result", args=[course.pk, attempt.pk])
    ).content.decode()
    drawn_texts = {QuizQuestion.objects.get(pk=pk).text for pk in attempt.question_ids}
    others = set(course.questions.values_list("text", flat=True)) - drawn_texts
    assert all(text in html for text in drawn_texts)
    assert not any(text in html for text in others)
    explanation = QuizQuestion.objects.get(pk=attempt.question_ids[0]).explanation
    assert (explanation in html) is revealed


def test_the_web_quiz_shows_and_scores_the_attempts_draw(client, learner):
    course = make_bank_course(slug="web-vraagbank")
    _ready(course, learner)
    client.force_login(learner)
    page = client.get(reverse("academie:quiz", args=[course.pk])).content.decode()
    shown = selectors.quiz_questions_for_attempt(course=course, user=learner)
    assert all(q["text"] in page for q in shown)
    post = {f"q{q['id']}": str(_answers([q], right=True)[q["id"]][0]) for q in shown}
    response = client.post(reverse("academie:quiz", args=[course.pk]), post)
    assert response.status_code == 302
    attempt = learner.enrolments.get().attempts.get()
    assert attempt.passed and attempt.question_ids == [q["id"] for q in shown]


def test_a_too_small_bank_is_a_message_on_the_web_and_an_empty_quiz_in_the_api(client, learner):
    course = make_bank_course(slug="te-klein-web", law=1)
    _ready(course, learner)
    client.force_login(learner)
    response = client.get(reverse("academie:quiz", args=[course.pk]), follow=True)
    assert response.status_code == 200
    assert "te weinig vragen in de categorie" in response.content.decode()
    api = client.get(f"/api/v1/courses/{course.pk}")
    assert api.status_code == 200 and api.json()["quiz"] == []
    submit = client.post(
        f"/api/v1/courses/{course.pk}/quiz/attempts",
        {"answers": {}},
        content_type="application/json",
    )
    assert submit.status_code == 400
    assert "te weinig vragen" in submit.json()["detail"]
