"""Faults with the real services: the search node down, Redis down, the Celery worker killed in
the middle of a bulk index. Each time the site keeps serving pages, writes succeed (or fail with
a clear message), and after recovery the outboxes drain: nothing lost, nothing twice."""

from __future__ import annotations

import time
from collections import Counter
from email import message_from_string
from pathlib import Path

import pytest
from django.db import transaction
from django.test import Client

from communities import services as community_services
from communities.models import Community, Thread
from kpo.celery import app as celery_app
from kpo.notifications.models import EmailMode, EmailOutbox
from kpo.notifications.services import notification_preference_set
from kpo.themes.models import ThemePage
from search.indexer import content_alias, ensure_alias
from search.models import SearchOutbox
from search.services import index_enqueue
from search.tasks import drain_outbox_task
from tests.factories import CommunityFactory, MembershipFactory, UserFactory

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def wait_for(predicate, timeout: float, what: str, step: float = 0.2):
    deadline = time.time() + timeout
    while time.time() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(step)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")


def pages_are_served(client: Client) -> None:
    theme = ThemePage.objects.live().order_by("pk").first()
    for url in ("/", theme.url):
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)


def community_with_followers(n: int):
    community = CommunityFactory(visibility=Community.Visibility.OPEN)
    author = UserFactory()
    MembershipFactory(community=community, user=author)
    followers = [UserFactory() for _ in range(n)]
    for user in followers:
        MembershipFactory(community=community, user=user)
        community_services.community_follow(community=community, user=user)
        notification_preference_set(
            user=user, community=community, email_mode=EmailMode.INSTANT
        )  # e-mail about new threads is opt-in
    return community, author, followers


def test_search_node_down(platform_corpus, celery_worker, search_node):
    from search.selectors import search_for_user

    ensure_alias()
    celery_worker()
    user = UserFactory()
    client = Client()
    client.force_login(user)
    community, author, _ = community_with_followers(1)

    search_node.stop()
    pages_are_served(client)
    response = client.get("/zoeken/", {"q": "bibob"})
    assert response.status_code == 503
    assert "niet beschikbaar" in response.content.decode()

    started = time.time()
    thread = community_services.thread_create(
        community=community, author=author, title="Storingstest zoekknooppunt", body="Tekst"
    )
    assert time.time() - started < 15, "a write must not hang on the search node"
    row = SearchOutbox.objects.get(doc_id__endswith=f":{thread.pk}", model_label__contains="thread")
    # The worker tried to drain and failed: the row waits with the error recorded.
    wait_for(
        lambda: SearchOutbox.objects.filter(pk=row.pk, attempts__gte=1).exists(),
        30,
        "the drain attempt while the node is down",
    )

    search_node.start()
    drain_outbox_task.delay()  # what beat does every minute
    wait_for(lambda: not SearchOutbox.objects.exists(), 60, "the outbox to drain")
    found = wait_for(
        lambda: search_for_user(user=author, q="Storingstest zoekknooppunt").count,
        20,
        "the thread to be findable",
    )
    assert found >= 1


def test_pages_served_while_redis_down(platform_corpus, redis_server, professional_client):
    from communities.models import Thread

    thread = Thread.objects.filter(community__visibility="open").order_by("pk").first()
    redis_server.stop()
    pages_are_served(professional_client)
    response = professional_client.get("/zoeken/", {"q": "bibob"})
    assert response.status_code in (200, 503)
    response = professional_client.post(
        thread.get_absolute_url() + "reageren/", {"body": "Ook gezien."}
    )
    assert response.status_code == 302


def test_redis_down(celery_worker, redis_server, worker_env):
    community, author, followers = community_with_followers(3)
    celery_worker()

    redis_server.stop()
    started = time.time()
    thread = community_services.thread_create(
        community=community, author=author, title="Storingstest Redis", body="Tekst"
    )
    assert time.time() - started < 30, "a write must not hang while Redis is down"
    waiting = EmailOutbox.objects.filter(key__contains=f"new-thread:{thread.pk}")
    assert waiting.count() == 3
    assert not waiting.filter(sent_at__isnull=False).exists()
    assert SearchOutbox.objects.filter(doc_id__endswith=f":{thread.pk}").exists()

    redis_server.start()
    from kpo.notifications.tasks import send_pending_email_task

    send_pending_email_task.delay()  # what beat does every minute
    wait_for(
        lambda: not EmailOutbox.objects.filter(sent_at__isnull=True).exists(),
        60,
        "every waiting e-mail to be sent",
    )
    send_pending_email_task.delay()  # a second run (beat again) sends nothing twice
    drain_outbox_task.delay()
    wait_for(lambda: not SearchOutbox.objects.exists(), 60, "the search outbox to drain")

    mail_dir = Path(worker_env["EMAIL_FILE_PATH"])
    messages = [
        message_from_string(part)
        for path in mail_dir.iterdir()
        for part in path.read_text().split("\n" + "-" * 79 + "\n")
        if part.strip()
    ]
    sent = Counter(
        (m["To"], m["Subject"]) for m in messages if "Storingstest Redis" in m["Subject"]
    )
    assert sorted(to for to, _ in sent) == sorted(u.email for u in followers)
    assert set(sent.values()) == {1}, f"an e-mail was sent twice: {sent}"


def test_worker_killed_during_bulk_index(celery_worker):
    engine_alias = ensure_alias()
    community = CommunityFactory(visibility=Community.Visibility.OPEN)
    author = UserFactory()
    MembershipFactory(community=community, user=author)
    Thread.objects.bulk_create(
        Thread(community=community, author=author, title=f"Bulkonderwerp {n}", body="<p>Tekst</p>")
        for n in range(300)
    )
    instances = list(Thread.objects.filter(community=community))
    SearchOutbox.objects.all().delete()
    rounds = 10
    with transaction.atomic():
        for _ in range(rounds):
            for instance in instances:
                index_enqueue(instance)
    celery_app.control.purge()  # one drain task below instead of one per enqueued row
    expected = dict(
        SearchOutbox.objects.order_by("version").values_list("doc_id", "version")
    )  # the last (highest) version per document wins
    total = SearchOutbox.objects.count()

    worker = celery_worker()
    drain_outbox_task.delay()
    wait_for(lambda: SearchOutbox.objects.count() < total, 120, "the drain to start", step=0.02)
    worker.kill()
    left = SearchOutbox.objects.count()
    assert 0 < left < total, "the worker must be killed in the middle of the bulk index"

    celery_worker()
    drain_outbox_task.delay()  # beat's safety net; the killed task's message is not yet back
    wait_for(lambda: not SearchOutbox.objects.exists(), 120, "the outbox to drain")

    from search.engine import get_engine

    engine = get_engine()
    ids = list(expected)
    indexed = {}
    for start in range(0, len(ids), 500):
        indexed.update(engine.get_versions(engine_alias, ids[start : start + 500]))
    documents = {doc_id for doc_id, _ in expected.items()}
    built = {doc_id for doc_id in documents if doc_id in indexed}
    missing = documents - set(indexed)
    # Documents whose search_document() is None (not public content) are deletes, not in the index.
    from search.indexer import build_document, doc_id_for

    none_docs = {doc_id_for(i) for i in instances if build_document(i) is None}
    assert missing <= none_docs, f"lost index updates: {sorted(missing - none_docs)[:5]}"
    wrong = {d: (indexed[d][0], expected[d]) for d in built if indexed[d][0] != expected[d]}
    assert not wrong, f"index holds another version than the last one: {list(wrong.items())[:5]}"
    assert content_alias() == engine_alias
    assert Thread.objects.exists()
