"""The editorial path: submit → ambassador → Redactieraad → live; changes requested; rejection."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from wagtail.models import PageLogEntry, WorkflowState

from kennisbank import services
from kennisbank.models import BoardVote, KnowledgeDocumentPage, ReviewStatus
from kpo.notifications.models import EmailOutbox, Notification
from search.models import SearchOutbox
from search.registry import doc_id_for
from tests.factories import UserFactory
from tests.kennisbank.conftest import board_approve, pdf_bytes, upload

pytestmark = pytest.mark.django_db


def submit(contributor, theme, factsheet, title="Aanpak malafide verhuur"):
    return services.document_submit(
        user=contributor,
        title=title,
        summary="Hoe gemeenten malafide verhuur aanpakken.",
        themes=[theme],
        doc_type=factsheet,
        file=upload("aanpak.pdf", pdf_bytes()),
    )


def workflow_state(page):
    return services.document_active_workflow_state(page)


def test_whole_path_submit_ambassador_board_live(
    client,
    contributor,
    ambassador,
    board_member,
    second_board_member,
    theme,
    other_theme,
    factsheet,
):
    page = submit(contributor, theme, factsheet)
    assert not page.live
    state = workflow_state(page)
    assert state.workflow.name == "Redactieraad"
    assert state.current_task_state.task.name == "Ambassadeurs van de thema's"
    # the ambassador is told there is work; the contributor where the document is
    assert Notification.objects.filter(recipient=ambassador, title__contains=page.title).exists()
    assert EmailOutbox.objects.filter(to=ambassador.email).exists()

    # the board cannot act on the ambassador step; an ambassador of another theme neither
    stranger = UserFactory()
    other_theme.ambassadors.add(stranger)
    with pytest.raises(PermissionDenied):
        services.document_review_action(page=page, user=stranger, action="approve")
    with pytest.raises(PermissionDenied):
        services.document_review_action(page=page, user=board_member, action="approve")

    services.document_review_action(page=page, user=ambassador, action="approve")
    state.refresh_from_db()
    assert state.current_task_state.task.name == "Redactieraad"
    assert Notification.objects.filter(recipient=board_member, title__contains=page.title).exists()
    assert Notification.objects.filter(
        recipient=contributor, title__startswith="Goedgekeurd"
    ).exists()

    board_approve(page, board_member)
    assert not KnowledgeDocumentPage.objects.get(pk=page.pk).live  # quorum of two not yet met
    board_approve(page, second_board_member)
    page = KnowledgeDocumentPage.objects.get(pk=page.pk)
    assert page.live
    assert page.review_status == ReviewStatus.CURRENT
    assert page.last_reviewed_at == timezone.localdate()
    assert page.next_review_due == page.due_date_after(page.last_reviewed_at)
    assert Notification.objects.filter(
        recipient=contributor, title__startswith="Gepubliceerd"
    ).exists()
    # the search outbox has the page (the search engineer drains it)
    assert SearchOutbox.objects.filter(doc_id=doc_id_for(page)).exists()
    assert page.search_document()["principals"] == ["platform"]
    # audit log
    actions = set(PageLogEntry.objects.filter(page=page).values_list("action", flat=True))
    assert {"wagtail.workflow.start", "wagtail.workflow.approve", "wagtail.publish"} <= actions

    viewer = UserFactory()
    client.force_login(viewer)
    theme_page = theme.page
    assert page.title in client.get(theme_page.url).content.decode()
    assert page.title in client.get("/kennisbank/").content.decode()
    assert (
        page.title in client.get(f"/kennisbank/?thema={theme.slug}&type=factsheet").content.decode()
    )
    assert page.title not in client.get("/kennisbank/?type=casus").content.decode()
    assert client.get(page.url).status_code == 200


def test_request_changes_and_resubmit(
    client, contributor, ambassador, board_member, second_board_member, theme, factsheet
):
    page = submit(contributor, theme, factsheet)
    with pytest.raises(ValidationError):  # asking for changes needs a comment
        services.document_review_action(page=page, user=ambassador, action="reject")
    services.document_review_action(
        page=page, user=ambassador, action="reject", comment="Voeg de bronnen toe, graag."
    )
    state = workflow_state(page)
    assert state.status == WorkflowState.STATUS_NEEDS_CHANGES
    note = Notification.objects.get(recipient=contributor, title__startswith="Wijzigingen gevraagd")
    assert "Voeg de bronnen toe" in note.body

    client.force_login(contributor)
    listing = client.get(reverse("kennisbank:submissions")).content.decode()
    assert "Voeg de bronnen toe" in listing and "Wijzigingen gevraagd" in listing

    # someone else cannot resubmit the contributor's document
    with pytest.raises(PermissionDenied):
        services.document_resubmit(
            user=ambassador, page=page, title="x", summary="y", themes=[theme], doc_type=factsheet
        )
    response = client.post(
        reverse("kennisbank:submission_edit", args=[page.pk]),
        {
            "title": "Aanpak malafide verhuur (met bronnen)",
            "summary": "Nu met bronnen.",
            "themes": [theme.pk],
            "doc_type": factsheet.pk,
        },
    )
    assert response.status_code == 302
    state.refresh_from_db()
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    assert state.current_task_state.task.name == "Ambassadeurs van de thema's"

    services.document_review_action(page=page, user=ambassador, action="approve")
    board_approve(page, board_member, second_board_member)
    page = KnowledgeDocumentPage.objects.get(pk=page.pk)
    assert page.live
    assert page.title == "Aanpak malafide verhuur (met bronnen)"
    assert page.summary == "Nu met bronnen."


def test_board_rejection(client, contributor, ambassador, board_member, theme, factsheet):
    page = submit(contributor, theme, factsheet, title="Onvolledige casus")
    services.document_review_action(page=page, user=ambassador, action="approve")
    services.document_review_action(
        page=page,
        user=board_member,
        action="reject",
        comment="Niet geschikt voor publicatie.",
        relevance=2,
        reliability=2,
    )
    page = KnowledgeDocumentPage.objects.get(pk=page.pk)
    assert not page.live
    assert workflow_state(page).status == WorkflowState.STATUS_NEEDS_CHANGES
    note = Notification.objects.get(recipient=contributor, title__startswith="Wijzigingen gevraagd")
    assert "Niet geschikt voor publicatie." in note.body
    assert PageLogEntry.objects.filter(page=page, action="wagtail.workflow.reject").exists()
    client.force_login(UserFactory())
    assert "Onvolledige casus" not in client.get("/kennisbank/").content.decode()
    assert client.get(f"/api/v1/documents/{page.pk}").status_code == 404


def test_share_view_creates_draft_and_starts_workflow(client, contributor, theme, factsheet):
    client.force_login(contributor)
    assert client.get(reverse("kennisbank:share")).status_code == 200
    response = client.post(
        reverse("kennisbank:share"),
        {
            "title": "Gedeelde handreiking",
            "summary": "Korte samenvatting.",
            "themes": [theme.pk],
            "doc_type": factsheet.pk,
            "visibility": "platform",
            "file": upload("handreiking.pdf", pdf_bytes()),
        },
    )
    assert response.status_code == 302
    page = KnowledgeDocumentPage.objects.get(title="Gedeelde handreiking")
    assert page.owner == contributor and not page.live and page.community is None
    assert workflow_state(page).status == WorkflowState.STATUS_IN_PROGRESS


def test_ambassador_and_board_act_in_the_wagtail_admin(
    client, contributor, ambassador, board_member, second_board_member, theme, factsheet
):
    from tests.security.helpers import admin_login

    page = submit(contributor, theme, factsheet, title="Via de admin beoordeeld")
    state = workflow_state(page)
    admin_login(client, ambassador)
    assert client.get(reverse("wagtailadmin_pages:edit", args=[page.pk])).status_code == 200
    response = client.post(
        reverse(
            "wagtailadmin_pages:workflow_action",
            args=[page.pk, "approve", state.current_task_state.pk],
        ),
        {"comment": ""},
    )
    assert response.status_code in (200, 302)
    state.refresh_from_db()
    assert state.current_task_state.task.name == "Redactieraad"

    board_step = state.current_task_state.pk
    url = reverse("wagtailadmin_pages:workflow_action", args=[page.pk, "approve", board_step])
    admin_login(client, board_member)
    # the admin's modal asks for the scores: without them nothing is recorded
    client.post(url, {"comment": "Prima stuk."})
    assert not BoardVote.objects.exists()
    vote = {"comment": "Prima stuk.", "relevance": "4", "reliability": "5"}
    assert client.post(url, vote).status_code in (200, 302)
    assert not KnowledgeDocumentPage.objects.get(pk=page.pk).live  # one of two
    # a member votes once per version
    assert client.get(url).status_code in (302, 403, 404)
    admin_login(client, second_board_member)
    assert client.post(url, vote).status_code in (200, 302)
    assert KnowledgeDocumentPage.objects.get(pk=page.pk).live
    assert BoardVote.objects.filter(page=page).count() == 2


def test_front_end_review_by_a_theme_ambassador(client, contributor, theme, factsheet):
    """A theme ambassador outside any staff group reviews from the front end and may read the
    file before publication; others get 404."""
    page = submit(contributor, theme, factsheet, title="Front-end beoordeling")
    ambassador_only = UserFactory()
    theme.ambassadors.add(ambassador_only)
    file_id = page.attachments.get().document_id

    client.force_login(UserFactory())
    assert client.get(reverse("kennisbank:review_detail", args=[page.pk])).status_code == 404
    assert client.get(reverse("kennisbank:download", args=[file_id])).status_code == 404

    client.force_login(ambassador_only)
    assert (
        "Front-end beoordeling" in client.get(reverse("kennisbank:review_queue")).content.decode()
    )
    assert client.get(reverse("kennisbank:review_detail", args=[page.pk])).status_code == 200
    assert client.get(reverse("kennisbank:download", args=[file_id])).status_code == 200
    response = client.post(
        reverse("kennisbank:review_detail", args=[page.pk]), {"action": "reject", "comment": ""}
    )
    assert response.status_code == 200  # a comment is required to ask for changes
    response = client.post(
        reverse("kennisbank:review_detail", args=[page.pk]), {"action": "approve", "comment": ""}
    )
    assert response.status_code == 302
    assert workflow_state(page).current_task_state.task.name == "Redactieraad"


def _admin_action(client, page, action: str, task_state, comment: str, **scores: int):
    """A workflow action as the admin's dashboard sends it (the board's quorum task also takes
    its scores); the messages it queued, and the page the reviewer lands on."""
    from django.contrib.messages import get_messages

    response = client.post(
        reverse("wagtailadmin_pages:workflow_action", args=[page.pk, action, task_state.pk]),
        {"comment": comment, **scores},
    )
    assert response.status_code == 302
    queued = [str(m) for m in get_messages(response.wsgi_request)]
    landing = client.get(response["Location"]).content.decode()
    return queued, landing


def test_admin_confirms_approve_with_comment_and_request_for_changes(
    client, contributor, ambassador, board_member, theme, factsheet
):
    """Wagtail's workflow_action view adds no message; the reviewer gets a Dutch confirmation,
    and the action labels are the same words as the front-end review form."""
    from tests.security.helpers import admin_login

    page = submit(contributor, theme, factsheet, title="Bevestigd in de admin")
    state = workflow_state(page)
    task = state.current_task_state.task.specific
    labels = [label for _name, label, _modal in task.get_actions(page, ambassador)]
    assert labels == ["Wijzigingen vragen", "Goedkeuren", "Goedkeuren met opmerking"]
    # Wagtail's workflow history uses the same words (project catalogue, kpo/locale)
    from django.utils import translation

    with translation.override("nl"):
        assert translation.gettext("Request changes") == "Wijzigingen vragen"
        assert translation.gettext("Changes requested at") == "Wijzigingen gevraagd op"

    admin_login(client, ambassador)
    queued, landing = _admin_action(
        client, page, "approve", state.current_task_state, "Helder stuk."
    )
    assert queued == ["“Bevestigd in de admin” is goedgekeurd, met je opmerking."]
    assert "is goedgekeurd, met je opmerking." in landing

    state.refresh_from_db()
    admin_login(client, board_member)
    queued, _landing = _admin_action(
        client,
        page,
        "reject",
        state.current_task_state,
        "Bron ontbreekt.",
        relevance=3,
        reliability=2,
    )
    assert queued == ["Je hebt wijzigingen gevraagd voor “Bevestigd in de admin”."]
    assert not KnowledgeDocumentPage.objects.get(pk=page.pk).live

    # an action that does not finish a task (nothing in moderation any more): no confirmation
    queued, _landing = _admin_action(client, page, "approve", state.current_task_state, "")
    assert not any("goedgekeurd" in m for m in queued), queued
