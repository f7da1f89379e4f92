"""Relevance on corpus-shaped data: Dutch analysis, compounds, synonyms, acronyms, typos, and the
principals filter (closed community content only for members)."""

from __future__ import annotations

import pytest

from communities.models import Community, Membership
from kpo.core.access import forget_principals, user_principals
from search.query import SearchParams
from search.selectors import search_raw, suggest_raw
from tests.factories import UserFactory


@pytest.fixture(autouse=True)
def _db_access(db):
    """Every query reads data from the database (acronyms, cached for five minutes), so a slow run
    must not find its cache expired in a test without database access."""


def ids(response) -> list[str]:
    return [hit["_id"] for hit in response["hits"]["hits"]]


def search(index, principals, q, **filters):
    return search_raw(
        principals=frozenset(principals), params=SearchParams(q=q, filters=filters), index=index
    )


@pytest.fixture
def omg_member(db, corpus_index):
    user = UserFactory()
    Membership.objects.create(
        community=Community.objects.get(slug="omg-contactpersonen"), user=user
    )
    forget_principals(user)
    return user


def test_motorbendes_finds_omg_material_for_members_only(corpus_index, omg_member, professional):
    omg = Community.objects.get(slug="omg-contactpersonen")
    member_hits = search(corpus_index, user_principals(omg_member), "motorbendes")
    member_sources = [h["_source"] for h in member_hits["hits"]["hits"]]
    assert any(
        s.get("community") == "omg-contactpersonen" and s["type"] == "thread"
        for s in member_sources
    ), ids(member_hits)
    assert "corpus.document:" in " ".join(ids(member_hits))

    outsider = search(corpus_index, user_principals(professional), "motorbendes")
    assert outsider["hits"]["total"]["value"] > 0  # the platform-wide OMG material
    for hit in outsider["hits"]["hits"]:
        assert f"community:{omg.pk}" not in hit["_source"].get("principals", [])
        assert not (
            hit["_source"].get("community") == "omg-contactpersonen"
            and hit["_source"]["type"] == "thread"
        )
    community_facet = {b["key"] for b in outsider["aggregations"]["type"]["buckets"]}
    assert "thread" not in community_facet or all(
        h["_source"].get("community") != "omg-contactpersonen" for h in outsider["hits"]["hits"]
    )


def test_vastgoedcriminaliteit_finds_the_strategic_image(corpus_index, professional):
    response = search(corpus_index, user_principals(professional), "vastgoedcriminaliteit")
    assert "corpus.document:strategisch-beeld-vastgoed" in ids(response)[:3], ids(response)


def test_bibop_typo_finds_the_bibob_elearnings(corpus_index, professional):
    response = search(corpus_index, user_principals(professional), "bibop")
    top = ids(response)[:10]
    courses = [i for i in top if i.startswith("corpus.course:") and "bibob" in i]
    assert courses, top


def test_om_acronym_finds_openbaar_ministerie(corpus_index, professional):
    response = search(corpus_index, user_principals(professional), "OM")
    assert response["hits"]["total"]["value"] > 0
    texts = [
        " ".join(str(v) for v in h["_source"].values()) + str(h.get("highlight"))
        for h in response["hits"]["hits"][:5]
    ]
    assert all("Openbaar Ministerie" in t or "ministerie" in t.lower() for t in texts), texts
    # lowercase "om" is a stop word, not the acronym
    assert search(corpus_index, user_principals(professional), "om")["hits"]["total"]["value"] == 0


def test_lft_expands_to_landelijke_fenomeentafel(corpus_index, professional):
    response = search(corpus_index, user_principals(professional), "LFT")
    assert "corpus.document:strategisch-beeld-vastgoed" in ids(response)


def test_anonymous_sees_only_public(corpus_index, db):
    response = search(corpus_index, {"public"}, "vastgoed")
    assert response["hits"]["total"]["value"] > 0
    assert {h["_source"]["type"] for h in response["hits"]["hits"]} == {"theme"}
    buckets = response["aggregations"]["type"]["buckets"]
    assert [b["key"] for b in buckets] == ["theme"]  # the corpus index holds no glossary terms


def test_autocomplete_respects_principals(corpus_index, professional):
    hits = suggest_raw(
        principals=user_principals(professional), q="strategisch be", index=corpus_index
    )
    assert "corpus.document:strategisch-beeld-vastgoed" in [h["_id"] for h in hits]
    public_hits = suggest_raw(
        principals=frozenset({"public"}), q="strategisch be", index=corpus_index
    )
    assert all(h["_source"]["type"] == "theme" for h in public_hits)


def test_facets_filter_and_highlight(corpus_index, professional):
    response = search(corpus_index, user_principals(professional), "bibob", type="course")
    assert {h["_source"]["type"] for h in response["hits"]["hits"]} == {"course"}
    assert response["aggregations"]["type"]["buckets"] == [
        {"key": "course", "doc_count": response["hits"]["total"]["value"]}
    ]
    assert any("<mark>" in str(h.get("highlight")) for h in response["hits"]["hits"])
