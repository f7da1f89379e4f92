"""The client IP comes from a configured number of trusted proxies, for the lock-out, the rate
limits and the audit log alike; X-Forwarded-For beyond the trusted hops cannot pick the address."""

from __future__ import annotations

import pytest
from django.test import RequestFactory
from django.urls import reverse

from kpo.audit.models import AuditEntry
from kpo.security.ip import client_ip
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
PASSWORD = "geheim-wachtwoord-123"


def _request(remote="10.0.0.2", forwarded=None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


def test_without_trusted_proxies_the_header_is_ignored(settings):
    settings.KPO_TRUSTED_PROXY_COUNT = 0
    assert client_ip(_request("203.0.113.9", "198.51.100.1")) == "203.0.113.9"
    assert client_ip(_request("203.0.113.9")) == "203.0.113.9"
    assert client_ip(None) == "unknown"


def test_with_one_proxy_only_the_hop_it_appended_counts(settings):
    settings.KPO_TRUSTED_PROXY_COUNT = 1
    # Our proxy (10.0.0.2) appended the address it saw; the client wrote everything before it.
    assert client_ip(_request("10.0.0.2", "203.0.113.7")) == "203.0.113.7"
    assert client_ip(_request("10.0.0.2", "1.2.3.4, 203.0.113.7")) == "203.0.113.7"
    assert client_ip(_request("10.0.0.2", "1.2.3.4, 5.6.7.8, 203.0.113.7")) == "203.0.113.7"
    assert client_ip(_request("10.0.0.2", "[2001:db8::1]:443")) == "2001:db8::1"
    # Without the header (the request did not pass the proxy) or with rubbish: the peer.
    assert client_ip(_request("10.0.0.2")) == "10.0.0.2"
    assert client_ip(_request("10.0.0.2", "niet-een-adres")) == "10.0.0.2"


def test_with_two_proxies_the_client_is_two_hops_back(settings):
    settings.KPO_TRUSTED_PROXY_COUNT = 2
    # client -> CDN (appends client) -> load balancer (appends CDN) -> app (peer: balancer)
    chain = "6.6.6.6, 203.0.113.7, 192.0.2.50"
    assert client_ip(_request("10.0.0.2", chain)) == "203.0.113.7"


def test_lock_out_by_ip_uses_the_real_client_not_the_proxy(client, settings):
    """Behind one proxy, an attacker locking "their" IP does not lock out everyone else, and
    cannot put another client's address in the header to lock that one."""
    settings.KPO_TRUSTED_PROXY_COUNT = 1
    settings.KPO_LOCKOUT = {
        "login_ip": {"failures": 3, "window": 900, "base_seconds": 300, "max_seconds": 3600}
    }
    attacker = {"REMOTE_ADDR": "10.0.0.2", "HTTP_X_FORWARDED_FOR": "198.51.100.8, 198.51.100.7"}
    for n in range(3):
        client.post(
            reverse("accounts:login"),
            {"username": f"gok{n}@gemeente.example", "password": "fout-fout-fout"},
            **attacker,
        )
    victim = UserFactory()
    # The victim (198.51.100.8) passes the same proxy; the attacker's spoofing changed nothing.
    response = client.post(
        reverse("accounts:login"),
        {"username": victim.email, "password": PASSWORD},
        REMOTE_ADDR="10.0.0.2",
        HTTP_X_FORWARDED_FOR="198.51.100.8",
    )
    assert response.status_code == 302
    client.logout()
    # The attacker's own address is locked, whatever they put in front of it.
    locked = client.post(
        reverse("accounts:login"),
        {"username": victim.email, "password": PASSWORD},
        REMOTE_ADDR="10.0.0.2",
        HTTP_X_FORWARDED_FOR="198.51.100.8, 198.51.100.7",
    )
    assert "Te veel mislukte inlogpogingen" in locked.content.decode()
    entry = AuditEntry.objects.filter(action="security.login_locked").latest("pk")
    assert entry.ip_address == "198.51.100.7"


def test_audit_log_records_remote_addr_when_no_proxy_is_trusted(client, settings):
    settings.KPO_TRUSTED_PROXY_COUNT = 0
    settings.KPO_LOCKOUT = {
        "login": {"failures": 1, "window": 900, "base_seconds": 60, "max_seconds": 60}
    }
    user = UserFactory()
    client.post(
        reverse("accounts:login"),
        {"username": user.email, "password": "fout-fout-fout"},
        REMOTE_ADDR="203.0.113.20",
        HTTP_X_FORWARDED_FOR="198.51.100.99",
    )
    entry = AuditEntry.objects.get(action="security.login_locked", target_id=str(user.pk))
    assert entry.ip_address == "203.0.113.20"
