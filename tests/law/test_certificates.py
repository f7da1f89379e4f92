"""Certificates record the course and law version they were earned on; a course revised after a
law re-review offers earlier holders a refresher (changed lessons + the quiz), and passing it
moves the certificate to the new version (ADR 0026)."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from wagtail.models import WorkflowState

from academie import law as academie_law
from academie import services as academie_services
from academie.models import Certificate, CertificateRefresher, CoursePage
from kpo.law import services
from kpo.law.selectors import open_law_changes_for_page
from kpo.notifications.models import Notification
from tests.academie.conftest import answer_ids
from tests.factories import UserFactory
from tests.law.conftest import BIBOB, cite_course

pytestmark = pytest.mark.django_db


def earn(user, course) -> Certificate:
    academie_services.course_enrol(user=user, course=course)
    for lesson in course.lessons.order_by("sort_order"):
        academie_services.lesson_complete(user=user, lesson=lesson)
    attempt = academie_services.quiz_submit(
        user=user, course=course, answers=answer_ids(course, q1="B", q2="AC")
    )
    assert attempt.passed
    return Certificate.objects.get(user=user, course=course)


def revise_and_approve(course: CoursePage, jurist) -> CoursePage:
    """The editor rewrites the first lesson; a jurist approves "Juridische toetsing"."""
    course = CoursePage.objects.get(pk=course.pk)
    lessons = list(course.lessons.order_by("sort_order"))
    lessons[0].title = "Les 1 (na de wetswijziging)"
    course.lessons = lessons
    course.save_revision()
    state = WorkflowState.objects.active().get(object_id=str(course.pk))
    state.current_task_state.approve(user=jurist)
    return CoursePage.objects.get(pk=course.pk)


def test_the_certificate_records_the_versions_it_was_earned_on(client, jurist):
    course = cite_course(slug="versie-cursus", citations=[(BIBOB, "3")])
    learner = UserFactory()
    certificate = earn(learner, course)
    assert certificate.course_revision_id == course.live_revision_id
    assert certificate.course_version_at == course.live_revision.created_at
    assert certificate.law_version is None  # no change known yet
    services.law_change_record(
        actor=jurist,
        bwb_id=BIBOB,
        article="3",
        effective_date=datetime.date(2026, 3, 1),
        summary="Eerdere wijziging.",
    )
    later = UserFactory()
    assert earn(later, course).law_version == datetime.date(2026, 3, 1)
    html = client.get(reverse("certificaat:verify", args=[certificate.code])).content.decode()
    assert "Behaald op versie" in html and "Stand van de wet" in html


def test_a_revised_course_offers_earlier_holders_a_refresher(client, jurist):
    course = cite_course(slug="opfris-cursus", citations=[(BIBOB, "3")])
    holder = UserFactory()
    certificate = earn(holder, course)
    old_revision = certificate.course_revision_id
    change, opened = services.law_change_record(
        actor=jurist,
        bwb_id=BIBOB,
        article="3",
        effective_date=datetime.date(2027, 1, 1),
        summary="Nieuwe weigeringsgrond.",
    )
    assert opened == 1
    assert CertificateRefresher.objects.count() == 0  # not before the re-review is done
    client.force_login(holder)
    assert "Wetswijziging per 1 januari 2027" in client.get(course.url).content.decode()

    course = revise_and_approve(course, jurist)
    assert course.live_revision_id != old_revision
    assert open_law_changes_for_page(page_id=course.pk) == []
    refresher = CertificateRefresher.objects.get(certificate=certificate)
    first_lesson = course.lessons.order_by("sort_order").first()
    assert refresher.lesson_ids == [first_lesson.pk]
    assert refresher.revision_id == course.live_revision_id
    assert Notification.objects.filter(
        recipient=holder, kind=academie_law.NOTIFY_KIND_REFRESHER
    ).exists()
    # publishing again offers nothing twice
    assert academie_law.refreshers_offer(course=course, revision=course.live_revision) == 0

    url = reverse("academie:refresher", args=[course.pk])
    html = client.get(url).content.decode()
    assert "Les 1 (na de wetswijziging)" in html and "Opfrisser" in html
    assert "Doe de opfrisser" in client.get(course.url).content.decode()

    # a wrong answer keeps the old version; the right ones move the certificate on
    questions = list(course.questions.order_by("sort_order"))
    wrong = academie_law.certificate_refresh_submit(
        user=holder, course=course, answers=answer_ids(course, q1="A", q2="AC")
    )
    assert not wrong.passed
    assert Certificate.objects.get(pk=certificate.pk).course_revision_id == old_revision
    response = client.post(
        url,
        {
            f"q{questions[0].pk}": str(answer_ids(course, q1="B", q2="AC")[questions[0].pk][0]),
            f"q{questions[1].pk}": [
                str(pk) for pk in answer_ids(course, q1="B", q2="AC")[questions[1].pk]
            ],
        },
    )
    assert response.status_code == 302
    certificate = Certificate.objects.get(pk=certificate.pk)
    assert certificate.course_revision_id == course.live_revision_id
    assert certificate.law_version == datetime.date(2027, 1, 1)
    assert CertificateRefresher.objects.get(pk=refresher.pk).completed_at is not None
    # nothing left to refresh
    assert client.get(url).status_code == 302


def test_no_refresher_without_a_certificate_or_an_offer(client, jurist):
    course = cite_course(slug="geen-opfris", citations=[(BIBOB, "3")])
    learner = UserFactory()
    client.force_login(learner)
    assert client.get(reverse("academie:refresher", args=[course.pk])).status_code == 302
    with pytest.raises(academie_services.ValidationError):
        academie_law.certificate_refresh_submit(user=learner, course=course, answers={})
    assert client.get(reverse("academie:refresher", args=[999999])).status_code == 404
