"""The second gate of search (``search.selectors.visible_doc_ids``, issue #14): every hit is
re-checked against the database under the access rule, in one SQL query per page of hits.

The index is made stale on purpose (rows changed with ``QuerySet.update``/``delete`` and the
outbox never drained), so the engine still returns hits the database no longer allows."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from communities.models import Community, Membership, Thread
from kpo.core.access import user_principals
from search.engine import content_alias, get_engine
from search.indexer import drain_outbox
from search.models import SearchOutbox
from search.query import clean_params
from search.registry import doc_id_for
from search.selectors import search_for_user, search_raw, visible_doc_ids
from search.services import index_enqueue
from tests.factories import CommunityFactory, MembershipFactory, ProfileFactory, UserFactory

pytestmark = pytest.mark.django_db

WORD = "kwekerijontmanteling"


def _index(*items) -> None:
    SearchOutbox.objects.all().delete()  # the index holds these items only
    for item in items:
        index_enqueue(item)
    drain_outbox()
    get_engine().refresh(content_alias())


def _threads(community: Community, n: int, word: str = WORD) -> list[Thread]:
    author = UserFactory()
    return [
        Thread.objects.create(
            community=community,
            author=author,
            title=f"{word.capitalize()} in wijk {i}",
            body=f"<p>Ervaringen met {word} in wijk {i}.</p>",
        )
        for i in range(n)
    ]


def _result_ids(user, q: str = WORD) -> set[str]:
    return {r.id for r in search_for_user(user=user, q=q).results}


def _engine_ids(user, q: str = WORD) -> set[str]:
    params = clean_params(q=q, filters={})
    hits = search_raw(principals=user_principals(user), params=params)["hits"]["hits"]
    return {hit["_id"] for hit in hits}


@pytest.fixture
def open_community(fresh_prefix):
    community = CommunityFactory(visibility=Community.Visibility.OPEN)
    threads = _threads(community, 3)
    _index(*threads)
    return community, threads


def test_a_community_closed_after_indexing_hides_its_hits_from_non_members(open_community):
    community, threads = open_community
    ids = {doc_id_for(t) for t in threads}
    member = MembershipFactory(community=community).user
    outsider = UserFactory()
    assert _result_ids(outsider) == ids

    Community.objects.filter(pk=community.pk).update(visibility=Community.Visibility.CLOSED)

    assert _engine_ids(UserFactory()) == ids  # the index still says "platform"
    assert _result_ids(UserFactory()) == set()
    assert _result_ids(member) == ids  # the gate keeps what the member may read


def test_a_removed_membership_hides_closed_community_hits(fresh_prefix):
    community = CommunityFactory(visibility=Community.Visibility.CLOSED)
    threads = _threads(community, 2)
    _index(*threads)
    membership = MembershipFactory(community=community)
    user_id = membership.user_id

    def fresh_user():
        return type(membership.user).objects.get(pk=user_id)  # a new request: no cached set

    assert _result_ids(fresh_user()) == {doc_id_for(t) for t in threads}
    Membership.objects.filter(pk=membership.pk).update(state=Membership.State.REMOVED)
    assert _result_ids(fresh_user()) == set()


def test_a_deleted_row_is_dropped_though_the_index_still_has_it(open_community):
    _community, threads = open_community
    gone = threads[0]
    Thread.objects.filter(pk=gone.pk).delete()
    user = UserFactory()
    assert doc_id_for(gone) in _engine_ids(user)
    assert _result_ids(user) == {doc_id_for(t) for t in threads[1:]}


def test_the_gate_is_one_query_whatever_the_number_of_hits_and_models(fresh_prefix):
    community = CommunityFactory(visibility=Community.Visibility.OPEN)
    threads = _threads(community, 12)
    profiles = [ProfileFactory() for _ in range(3)]
    user = UserFactory()
    user_principals(user)  # computed once per request, before the gate

    def gate_queries(items) -> tuple[int, set[str]]:
        hits = [{"_id": doc_id_for(item)} for item in items]
        with CaptureQueriesContext(connection) as ctx:
            visible = visible_doc_ids(user=user, hits=hits)
        return len(ctx.captured_queries), visible

    few, few_visible = gate_queries(threads[:2])
    many, many_visible = gate_queries([*threads, *profiles, community])
    assert few == many == 1
    assert few_visible == {doc_id_for(t) for t in threads[:2]}
    assert many_visible == {doc_id_for(i) for i in [*threads, *profiles, community]}


def test_search_queries_stay_flat_from_three_to_ten_hits(fresh_prefix):
    community = CommunityFactory(visibility=Community.Visibility.OPEN)
    few = _threads(community, 3, word="xylofoon")
    many = _threads(community, 10, word="trampoline")
    _index(*few, *many)
    user = UserFactory()
    search_for_user(user=user, q="xylofoon")  # one-off lookups (acronyms, synonyms)

    def counted(q: str) -> tuple[int, int]:
        reader = type(user).objects.get(pk=user.pk)  # a new request: principals not cached
        with CaptureQueriesContext(connection) as ctx:
            page = search_for_user(user=reader, q=q)
        return len(ctx.captured_queries), len(page.results)

    queries_few, hits_few = counted("xylofoon")
    queries_many, hits_many = counted("trampoline")
    assert (hits_few, hits_many) == (3, 10)
    assert queries_few == queries_many


def test_unknown_models_and_malformed_ids_fail_closed(open_community):
    _community, threads = open_community
    hits = [
        {"_id": "nope.model:1"},
        {"_id": "communities.thread:not-a-number"},
        {"_id": "no-colon"},
        {"_id": doc_id_for(threads[0])},
    ]
    assert visible_doc_ids(user=UserFactory(), hits=hits) == {doc_id_for(threads[0])}
    assert visible_doc_ids(user=UserFactory(), hits=[]) == set()
