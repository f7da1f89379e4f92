"""/zoeken/ and /api/v1/search: Dutch page, JSON shape, principals, bad input, engine down."""

from __future__ import annotations

import pytest

from search.indexer import drain_outbox
from search.models import SearchQueryLog
from search.services import index_enqueue
from tests.factories import ProfileFactory


@pytest.fixture
def indexed(db, fresh_prefix, corpus):
    from kpo.themes.models import ThemePage

    page = ThemePage.objects.live().get(slug="vastgoed")
    page.visibility = "platform"  # one theme page only for logged-in professionals
    page.save()
    person = ProfileFactory(function="Vastgoedspecialist Bibob")
    for theme_page in ThemePage.objects.live():
        index_enqueue(theme_page)
    drain_outbox()
    from search.engine import content_alias, get_engine

    get_engine().refresh(content_alias())
    return {"page": page, "person": person}


def test_api_for_a_professional(professional_client, indexed):
    response = professional_client.get("/api/v1/search", {"q": "vastgoed"})
    assert response.status_code == 200
    data = response.json()
    assert data["count"] >= 2
    types = {r["type"] for r in data["results"]}
    assert {"theme", "person"} <= types
    first = data["results"][0]
    assert set(first) == {"type", "id", "title", "url", "snippet", "themes", "date"}
    assert set(data["facets"]) == {"type", "theme", "region", "organisation", "doc_type", "year"}
    type_counts = {b["value"]: b["count"] for b in data["facets"]["type"]}
    assert type_counts["person"] >= 1


def test_anonymous_sees_only_public_content(client, indexed):
    data = client.get("/api/v1/search", {"q": "vastgoed"}).json()
    assert all(r["type"] in ("theme", "term") for r in data["results"])  # public glossary
    assert indexed["page"].url not in [r["url"] for r in data["results"]]
    assert "person" not in {b["value"] for b in data["facets"]["type"]}
    suggest = client.get("/api/v1/search/suggest", {"q": "ondermijning in het v"}).json()
    assert "Ondermijning in het vastgoed" not in [s["title"] for s in suggest["suggestions"]]


def test_filters_sort_and_suggest(professional_client, indexed):
    data = professional_client.get("/api/v1/search", {"q": "vastgoed", "type": "person"}).json()
    assert {r["type"] for r in data["results"]} == {"person"}
    data = professional_client.get("/api/v1/search", {"q": "", "sort": "date"}).json()
    assert data["count"] >= 20
    suggest = professional_client.get("/api/v1/search/suggest", {"q": "ondermijning in het v"})
    assert "Ondermijning in het vastgoed" in [s["title"] for s in suggest.json()["suggestions"]]


def test_bad_input_is_a_structured_dutch_error(professional_client, indexed):
    response = professional_client.get("/api/v1/search", {"q": "x", "type": "onzin"})
    assert response.status_code == 400
    assert response.headers["Content-Type"] == "application/problem+json"
    error = response.json()
    assert error["title"] == "Ongeldige invoer"
    assert [p["name"] for p in error["invalid-params"]] == ["type"]
    assert "Onbekend soort inhoud" in error["invalid-params"][0]["reason"]
    page = professional_client.get("/zoeken/", {"q": "x", "pagina": "abc"})
    assert page.status_code == 400
    assert "Het paginanummer moet een getal zijn." in page.content.decode()


