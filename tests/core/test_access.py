"""The access rule (ARCHITECTURE §4): principals of users and items, and the ORM filter."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from communities.models import Community, Membership
from kpo.core.access import (
    PLATFORM,
    PUBLIC,
    can_read,
    community_principal,
    filter_visible,
    forget_principals,
    item_principals,
    staff_principal,
    user_principals,
)
from kpo.themes.models import ThemePage
from tests.factories import CommunityFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_anonymous_user_holds_only_public():
    assert user_principals(AnonymousUser()) == {PUBLIC}
    assert user_principals(None) == {PUBLIC}


def test_inactive_user_holds_only_public_even_with_memberships():
    user = UserFactory(is_active=False)
    MembershipFactory(user=user)
    assert user_principals(user) == {PUBLIC}


def test_active_professional_holds_platform_and_active_memberships_only():
    user = UserFactory()
    active = MembershipFactory(user=user).community
    for state in (Membership.State.INVITED, Membership.State.REQUESTED, Membership.State.REMOVED):
        MembershipFactory(user=user, state=state)
    assert user_principals(user) == {PUBLIC, PLATFORM, community_principal(active.pk)}


def test_staff_groups_give_staff_principals_and_superuser_all():
    editor = UserFactory(groups=["Redactieraad", "Ambassadeurs"])
    assert staff_principal("redactieraad") in user_principals(editor)
    assert staff_principal("ambassadeur") in user_principals(editor)
    assert staff_principal("jurist") not in user_principals(editor)
    admin = UserFactory(is_superuser=True, is_staff=True)
    assert staff_principal("jurist") in user_principals(admin)


def test_unknown_staff_role_is_an_error():
    with pytest.raises(ValueError):
        staff_principal("koning")


def test_principals_are_cached_until_forgotten():
    user = UserFactory()
    before = user_principals(user)
    community = MembershipFactory(user=user).community
    assert user_principals(user) == before
    forget_principals(user)
    assert community_principal(community.pk) in user_principals(user)


@pytest.mark.parametrize(
    ("visibility", "listed_for_outsider", "content_for_outsider"),
    [
        (Community.Visibility.OPEN, True, True),
        (Community.Visibility.CLOSED, True, False),
        (Community.Visibility.SECRET, False, False),
    ],
)
def test_each_community_visibility(visibility, listed_for_outsider, content_for_outsider):
    community = CommunityFactory(visibility=visibility)
    member, outsider = UserFactory(), UserFactory()
    MembershipFactory(user=member, community=community)

    assert can_read(member, community)
    assert can_read(outsider, community) is listed_for_outsider
    assert bool(user_principals(member) & community.content_principals())
    assert bool(user_principals(outsider) & community.content_principals()) is content_for_outsider
    # Anonymous visitors see no community at all.
    assert not can_read(AnonymousUser(), community)
    visible = filter_visible(Community.objects.filter(pk=community.pk), outsider)
    assert visible.exists() is listed_for_outsider


def test_secret_community_content_never_carries_platform():
    community = CommunityFactory(visibility=Community.Visibility.SECRET)
    assert PLATFORM not in community.content_principals()
    assert PLATFORM not in item_principals(community)


def test_filter_visible_refuses_models_without_the_rule():
    from kpo.accounts.models import Region

    with pytest.raises(TypeError):
        filter_visible(Region.objects.all(), AnonymousUser())


def test_theme_pages_public_and_platform(corpus):
    page = ThemePage.objects.get(slug="wet-bibob")
    assert can_read(AnonymousUser(), page)
    page.visibility = PLATFORM
    assert not can_read(AnonymousUser(), page)
    assert can_read(UserFactory(), page)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    visibilities=st.lists(st.sampled_from(list(Community.Visibility)), min_size=1, max_size=6),
    memberships=st.lists(
        st.tuples(st.integers(0, 5), st.sampled_from(list(Membership.State))), max_size=8
    ),
    active=st.booleans(),
)
def test_database_filter_agrees_with_item_principals(visibilities, memberships, active):
    """For random communities and memberships the ORM filter and the set rule agree."""
    from django.db import transaction

    with transaction.atomic():
        communities = [CommunityFactory(visibility=v) for v in visibilities]
        user = UserFactory(is_active=active)
        seen = set()
        for index, state in memberships:
            community = communities[index % len(communities)]
            if community.pk in seen:
                continue
            seen.add(community.pk)
            MembershipFactory(user=user, community=community, state=state)
        ids = [c.pk for c in communities]
        by_orm = set(
            filter_visible(Community.objects.filter(pk__in=ids), user).values_list("pk", flat=True)
        )
        by_set = {c.pk for c in communities if can_read(user, c)}
        by_content_orm = set(
            Community.objects.filter(pk__in=ids)
            .filter(Community.content_principals_q(user_principals(user)))
            .values_list("pk", flat=True)
        )
        by_content_set = {
            c.pk for c in communities if user_principals(user) & c.content_principals()
        }
        assert by_orm == by_set
        assert by_content_orm == by_content_set
        transaction.set_rollback(True)
