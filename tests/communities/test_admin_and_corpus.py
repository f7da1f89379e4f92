"""Wagtail admin (snippets, insight) and the corpus part of communities."""

from __future__ import annotations

import pytest

from communities import services
from communities.models import Community, Event, Membership, Reply, Thread
from communities.selectors import community_insight
from kpo.core.corpus import read_corpus
from search.models import SearchOutbox
from tests.factories import UserFactory
from tests.security.helpers import admin_login

pytestmark = pytest.mark.django_db


def test_insight_figures(world):
    asker = world.member
    q1 = services.thread_create(community=world.open, author=asker, title="Q1", body="x")
    services.thread_create(community=world.open, author=asker, title="Q2", body="x")
    reply = services.reply_create(thread=q1, author=world.manager, body="A")
    services.reply_accept(reply=reply, actor=asker)
    figures = community_insight(community=world.open)
    assert figures["members"] == 2
    assert figures["active_members_30d"] == 2
    assert figures["questions"] == 2 and figures["answered_share"] == 50
    assert figures["median_hours_to_first_reply"] is not None
    assert figures["weeks"][-1]["threads"] == 2 and figures["weeks"][-1]["replies"] == 1


def test_insight_admin_view_with_chart(client, world):
    cm = UserFactory(groups=["Communitymanagers"], is_staff=True)
    from django.contrib.auth.models import Permission

    cm.user_permissions.add(Permission.objects.get(codename="access_admin"))
    admin_login(client, cm)
    response = client.get(f"/admin/communities/inzicht/{world.closed.pk}/")
    assert response.status_code == 200
    assert b"<svg" in response.content and b"Actieve leden" in response.content
    # a secret community stays invisible to a staff member who is not in it
    assert client.get(f"/admin/communities/inzicht/{world.secret.pk}/").status_code == 404
    assert b"Test secret" not in client.get("/admin/communities/inzicht/").content


def test_snippet_edit_reindexes_community_content(client, admin_user, world):
    admin_client = client
    admin_login(admin_client, admin_user)
    thread = services.thread_create(community=world.open, author=world.member, title="T", body="x")
    SearchOutbox.objects.all().delete()
    url = f"/admin/snippets/communities/community/edit/{world.open.pk}/"
    assert admin_client.get(url).status_code == 200
    response = admin_client.post(
        url,
        {
            "name": world.open.name,
            "slug": world.open.slug,
            "description": "Nieuw",
            "visibility": "closed",
        },
    )
    assert response.status_code == 302, response.content[:500]
    ids = set(SearchOutbox.objects.values_list("doc_id", flat=True))
    assert f"communities.thread:{thread.pk}" in ids


def test_corpus_communities_threads_replies_events(corpus):
    data = read_corpus()
    assert Community.objects.filter(slug__in=[c["slug"] for c in data["communities"]]).count() == 11
    corpus_threads = [t for c in data["communities"] for t in c.get("threads") or []]
    assert Thread.objects.exclude(corpus_id="").count() == len(corpus_threads)
    replies = sum(len(t.get("replies") or []) for t in corpus_threads)
    assert Reply.objects.filter(thread__corpus_id__gt="").count() == replies
    accepted = sum(1 for t in corpus_threads if any(r.get("accepted") for r in t["replies"]))
    assert Thread.objects.filter(corpus_id__gt="", accepted_reply__isnull=False).count() == accepted
    assert Event.objects.filter(community__isnull=False).count() == 17
    secret = Community.objects.get(slug="koplopersgroep-underground-banking")
    assert secret.visibility == "secret"


def test_corpus_demo_members_and_managers(corpus):
    cm = Membership.objects.filter(user__email="communitymanager@demo.kpo.nl", role="manager")
    assert cm.count() == Community.objects.filter(threads__corpus_id__gt="").distinct().count()
    professional = Membership.objects.filter(user__email="professional@demo.kpo.nl")
    assert set(professional.values_list("community__visibility", flat=True)) == {"open"}
    assert professional.count() == 3
    author = Thread.objects.get(corpus_id="bg-checklist-verhuur-stallen").author
    assert author.email.endswith("@demo.kpo.nl") and not author.has_usable_password()
    assert Membership.objects.filter(user=author, community__slug="lerend-netwerk-buitengebied")


def test_corpus_without_demo_accounts_uses_the_system_user(corpus):
    from communities.corpus import SYSTEM_EMAIL, load
    from kpo.core.corpus import CorpusContext

    load(CorpusContext(data=read_corpus(), demo_accounts=False))
    thread = Thread.objects.get(corpus_id="bg-checklist-verhuur-stallen")
    assert thread.author.email == SYSTEM_EMAIL
    assert not thread.author.is_active and not thread.author.has_usable_password()
    assert str(thread.author) == "Kennisplatform"
    stats = CorpusContext(data=read_corpus(), demo_accounts=False)
    load(stats)
    assert not stats.stats, dict(stats.stats)


def test_second_load_writes_nothing(corpus):
    from communities.corpus import load
    from kpo.core.corpus import CorpusContext

    before = SearchOutbox.objects.count()
    ctx = CorpusContext(data=read_corpus(), demo_accounts=True)
    load(ctx)
    assert not ctx.stats, dict(ctx.stats)
    assert SearchOutbox.objects.count() == before