def test_search_page_renders_results_facets_and_highlights(professional_client, indexed):
    response = professional_client.get("/zoeken/", {"q": "vastgoed"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "resultaten" in html and "<mark>" in html
    assert "Soort inhoud" in html and "Ondermijning in het vastgoed" in html
    fragment = professional_client.get("/zoeken/suggesties/", {"q": "ondermijning in het v"})
    assert "Ondermijning in het vastgoed" in fragment.content.decode()


def test_engine_down_page_and_api(settings, professional_client, indexed):
    settings.SEARCH_URL = "http://127.0.0.1:1"
    page = professional_client.get("/zoeken/", {"q": "vastgoed"})
    assert page.status_code == 503
    assert "De zoekfunctie is op dit moment niet beschikbaar" in page.content.decode()
    api = professional_client.get("/api/v1/search", {"q": "vastgoed"})
    assert api.status_code == 503
    assert api.json()["code"] == "service_unavailable"
    assert "tijdelijk niet beschikbaar" in api.json()["detail"]
    assert professional_client.get("/api/v1/search/suggest", {"q": "vas"}).status_code == 503
    assert professional_client.get("/zoeken/suggesties/", {"q": "vas"}).status_code == 200


def test_zero_result_queries_are_logged_without_personal_data(professional_client, indexed):
    professional_client.get("/api/v1/search", {"q": "xyzzy jan@example.nl 0612345678"})
    professional_client.get("/api/v1/search", {"q": "XYZZY  jan@example.nl 0612345678"})
    row = SearchQueryLog.objects.get()
    assert row.query == "xyzzy [e-mail] #" and row.times == 2 and row.result_count == 0


def test_did_you_mean_from_visible_hits(professional_client, indexed):
    data = professional_client.get("/api/v1/search", {"q": "vastgoedd"}).json()
    assert data["count"] >= 1
    assert data["did_you_mean"] == "vastgoed"


def test_openapi_schema_documents_search(client):
    schema = client.get("/api/v1/openapi.json").json()
    assert schema["servers"][0]["url"] == "/api/v1"
    assert "/search" in schema["paths"]
    params = {p["name"] for p in schema["paths"]["/search"]["get"]["parameters"]}
    assert {"q", "type", "theme", "region", "organisation", "docType", "year", "page"} <= params


def test_second_gate_drops_hits_the_database_no_longer_allows(client, indexed):
    from kpo.themes.models import ThemePage

    page = ThemePage.objects.live().get(slug="wet-bibob")
    before = client.get("/api/v1/search", {"q": "Bibob"}).json()
    assert f"themes.themepage:{page.pk}" in [r["id"] for r in before["results"]]
    ThemePage.objects.filter(pk=page.pk).update(visibility="platform")  # index not yet updated
    after = client.get("/api/v1/search", {"q": "Bibob"}).json()
    assert f"themes.themepage:{page.pk}" not in [r["id"] for r in after["results"]]


def test_admin_reports_are_read_only(client, indexed, django_user_model):
    from django.urls import reverse

    from tests.security.helpers import admin_login

    admin = django_user_model.objects.create_superuser("beheer@kpo.example", "x")
    admin_login(client, admin)  # the admin asks a verified second factor
    SearchQueryLog.objects.create(query="fenomeentafel zorg", day="2026-01-05", times=3)
    response = client.get(reverse("searchquerylog:index"))
    assert response.status_code == 200
    assert "fenomeentafel zorg" in response.content.decode()
    assert client.get(reverse("reconcilerun:index")).status_code == 200
    assert client.get(reverse("searchquerylog:add")).status_code in (302, 403)


def test_no_index_yet_is_an_empty_result_not_an_error(professional_client, fresh_prefix):
    response = professional_client.get("/api/v1/search", {"q": "vastgoed"})
    assert response.status_code == 200
    assert response.json()["count"] == 0
    assert professional_client.get("/api/v1/search/suggest", {"q": "vas"}).json() == {
        "suggestions": []
    }


def _count_heading(client) -> str:
    import re

    page = client.get("/zoeken/", {"q": ""}).content.decode()
    match = re.search(r'id="resultaten-kop"[^>]*>(.*?)</h2>', page, re.S)
    assert match, page[:500]
    return " ".join(match.group(1).split())


def test_bounded_count_says_more_than_in_page_and_api(settings, professional_client, indexed):
    """Counting stops at SEARCH_TRACK_TOTAL_HITS (lowered here under the real index's size):
    the page says "meer dan N resultaten", the API answers count_exact false."""
    everything = professional_client.get("/api/v1/search", {"q": ""}).json()
    assert everything["count_exact"] is True
    assert everything["count"] >= 20
    assert _count_heading(professional_client) == f"{everything['count']} resultaten"

    settings.SEARCH_TRACK_TOTAL_HITS = 10
    bounded = professional_client.get("/api/v1/search", {"q": ""}).json()
    assert bounded["count_exact"] is False
    assert bounded["count"] == 10
    assert _count_heading(professional_client) == "meer dan 10 resultaten"

    settings.SEARCH_TRACK_TOTAL_HITS = everything["count"] + 1
    exact = professional_client.get("/api/v1/search", {"q": ""}).json()
    assert exact["count_exact"] is True
    assert exact["count"] == everything["count"]
