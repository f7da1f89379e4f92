"""Every e-mail through the durable outbox; sending with back-off, dead letter and retry, against
a real SMTP server on 127.0.0.1."""

from __future__ import annotations

import pytest
import time_machine
from django.core import mail
from django.core.mail.backends.smtp import EmailBackend as SmtpBackend
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from kpo.notifications.models import EmailOutbox
from kpo.notifications.services import email_enqueue, email_outbox_send_due
from tests.factories import UserFactory
from tests.security.helpers import admin_login

pytestmark = pytest.mark.django_db
DEAD_LETTER_URL = "/admin/e-mail-mislukt/"


def test_the_configured_backend_queues_and_only_the_sender_delivers():
    import kpo.settings as configured  # pytest-django swaps settings.EMAIL_BACKEND for locmem

    assert configured.EMAIL_BACKEND == "kpo.notifications.mail.OutboxEmailBackend"
    assert configured.KPO_EMAIL_DELIVERY_BACKEND != configured.EMAIL_BACKEND
    assert configured.EMAIL_TIMEOUT > 0


def test_django_mail_api_queues_one_row_per_recipient_with_html(settings):
    settings.EMAIL_BACKEND = "kpo.notifications.mail.OutboxEmailBackend"
    from django.core.mail import send_mail

    sent = send_mail(
        "Onderwerp",
        "Tekst",
        None,
        ["a@gemeente.example", "b@gemeente.example"],
        html_message="<p>Tekst</p>",
    )
    assert sent == 1
    rows = list(EmailOutbox.objects.order_by("to"))
    assert [r.to for r in rows] == ["a@gemeente.example", "b@gemeente.example"]
    assert all(r.html_body == "<p>Tekst</p>" and r.status == "pending" for r in rows)
    assert mail.outbox == []  # nothing delivered by the request itself


def test_wagtail_workflow_mail_goes_through_the_outbox(settings):
    settings.EMAIL_BACKEND = "kpo.notifications.mail.OutboxEmailBackend"
    from wagtail.admin.mail import send_mail as wagtail_send_mail

    wagtail_send_mail(
        "Pagina ter goedkeuring",
        "Een pagina wacht op je.",
        ["redacteur@gemeente.example"],
        html_message="<p>Een pagina wacht op je.</p>",
    )
    row = EmailOutbox.objects.get(to="redacteur@gemeente.example")
    assert row.subject == "Pagina ter goedkeuring"
    assert "wacht op je" in row.html_body
    assert mail.outbox == []


def test_failing_smtp_leads_to_dead_letter_then_one_send_after_retry(client, settings, smtp_sink):
    settings.KPO_EMAIL_MAX_ATTEMPTS = 3
    settings.KPO_EMAIL_RETRY_BASE_SECONDS = 60
    smtp_sink.fail_next(3)
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        email_enqueue(
            key="dead-letter-test", to="a@gemeente.example", subject="Belangrijk", body=""
        )
        row = EmailOutbox.objects.get(key="dead-letter-test")
        assert email_outbox_send_due() == {"sent": 0, "retry": 1, "dead": 0}
        assert email_outbox_send_due() == {"sent": 0, "retry": 0, "dead": 0}  # backing off
        traveller.shift(60)
        assert email_outbox_send_due() == {"sent": 0, "retry": 1, "dead": 0}
        traveller.shift(120)
        assert email_outbox_send_due() == {"sent": 0, "retry": 0, "dead": 1}
        traveller.shift(24 * 3600)
        assert email_outbox_send_due() == {"sent": 0, "retry": 0, "dead": 0}  # dead stays dead
    row.refresh_from_db()
    assert (row.status, row.attempts, row.sent_at) == ("dead", 3, None)
    assert "451" in row.last_error
    assert smtp_sink.handler.refused == 3 and smtp_sink.messages == []

    # The platform admin sees it in the Wagtail admin and puts it back in the queue.
    admin_login(client, UserFactory(is_superuser=True, is_staff=True))
    listing = client.get(DEAD_LETTER_URL)
    assert listing.status_code == 200
    assert "Belangrijk" in listing.content.decode() and "451" in listing.content.decode()
    assert client.post(DEAD_LETTER_URL, {"email": [str(row.pk)]}).status_code == 302
    row.refresh_from_db()
    assert (row.status, row.attempts) == ("pending", 0)

    assert email_outbox_send_due()["sent"] == 1
    assert email_outbox_send_due()["sent"] == 0
    row.refresh_from_db()
    assert row.status == "sent" and row.sent_at is not None
    assert len(smtp_sink.messages) == 1
    assert smtp_sink.messages[0]["Subject"] == "Belangrijk"
    assert smtp_sink.messages[0]["To"] == "a@gemeente.example"


def test_dead_letter_listing_is_for_platform_admins_only(client):
    editor = UserFactory(is_staff=True)
    admin_login(client, editor)
    assert client.get(DEAD_LETTER_URL).status_code in (302, 403)
    assert client.post(DEAD_LETTER_URL, {"email": ["1"]}).status_code in (302, 403)


class RecordingSmtpBackend(SmtpBackend):
    """The real SMTP backend, noting how deep in transactions the caller is when it sends."""

    depths: list[int] = []

    def send_messages(self, email_messages):
        RecordingSmtpBackend.depths.append(len(connection.savepoint_ids))
        return super().send_messages(email_messages)


def test_no_transaction_is_open_while_talking_to_the_mail_server(settings, smtp_sink):
    """The claim (SELECT ... FOR UPDATE SKIP LOCKED) is its own short transaction; the SMTP
    conversation runs outside it (the test's own transaction is the only one open)."""
    settings.KPO_EMAIL_DELIVERY_BACKEND = f"{__name__}.RecordingSmtpBackend"
    email_enqueue(key="tx-test", to="a@gemeente.example", subject="Tx", body="Hoi")
    RecordingSmtpBackend.depths = []
    outside = len(connection.savepoint_ids)
    with CaptureQueriesContext(connection) as queries:
        assert email_outbox_send_due()["sent"] == 1
    assert RecordingSmtpBackend.depths == [outside]
    assert any("FOR UPDATE SKIP LOCKED" in q["sql"] for q in queries.captured_queries)
    assert len(smtp_sink.messages) == 1


def test_a_bad_row_does_not_stop_the_others(settings, smtp_sink):
    email_enqueue(key="one", to="a@gemeente.example", subject="Een", body="1")
    email_enqueue(key="two", to="b@gemeente.example", subject="Twee", body="2")
    smtp_sink.fail_next(1)
    assert email_outbox_send_due() == {"sent": 1, "retry": 1, "dead": 0}
    assert [m["Subject"] for m in smtp_sink.messages] == ["Twee"]


class TimeUpBackend(SmtpBackend):
    """Celery's soft time limit strikes while talking to the mail server."""

    def send_messages(self, email_messages):
        from celery.exceptions import SoftTimeLimitExceeded

        raise SoftTimeLimitExceeded()


def test_the_soft_time_limit_gives_claimed_rows_back(settings):
    from celery.exceptions import SoftTimeLimitExceeded

    settings.KPO_EMAIL_DELIVERY_BACKEND = f"{__name__}.TimeUpBackend"
    email_enqueue(key="one", to="a@gemeente.example", subject="Een", body="1")
    email_enqueue(key="two", to="b@gemeente.example", subject="Twee", body="2")
    with pytest.raises(SoftTimeLimitExceeded):
        email_outbox_send_due()
    rows = EmailOutbox.objects.order_by("key")
    assert [(r.status, r.attempts, r.claimed_until) for r in rows] == [("pending", 0, None)] * 2
