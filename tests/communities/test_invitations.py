"""Invitations expire (``KPO_INVITATION_TTL_DAYS``, default 14): an expired invitation cannot be
accepted or claimed and shows as "Verlopen"; managers revoke invitations from their page."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from communities import selectors, services
from communities.models import Invitation, Membership, ModerationLog
from tests.factories import UserFactory
from tests.security.helpers import admin_login

pytestmark = pytest.mark.django_db

T0 = timezone.make_aware(datetime(2026, 11, 2, 9, 0))


def _invite(world, email: str) -> Invitation:
    return services.invitation_create(community=world.closed, actor=world.manager, email=email)


def test_the_default_expiry_is_fourteen_days(settings):
    assert settings.KPO_INVITATION_TTL_DAYS == 14


def test_an_invitation_can_be_accepted_until_it_expires(world):
    guest, late = UserFactory(), UserFactory()
    with time_machine.travel(T0, tick=False):
        on_time = _invite(world, guest.email)
        too_late = _invite(world, late.email)
        assert on_time.expires_at == T0 + timedelta(days=14)
    with time_machine.travel(T0 + timedelta(days=14) - timedelta(seconds=1), tick=False):
        services.invitation_accept(invitation=on_time, user=guest)
        assert selectors.is_member(community=world.closed, user=guest)
    with time_machine.travel(T0 + timedelta(days=14), tick=False):
        too_late.refresh_from_db()
        assert too_late.is_expired and too_late.status_label == "Verlopen"
        with pytest.raises(ValidationError, match="verlopen"):
            services.invitation_accept(invitation=too_late, user=late)
        assert not selectors.is_member(community=world.closed, user=late)
        # The same address can be invited again once the old invitation has expired.
        again = _invite(world, late.email)
        services.invitation_accept(invitation=again, user=late)


def test_the_expiry_follows_the_setting(world, settings):
    settings.KPO_INVITATION_TTL_DAYS = 1
    guest = UserFactory()
    with time_machine.travel(T0, tick=False):
        invitation = _invite(world, guest.email)
    with (
        time_machine.travel(T0 + timedelta(days=1, minutes=1), tick=False),
        pytest.raises(ValidationError),
    ):
        services.invitation_accept(invitation=invitation, user=guest)


def test_an_expired_invitation_is_not_claimed_on_login(world):
    with time_machine.travel(T0, tick=False):
        _invite(world, "nieuw@example.org")
    with time_machine.travel(T0 + timedelta(days=15), tick=False):
        newcomer = UserFactory(email="nieuw@example.org")
        assert services.invitation_claim_for_user(user=newcomer) == []
        assert not Membership.objects.filter(user=newcomer).exists()


def test_the_invitation_page_shows_verlopen(world, client):
    guest = UserFactory()
    with time_machine.travel(T0, tick=False):
        invitation = _invite(world, guest.email)
    client.force_login(guest)
    url = reverse("communities:invitation", args=[invitation.token])
    with time_machine.travel(T0 + timedelta(days=1)):
        page = client.get(url).content.decode()
        assert "Uitnodiging accepteren" in page and "Geldig tot" in page
    with time_machine.travel(T0 + timedelta(days=20)):
        # A new session (the idle timeout ended the old one). Sessions live in Redis too
        # (ADR 0033), whose expiry runs on the real clock, not the travelled one: log out first.
        client.logout()
        client.force_login(guest)
        page = client.get(url).content.decode()
        assert "Verlopen" in page and "Uitnodiging accepteren" not in page
        client.post(url)
        assert not selectors.is_member(community=world.closed, user=guest)


def test_managers_see_expired_invitations_and_revoke_them(world, client):
    with time_machine.travel(T0, tick=False):
        old = _invite(world, "oud@example.org")
    fresh = _invite(world, "vers@example.org")
    admin_login(client, world.manager)
    url = reverse("communities:manage", args=[world.closed.slug])
    page = client.get(url).content.decode()
    assert "oud@example.org" in page and "Verlopen" in page
    assert "Uitnodiging van vers@example.org intrekken" in page
    response = client.post(url, {"actie": "intrekken", "uitnodiging": fresh.pk})
    assert response.status_code == 302
    fresh.refresh_from_db()
    assert fresh.status == Invitation.Status.REVOKED
    assert ModerationLog.objects.filter(
        community=world.closed, action=ModerationLog.Action.REVOKE_INVITATION
    ).exists()
    # An expired invitation can be revoked too; a revoked or unknown one is a 404.
    client.post(url, {"actie": "intrekken", "uitnodiging": old.pk})
    old.refresh_from_db()
    assert old.status == Invitation.Status.REVOKED
    assert client.post(url, {"actie": "intrekken", "uitnodiging": fresh.pk}).status_code == 404
    assert client.post(url, {"actie": "intrekken", "uitnodiging": "x"}).status_code == 404


def test_members_cannot_revoke(world, member_client):
    invitation = _invite(world, "iemand@example.org")
    url = reverse("communities:manage", args=[world.closed.slug])
    response = member_client.post(url, {"actie": "intrekken", "uitnodiging": invitation.pk})
    assert response.status_code == 403
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.PENDING


def test_the_api_lists_the_expiry(world, client):
    with time_machine.travel(T0, tick=False):
        _invite(world, "oud@example.org")
    _invite(world, "vers@example.org")
    admin_login(client, world.manager)
    rows = client.get(reverse("api-community-invitations", args=[world.closed.slug])).json()
    by_email = {row["email"]: row for row in rows["results"]}
    assert by_email["oud@example.org"]["expired"] is True
    assert by_email["vers@example.org"]["expired"] is False
    assert by_email["vers@example.org"]["expires_at"]
