"""Zero-result searches → kennisvraag → answered (issue #17): the Redactieraad (a group, no
admin rights) sees the zero/low-result queries grouped by normalised query and theme over a
period, assigns a kennisvraag to an ambassador (notified), who sees it; it closes when a
document that names it is published, and the board sees it closed. Outsiders are refused."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from kennisbank import services
from kennisbank.models import KnowledgeDocumentPage, KnowledgeRequest
from kpo.core.access import has_staff_role
from kpo.notifications.models import Notification
from search.models import SearchQueryLog
from search.selectors import query_log_groups, query_normalise
from tests.factories import UserFactory
from tests.kennisbank.conftest import board_approve, pdf_bytes, upload
from tests.security.helpers import admin_login

pytestmark = pytest.mark.django_db

ZERO = reverse("kennisbank:zero_results")
REQUESTS = reverse("kennisbank:knowledge_requests")


def _log(query, *, days_ago=0, theme="", times=1, result_count=0):
    return SearchQueryLog.objects.create(
        query=query,
        day=timezone.localdate() - datetime.timedelta(days=days_ago),
        theme=theme,
        times=times,
        result_count=result_count,
    )


def test_normalisation_folds_case_accents_and_whitespace():
    assert query_normalise("  Ideëel  CAFÉ\tBibob ") == "ideeel cafe bibob"
    assert query_normalise("STRAßE") == "strasse"  # case folding, not lower()


def test_groups_by_normalised_query_and_theme_over_the_period():
    _log("café ondermijning", times=2)
    _log("Cafe  Ondermijning", days_ago=3, times=1, result_count=1)
    _log("cafe ondermijning", theme="vastgoed", times=4)
    _log("cafe ondermijning", days_ago=40, times=9)  # outside the period
    _log("loverboys", days_ago=1)
    today = timezone.localdate()
    groups = query_log_groups(since=today - datetime.timedelta(days=30), until=today, stem=False)
    by_key = {(g.key, g.theme): g for g in groups}
    assert set(by_key) == {
        ("cafe ondermijning", ""),
        ("cafe ondermijning", "vastgoed"),
        ("loverboys", ""),
    }
    general = by_key[("cafe ondermijning", "")]
    assert general.times == 3 and general.result_count == 0 and general.zero
    assert general.variants == ["cafe ondermijning"]  # both spellings normalise the same
    assert by_key[("cafe ondermijning", "vastgoed")].times == 4
    assert [g.key for g in groups][0] == "cafe ondermijning"  # most searched first
    # one theme only
    themed = query_log_groups(
        since=today - datetime.timedelta(days=30), until=today, theme="vastgoed", stem=False
    )
    assert [(g.key, g.times) for g in themed] == [("cafe ondermijning", 4)]
    # a longer period includes the old searches
    longer = query_log_groups(since=today - datetime.timedelta(days=60), until=today, stem=False)
    assert {(g.key, g.theme): g.times for g in longer}[("cafe ondermijning", "")] == 12


def test_board_without_admin_rights_sees_the_list_and_others_are_refused(client, ambassador):
    _log("witwassen crypto", times=3)
    board = UserFactory(groups=["Redactieraad"])
    assert not board.is_superuser and not board.is_staff
    admin_login(client, board)
    response = client.get(ZERO)
    assert response.status_code == 200
    html = response.content.decode()
    assert "witwassen crypto" in html and "Maak kennisvraag" in html
    assert client.get(REQUESTS).status_code == 200
    assert not has_staff_role(board, "admin")  # the group's role is enough: no admin rights

    # a professional and an ambassador: no zero-result list; anonymous: to the login
    client.force_login(UserFactory())
    assert client.get(ZERO).status_code == 403
    assert client.get(REQUESTS).status_code == 403
    assert client.post(reverse("kennisbank:knowledge_request_create"), {}).status_code == 403
    admin_login(client, ambassador)
    assert client.get(ZERO).status_code == 403
    client.logout()
    assert client.get(ZERO).status_code == 302
    # bad period input is a form error, never a 500
    admin_login(client, board)
    assert (
        client.get(ZERO, {"van": "gisteren", "tot": "9999-99-99", "thema": "x"}).status_code == 200
    )


def test_zero_result_to_kennisvraag_to_answered(
    client, theme, factsheet, ambassador, board_member, second_board_member
):
    _log("Bibob café  vergunning", theme=theme.slug, times=2)
    _log("bibob cafe vergunning", theme=theme.slug, times=3)
    admin_login(client, board_member)
    html = client.get(ZERO).content.decode()
    assert "bibob cafe vergunning" in html and ">5<" in html
    response = client.post(
        reverse("kennisbank:knowledge_request_create"),
        {
            "prefix": "g0",
            "g0-question": "Hoe toets je een cafévergunning met Bibob?",
            "g0-query": "bibob cafe vergunning",
            "g0-theme": theme.slug,
            "g0-search_count": "5",
            "g0-assignee": ambassador.pk,
        },
    )
    assert response.status_code == 302
    request = KnowledgeRequest.objects.get()
    assert request.assignee == ambassador and request.theme == theme and request.is_open
    assert request.search_count == 5 and request.created_by == board_member
    # the ambassador is notified and sees their kennisvraag; the board's list links it
    assert Notification.objects.filter(recipient=ambassador, title__contains="kennisvraag").exists()
    assert "Hoe toets je een cafévergunning" in client.get(ZERO).content.decode()
    admin_login(client, ambassador)
    mine = client.get(REQUESTS).content.decode()
    assert "Hoe toets je een cafévergunning" in mine and "Open" in mine

    # a contributor answers it through "Kennis delen" (the kennisvraag pre-selected)
    contributor = UserFactory()
    client.force_login(contributor)
    share = client.get(reverse("kennisbank:share"), {"kennisvraag": request.pk}).content.decode()
    assert f'value="{request.pk}" selected' in share
    response = client.post(
        reverse("kennisbank:share"),
        {
            "title": "Bibob bij cafévergunningen",
            "summary": "Stappen voor de toets.",
            "themes": [theme.pk],
            "doc_type": factsheet.pk,
            "visibility": "platform",
            "knowledge_request": request.pk,
            "file": upload("bibob.pdf", pdf_bytes()),
        },
    )
    assert response.status_code == 302, response.content.decode()
    page = KnowledgeDocumentPage.objects.get(title="Bibob bij cafévergunningen")
    request.refresh_from_db()
    assert request.is_open  # a draft answers nothing yet

    services.document_review_action(page=page, user=ambassador, action="approve")
    board_approve(page, board_member)
    request.refresh_from_db()
    assert request.is_open  # one board vote of two: not published
    board_approve(page, second_board_member)
    request.refresh_from_db()
    assert request.status == KnowledgeRequest.Status.ANSWERED
    assert request.answered_by_id == page.pk and request.answered_at is not None
    assert Notification.objects.filter(
        recipient=ambassador, title__startswith="Kennisvraag beantwoord"
    ).exists()

    # the board sees it closed, with the document
    admin_login(client, board_member)
    board_html = client.get(REQUESTS).content.decode()
    assert "Beantwoord" in board_html and "Bibob bij cafévergunningen" in board_html
    # a closed kennisvraag cannot be named again
    with pytest.raises(ValidationError):
        services.document_submit(
            user=contributor,
            title="Nog een antwoord",
            summary="x",
            themes=[theme],
            doc_type=factsheet,
            file=upload("b.pdf", pdf_bytes()),
            knowledge_request=request,
        )


def test_only_the_board_makes_kennisvragen_for_ambassadors(ambassador, board_member):
    with pytest.raises(PermissionDenied):
        services.knowledge_request_create(
            actor=ambassador, question="Vraag", query="q", assignee=ambassador
        )
    with pytest.raises(ValidationError) as exc:
        services.knowledge_request_create(
            actor=board_member, question="Vraag", query="q", assignee=UserFactory()
        )
    assert "assignee" in exc.value.message_dict
    with pytest.raises(ValidationError):
        services.knowledge_request_create(
            actor=board_member, question="  ", query="q", assignee=ambassador
        )
    assert not KnowledgeRequest.objects.exists()
