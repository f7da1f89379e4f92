"""Digests carry List-Unsubscribe (RFC 2369) with one-click unsubscribe (RFC 8058): a signed link
that turns that digest off without login."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from kpo.audit.models import AuditEntry
from kpo.notifications.models import EmailMode, EmailOutbox, Notification, NotificationPreference
from kpo.notifications.services import digest_send, notification_preference_set, notify
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _notification(user, when):
    (n,) = notify(recipients=[user], kind="new-thread", title="Nieuw draadje")
    Notification.objects.filter(pk=n.pk).update(created_at=when)
    return n


def _digest_for(user, now) -> EmailOutbox:
    assert digest_send(mode=EmailMode.DAILY, now=now) >= 1
    return EmailOutbox.objects.get(to=user.email, key__startswith="digest:daily:")


def test_one_click_unsubscribe_turns_the_digest_off_without_login(client):
    user = UserFactory()
    notification_preference_set(user=user, email_mode=EmailMode.DAILY)
    now = timezone.make_aware(dt.datetime(2026, 11, 3, 7, 0))
    _notification(user, now - dt.timedelta(hours=12))
    row = _digest_for(user, now)
    header = row.headers["List-Unsubscribe"]
    assert row.headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert header.startswith("<http") and header.endswith(">")
    url = header[1:-1]
    assert url in row.body
    path = url.split("://", 1)[1].split("/", 1)[1]

    # A link scanner's GET changes nothing.
    page = client.get(f"/{path}")
    assert page.status_code == 200 and "Afmelden" in page.content.decode()
    assert NotificationPreference.objects.get(user=user).email_mode == EmailMode.DAILY

    # The mail client's one-click POST (no session, no CSRF token) turns it off.
    client.handler.enforce_csrf_checks = True
    done = client.post(f"/{path}", {"List-Unsubscribe": "One-Click"})
    assert done.status_code == 200 and "afgemeld" in done.content.decode()
    assert NotificationPreference.objects.get(user=user).email_mode == EmailMode.OFF
    assert AuditEntry.objects.filter(action="notifications.digest_unsubscribed").exists()

    # Nothing waiting for that digest is sent any more, and new notifications stay off it.
    _notification(user, now + dt.timedelta(hours=12))
    assert digest_send(mode=EmailMode.DAILY, now=now + dt.timedelta(days=1)) == 0
    # Twice is fine.
    assert client.post(f"/{path}").status_code == 200


def test_a_forged_or_tampered_link_changes_nothing(client):
    user = UserFactory()
    notification_preference_set(user=user, email_mode=EmailMode.DAILY)
    for token in ["nep", "eyJ1IjoxLCJtIjoiZGFpbHkifQ:abc:def", "x" * 3000]:
        response = client.post(f"/meldingen/afmelden/{token}/")
        assert response.status_code == 400
        assert "ongeldig" in response.content.decode()
    assert NotificationPreference.objects.get(user=user).email_mode == EmailMode.DAILY
