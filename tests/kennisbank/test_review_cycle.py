"""The re-assessment timeline with frozen time."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone
from wagtail.models import PageLogEntry, WorkflowState

from kennisbank import services
from kennisbank.models import KnowledgeDocumentPage, ReviewStatus
from kennisbank.tasks import review_cycle_task
from kpo.notifications.models import EmailOutbox, Notification
from search.models import SearchOutbox
from search.registry import doc_id_for
from tests.factories import UserFactory
from tests.security.helpers import admin_login

pytestmark = pytest.mark.django_db

REVIEWED = datetime.date(2026, 1, 15)
DUE = datetime.date(2027, 1, 15)  # factsheet: 12 months


def at(day: datetime.date):
    return time_machine.travel(datetime.datetime.combine(day, datetime.time(6, 0)), tick=False)


def reminders(user, page):
    return Notification.objects.filter(
        recipient=user, title=f"Herbeoordeling binnenkort: {page.title}"
    ).count()


def reload(page):
    return KnowledgeDocumentPage.objects.get(pk=page.pk)


def test_timeline(client, publish_document, ambassador, board_member):
    owner = UserFactory()
    page = publish_document(title="Factsheet tijdlijn", reviewed=REVIEWED, owner=owner)
    assert page.next_review_due == DUE

    with at(DUE - datetime.timedelta(days=31)):
        services.document_review_cycle()
    assert reminders(owner, page) == 0

    with at(DUE - datetime.timedelta(days=30)):
        services.document_review_cycle()
        services.document_review_cycle()  # twice on one day: still once
    with at(DUE - datetime.timedelta(days=10)):
        review_cycle_task.apply()
    assert reminders(owner, page) == 1
    assert reminders(ambassador, page) == 1
    expected = 1 + page.themes.first().ambassadors.count()  # owner + every ambassador, once
    assert (
        EmailOutbox.objects.filter(key__startswith=f"kennisbank-review-due:{page.pk}:").count()
        == expected
    )
    assert reload(page).review_status == ReviewStatus.CURRENT

    with at(DUE - datetime.timedelta(days=1)):
        services.document_review_cycle()
    assert reload(page).review_status == ReviewStatus.CURRENT

    SearchOutbox.objects.filter(doc_id=doc_id_for(page)).delete()
    with at(DUE):
        services.document_review_cycle()
    page = reload(page)
    assert page.review_status == ReviewStatus.REVIEW_NEEDED
    state = services.document_active_workflow_state(page)
    assert state.workflow.name == "Herbeoordeling"
    assert state.current_task_state.task.name == "Ambassadeurs van de thema's"
    assert SearchOutbox.objects.filter(doc_id=doc_id_for(page)).exists()
    assert page.search_document()["review_status"] == "herbeoordeling"

    with at(DUE + datetime.timedelta(days=90)):
        services.document_review_cycle()
    assert reload(page).review_status == ReviewStatus.REVIEW_NEEDED

    with at(DUE + datetime.timedelta(days=91)):
        services.document_review_cycle()
        page = reload(page)
        assert page.review_status == ReviewStatus.OUTDATED
        client.force_login(UserFactory())
        assert "dit document is verouderd" in client.get(page.url).content.decode()

    confirm_day = DUE + datetime.timedelta(days=95)
    with at(confirm_day):
        with pytest.raises(PermissionDenied):
            services.document_confirm_current(page=page, user=ambassador)
        admin_login(client, board_member)
        response = client.post(reverse("kennisbank_confirm_current", args=[page.pk]))
        assert response.status_code == 302
        page = reload(page)
        assert page.review_status == ReviewStatus.CURRENT
        assert page.last_reviewed_at == confirm_day
        assert page.next_review_due == datetime.date(2028, 4, 20)
        assert state.__class__.objects.get(pk=state.pk).status == WorkflowState.STATUS_CANCELLED
        assert PageLogEntry.objects.filter(page=page, action="kennisbank.confirm_current").exists()
        services.document_review_cycle()
        assert reload(page).review_status == ReviewStatus.CURRENT
        client.force_login(UserFactory())
        assert "Laatst beoordeeld op" in client.get(page.url).content.decode()
    assert reminders(owner, page) == 1


def test_republishing_keeps_review_state(publish_document):
    page = publish_document(title="Blijft verouderd", reviewed=REVIEWED)
    KnowledgeDocumentPage.objects.filter(pk=page.pk).update(review_status=ReviewStatus.OUTDATED)
    page = reload(page)
    page.get_latest_revision().publish()
    assert reload(page).review_status == ReviewStatus.OUTDATED


def test_dashboard_for_board_only(client, board_member):
    admin_login(client, board_member)
    response = client.get(reverse("kennisbank_dashboard"))
    assert response.status_code == 200
    assert "Achterstallige beoordelingen per thema" in response.content.decode()
    admin_login(client, UserFactory())
    assert client.get(reverse("kennisbank_dashboard")).status_code in (302, 403)


def test_confirm_button_and_form_in_admin(client, publish_document, board_member):
    page = publish_document(title="Knop in de admin")
    admin_login(client, board_member)
    edit = client.get(reverse("wagtailadmin_pages:edit", args=[page.pk]))
    assert edit.status_code == 200
    assert reverse("kennisbank_confirm_current", args=[page.pk]) in edit.content.decode()
    confirm = client.get(reverse("kennisbank_confirm_current", args=[page.pk]))
    assert confirm.status_code == 200 and "Ja, actueel bevestigen" in confirm.content.decode()


def test_directly_published_document_gets_a_clock(publish_document):
    page = publish_document(title="Zonder klok")
    KnowledgeDocumentPage.objects.filter(pk=page.pk).update(
        last_reviewed_at=None, next_review_due=None
    )
    services.document_review_cycle()
    page = reload(page)
    assert page.last_reviewed_at == timezone.localdate(page.last_published_at)
    assert page.next_review_due == page.due_date_after(page.last_reviewed_at)


def test_unpublish_and_delete_reach_the_search_outbox(publish_document):
    """Unpublish and delete remove the document from the index (one wiring, #19)."""
    page = publish_document(title="Weg ermee")
    SearchOutbox.objects.filter(doc_id=doc_id_for(page)).delete()
    page.unpublish()
    rows = SearchOutbox.objects.filter(doc_id=doc_id_for(page))
    assert list(rows.values_list("action", flat=True)) == ["delete"]
    assert reload(page).search_document() is None
    live = publish_document(title="Ook weg")
    doc_id = doc_id_for(live)
    SearchOutbox.objects.filter(doc_id=doc_id).delete()
    live.delete()
    assert list(SearchOutbox.objects.filter(doc_id=doc_id).values_list("action", flat=True)) == [
        "delete"
    ]
