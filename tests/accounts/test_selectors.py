"""Reads of people (``kpo.accounts.selectors``) through the one access rule: ``Profile`` carries
read principals like every searchable (active colleague → ``platform``)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from kpo.accounts.models import Profile
from kpo.accounts.selectors import person_get_for_user, person_list_for_user
from kpo.core.access import PLATFORM, can_read, user_principals
from tests.factories import ProfileFactory, ThemeFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_profile_principals_agree_with_the_database_filter():
    active = ProfileFactory()
    inactive = ProfileFactory(user=UserFactory(is_active=False))
    assert active.read_principals() == frozenset({PLATFORM})
    assert inactive.read_principals() == frozenset()
    for principals in (frozenset({"public"}), frozenset({"public", PLATFORM})):
        in_db = set(Profile.objects.filter(Profile.principals_q(principals)))
        in_python = {p for p in (active, inactive) if p.read_principals() & principals}
        assert in_python <= in_db
        assert inactive not in in_db
        assert (active in in_db) == (PLATFORM in principals)


def test_people_are_for_logged_in_professionals_only():
    colleague = ProfileFactory(function="Havenanalist")
    assert not person_list_for_user(user=AnonymousUser()).exists()
    assert not can_read(AnonymousUser(), colleague)
    viewer = UserFactory()
    assert PLATFORM in user_principals(viewer)
    assert colleague in set(person_list_for_user(user=viewer))
    assert person_get_for_user(user=viewer, user_id=colleague.user_id) == colleague
    assert person_get_for_user(user=AnonymousUser(), user_id=colleague.user_id) is None


def test_inactive_accounts_are_not_listed_and_filters_narrow():
    theme = ThemeFactory(slug="havens-test")
    match = ProfileFactory(function="Havenmeester")
    match.expertise_themes.add(theme)
    gone = ProfileFactory(user=UserFactory(is_active=False))
    gone.expertise_themes.add(theme)
    viewer = UserFactory()
    listed = list(person_list_for_user(user=viewer, theme="havens-test"))
    assert listed == [match]
    assert list(person_list_for_user(user=viewer, q="Havenmeester")) == [match]
