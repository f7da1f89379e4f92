"""Property: for random communities, memberships and content, every user's results, facet counts
and suggestions contain exactly / only what ``kpo.core.access.can_read`` allows."""

from __future__ import annotations

import uuid
from collections import Counter

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from communities.models import Community, Membership
from kpo.accounts.models import User
from kpo.core.access import can_read, user_principals
from search.engine import BulkAction
from search.indexer import finish_document
from search.query import SearchParams
from search.schema import index_body
from search.selectors import search_raw, suggest_raw

WORDS = ["vastgoed", "bibob", "motorbende", "witwassen"]
THEMES = ["thema-a", "thema-b", "thema-c"]
STATES = [None, "active", "requested", "removed", "invited"]


class Item:
    """A stand-in readable item: its principals come from the access rule's own functions."""

    def __init__(self, principals: frozenset[str]) -> None:
        self._principals = principals

    def read_principals(self) -> frozenset[str]:
        return self._principals


@pytest.fixture(scope="module")
def prop_index(engine):
    from django.conf import settings

    name = f"{settings.SEARCH_INDEX_PREFIX}-prop-{uuid.uuid4().hex[:8]}"
    engine.create_index(name, index_body(synonyms=["omg, motorbende"]))
    yield name
    engine.delete_index(name)


world = st.fixed_dictionaries(
    {
        "communities": st.lists(
            st.sampled_from(["open", "closed", "secret"]), min_size=1, max_size=4
        ),
        "users": st.lists(
            st.lists(st.sampled_from(STATES), min_size=4, max_size=4), min_size=1, max_size=4
        ),
        "items": st.lists(
            st.tuples(
                st.one_of(st.sampled_from(["public", "platform"]), st.integers(0, 3)),
                st.sampled_from(THEMES),
                st.sampled_from(WORDS),
                st.sampled_from(["document", "thread", "event"]),
            ),
            min_size=1,
            max_size=14,
        ),
    }
)


@hsettings(
    max_examples=8,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(world=world)
def test_results_facets_and_suggestions_respect_the_access_rule(db, engine, prop_index, world):
    run = uuid.uuid4().hex[:8]
    communities = [
        Community.objects.create(slug=f"p-{run}-{i}", name=f"Community {i}", visibility=v)
        for i, v in enumerate(world["communities"])
    ]
    users = [None]  # anonymous
    for n, states in enumerate(world["users"]):
        user = User.objects.create(email=f"p-{run}-{n}@gemeente.example")
        for community, state in zip(communities, states, strict=False):
            if state:
                Membership.objects.create(community=community, user=user, state=state)
        users.append(user)

    docs: dict[str, tuple[Item, dict]] = {}
    for i, (scope, theme, word, kind) in enumerate(world["items"]):
        if isinstance(scope, int):
            community = communities[scope % len(communities)]
            principals = community.content_principals()
        else:
            principals = frozenset({scope})
        doc_id = f"prop.{kind}:{run}-{i}"
        docs[doc_id] = (
            Item(principals),
            finish_document(
                {
                    "title": f"Over {word} nummer {i}",
                    "body": f"Tekst over {word}.",
                    "url": "/x/",
                    "themes": [theme],
                    "principals": sorted(principals),
                },
                doc_id=doc_id,
                search_type=kind,
            ),
        )
    for community in communities:  # the communities themselves (secret ones: members only)
        doc_id = f"prop.community:{run}-{community.pk}"
        principals = community.read_principals()
        docs[doc_id] = (
            Item(principals),
            finish_document(
                {
                    "title": f"Community over {WORDS[0]}",
                    "url": "/c/",
                    "themes": [THEMES[0]],
                    "principals": sorted(principals),
                },
                doc_id=doc_id,
                search_type="community",
            ),
        )

    engine.bulk(
        prop_index, [BulkAction("index", k, 1, d) for k, (_i, d) in docs.items()], refresh=True
    )
    try:
        for user in users:
            principals = user_principals(user)
            allowed = {k for k, (item, _d) in docs.items() if can_read(user, item)}
            everything = search_raw(
                principals=principals, index=prop_index, params=SearchParams(q="", page_size=100)
            )
            got = {h["_id"] for h in everything["hits"]["hits"]}
            assert got == allowed
            assert everything["hits"]["total"]["value"] == len(allowed)
            theme_counts = {
                b["key"]: b["doc_count"] for b in everything["aggregations"]["theme"]["buckets"]
            }
            assert theme_counts == Counter(t for k in allowed for t in docs[k][1].get("themes", []))
            type_counts = {
                b["key"]: b["doc_count"] for b in everything["aggregations"]["type"]["buckets"]
            }
            assert type_counts == Counter(docs[k][1]["type"] for k in allowed)
            for word in WORDS[:3]:
                found = search_raw(
                    principals=principals,
                    index=prop_index,
                    params=SearchParams(q=word, page_size=100),
                )
                found_ids = {h["_id"] for h in found["hits"]["hits"]}
                assert found_ids <= allowed
                assert {k for k in allowed if word in docs[k][1]["title"]} <= found_ids
                for bucket in found["aggregations"]["type"]["buckets"]:
                    assert bucket["doc_count"] <= type_counts.get(bucket["key"], 0)
                suggestions = suggest_raw(
                    principals=principals, q=word[:4], index=prop_index, size=50
                )
                assert {h["_id"] for h in suggestions} <= allowed
    finally:
        engine.bulk(prop_index, [BulkAction("delete", k, 2) for k in docs], refresh=True)
