"""One write path from the admin: the Wagtail admin screens of communities call the same services
as the front end (issue #11), and the community feed keeps no per-request state."""

from __future__ import annotations

import threading
import uuid

import pytest
from django.contrib.auth.models import Permission
from django.test import RequestFactory
from django.urls import reverse

from communities import services
from communities.models import Community, JoinRequest, Membership, ModerationLog
from communities.views import community_feed
from kpo.audit.models import AuditEntry
from kpo.notifications.models import Notification
from search.models import SearchOutbox
from tests.factories import CommunityFactory, MembershipFactory, UserFactory
from tests.security.helpers import admin_login

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def security_namespace(settings):
    """Several staff logins in a row: own lock-out and throttling counters per test."""
    settings.KPO_SECURITY_CACHE_NAMESPACE = f"test-{uuid.uuid4().hex}"


@pytest.fixture
def platform_admin(db):
    return UserFactory(is_superuser=True, is_staff=True)


def _pending_request():
    community = CommunityFactory(visibility=Community.Visibility.CLOSED)
    MembershipFactory(community=community, user=UserFactory(), role=Membership.Role.MANAGER)
    requester = UserFactory()
    join_request = services.membership_request(
        community=community, user=requester, motivation="Ik werk bij het RIEC."
    )
    return community, requester, join_request


def test_approving_a_join_request_in_the_admin_activates_notifies_and_audits_once(
    client, platform_admin
):
    community, requester, join_request = _pending_request()
    admin_login(client, platform_admin)
    url = reverse("wagtailsnippets_communities_joinrequest:edit", args=[join_request.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"status": "approved", "decision_message": "Welkom!"})
    assert response.status_code == 302

    join_request.refresh_from_db()
    assert join_request.status == JoinRequest.Status.APPROVED
    assert join_request.decided_by == platform_admin
    membership = Membership.objects.get(community=community, user=requester)
    assert membership.state == Membership.State.ACTIVE
    note = Notification.objects.get(recipient=requester, kind="join_decision")
    assert community.name in note.title and note.body == "Welkom!"
    approvals = AuditEntry.objects.filter(action="join_request.approved")
    assert approvals.count() == 1
    assert approvals.get().target_id == str(join_request.pk)

    # a second decision is refused on the form, nothing changes
    response = client.post(url, {"status": "rejected", "decision_message": "Toch niet."})
    assert response.status_code == 200
    join_request.refresh_from_db()
    assert join_request.status == JoinRequest.Status.APPROVED
    assert AuditEntry.objects.filter(action__startswith="join_request.").count() == 1


def test_join_requests_are_not_added_or_deleted_in_the_admin(client, platform_admin):
    _community, _requester, join_request = _pending_request()
    admin_login(client, platform_admin)
    before = JoinRequest.objects.count()
    client.post(
        reverse("wagtailsnippets_communities_joinrequest:add"),
        {"status": "approved", "decision_message": "x"},
    )
    client.post(reverse("wagtailsnippets_communities_joinrequest:delete", args=[join_request.pk]))
    assert JoinRequest.objects.count() == before


def test_front_end_and_admin_approval_audit_the_same(client, platform_admin):
    """The same service, the same audit: one entry per decision, also from the front end."""
    community, requester, join_request = _pending_request()
    manager = community.memberships.get(role=Membership.Role.MANAGER).user
    services.join_request_decide(join_request=join_request, actor=manager, approve=True)
    assert AuditEntry.objects.filter(action="join_request.approved").count() == 1


def test_creating_a_community_in_the_admin_goes_through_the_service(client, platform_admin):
    from kpo.themes.models import Theme

    admin_login(client, platform_admin)
    theme = Theme.objects.order_by("pk").first()
    SearchOutbox.objects.all().delete()
    response = client.post(
        reverse("wagtailsnippets_communities_community:add"),
        {
            "name": "Beheerde community",
            "slug": "beheerde-community",
            "description": "Aangemaakt in het beheer.",
            "visibility": "closed",
            "themes": [str(theme.pk)],
        },
    )
    assert response.status_code == 302
    community = Community.objects.get(slug="beheerde-community")
    assert community.created_by == platform_admin
    assert list(community.themes.all()) == [theme]
    manager = Membership.objects.get(community=community, user=platform_admin)
    assert manager.role == Membership.Role.MANAGER and manager.state == Membership.State.ACTIVE
    assert SearchOutbox.objects.filter(
        model_label="communities.community", object_pk=str(community.pk)
    ).exists()


