"""Certificates: expiry, revocation (audited), the public verification form and link (same answer
shape for unknown codes, rate limited), attendance certificates and re-certification."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from academie import selectors, services
from academie.models import Certificate, Registration, TrainingPage
from kpo.audit.models import AuditEntry
from kpo.notifications.models import Notification
from tests.academie.conftest import answer_ids, make_course, make_session
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ISSUED = datetime(2026, 1, 31, 10, 0, tzinfo=UTC)


def _pass(course, user):
    services.course_enrol(user=user, course=course)
    for lesson in course.lessons.order_by("sort_order"):
        services.lesson_complete(user=user, lesson=lesson)
    attempt = services.quiz_submit(
        user=user, course=course, answers=answer_ids(course, q1="B", q2="AC")
    )
    assert attempt.passed
    return attempt.certificate


def _course_with_validity(months: int | None, slug: str = "geldig"):
    course = make_course(slug=slug)
    course.certificate_valid_months = months
    course.save()
    return course


@pytest.fixture
def academy_staff(db):
    return UserFactory(groups=["Academie"])


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


# --- expiry -------------------------------------------------------------------------------------


def test_a_certificate_expires_after_the_courses_validity(learner):
    course = _course_with_validity(12)
    with time_machine.travel(ISSUED, tick=False):
        certificate = _pass(course, learner)
    assert certificate.expires_at == datetime(2027, 1, 31, 10, 0, tzinfo=UTC)
    assert certificate.status(ISSUED + timedelta(days=300)) == "valid"
    assert certificate.status_label(ISSUED + timedelta(days=300)) == "geldig tot 31-01-2027"
    later = datetime(2027, 2, 1, tzinfo=UTC)
    assert certificate.status(later) == "expired"
    assert certificate.status_label(later) == "verlopen op 31-01-2027"


def test_months_are_calendar_months_clamped_to_the_end_of_the_month(learner):
    course = _course_with_validity(1, slug="een-maand")
    with time_machine.travel(ISSUED, tick=False):
        certificate = _pass(course, learner)
    assert certificate.expires_at == datetime(2026, 2, 28, 10, 0, tzinfo=UTC)


def test_without_a_validity_a_certificate_stays_valid(learner):
    course = _course_with_validity(None, slug="onbeperkt")
    certificate = _pass(course, learner)
    assert certificate.expires_at is None
    assert certificate.status(datetime(2099, 1, 1, tzinfo=UTC)) == "valid"
    assert certificate.status_label() == "geldig"


# --- revocation ---------------------------------------------------------------------------------


def test_only_academy_staff_revoke_with_a_reason_and_it_is_audited(learner, academy_staff):
    certificate = _pass(make_course(slug="intrekken"), learner)
    with pytest.raises(PermissionDenied):
        services.certificate_revoke(certificate=certificate, by=learner, reason="fraude")
    with pytest.raises(ValidationError, match="Geef een reden"):
        services.certificate_revoke(certificate=certificate, by=academy_staff, reason="   ")
    certificate.refresh_from_db()
    assert certificate.revoked_at is None
    with time_machine.travel(datetime(2026, 3, 4, 12, 0, tzinfo=UTC), tick=False):
        services.certificate_revoke(
            certificate=certificate, by=academy_staff, reason="Toets door iemand anders gemaakt"
        )
    certificate.refresh_from_db()
    assert certificate.status() == "revoked"
    assert certificate.status_label() == "ingetrokken op 04-03-2026"
    assert certificate.revoked_by == academy_staff
    entry = AuditEntry.objects.get(action="certificate.revoked")
    assert entry.actor_id == academy_staff.pk
    assert entry.data["reason"] == "Toets door iemand anders gemaakt"
    with pytest.raises(ValidationError, match="al ingetrokken"):
        services.certificate_revoke(certificate=certificate, by=academy_staff, reason="nogmaals")


def test_revocation_through_the_web_is_for_academy_staff_only(client, learner, academy_staff):
    from tests.security.helpers import admin_login

    certificate = _pass(make_course(slug="web-intrekken"), learner)
    url = reverse("academie:certificate_revoke", args=[certificate.pk])
    client.force_login(learner)
    assert client.post(url, {"reason": "x"}).status_code == 404
    admin_login(client, academy_staff)
    assert client.post(url, {"reason": ""}).status_code == 400
    response = client.post(url, {"reason": "Onterecht uitgereikt"})
    assert response.status_code == 302
    certificate.refresh_from_db()
    assert certificate.revoked_reason == "Onterecht uitgereikt"


def test_revocation_through_the_api(client, learner, academy_staff):
    from tests.security.helpers import admin_login

    certificate = _pass(make_course(slug="api-intrekken"), learner)
    url = f"/api/v1/certificates/{certificate.pk}/revoke"
    client.force_login(learner)
    assert client.post(url, {"reason": "x"}, content_type="application/json").status_code == 404
    admin_login(client, academy_staff)
    response = client.post(url, {"reason": "Fraude"}, content_type="application/json")
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "revoked"
    assert response.json()["status_label"].startswith("ingetrokken op ")
    again = client.post(url, {"reason": "Fraude"}, content_type="application/json")
    assert again.status_code == 400


# --- verification -------------------------------------------------------------------------------


def _verify(client, code):
    return client.post(reverse("certificaat:verify_form"), {"code": code})


def test_the_verification_form_needs_no_login(client):
    response = client.get(reverse("certificaat:verify_form"))
    assert response.status_code == 200
    assert 'name="code"' in response.content.decode()
    assert _verify(client, "").status_code == 400


def test_the_form_shows_name_course_date_and_status_only(client, learner, academy_staff):
    course = _course_with_validity(12, slug="controle")
    with time_machine.travel(ISSUED, tick=False):
        certificate = _pass(course, learner)
    with time_machine.travel(ISSUED + timedelta(days=10), tick=False):
        html = _verify(client, certificate.code.lower()).content.decode()
    assert "Lotte Leerling" in html and course.title in html and "31-01-2026" in html
    assert "geldig tot 31-01-2027" in html
    assert learner.email not in html
    with time_machine.travel(datetime(2027, 3, 1, tzinfo=UTC), tick=False):
        expired = _verify(client, certificate.code).content.decode()
    assert "verlopen op 31-01-2027" in expired
    services.certificate_revoke(certificate=certificate, by=academy_staff, reason="Fraude")
    revoked = _verify(client, certificate.code).content.decode()
    assert "ingetrokken op " in revoked
    assert "Fraude" not in revoked  # the reason is internal


def test_an_unknown_code_answers_in_the_same_shape(client, learner):
    certificate = _pass(make_course(slug="vorm"), learner)
    known = _verify(client, certificate.code)
    unknown = _verify(client, "0000-0000-0000-0000-0000")
    assert known.status_code == unknown.status_code == 200
    assert 'data-testid="verification-result"' in unknown.content.decode()
    assert "geen certificaat van de Ondermijningsacademie gevonden" in unknown.content.decode()
    link = client.get(reverse("certificaat:verify", args=["0000-0000-0000-0000-0000"]))
    assert link.status_code == 200
    assert "geen certificaat van de Ondermijningsacademie gevonden" in link.content.decode()


def test_verification_is_rate_limited_for_form_link_and_api(client, settings):
    settings.KPO_RATE_LIMITS = {**settings.KPO_RATE_LIMITS, "verify": {"limit": 2, "period": 60}}
    assert _verify(client, "AAAA-0000-0000-0000-0001").status_code == 200
    assert client.get(reverse("certificaat:verify", args=["AAAA"])).status_code == 200
    too_many = _verify(client, "AAAA-0000-0000-0000-0002")
    assert too_many.status_code == 429 and too_many["Retry-After"]
    api = client.post(
        "/api/v1/certificates/verify", {"code": "AAAA"}, content_type="application/json"
    )
    assert api.status_code == 429
    assert api.json()["code"] == "rate_limited"
    # Only verification is limited: the form page itself still opens.
    assert client.get(reverse("certificaat:verify_form")).status_code == 200


def test_the_api_verification_is_public_and_answers_in_one_shape(client, learner):
    certificate = _pass(make_course(slug="api-controle"), learner)
    known = client.post(
        "/api/v1/certificates/verify", {"code": certificate.code}, content_type="application/json"
    )
    unknown = client.post(
        "/api/v1/certificates/verify", {"code": "ONBEKEND"}, content_type="application/json"
    )
    assert known.status_code == unknown.status_code == 200
    assert set(known.json()) == set(unknown.json())
    assert known.json()["found"] and known.json()["learner_name"] == "Lotte Leerling"
    assert known.json()["status"] == "valid"
    assert unknown.json()["found"] is False and unknown.json()["learner_name"] == ""
    bad = client.post("/api/v1/certificates/verify", {}, content_type="application/json")
    assert bad.status_code == 400


# --- attendance and re-certification ----------------------------------------------------------


def _attended(session, user, staff):
    services.session_register(user=user, session=session)
    services.attendance_mark(session=session, attended_user_ids=[user.pk], actor=staff)
    return Certificate.objects.get(registration__session=session, user=user)


def test_attendance_earns_a_certificate_naming_the_session_and_date(learner, academy_staff):
    session = make_session(capacity=3)
    absent = UserFactory()
    services.session_register(user=absent, session=session)
    certificate = _attended(session, learner, academy_staff)
    assert certificate.training_id == session.training_id and certificate.course_id is None
    assert certificate.course_title == "Test training"
    assert certificate.session_label == f"Utrecht, {timezone.localtime(session.starts_at):%d-%m-%Y}"
    assert not Certificate.objects.filter(user=absent).exists()
    # Marking again gives no second certificate.
    services.attendance_mark(session=session, attended_user_ids=[learner.pk], actor=academy_staff)
    assert Certificate.objects.filter(user=learner).count() == 1
    # A correction to absent revokes the certificate that mark gave.
    services.attendance_mark(session=session, attended_user_ids=[], actor=academy_staff)
    certificate.refresh_from_db()
    assert certificate.status() == "revoked"


def test_an_absent_registration_cannot_be_certified(learner):
    session = make_session(capacity=3)
    services.session_register(user=learner, session=session)
    registration = Registration.objects.get(user=learner)
    with pytest.raises(ValidationError, match="aanwezig"):
        services.certificate_issue_for_attendance(registration=registration)


def test_training_recertification_reminder_is_sent_once_and_a_new_session_renews(
    learner, academy_staff
):
    first = make_session(capacity=3, days_ahead=10)
    TrainingPage.objects.filter(pk=first.training_id).update(certificate_valid_months=12)
    with time_machine.travel(ISSUED, tick=False):
        certificate = _attended(first, learner, academy_staff)
    assert certificate.expires_at == datetime(2027, 1, 31, 10, 0, tzinfo=UTC)
    # Too early: nothing. Within 30 days of the expiry: one reminder, even when run twice.
    assert services.certificate_renewal_reminders_send(now=datetime(2026, 12, 1, tzinfo=UTC)) == 0
    in_window = datetime(2027, 1, 5, 8, 15, tzinfo=UTC)
    with time_machine.travel(in_window, tick=False):
        from academie.tasks import certificate_renewal_reminder_task

        assert certificate_renewal_reminder_task.apply().get() == 1
        assert certificate_renewal_reminder_task.apply().get() == 0
    reminders = Notification.objects.filter(recipient=learner, kind="academie.certificate_renewal")
    assert reminders.count() == 1 and "31-01-2027" in reminders.get().body
    # A later session earns a new certificate; the old one stays in the history.
    second = first.__class__.objects.create(
        training=first.training,
        starts_at=first.starts_at + timedelta(days=30),
        ends_at=first.ends_at + timedelta(days=30),
        location="Zwolle",
        capacity=3,
        registration_deadline=first.registration_deadline + timedelta(days=30),
    )
    renewed = _attended(second, learner, academy_staff)
    assert renewed.pk != certificate.pk and "Zwolle" in renewed.session_label
    assert Certificate.objects.filter(user=learner, training=first.training).count() == 2


def test_a_renewed_or_revoked_certificate_gets_no_reminder(learner, academy_staff):
    course = _course_with_validity(12, slug="geen-herinnering")
    with time_machine.travel(ISSUED, tick=False):
        certificate = _pass(course, learner)
    services.certificate_revoke(certificate=certificate, by=academy_staff, reason="Fout")
    assert services.certificate_renewal_reminders_send(now=datetime(2027, 1, 20, tzinfo=UTC)) == 0


def test_course_recertification_opens_a_new_round_of_attempts(learner):
    course = _course_with_validity(12, slug="hercertificering")
    with time_machine.travel(ISSUED, tick=False):
        first = _pass(course, learner)
        progress = selectors.course_progress_for_user(course=course, user=learner)
        assert progress.passed and not progress.quiz_available
        with pytest.raises(ValidationError, match="al geslaagd"):
            services.quiz_submit(
                user=learner, course=course, answers=answer_ids(course, q1="B", q2="AC")
            )
    window = datetime(2027, 1, 10, tzinfo=UTC)
    with time_machine.travel(window, tick=False):
        progress = selectors.course_progress_for_user(course=course, user=learner)
        assert progress.renewal_open and progress.quiz_available
        assert progress.attempts == [] and progress.attempts_left == course.quiz_max_attempts
        attempt = services.quiz_submit(
            user=learner, course=course, answers=answer_ids(course, q1="B", q2="AC")
        )
        assert attempt.number == 2 and attempt.passed
    second = attempt.certificate
    assert second.pk != first.pk
    assert second.expires_at == datetime(2028, 1, 10, tzinfo=UTC)
    history = list(selectors.certificate_list_for_user(user=learner))
    assert [c.pk for c in history] == [second.pk, first.pk]
    with time_machine.travel(window, tick=False):
        progress = selectors.course_progress_for_user(course=course, user=learner)
        assert progress.certificate == second and not progress.quiz_available
