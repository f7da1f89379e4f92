"""A closed community's document: 404 for non-members (page, file, Wagtail's document URL,
API), readable for members; anonymous visitors are sent to the login page."""

from __future__ import annotations

import pytest
from django.urls import reverse

from kennisbank.models import AttachmentInfo, KnowledgeDocumentPage
from tests.factories import CommunityFactory, MembershipFactory, UserFactory
from tests.kennisbank.conftest import pdf_bytes, stored_document

pytestmark = pytest.mark.django_db


@pytest.fixture
def closed_setup(publish_document):
    community = CommunityFactory(visibility="closed")
    member = MembershipFactory(community=community).user
    document = stored_document("Verslag kenniskring", pdf_bytes("Verslag"), "verslag.pdf")
    page = publish_document(
        title="Verslag besloten kenniskring", community=community, attachments=[document]
    )
    return page, document, member


def test_read_principals_and_filter_agree(closed_setup):
    page, _document, member = closed_setup
    # members of the closed community, and the platform moderators who moderate it (ADR 0029)
    expected = frozenset({f"community:{page.community_id}", "staff:moderator"})
    assert page.read_principals() == expected
    visible = KnowledgeDocumentPage.objects.filter(
        KnowledgeDocumentPage.principals_q(frozenset({"platform"}))
    )
    assert not visible.filter(pk=page.pk).exists()
    assert visible.filter(community__isnull=True).exists()


def test_non_member_gets_404_for_page_and_file(client, closed_setup):
    page, document, _member = closed_setup
    client.force_login(UserFactory())
    assert client.get(page.url).status_code == 404
    assert client.get(reverse("kennisbank:download", args=[document.pk])).status_code == 404
    assert client.get(document.url).status_code == 404  # Wagtail's own serve URL
    assert client.get(f"/api/v1/documents/{page.pk}").status_code == 404
    listed = [d["id"] for d in client.get("/api/v1/documents?pageSize=100").json()["results"]]
    assert page.pk not in listed
    assert page.title not in client.get("/kennisbank/").content.decode()
    assert AttachmentInfo.objects.get(document=document).download_count == 0


def test_member_gets_page_and_file(client, closed_setup):
    page, document, member = closed_setup
    client.force_login(member)
    response = client.get(page.url)
    assert response.status_code == 200
    assert "Verslag besloten kenniskring" in response.content.decode()
    download = client.get(reverse("kennisbank:download", args=[document.pk]))
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment")
    assert b"".join(download.streaming_content).startswith(b"%PDF-")
    assert AttachmentInfo.objects.get(document=document).download_count == 1
    detail = client.get(f"/api/v1/documents/{page.pk}").json()
    assert detail["attachments"][0]["download_url"] == reverse(
        "kennisbank:download", args=[document.pk]
    )
    assert client.get(document.url).status_code == 200


def test_anonymous_is_sent_to_login_for_platform_document(client, publish_document):
    page = publish_document(title="Platformdocument")
    response = client.get(page.url)
    assert response.status_code == 302 and "/account/" in response["Location"]


def test_api_filters(client, publish_document, theme):
    page = publish_document(title="API-factsheet")
    client.force_login(UserFactory())
    results = client.get(f"/api/v1/documents?theme={theme.slug}&docType=factsheet").json()
    assert page.pk in [d["id"] for d in results["results"]]
    results = client.get("/api/v1/documents?docType=casus").json()
    assert page.pk not in [d["id"] for d in results["results"]]
    bad = client.get("/api/v1/documents?year=abc&docType=bestaat-niet")
    assert bad.status_code == 400, bad.content
    assert bad.headers["Content-Type"] == "application/problem+json"
    assert {p["name"] for p in bad.json()["invalid-params"]} == {"year", "docType"}
