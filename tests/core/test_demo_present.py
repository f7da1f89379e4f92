"""The demo lives in the present: whatever day it is loaded, it has open training sessions,
upcoming and past events, recent threads and documents in every review state."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from academie.models import TrainingSession
from communities.models import Community, Event, Thread
from kennisbank.models import KnowledgeDocumentPage, ReviewStatus
from kpo.core.corpus import load_corpus, read_corpus
from kpo.themes.models import ThemePage

pytestmark = pytest.mark.django_db


def assert_demo_in_present() -> None:
    now = timezone.now()
    today = timezone.localdate()
    sessions = TrainingSession.objects.all()
    assert sessions.filter(starts_at__gt=now, registration_deadline__gte=now).exists(), (
        "no training session open for registration"
    )
    assert not sessions.filter(starts_at__lt=now).exists(), "a corpus session lies in the past"

    assert Event.objects.filter(starts_at__gte=now).count() >= 3, "no upcoming events"
    assert Event.objects.filter(starts_at__lt=now).count() >= 3, "no past events"

    threads = Thread.objects.all()
    newest = threads.order_by("-created_at").first().created_at
    oldest = threads.order_by("created_at").first().created_at
    assert newest <= now and now - newest < dt.timedelta(days=31), "no recent thread"
    assert now - oldest > dt.timedelta(days=90), "threads are not spread over months"

    documents = KnowledgeDocumentPage.objects.all()
    assert set(documents.values_list("review_status", flat=True)) == set(ReviewStatus.values)
    for doc in documents:
        if doc.review_status == ReviewStatus.CURRENT:
            assert doc.next_review_due > today, doc
        else:
            assert doc.next_review_due <= today, doc
        if doc.year:
            assert doc.first_published_at.year == doc.year, doc

    pages = ThemePage.objects.all()
    assert all(p.owner_id for p in pages), "a theme page has no owner"
    reviewed = set(pages.values_list("last_reviewed_at", flat=True))
    assert len(reviewed) >= 5 and max(reviewed) <= today, "theme review dates are not spread"


def test_fresh_demo_lives_today(corpus):
    assert_demo_in_present()


def test_fresh_demo_lives_in_any_present(corpus):
    """Loaded on a day years from now, the same holds relative to that day; and a second load on
    that day changes nothing."""
    later = dt.datetime(2031, 3, 4, 8, 0, tzinfo=dt.UTC)
    with time_machine.travel(later, tick=False):
        # A fresh demo on that day: pages are created once, so start without them.
        for page in KnowledgeDocumentPage.objects.all():
            page.delete()
        for page in ThemePage.objects.all():
            page.delete()
        load_corpus()
        assert TrainingSession.objects.filter(starts_at__year__gte=2031).exists()
        assert_demo_in_present()
        assert not load_corpus(), "a second load on the same day changed rows"


def test_sub_groups_are_linked(corpus):
    data = read_corpus()
    children = [c for c in data["communities"] if c.get("parent")]
    assert children
    for item in children:
        community = Community.objects.get(slug=item["slug"])
        assert community.parent.slug == item["parent"]


def test_network_wide_events_are_loaded(corpus):
    """The corpus's events without a community are network-wide events in the demo, dated
    relative to the load date like the others."""
    data = read_corpus()
    network = [e for e in data["events"] if not e.get("community")]
    assert network
    today = timezone.localdate()
    for item in network:
        event = Event.objects.get(slug=item["slug"])
        assert event.community is None
        assert abs((timezone.localtime(event.starts_at).date() - today).days) < 365
