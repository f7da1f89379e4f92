"""Insight for the academy team, the corpus loader's idempotency, search registration and the
theme section."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from academie import services
from academie.models import CoursePage, TrainingPage
from search.models import SearchOutbox
from search.registry import model_for_label
from tests.academie.conftest import answer_ids, make_course
from tests.factories import ProfileFactory, RegionFactory, UserFactory
from tests.security.helpers import admin_login

pytestmark = pytest.mark.django_db


def _finish(course, user, *, q2: str) -> None:
    services.course_enrol(user=user, course=course)
    for lesson in course.lessons.order_by("sort_order"):
        services.lesson_complete(user=user, lesson=lesson)
    services.quiz_submit(user=user, course=course, answers=answer_ids(course, q1="B", q2=q2))


def test_insight_per_course_organisation_region_month_and_csv(client, corpus):
    course = make_course(slug="inzicht", max_attempts=3)
    region = RegionFactory(name="RIEC Inzicht")
    passer = ProfileFactory(organisation__name="Gemeente Inzicht", region=region).user
    failer = ProfileFactory(organisation__name="Politie Inzicht", region=region).user
    _finish(course, passer, q2="AC")  # 100
    _finish(course, failer, q2="A")  # 50
    staff = UserFactory(groups=["Academie"])

    admin_login(client, UserFactory())
    assert client.get(reverse("academie_insight")).status_code in (302, 403)

    admin_login(client, staff)
    html = client.get(reverse("academie_insight")).content.decode()
    assert "<svg" in html and "Cursus inzicht" in html
    assert "Gemeente Inzicht" in html and "RIEC Inzicht" in html

    rows = client.get(reverse("academie_insight") + "?export=course").content.decode("utf-8-sig")
    line = next(r for r in rows.splitlines() if r.startswith("Cursus inzicht"))
    assert line == "Cursus inzicht;2;1;50;75;1"
    regions = client.get(reverse("academie_insight") + "?export=region").content.decode("utf-8-sig")
    assert "RIEC Inzicht;2;1;50;75;1" in regions
    months = client.get(reverse("academie_insight") + "?export=month").content.decode("utf-8-sig")
    assert months.splitlines()[0] == "Maand;Inschrijvingen;Geslaagd"
    assert client.get(reverse("academie_insight") + "?export=x").status_code == 404


def test_corpus_second_load_changes_no_rows(corpus):
    from academie.corpus import load
    from kpo.core.corpus import CorpusContext, read_corpus

    ctx = CorpusContext(data=read_corpus(), demo_accounts=True)
    before = (CoursePage.objects.count(), TrainingPage.objects.count())
    load(ctx)
    assert not ctx.stats, ctx.stats
    assert (CoursePage.objects.count(), TrainingPage.objects.count()) == before
    assert before[0] >= 5 and before[1] >= 2
    basis = CoursePage.objects.get(slug="elearning-wet-bibob-basis")
    assert basis.lessons.count() == 4 and basis.questions.count() == 8
    assert basis.quiz_pass_mark == 70
    first = basis.questions.order_by("sort_order").first()
    assert [c.text for c in first.choices.filter(is_correct=True)] == [
        "Voorkomen dat de overheid onbedoeld criminele activiteiten faciliteert"
    ]


def test_courses_and_trainings_are_searchable_and_enqueued_on_publish(corpus):
    assert model_for_label("academie.coursepage") is CoursePage
    assert model_for_label("academie.trainingpage") is TrainingPage
    SearchOutbox.objects.all().delete()
    course = make_course(slug="zoekbaar")
    assert SearchOutbox.objects.filter(
        model_label="academie.coursepage", object_pk=str(course.pk), action="index"
    ).exists()
    document = course.search_document()
    assert document["principals"] == ["platform"]
    assert document["title"] == course.title and document["url"]
    draft = make_course(slug="zoekbaar-concept", publish=False)
    assert draft.search_document() is None


def test_access_rule_matches_between_python_and_database(corpus):
    from kpo.core.access import filter_visible, item_principals

    course = CoursePage.objects.live().first()
    assert item_principals(course) == frozenset({"platform"})
    assert not filter_visible(CoursePage.objects.filter(pk=course.pk), None).exists()
    assert filter_visible(CoursePage.objects.filter(pk=course.pk), UserFactory()).exists()


def test_theme_section_lists_courses_of_the_theme(corpus):
    from academie.selectors import theme_section
    from kpo.themes.models import Theme

    section = theme_section(theme=Theme.objects.get(slug="wet-bibob"), user=UserFactory())
    titles = [item["title"] for item in section["items"]]
    assert "Wet Bibob: de basis" in titles and "Basistraining Wet Bibob" in titles
    assert theme_section(theme=Theme.objects.get(slug="wet-bibob"), user=None)["items"] == []


def test_admin_lists_training_sessions_for_academy_staff(client, corpus):
    admin_login(client, UserFactory(groups=["Academie"], is_superuser=True))
    response = client.get(reverse("academie_sessions:index"))
    assert response.status_code == 200
    assert "Workshop De Verleiding" in response.content.decode()


def test_more_seats_in_the_admin_moves_the_waiting_list_up(client, corpus):
    from academie.models import Registration
    from kpo.notifications.models import Notification
    from tests.academie.conftest import make_session

    session = make_session(capacity=1)
    anna, bram = UserFactory(), UserFactory()
    services.session_register(user=anna, session=session)
    services.session_register(user=bram, session=session)
    admin_login(client, UserFactory(groups=["Academie"], is_superuser=True))
    url = reverse("academie_sessions:edit", args=[session.pk])
    fields = {
        "training": session.training_id,
        "starts_at": timezone.localtime(session.starts_at).strftime("%Y-%m-%d %H:%M"),
        "ends_at": timezone.localtime(session.ends_at).strftime("%Y-%m-%d %H:%M"),
        "location": "Utrecht",
        "registration_deadline": timezone.localtime(session.registration_deadline).strftime(
            "%Y-%m-%d %H:%M"
        ),
    }
    response = client.post(url, {**fields, "capacity": 0})
    assert response.status_code == 200  # invalid: form shown again
    session.refresh_from_db()
    assert session.capacity == 1
    response = client.post(url, {**fields, "capacity": 2})
    assert response.status_code == 302
    assert Registration.objects.get(user=bram).status == "registered"
    assert Notification.objects.filter(recipient=bram, kind="academie.waitlist_promoted").exists()


def test_capacity_in_the_admin_follows_the_one_capacity_rule(client, corpus):
    """The admin edit goes through ``session_update_capacity``: never below the registrations."""
    from academie.models import Registration
    from tests.academie.conftest import make_session

    session = make_session(capacity=3)
    anna, bram = UserFactory(), UserFactory()
    services.session_register(user=anna, session=session)
    services.session_register(user=bram, session=session)
    admin_login(client, UserFactory(groups=["Academie"], is_superuser=True))
    url = reverse("academie_sessions:edit", args=[session.pk])
    fields = {
        "training": session.training_id,
        "starts_at": timezone.localtime(session.starts_at).strftime("%Y-%m-%d %H:%M"),
        "ends_at": timezone.localtime(session.ends_at).strftime("%Y-%m-%d %H:%M"),
        "location": "Amersfoort",
        "registration_deadline": timezone.localtime(session.registration_deadline).strftime(
            "%Y-%m-%d %H:%M"
        ),
    }
    response = client.post(url, {**fields, "capacity": 1})
    assert response.status_code == 200
    assert "Er zijn al 2 aanmeldingen; de capaciteit kan niet lager." in response.content.decode()
    session.refresh_from_db()
    assert session.capacity == 3 and session.location == "Utrecht"  # nothing written
    assert Registration.objects.filter(session=session, status="registered").count() == 2
    assert not hasattr(services, "session_waitlist_fill")  # one rule, not two
