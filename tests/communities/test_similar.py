"""Similar while typing (issue #18): on the ask form, questions and knowledge documents like the
title appear, only what the user may read — the principals filter is in the engine request, so a
closed community's question never comes back for a non-member, even as the best match."""

from __future__ import annotations

import uuid

import pytest
from django.urls import reverse

from communities import services
from communities.models import Community
from kpo.core.access import user_principals
from search.engine import content_alias, get_engine
from search.indexer import drain_outbox, ensure_alias
from search.models import SearchOutbox
from search.selectors import similar_for_user, similar_raw
from tests.factories import CommunityFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

TITLE = "Huurdersregistratie bij kamerverhuur in de binnenstad opzetten"


@pytest.fixture
def search_index(settings):
    engine = get_engine()
    assert engine.ping(), f"No search engine answers on {settings.SEARCH_URL}."
    settings.SEARCH_INDEX_PREFIX = f"{settings.SEARCH_INDEX_PREFIX}-sim-{uuid.uuid4().hex[:8]}"
    SearchOutbox.objects.all().delete()
    ensure_alias(engine)
    yield engine
    for name in engine.list_indices(f"{settings.SEARCH_INDEX_PREFIX}-*"):
        engine.delete_index(name)


@pytest.fixture
def threads(search_index):
    closed = CommunityFactory(visibility=Community.Visibility.CLOSED)
    member = MembershipFactory(community=closed).user
    opened = CommunityFactory(visibility=Community.Visibility.OPEN)
    secret_best = services.thread_create(
        community=closed, author=member, title=TITLE, body=f"<p>{TITLE}</p>"
    )
    open_match = services.thread_create(
        community=opened,
        author=UserFactory(),
        title="Ervaringen met een huurdersregistratie",
        body="<p>Wie heeft een registratie van huurders bij kamerverhuur?</p>",
    )
    assert drain_outbox() >= 2
    search_index.refresh(content_alias())
    return {"closed": closed, "member": member, "secret": secret_best, "open": open_match}


def test_a_closed_communitys_question_never_appears_even_as_the_best_match(threads):
    outsider = UserFactory()
    titles = [r.title for r in similar_for_user(user=outsider, q=TITLE)]
    assert threads["open"].title in titles
    assert threads["secret"].title not in titles
    # Not a post-filter: the engine itself returns nothing outside the user's principals.
    raw = similar_raw(principals=user_principals(outsider), q=TITLE, size=50)
    assert f"thread:{threads['secret'].pk}" not in {hit["_id"] for hit in raw}
    assert all(
        set(hit["_source"].get("principals", ["platform"])) & user_principals(outsider)
        for hit in raw
    )
    # A member sees it, first.
    member_titles = [r.title for r in similar_for_user(user=threads["member"], q=TITLE)]
    assert member_titles[0] == TITLE


def test_short_titles_find_nothing_and_the_fragment_is_a_live_region_answer(threads, client):
    outsider = UserFactory()
    assert similar_for_user(user=outsider, q="Huurders") == []  # fewer than 10 characters
    opened = threads["open"].community
    client.force_login(outsider)
    url = reverse("communities:similar", args=[opened.slug])
    response = client.get(url, {"title": TITLE}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    text = response.content.decode()
    assert threads["open"].title in text and TITLE not in text
    assert client.get(url, {"title": "kort"}).content.decode().strip() == ""
    # The ask form of the closed community is not the outsider's: the join prompt, no results.
    closed_url = reverse("communities:similar", args=[threads["closed"].slug])
    response = client.get(closed_url, {"title": TITLE})
    assert response.status_code == 403 and TITLE not in response.content.decode()


def test_similar_is_rate_limited_in_its_own_bucket(threads, client, settings):
    settings.KPO_RATE_LIMITS = {"suggest": {"limit": 2, "period": 60}}
    client.force_login(UserFactory())
    url = reverse("communities:similar", args=[threads["open"].community.slug])
    assert client.get(url, {"title": TITLE}).status_code == 200
    assert client.get(url, {"title": TITLE}).status_code == 200
    response = client.get(url, {"title": TITLE})
    assert response.status_code == 429 and "Retry-After" in response


def test_engine_down_still_lets_the_question_be_asked(client, settings):
    settings.SEARCH_URL = "http://127.0.0.1:9"  # nothing listens there
    community = CommunityFactory()
    user = UserFactory()
    client.force_login(user)
    response = client.get(reverse("communities:similar", args=[community.slug]), {"title": TITLE})
    assert response.status_code == 200
    assert "gewoon plaatsen" in response.content.decode()
