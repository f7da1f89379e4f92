"""Freshness the board can steer (ADR 0017): owner fall-back, the figures on a frozen date, the
daily snapshot and the one-click re-assessment."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from wagtail.models import WorkflowState

from kennisbank import selectors, services
from kennisbank.models import AttachmentInfo, FreshnessSnapshot, KnowledgeDocumentPage, ReviewStatus
from kpo.themes.models import Theme
from tests.factories import UserFactory
from tests.kennisbank.conftest import pdf_bytes, stored_document, upload
from tests.security.helpers import admin_login

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 6, 1)


@pytest.fixture
def fresh_theme(db):
    theme = Theme.objects.create(slug="testthema-actualiteit", title="Testthema actualiteit")
    theme.ambassadors.add(UserFactory(groups=["Ambassadeurs"]))
    return theme


def test_owner_answers_for_the_document_until_they_leave(publish_document, fresh_theme):
    owner = UserFactory()
    page = publish_document(title="Eigenaar", owner=owner, themes=[fresh_theme])
    assert selectors.document_responsible(page=page) == [owner]
    owner.is_active = False
    owner.save()
    page = KnowledgeDocumentPage.objects.get(pk=page.pk)
    assert selectors.document_responsible(page=page) == list(fresh_theme.ambassadors.all())
    orphan = publish_document(title="Zonder eigenaar", themes=[fresh_theme])
    assert selectors.document_responsible(page=orphan) == list(fresh_theme.ambassadors.all())


def test_freshness_figures_on_a_frozen_date(publish_document, fresh_theme, factsheet):
    """On TODAY one document is current, one is 10 days past its review date ("herbeoordeling
    nodig") and one 120 days ("verouderd")."""
    from dateutil.relativedelta import relativedelta

    interval = relativedelta(months=factsheet.review_interval_months)

    def reviewed(days_past_due: int) -> datetime.date:
        return TODAY - datetime.timedelta(days=days_past_due) - interval

    current = publish_document(title="Actueel", reviewed=TODAY, themes=[fresh_theme])
    late = publish_document(title="Te laat", reviewed=reviewed(10), themes=[fresh_theme])
    old_file = stored_document("Oud", pdf_bytes(), "oud.pdf")
    outdated = publish_document(
        title="Verouderd", reviewed=reviewed(120), themes=[fresh_theme], attachments=[old_file]
    )
    AttachmentInfo.objects.update_or_create(document=old_file, defaults={"download_count": 7})
    services.document_review_cycle(today=TODAY)
    assert services.freshness_snapshot_record(today=TODAY) >= 1
    assert services.freshness_snapshot_record(today=TODAY) >= 1  # idempotent
    assert FreshnessSnapshot.objects.filter(date=TODAY, theme=fresh_theme).count() == 1

    figures = selectors.freshness_dashboard(today=TODAY)
    row = next(r for r in figures["per_theme"] if r["theme"] == fresh_theme)
    assert (row["total"], row["current"], row["share"], row["meets_target"]) == (
        3,
        1,
        0.333,
        False,
    )
    assert figures["target"] == 0.8
    assert figures["history"]["Testthema actualiteit"] == [(TODAY, 0.333)]
    mine = [r for r in figures["not_current"] if r["page"].pk in {late.pk, outdated.pk}]
    # most downloaded first, with the days past the review date
    assert [(r["page"].pk, r["days_past_due"], r["downloads"]) for r in mine] == [
        (outdated.pk, 120, 7),
        (late.pk, 10, 0),
    ]
    assert [r["status"] for r in mine] == ["Verouderd", "Herbeoordeling nodig"]
    assert all(r["in_review"] == "Ambassadeurs van de thema's" for r in mine)
    assert current.pk not in {r["page"].pk for r in figures["not_current"]}
    ambassador = fresh_theme.ambassadors.get()
    assert dict(figures["waiting_per_ambassador"])[ambassador] == 2


def test_one_click_starts_a_reassessment(client, publish_document, fresh_theme, board_member):
    page = publish_document(title="Nog actueel", themes=[fresh_theme])
    url = reverse("kennisbank_start_reassessment", args=[page.pk])
    admin_login(client, UserFactory(groups=["Ambassadeurs"]))
    assert client.post(url).status_code in (302, 403)
    assert services.document_active_workflow_state(page) is None

    admin_login(client, board_member)
    response = client.post(url)
    assert response.status_code == 302
    state = services.document_active_workflow_state(page)
    assert state.workflow.name == services.REVIEW_WORKFLOW
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    page = KnowledgeDocumentPage.objects.get(pk=page.pk)
    assert page.review_status == ReviewStatus.REVIEW_NEEDED
    # a second click starts nothing new
    client.post(url)
    assert WorkflowState.objects.filter(object_id=str(page.pk)).count() == 1
    html = client.get(reverse("kennisbank_dashboard")).content.decode()
    assert "Nog actueel" in html and "In beoordeling" in html
    assert client.get(url).status_code == 405
    assert client.post(reverse("kennisbank_start_reassessment", args=[999999])).status_code == 404


def test_a_draft_cannot_be_reassessed(contributor, theme, factsheet, board_member):
    from django.core.exceptions import ValidationError

    page = services.document_submit(
        user=contributor,
        title="Concept",
        summary="Nog niet gepubliceerd.",
        themes=[theme],
        doc_type=factsheet,
        file=upload("c.pdf", pdf_bytes()),
    )
    with pytest.raises(ValidationError):
        services.document_reassessment_start(page=page, user=board_member)


def test_theme_page_owner_falls_back_and_due_pages_are_listed(fresh_theme):
    from kpo.themes.models import HomePage, ThemePage
    from kpo.themes.selectors import theme_page_responsible

    owner = UserFactory()
    page = HomePage.objects.get().add_child(
        instance=ThemePage(
            title="Testthema actualiteit",
            slug="testthema-actualiteit",
            theme=fresh_theme,
            owner=owner,
            next_review_due=TODAY - datetime.timedelta(days=5),
        )
    )
    page.save_revision().publish()
    page = ThemePage.objects.get(pk=page.pk)
    assert theme_page_responsible(page=page) == [owner]
    owner.is_active = False
    owner.save()
    page = ThemePage.objects.get(pk=page.pk)
    assert theme_page_responsible(page=page) == list(fresh_theme.ambassadors.all())
    due = selectors.freshness_dashboard(today=TODAY)["theme_pages_due"]
    row = next(r for r in due if r["page"].pk == page.pk)
    assert row["days_past_due"] == 5 and row["responsible"] == list(fresh_theme.ambassadors.all())
    later = selectors.freshness_dashboard(today=TODAY - datetime.timedelta(days=6))
    assert page.pk not in {r["page"].pk for r in later["theme_pages_due"]}
