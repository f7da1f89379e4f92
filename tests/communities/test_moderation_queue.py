"""The moderation queue across communities (issue #18): its scope per user (community
moderators: their communities; platform moderators: every open and closed one, never a secret
one they do not moderate), its actions through the existing services, and a flat query count."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from communities import selectors, services
from communities.models import CaseDataConfirmation, Community, Flag, JoinRequest, Membership
from kpo.core.roles import PLATFORM_MODERATORS_GROUP
from tests.factories import CommunityFactory, MembershipFactory, UserFactory
from tests.security.helpers import admin_login

pytestmark = pytest.mark.django_db

BSN = "111222333"  # passes the 11-test


def _platform_moderator():
    user = UserFactory()
    user.groups.add(Group.objects.get_or_create(name=PLATFORM_MODERATORS_GROUP)[0])
    return user


def _fill(community: Community, manager, n: int = 1):
    """``n`` flagged threads, one confirmed case-data reply and one join request (closed only)."""
    member = UserFactory()
    MembershipFactory(community=community, user=member)
    for i in range(n):
        thread = services.thread_create(
            community=community, author=manager, title=f"Onderwerp {i}", body="Tekst"
        )
        services.flag_create(user=member, post=thread, reason="Klopt niet")
        services.reply_create(
            thread=thread, author=member, body=f"BSN {BSN}", case_data_reason="Nodig voor de casus"
        )
    if community.visibility == Community.Visibility.CLOSED:
        services.membership_request(community=community, user=UserFactory(), motivation="Graag")


def _ids(queue):
    return {
        "flags": {f.community_id for f in queue["flags"]},
        "case_data": {c.community_id for c in queue["case_data"]},
        "join_requests": {j.community_id for j in queue["join_requests"]},
    }


def test_the_queue_scope_per_role(world):
    for community in world.communities.values():
        _fill(community, world.manager)
    open_, closed, secret = world.open.pk, world.closed.pk, world.secret.pk

    # A community manager: every community they manage, the secret one included.
    queue = selectors.moderation_queue_for_user(user=world.manager)
    assert _ids(queue) == {
        "flags": {open_, closed, secret},
        "case_data": {open_, closed, secret},
        "join_requests": {closed},
    }
    # A moderator of one community: only that one.
    moderator = UserFactory()
    MembershipFactory(community=world.open, user=moderator, role=Membership.Role.MODERATOR)
    assert _ids(selectors.moderation_queue_for_user(user=moderator)) == {
        "flags": {open_},
        "case_data": {open_},
        "join_requests": set(),
    }
    # A platform moderator: every open and closed community; a secret one does not exist.
    platform = _platform_moderator()
    assert _ids(selectors.moderation_queue_for_user(user=platform)) == {
        "flags": {open_, closed},
        "case_data": {open_, closed},
        "join_requests": {closed},
    }
    # ... unless they moderate it themselves.
    MembershipFactory(community=world.secret, user=platform, role=Membership.Role.MODERATOR)
    platform = type(platform).objects.get(pk=platform.pk)
    assert _ids(selectors.moderation_queue_for_user(user=platform))["flags"] == {
        open_,
        closed,
        secret,
    }
    # A member and an outsider: nothing.
    assert selectors.moderation_scope(user=world.member).empty
    assert selectors.moderation_queue_for_user(user=world.outsider)["flags"] == []


def test_the_query_count_is_flat(world, client):
    admin_login(client, world.manager)
    url = reverse("communities:moderation_overview")
    _fill(world.open, world.manager)
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    for i in range(4):
        community = CommunityFactory(visibility=Community.Visibility.CLOSED, slug=f"extra-{i}")
        MembershipFactory(community=community, user=world.manager, role=Membership.Role.MANAGER)
        _fill(community, world.manager, n=3)
    with CaptureQueriesContext(connection) as large:
        response = client.get(url)
    page = response.content.decode()
    assert page.count("Klopt niet") == 13
    assert len(large.captured_queries) == len(small.captured_queries)


def test_the_actions_use_the_moderation_services(world, client):
    _fill(world.closed, world.manager)
    platform = _platform_moderator()
    admin_login(client, platform)
    url = reverse("communities:moderation_overview")
    page = client.get(url).content.decode()
    assert "Onderwerp 0" in page and "Een community manager van deze community beslist." in page
    flag = Flag.objects.get(community=world.closed)
    assert client.post(url, {"actie": "verbergen", "melding": flag.pk}).status_code == 302
    flag.refresh_from_db()
    flag.thread.refresh_from_db()
    assert flag.status == Flag.Status.RESOLVED and flag.thread.is_hidden
    confirmation = CaseDataConfirmation.objects.get(community=world.closed)
    client.post(url, {"actie": "beoordeeld", "zaaksgegevens": confirmation.pk})
    confirmation.refresh_from_db()
    assert confirmation.status == CaseDataConfirmation.Status.REVIEWED
    # A platform moderator is no manager: deciding a join request is refused by the service.
    join_request = JoinRequest.objects.get(community=world.closed)
    client.post(url, {"actie": "goedkeuren", "verzoek": join_request.pk})
    join_request.refresh_from_db()
    assert join_request.status == JoinRequest.Status.PENDING
    # Ids outside the scope (a secret community's flag) and malformed ids are a 404.
    _fill(world.secret, world.manager)
    secret_flag = Flag.objects.get(community=world.secret)
    assert client.post(url, {"actie": "geen-actie", "melding": secret_flag.pk}).status_code == 404
    assert client.post(url, {"actie": "geen-actie", "melding": "1e99"}).status_code == 404
    assert client.post(url, {"actie": "iets"}).status_code == 404


def test_managers_decide_join_requests_from_the_queue(world, client):
    _fill(world.closed, world.manager)
    admin_login(client, world.manager)
    join_request = JoinRequest.objects.get(community=world.closed)
    url = reverse("communities:moderation_overview")
    assert client.post(url, {"actie": "goedkeuren", "verzoek": join_request.pk}).status_code == 302
    join_request.refresh_from_db()
    assert join_request.status == JoinRequest.Status.APPROVED


def test_the_queue_is_closed_to_members(member_client):
    assert member_client.get(reverse("communities:moderation_overview")).status_code == 403
