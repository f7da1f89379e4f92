"""The reads of communities (``communities.selectors``): one membership lookup behind the
rights, the one "may read this community's content" rule, "my communities", and the small
lookups the views use (join requests, invitations, ids from forms)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from communities import selectors, services
from communities.models import Community, Invitation, JoinRequest, Membership
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_rights_come_from_one_membership_lookup(world):
    with CaptureQueriesContext(connection) as ctx:
        rights = selectors.community_rights(community=world.open, user=world.manager)
        assert (rights.is_member, rights.can_moderate, rights.can_manage) == (True, True, True)
    assert len(ctx.captured_queries) == 1

    member = selectors.community_rights(community=world.open, user=world.member)
    assert (member.is_member, member.can_moderate, member.can_manage) == (True, False, False)
    outsider = selectors.community_rights(community=world.open, user=world.outsider)
    assert outsider.membership is None
    assert (outsider.is_member, outsider.can_moderate, outsider.can_manage) == (False,) * 3


def test_a_superuser_moderates_and_manages_without_being_a_member(world):
    admin = UserFactory(is_superuser=True, is_staff=True)
    rights = selectors.community_rights(community=world.closed, user=admin)
    assert (rights.is_member, rights.can_moderate, rights.can_manage) == (False, True, True)
    assert selectors.can_manage(community=world.closed, user=admin)


def test_a_requested_membership_is_not_a_member(world):
    asker = UserFactory()
    MembershipFactory(community=world.closed, user=asker, state=Membership.State.REQUESTED)
    assert selectors.membership_get(community=world.closed, user=asker) is not None
    assert not selectors.is_member(community=world.closed, user=asker)


def test_content_rule_per_visibility(world):
    """Open content: every professional; closed and secret content: members only."""
    outsider, member = world.outsider, world.member
    assert selectors.community_content_visible(community=world.open, user=outsider)
    assert not selectors.community_content_visible(community=world.closed, user=outsider)
    assert not selectors.community_content_visible(community=world.secret, user=outsider)
    for community in world.communities.values():
        assert selectors.community_content_visible(community=community, user=member)


def test_my_communities_are_the_active_memberships(world):
    pending = UserFactory()
    MembershipFactory(community=world.open, user=pending)
    MembershipFactory(community=world.closed, user=pending, state=Membership.State.REQUESTED)
    assert selectors.my_community_ids(user=pending) == {world.open.pk}
    assert selectors.my_community_ids(user=world.member) == {
        c.pk for c in world.communities.values()
    }


def test_join_request_pending_follows_the_request(world):
    asker = UserFactory()
    assert not selectors.join_request_pending(community=world.closed, user=asker)
    services.membership_request(community=world.closed, user=asker, motivation="Graag")
    assert selectors.join_request_pending(community=world.closed, user=asker)
    request = JoinRequest.objects.get(community=world.closed, user=asker)
    assert selectors.join_request_get(community=world.closed, pk=str(request.pk)) == request
    assert selectors.join_request_get(community=world.open, pk=request.pk) is None


@pytest.mark.parametrize(
    "bad", [None, "", "abc", "1.5", "-3", "999999999", "99999999999999999999999"]
)
def test_ids_from_forms_never_raise(world, bad):
    assert selectors.join_request_get(community=world.open, pk=bad) is None
    assert selectors.membership_get_by_pk(community=world.open, pk=bad) is None
    assert selectors.flag_get(community=world.open, pk=bad) is None


def test_an_invitation_is_only_for_its_addressee(world):
    invited = UserFactory(email="Genodigde@Gemeente.example")
    invitation = Invitation.objects.create(
        community=world.closed, email="genodigde@gemeente.example", invited_by=world.manager
    )
    found = selectors.invitation_get_for_user(token=invitation.token, user=invited)
    assert found == invitation
    assert selectors.invitation_get_for_user(token=invitation.token, user=world.outsider) is None
    assert selectors.invitation_get_for_user(token="onbekend", user=invited) is None


def test_member_count_counts_active_members_only(world):
    MembershipFactory(community=world.open, user=UserFactory(), state=Membership.State.REQUESTED)
    counts = {
        c.slug: c.member_count
        for c in selectors.community_list_with_member_count(user=world.member)
    }
    assert counts[world.open.slug] == 2  # the manager and the member


def test_secret_communities_stay_out_of_the_insight_list_of_staff(world):
    staff = UserFactory(groups=["Communitymanagers"])
    visible = set(selectors.community_list_for_insight(user=staff))
    assert world.open in visible and world.closed in visible
    assert world.secret not in visible
    assert world.secret in set(selectors.community_list_for_insight(user=world.manager))
    assert not selectors.may_see_insight(community=world.open, user=world.member)
    assert Community.objects.filter(pk=world.secret.pk).exists()


def test_membership_map_holds_every_state(world):
    asker = UserFactory()
    MembershipFactory(community=world.open, user=asker)
    MembershipFactory(community=world.closed, user=asker, state=Membership.State.REQUESTED)
    states = {pk: m.state for pk, m in selectors.membership_map_for_user(user=asker).items()}
    assert states == {world.open.pk: "active", world.closed.pk: "requested"}
