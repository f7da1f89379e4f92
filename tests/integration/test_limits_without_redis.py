"""With the real Redis stopped the lock-out still locks (its counters are in PostgreSQL), and a
password-reset mail requested while Redis and the mail server are both down is kept in the outbox
and delivered exactly once, with a working link, when they are back."""

from __future__ import annotations

import re
import time

import pytest
from django.test import Client
from django.urls import reverse

from kpo.notifications.models import EmailOutbox
from kpo.notifications.services import email_outbox_send_due
from kpo.security.models import LockoutCounter
from tests.factories import UserFactory
from tests.notifications.smtp_sink import SmtpSink

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]
PASSWORD = "geheim-wachtwoord-123"


def test_lock_out_locks_with_redis_stopped(redis_server):
    user = UserFactory()
    client = Client()
    redis_server.stop()
    for _ in range(5):
        client.post(
            reverse("accounts:login"), {"username": user.email, "password": "fout-fout-fout"}
        )
    refused = client.post(reverse("accounts:login"), {"username": user.email, "password": PASSWORD})
    assert "Te veel mislukte inlogpogingen" in refused.content.decode()
    assert "_auth_user_id" not in client.session
    token = client.post("/api/v1/auth/token", {"username": user.email, "password": PASSWORD})
    assert token.status_code == 400
    assert LockoutCounter.objects.filter(scope="login", locked_until__isnull=False).exists()
    redis_server.start()
    # Still locked after Redis is back: nothing was kept in the cache.
    again = client.post(reverse("accounts:login"), {"username": user.email, "password": PASSWORD})
    assert "Te veel mislukte inlogpogingen" in again.content.decode()


def test_password_reset_mail_survives_redis_and_smtp_down(redis_server, settings):
    sink = SmtpSink()  # configured, but not started: the mail server is down
    sink.configure(settings)
    settings.KPO_EMAIL_RETRY_BASE_SECONDS = 0
    user = UserFactory()
    client = Client()
    try:
        redis_server.stop()
        started = time.time()
        response = client.post(reverse("security:password_reset"), {"email": user.email})
        assert response.status_code == 302
        assert time.time() - started < 30, "the request must not hang while Redis is down"
        row = EmailOutbox.objects.get(to=user.email)
        assert row.status == "pending"
        # The sender runs (beat) while the mail server is still down: kept for a retry.
        assert email_outbox_send_due(max_batches=1) == {"sent": 0, "retry": 1, "dead": 0}
        row.refresh_from_db()
        assert row.status == "pending" and "Connection" in row.last_error

        redis_server.start()
        sink.start()
        assert email_outbox_send_due()["sent"] == 1
        assert email_outbox_send_due()["sent"] == 0
        assert len(sink.messages) == 1
        message = sink.messages[0]
        assert message["To"] == user.email
        body = message.get_payload(decode=True).decode()
        link = re.search(r"https?://\S+/account/wachtwoord-herstellen/\S+/", body).group(0)
    finally:
        sink.stop()
    path = "/" + link.split("://", 1)[1].split("/", 1)[1]
    form_page = client.get(path, follow=True)
    assert form_page.status_code == 200 and "new_password1" in form_page.content.decode()
    strong = "Een-lang-en-sterk-wachtwoord-2026"
    post_url = form_page.redirect_chain[-1][0]
    done = client.post(post_url, {"new_password1": strong, "new_password2": strong})
    assert done.status_code == 302
    user.refresh_from_db()
    assert user.check_password(strong)
