"""Rules of the academy's services: order, scoring, attempts, prerequisites, waiting list."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone

from academie import services
from academie.models import Certificate, QuizAttempt, Registration
from kpo.notifications.models import EmailOutbox, Notification
from tests.academie.conftest import answer_ids, make_course, make_session
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _ready_for_quiz(course, user):
    services.course_enrol(user=user, course=course)
    for lesson in course.lessons.order_by("sort_order"):
        services.lesson_complete(user=user, lesson=lesson)


# --- lessons ------------------------------------------------------------------------------------


def test_lessons_must_be_completed_in_order(course, learner):
    services.course_enrol(user=learner, course=course)
    first, second = course.lessons.order_by("sort_order")
    with pytest.raises(ValidationError, match="Rond eerst de les 'Les 1' af"):
        services.lesson_complete(user=learner, lesson=second)
    services.lesson_complete(user=learner, lesson=first)
    services.lesson_complete(user=learner, lesson=second)
    services.lesson_complete(user=learner, lesson=second)  # idempotent
    assert learner.enrolments.get().progress.count() == 2


def test_lesson_complete_needs_enrolment(course, learner):
    with pytest.raises(ValidationError, match="Schrijf je eerst in"):
        services.lesson_complete(user=learner, lesson=course.lessons.first())


def test_quiz_only_after_all_lessons(course, learner):
    services.course_enrol(user=learner, course=course)
    services.lesson_complete(user=learner, lesson=course.lessons.order_by("sort_order").first())
    with pytest.raises(ValidationError, match="Rond eerst alle lessen af"):
        services.quiz_submit(
            user=learner, course=course, answers=answer_ids(course, q1="B", q2="AC")
        )
    assert not QuizAttempt.objects.exists()


# --- scoring ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("q1", "q2", "correct"),
    [
        ("B", "AC", 2),  # exact set right
        ("B", "A", 1),  # subset of the right set: wrong
        ("B", "ABC", 1),  # superset: wrong
        ("B", "B", 1),  # wrong choice
        ("A", "AC", 1),  # single choice wrong
        ("C", "CA", 1),
    ],
)
def test_scoring_multiple_choice_needs_exactly_the_right_set(learner, q1, q2, correct):
    course = make_course(slug="score", pass_mark=100, max_attempts=1)
    _ready_for_quiz(course, learner)
    attempt = services.quiz_submit(
        user=learner, course=course, answers=answer_ids(course, q1=q1, q2=q2)
    )
    assert attempt.correct_count == correct
    assert attempt.score == correct * 50
    assert attempt.passed is (correct == 2)


def test_foreign_choice_ids_are_rejected_without_a_write(course, learner):
    other = make_course(slug="andere-cursus")
    _ready_for_quiz(course, learner)
    q1, q2 = course.questions.order_by("sort_order")
    foreign = other.questions.order_by("sort_order").first().choices.first().pk
    q2_choice = q2.choices.first().pk
    for answers in (
        {q1.pk: [foreign], q2.pk: [q2_choice]},  # a choice of another course
        {q1.pk: [q2_choice], q2.pk: [q2_choice]},  # a choice of another question
        {q1.pk: [999999999], q2.pk: [q2_choice]},  # does not exist
        {q1.pk: ["abc"], q2.pk: [q2_choice]},  # not an id
        {999999999: [q2_choice], q1.pk: [q1.choices.first().pk]},  # unknown question
    ):
        with pytest.raises(ValidationError):
            services.quiz_submit(user=learner, course=course, answers=answers)
    # two choices on a single-choice question
    with pytest.raises(ValidationError, match="maar één antwoord"):
        services.quiz_submit(
            user=learner,
            course=course,
            answers={q1.pk: [c.pk for c in q1.choices.all()], q2.pk: [q2_choice]},
        )
    with pytest.raises(ValidationError, match="Beantwoord alle vragen"):
        services.quiz_submit(user=learner, course=course, answers={q1.pk: [q1.choices.first().pk]})
    assert not QuizAttempt.objects.filter(enrolment__user=learner).exists()


def test_attempts_limit(learner):
    course = make_course(slug="pogingen", max_attempts=2)
    _ready_for_quiz(course, learner)
    wrong = answer_ids(course, q1="A", q2="A")
    for number in (1, 2):
        attempt = services.quiz_submit(user=learner, course=course, answers=wrong)
        assert (attempt.number, attempt.passed) == (number, False)
    with pytest.raises(ValidationError, match="maximale aantal pogingen"):
        services.quiz_submit(
            user=learner, course=course, answers=answer_ids(course, q1="B", q2="AC")
        )
    assert QuizAttempt.objects.filter(enrolment__user=learner).count() == 2
    assert not Certificate.objects.filter(user=learner).exists()


def test_pass_issues_one_certificate_and_no_further_attempts(course, learner):
    _ready_for_quiz(course, learner)
    attempt = services.quiz_submit(
        user=learner, course=course, answers=answer_ids(course, q1="B", q2="AC")
    )
    assert attempt.passed
    certificate = Certificate.objects.get(user=learner, course=course)
    assert certificate.learner_name == "Lotte Leerling"
    assert len(certificate.code) >= 20
    assert services.certificate_issue(attempt=attempt) == certificate  # idempotent
    with pytest.raises(ValidationError, match="al geslaagd"):
        services.quiz_submit(
            user=learner, course=course, answers=answer_ids(course, q1="B", q2="AC")
        )
    assert learner.enrolments.get().completed_at is not None


# --- prerequisites ------------------------------------------------------------------------------


def test_prerequisites_are_enforced(learner):
    basis = make_course(slug="basis")
    advanced = make_course(slug="verdieping", prerequisites=[basis])
    with pytest.raises(ValidationError, match="Rond eerst deze e-learning af: Cursus basis"):
        services.course_enrol(user=learner, course=advanced)
    _ready_for_quiz(basis, learner)
    services.quiz_submit(user=learner, course=basis, answers=answer_ids(basis, q1="B", q2="AC"))
    assert services.course_enrol(user=learner, course=advanced).course == advanced


def test_corpus_advanced_bibob_requires_basic(corpus, learner):
    from academie.models import CoursePage

    advanced = CoursePage.objects.get(slug="elearning-wet-bibob-verdieping")
    assert list(advanced.prerequisites.values_list("slug", flat=True)) == [
        "elearning-wet-bibob-basis"
    ]
    with pytest.raises(ValidationError, match="Wet Bibob: de basis"):
        services.course_enrol(user=learner, course=advanced)


def test_draft_course_cannot_be_enrolled(learner):
    draft = make_course(slug="concept", publish=False)
    with pytest.raises(ValidationError, match="niet beschikbaar"):
        services.course_enrol(user=learner, course=draft)


# --- trainings ----------------------------------------------------------------------------------


def test_full_session_waitlists_and_cancel_promotes_first_with_notification():
    session = make_session(capacity=1)
    anna, bram, cor = UserFactory(), UserFactory(), UserFactory()
    assert services.session_register(user=anna, session=session).status == "registered"
    assert services.session_register(user=bram, session=session).status == "waitlisted"
    assert services.session_register(user=cor, session=session).status == "waitlisted"
    assert services.session_register(user=bram, session=session).status == "waitlisted"  # again

    services.registration_cancel(user=anna, session=session)

    statuses = dict(Registration.objects.filter(session=session).values_list("user_id", "status"))
    assert statuses == {anna.pk: "cancelled", bram.pk: "registered", cor.pk: "waitlisted"}
    note = Notification.objects.get(recipient=bram, kind="academie.waitlist_promoted")
    assert "Test training" in note.title
    assert EmailOutbox.objects.filter(to=bram.email).exists()
    assert not Notification.objects.filter(recipient=cor).exists()


def test_waitlisted_person_cancelling_promotes_nobody():
    session = make_session(capacity=1)
    anna, bram = UserFactory(), UserFactory()
    services.session_register(user=anna, session=session)
    services.session_register(user=bram, session=session)
    services.registration_cancel(user=bram, session=session)
    assert Registration.objects.get(user=anna).status == "registered"
    assert not Notification.objects.filter(kind="academie.waitlist_promoted").exists()
    with pytest.raises(ValidationError, match="niet aangemeld"):
        services.registration_cancel(user=bram, session=session)


def test_registration_deadline_is_enforced(learner):
    session = make_session(capacity=5, days_ahead=10, deadline_days=3)
    late = session.registration_deadline + timedelta(minutes=1)
    with pytest.raises(ValidationError, match="aanmeldtermijn is verstreken"):
        services.session_register(user=learner, session=session, now=late)
    assert not Registration.objects.filter(user=learner).exists()


def test_seat_constraint_holds_at_database_level():
    from django.db import IntegrityError, transaction

    session = make_session(capacity=2)
    anna, bram = UserFactory(), UserFactory()
    services.session_register(user=anna, session=session)
    with pytest.raises(IntegrityError), transaction.atomic():
        Registration.objects.create(session=session, user=bram, status="registered", seat=1)


def test_reminder_the_day_before_is_sent_once():
    from academie.tasks import session_reminder_task

    session = make_session(capacity=3, days_ahead=10)
    anna, bram = UserFactory(), UserFactory()
    services.session_register(user=anna, session=session)
    services.session_register(user=bram, session=session)
    services.registration_cancel(user=bram, session=session)
    with time_machine.travel(session.starts_at - timedelta(days=1), tick=False):
        assert session_reminder_task.apply().get() == 1
        assert session_reminder_task.apply().get() == 0
    assert (
        Notification.objects.filter(recipient=anna, kind="academie.session_reminder").count() == 1
    )
    assert not Notification.objects.filter(
        recipient=bram, kind="academie.session_reminder"
    ).exists()
    registration = Registration.objects.get(user=anna)
    assert registration.reminded_at is not None
    assert (
        EmailOutbox.objects.filter(
            key__startswith=f"academie-session-reminder:{registration.pk}"
        ).count()
        == 1
    )


def test_attendance_by_academy_staff_only():
    from django.core.exceptions import PermissionDenied

    session = make_session(capacity=3)
    anna, bram = UserFactory(), UserFactory()
    staff = UserFactory(groups=["Academie"])
    services.session_register(user=anna, session=session)
    services.session_register(user=bram, session=session)
    with pytest.raises(PermissionDenied):
        services.attendance_mark(session=session, attended_user_ids=[anna.pk], actor=anna)
    assert services.attendance_mark(session=session, attended_user_ids=[anna.pk], actor=staff) == 1
    assert Registration.objects.get(user=anna).attended
    assert not Registration.objects.get(user=bram).attended


def test_now_is_respected_for_cancel_after_start(learner):
    session = make_session(capacity=3)
    services.session_register(user=learner, session=session)
    with pytest.raises(ValidationError, match="al begonnen"):
        services.registration_cancel(
            user=learner, session=session, now=session.starts_at + timedelta(minutes=5)
        )
    assert timezone.now() < session.starts_at


def test_shuffle_keeps_the_same_questions_and_is_stable_within_an_attempt(learner):
    from academie.selectors import quiz_questions_for_attempt

    course = make_course(slug="schudden")
    course.quiz_shuffle = True
    course.save()
    first = quiz_questions_for_attempt(course=course, user=learner)
    again = quiz_questions_for_attempt(course=course, user=learner)
    assert first == again
    assert {q["id"] for q in first} == set(course.questions.values_list("pk", flat=True))
    for question in first:
        assert {c["id"] for c in question["choices"]} == set(
            course.questions.get(pk=question["id"]).choices.values_list("pk", flat=True)
        )
        assert all(set(c) == {"id", "text"} for c in question["choices"])


def test_answers_and_per_question_results_are_stored(course, learner):
    _ready_for_quiz(course, learner)
    answers = answer_ids(course, q1="B", q2="A")
    attempt = services.quiz_submit(user=learner, course=course, answers=answers)
    assert attempt.answers == {str(k): sorted(v) for k, v in answers.items()}
    q1, q2 = course.questions.order_by("sort_order")
    assert attempt.results == {str(q1.pk): True, str(q2.pk): False}


def test_resume_points_at_the_next_open_lesson(course, learner):
    from academie.selectors import course_progress_for_user

    services.course_enrol(user=learner, course=course)
    first, second = course.lessons.order_by("sort_order")
    services.lesson_complete(user=learner, lesson=first)
    progress = course_progress_for_user(course=course, user=learner)
    assert (progress.percent, progress.resume_lesson) == (50, second)
    assert [s.available for s in progress.lessons] == [True, True]
