"""Fixtures for community tests: one community per visibility, with a manager and a member."""

from __future__ import annotations

import pytest

from communities.models import Community, Membership
from tests.factories import CommunityFactory, MembershipFactory, UserFactory
from tests.s3_server import s3, s3_endpoint  # noqa: F401 - fixtures (ADR 0022)


class World:
    def __init__(self) -> None:
        self.manager = UserFactory()
        self.member = UserFactory()
        self.outsider = UserFactory()
        self.communities = {}
        for vis in Community.Visibility.values:
            c = CommunityFactory(visibility=vis, slug=f"test-{vis}", name=f"Test {vis}")
            MembershipFactory(community=c, user=self.manager, role=Membership.Role.MANAGER)
            MembershipFactory(community=c, user=self.member)
            self.communities[vis] = c

    @property
    def open(self) -> Community:
        return self.communities["open"]

    @property
    def closed(self) -> Community:
        return self.communities["closed"]

    @property
    def secret(self) -> Community:
        return self.communities["secret"]


@pytest.fixture
def world(db) -> World:
    return World()


@pytest.fixture
def outsider_client(client, world):
    client.force_login(world.outsider)
    return client


@pytest.fixture
def member_client(client, world):
    client.force_login(world.member)
    return client