def test_only_community_managers_create_communities_also_in_the_admin(client):
    editor = UserFactory(is_staff=True, groups=["Redacteuren"])
    for codename in ("add_community", "change_community", "view_community"):
        editor.user_permissions.add(Permission.objects.get(codename=codename))
    editor.user_permissions.add(Permission.objects.get(codename="access_admin"))
    admin_login(client, editor)
    response = client.post(
        reverse("wagtailsnippets_communities_community:add"),
        {"name": "Niet toegestaan", "slug": "niet-toegestaan", "visibility": "open"},
    )
    assert response.status_code == 200
    assert "community managers" in response.content.decode()
    assert not Community.objects.filter(slug="niet-toegestaan").exists()


def test_editing_a_community_in_the_admin_logs_the_visibility_change(client, platform_admin):
    community = CommunityFactory(visibility=Community.Visibility.OPEN, slug="wordt-besloten")
    admin_login(client, platform_admin)
    url = reverse("wagtailsnippets_communities_community:edit", args=[community.pk])
    response = client.post(
        url,
        {"name": community.name, "description": "", "visibility": "closed", "slug": "anders"},
    )
    assert response.status_code == 302
    community.refresh_from_db()
    assert community.visibility == Community.Visibility.CLOSED
    assert community.slug == "wordt-besloten"  # the address is fixed
    log = ModerationLog.objects.get(community=community, action="visibility")
    assert log.actor == platform_admin and "open" in log.note


def test_the_moderation_log_is_read_only_in_the_admin(client, platform_admin):
    community = CommunityFactory()
    entry = ModerationLog.objects.create(
        community=community, actor=platform_admin, action="hide", note="Origineel."
    )
    admin_login(client, platform_admin)
    url = reverse("wagtailsnippets_communities_moderationlog:edit", args=[entry.pk])
    assert client.get(url).status_code != 200
    client.post(url, {"note": "Herschreven."})
    entry.refresh_from_db()
    assert entry.note == "Origineel."
    index = client.get(reverse("wagtailsnippets_communities_moderationlog:list"))
    assert index.status_code == 200


# --- shared state: the feed ---------------------------------------------------------------------


def _closed_with_thread(title: str):
    community = CommunityFactory(visibility=Community.Visibility.CLOSED)
    member = MembershipFactory(community=community).user
    services.thread_create(community=community, author=member, title=title, body="<p>Tekst</p>")
    return community, member


def _request(user):
    request = RequestFactory().get("/feed/")
    request.user = user
    return request


def test_interleaved_feed_requests_keep_their_own_reader():
    """One shared feed instance: A's object, then B's, then A's items — still A's threads."""
    community_a, reader_a = _closed_with_thread("Draad van A")
    community_b, reader_b = _closed_with_thread("Draad van B")
    subject_a = community_feed.get_object(_request(reader_a), community_a.slug)
    subject_b = community_feed.get_object(_request(reader_b), community_b.slug)
    assert [t.title for t in community_feed.items(subject_a)] == ["Draad van A"]
    assert [t.title for t in community_feed.items(subject_b)] == ["Draad van B"]
    assert "request" not in vars(community_feed)


def test_feed_from_two_threads(transactional_db):
    community_a, reader_a = _closed_with_thread("Draad van A")
    community_b, reader_b = _closed_with_thread("Draad van B")
    barrier = threading.Barrier(2)
    bodies = {}

    def read(name, user, community):
        from django.db import connection

        try:
            barrier.wait(timeout=10)
            for _ in range(5):
                response = community_feed(_request(user), slug=community.slug)
                bodies.setdefault(name, []).append(response.content.decode())
        finally:
            connection.close()

    threads = [
        threading.Thread(target=read, args=("a", reader_a, community_a)),
        threading.Thread(target=read, args=("b", reader_b, community_b)),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert len(bodies["a"]) == len(bodies["b"]) == 5
    assert all("Draad van A" in b and "Draad van B" not in b for b in bodies["a"])
    assert all("Draad van B" in b and "Draad van A" not in b for b in bodies["b"])
