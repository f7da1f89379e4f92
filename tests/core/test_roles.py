"""Staff group names and the jurist check live in ``kpo.core.roles`` only."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from kpo.core import access, roles
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_the_access_rule_uses_the_one_list_of_staff_groups():
    assert access.STAFF_GROUPS is roles.STAFF_GROUPS
    assert roles.STAFF_GROUPS[roles.LAWYERS_GROUP] == "jurist"
    assert len(set(roles.STAFF_GROUPS)) == len(roles.STAFF_ROLES) == 8


def test_group_membership_gives_the_staff_principal():
    lawyer = UserFactory(groups=[roles.LAWYERS_GROUP])
    assert access.has_staff_role(lawyer, "jurist")
    assert not access.has_staff_role(lawyer, "academie")


def test_only_members_of_juristen_are_jurists_not_superusers():
    assert roles.is_jurist(UserFactory(groups=[roles.LAWYERS_GROUP]))
    assert not roles.is_jurist(UserFactory(groups=[roles.ACADEMY_GROUP]))
    superuser = UserFactory(is_superuser=True, is_staff=True)
    assert access.has_staff_role(superuser, "jurist")  # reads: a superuser reads everything
    assert not roles.is_jurist(superuser)  # the legal sign-off is the group's alone
    assert not roles.is_jurist(AnonymousUser())
    assert not roles.is_jurist(None)
