"""Board decisions (ADR 0017): quorum, scores, abstention, the decision record and the badge."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from wagtail.models import TaskState, WorkflowState

from kennisbank import selectors, services
from kennisbank.models import (
    BoardDecision,
    BoardVote,
    DecisionOutcome,
    KnowledgeDocumentPage,
    ReviewStatus,
)
from tests.factories import UserFactory
from tests.kennisbank.conftest import board_approve, pdf_bytes, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def board(db):
    return [UserFactory(groups=["Redactieraad"]) for _ in range(3)]


def at_board(contributor, ambassador, theme, factsheet, title="Aanpak malafide verhuur"):
    page = services.document_submit(
        user=contributor,
        title=title,
        summary="Hoe gemeenten malafide verhuur aanpakken.",
        themes=[theme],
        doc_type=factsheet,
        file=upload("aanpak.pdf", pdf_bytes()),
    )
    services.document_review_action(page=page, user=ambassador, action="approve")
    return page


def live(page) -> bool:
    return KnowledgeDocumentPage.objects.get(pk=page.pk).live


def vote(page, member, action="approve", relevance=4, reliability=5, comment="Degelijk stuk."):
    return services.document_review_action(
        page=page,
        user=member,
        action=action,
        comment=comment,
        relevance=relevance,
        reliability=reliability,
    )


def test_quorum_not_reached_keeps_the_step_open(contributor, ambassador, theme, factsheet, board):
    page = at_board(contributor, ambassador, theme, factsheet)
    task_state = vote(page, board[0])
    assert task_state.status == TaskState.STATUS_IN_PROGRESS
    assert not live(page)
    assert not BoardDecision.objects.exists()
    # the member who voted has no action left on this version; the others still have
    assert selectors.review_actions_for(user=board[0], page=page) == []
    assert "approve" in selectors.review_actions_for(user=board[1], page=page)
    with pytest.raises(PermissionDenied):
        vote(page, board[0])


def test_quorum_reached_publishes_with_a_decision_record(
    contributor, ambassador, theme, factsheet, board
):
    page = at_board(contributor, ambassador, theme, factsheet)
    vote(page, board[0], relevance=4, reliability=5)
    task_state = vote(page, board[1], relevance=3, reliability=4, comment="Bruikbaar.")
    assert task_state.status == TaskState.STATUS_APPROVED
    assert task_state.finished_by == board[1]
    assert live(page)
    decision = BoardDecision.objects.get(page=page)
    assert decision.outcome == DecisionOutcome.APPROVED
    assert decision.quorum == 2
    # rounded means of the approving members: (4+3)/2 = 3.5 → 4, (5+4)/2 = 4.5 → 5
    assert (decision.relevance, decision.reliability) == (4, 5)
    assert decision.revision_id == KnowledgeDocumentPage.objects.get(pk=page.pk).live_revision_id
    assert decision.previous_revision is None
    assert "+Titel: Aanpak malafide verhuur" in decision.diff
    assert [(v.member, v.rationale) for v in decision.votes] == [
        (board[0], "Degelijk stuk."),
        (board[1], "Bruikbaar."),
    ]


def test_quorum_is_a_setting(settings, contributor, ambassador, theme, factsheet, board):
    settings.KPO_BOARD_QUORUM = 3
    page = at_board(contributor, ambassador, theme, factsheet)
    board_approve(page, board[0], board[1])
    assert not live(page)
    board_approve(page, board[2])
    assert live(page)
    assert BoardDecision.objects.get(page=page).quorum == 3


def test_abstention_counts_for_neither_side(contributor, ambassador, theme, factsheet, board):
    page = at_board(contributor, ambassador, theme, factsheet)
    with pytest.raises(ValidationError) as excinfo:  # an abstention names the conflict
        vote(page, board[0], action="abstain", comment="  ")
    assert "belangenconflict" in str(excinfo.value)
    abstained = vote(
        page, board[0], action="abstain", relevance=None, reliability=None, comment="Eigen team."
    )
    assert abstained.status == TaskState.STATUS_IN_PROGRESS
    vote(page, board[1])
    assert not live(page), "an abstention is no approval"
    vote(page, board[2], relevance=2, reliability=3)
    assert live(page)
    decision = BoardDecision.objects.get(page=page)
    assert (decision.relevance, decision.reliability) == (3, 4)  # abstainer has no scores
    assert sorted(v.choice for v in decision.votes) == ["abstain", "approve", "approve"]


def test_scores_and_rationale_are_required(contributor, ambassador, theme, factsheet, board):
    page = at_board(contributor, ambassador, theme, factsheet)
    for bad in ({"relevance": None}, {"relevance": 0}, {"reliability": 6}, {"reliability": "x"}):
        with pytest.raises(ValidationError) as excinfo:
            vote(page, board[0], **bad)
        assert "score van 1 tot en met 5" in str(excinfo.value)
    with pytest.raises(ValidationError) as excinfo:
        vote(page, board[0], comment="")
    assert "korte toelichting" in str(excinfo.value)
    assert not BoardVote.objects.exists()


def test_one_request_for_changes_sends_it_back(contributor, ambassador, theme, factsheet, board):
    page = at_board(contributor, ambassador, theme, factsheet)
    vote(page, board[0])
    vote(page, board[1], action="reject", relevance=2, reliability=2, comment="Bron ontbreekt.")
    state = services.document_active_workflow_state(page)
    assert state.status == WorkflowState.STATUS_NEEDS_CHANGES
    decision = BoardDecision.objects.get(page=page)
    assert decision.outcome == DecisionOutcome.CHANGES_REQUESTED
    assert (decision.relevance, decision.reliability) == (2, 2)
    assert not live(page)


def test_only_board_members_vote(contributor, ambassador, theme, factsheet):
    page = at_board(contributor, ambassador, theme, factsheet)
    superuser = UserFactory(is_superuser=True, is_staff=True)
    for outsider in (ambassador, UserFactory(), superuser):
        with pytest.raises(PermissionDenied):
            vote(page, outsider)
    assert not BoardVote.objects.exists()


def test_a_bare_task_approval_does_not_publish(contributor, ambassador, theme, factsheet, board):
    """The publication guard accepts the board step only with its quorum decision."""
    from kpo.core.publication import PublicationRefused

    page = at_board(contributor, ambassador, theme, factsheet)
    task_state = services.document_active_workflow_state(page).current_task_state
    with pytest.raises(PublicationRefused):
        task_state.approve(user=board[0])


def test_badge_on_page_in_record_and_in_search_document(
    client, contributor, ambassador, theme, factsheet, board
):
    page = at_board(contributor, ambassador, theme, factsheet, title="Badge-document")
    vote(page, board[0], relevance=4, reliability=5)
    vote(page, board[1], relevance=4, reliability=5)
    BoardDecision.objects.filter(page=page).update(
        decided_at=timezone.make_aware(datetime.datetime(2026, 3, 12, 10, 0))
    )
    page = KnowledgeDocumentPage.objects.get(pk=page.pk)
    expected = (
        "Beoordeeld door de redactieraad op 12 maart 2026 — relevantie 4/5, betrouwbaarheid 5/5"
    )
    assert page.review_badge_text() == expected
    assert page.search_document()["review_badge"] == expected

    reader = UserFactory()
    client.force_login(reader)
    html = client.get(page.url).content.decode()
    assert expected in html
    assert "herbeoordeling nodig" not in html
    assert reverse("kennisbank:decisions", args=[page.pk]) not in html  # not for a reader

    KnowledgeDocumentPage.objects.filter(pk=page.pk).update(
        review_status=ReviewStatus.REVIEW_NEEDED
    )
    from kpo.core.fragments import bump_content_version

    bump_content_version()
    html = client.get(page.url).content.decode()
    assert expected in html and "herbeoordeling nodig" in html


def test_decision_record_for_board_and_ambassadors_only(
    client, contributor, ambassador, theme, factsheet, board
):
    from tests.security.helpers import admin_login

    page = at_board(contributor, ambassador, theme, factsheet, title="Besluit zichtbaar")
    board_approve(page, board[0], board[1], rationale="Goed onderbouwd.")
    url = reverse("kennisbank:decisions", args=[page.pk])
    client.force_login(UserFactory())
    assert client.get(url).status_code == 404
    for viewer in (board[2], ambassador):
        admin_login(client, viewer)
        response = client.get(url)
        assert response.status_code == 200, viewer
        html = response.content.decode()
        assert "Goed onderbouwd." in html and "Goedgekeurd" in html
        assert board[0].display_name in html
    assert client.get(reverse("kennisbank:decisions", args=[999999])).status_code == 404


def test_front_end_board_vote_with_bad_input_is_a_form_error(
    client, contributor, ambassador, theme, factsheet, board
):
    from tests.security.helpers import admin_login

    page = at_board(contributor, ambassador, theme, factsheet, title="Front-end stem")
    url = reverse("kennisbank:review_detail", args=[page.pk])
    admin_login(client, board[0])
    html = client.get(url).content.decode()
    assert "Relevantie" in html and "Onthouden (belangenconflict)" in html
    response = client.post(url, {"action": "approve", "comment": "Prima", "relevance": "9"})
    assert response.status_code == 200
    response = client.post(url, {"action": "approve", "comment": "Prima", "relevance": "4"})
    assert response.status_code == 200 and "score van 1 tot en met 5" in response.content.decode()
    response = client.post(
        url, {"action": "approve", "comment": "", "relevance": "4", "reliability": "4"}
    )
    assert response.status_code == 200 and "korte toelichting" in response.content.decode()
    assert not BoardVote.objects.exists()
    response = client.post(
        url, {"action": "approve", "comment": "Prima", "relevance": "4", "reliability": "4"}
    )
    assert response.status_code == 302
    assert BoardVote.objects.get().member == board[0]
    assert client.get(url).status_code == 404  # voted: nothing left to do on this version
