"""Contacting an expert through the platform (ADR 0031): no e-mail address of the expert reaches
the sender (pages, headers, API, the sender's own mail), the sender's address reaches nobody,
replies go through a conversation between the two, rate limited, refused when switched off, and
the case-data guard warns like in posts."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from kpo.accounts.models import Conversation, ConversationMessage
from kpo.audit.models import AuditEntry
from kpo.notifications.models import EmailOutbox, Notification
from kpo.notifications.services import email_outbox_send_due, notification_preference_set
from tests.factories import ProfileFactory, UserFactory

pytestmark = pytest.mark.django_db

# A burgerservicenummer that passes the 11-test (9·1+8·1+7·1+6·2+5·2+4·2+3·3+2·3−1·3 = 66).
VALID_BSN = "111222333"


@pytest.fixture
def expert(db):
    user = UserFactory(first_name="Eva", last_name="Expert", email="eva.expert@politie.example")
    ProfileFactory(user=user, function="Financieel rechercheur")
    notification_preference_set(user=user, email_mode="instant")
    return user


@pytest.fixture
def sender(db):
    user = UserFactory(first_name="Sam", last_name="Vraagsteller", email="sam.v@gemeente.example")
    ProfileFactory(user=user)
    notification_preference_set(user=user, email_mode="instant")
    return user


def _contact(client, expert, **data):
    payload = {"subject": "Vraag over Bibob", "body": "Mag ik je iets vragen over vastgoed?"}
    payload.update(data)
    return client.post(reverse("accounts:person_contact", args=[expert.pk]), payload)


def _assert_hidden(response, address: str) -> None:
    assert response.status_code < 500
    assert address.lower() not in response.content.decode().lower()
    for name, value in response.items():
        assert address.lower() not in str(value).lower(), name


def _row_text(row: EmailOutbox) -> str:
    return " ".join([row.subject, row.body, row.html_body, row.from_email, str(row.headers)])


def test_contact_hides_both_addresses_everywhere(client, settings, expert, sender):
    settings.KPO_EMAIL_DELIVERY_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    client.force_login(sender)
    page = client.get(reverse("accounts:person", args=[expert.pk]))
    assert page.status_code == 200 and "Bericht aan Eva Expert" in page.content.decode()
    _assert_hidden(page, expert.email)

    sent = _contact(client, expert)
    assert sent.status_code == 302
    conversation = Conversation.objects.get(sender=sender, expert=expert)
    assert sent["Location"] == conversation.get_absolute_url()
    _assert_hidden(sent, expert.email)
    for url in (
        conversation.get_absolute_url(),
        reverse("accounts:conversations"),
        reverse("api-people"),
        reverse("api-people") + "?q=Expert",
        reverse("accounts:people") + "?q=Expert",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        _assert_hidden(response, expert.email)
    assert "Expert" in client.get(reverse("api-people") + "?q=Expert").content.decode()

    # The expert is told in-app and by e-mail, from the platform's address, without the sender's.
    assert Notification.objects.filter(recipient=expert, kind="contact.message").count() == 1
    to_expert = EmailOutbox.objects.get(to=expert.email)
    assert sender.email not in _row_text(to_expert)
    assert conversation.get_absolute_url() in to_expert.body

    # The expert answers on the platform; the sender's mail carries no address of the expert.
    client.force_login(expert)
    answer = client.post(conversation.get_absolute_url(), {"body": "Natuurlijk, bel me."})
    assert answer.status_code == 302
    _assert_hidden(client.get(conversation.get_absolute_url()), sender.email)
    to_sender = EmailOutbox.objects.get(to=sender.email)
    assert expert.email not in _row_text(to_sender)

    email_outbox_send_due()
    delivered = {m.to[0]: m for m in mail.outbox}
    assert set(delivered) == {expert.email, sender.email}
    for recipient, other in ((sender.email, expert.email), (expert.email, sender.email)):
        message = delivered[recipient]
        raw = message.message().as_string()
        assert other not in raw
        assert message.from_email == settings.DEFAULT_FROM_EMAIL
        assert "Reply-To" not in message.message()
    assert list(conversation.messages.values_list("author_id", flat=True)) == [sender.pk, expert.pk]


def test_only_the_two_read_the_conversation(client, expert, sender):
    client.force_login(sender)
    _contact(client, expert)
    conversation = Conversation.objects.get()
    client.force_login(UserFactory())
    assert client.get(conversation.get_absolute_url()).status_code == 404
    before = ConversationMessage.objects.count()
    assert client.post(conversation.get_absolute_url(), {"body": "Ik ook"}).status_code == 404
    assert ConversationMessage.objects.count() == before
    client.logout()
    response = client.get(conversation.get_absolute_url())
    assert response.status_code == 302 and response["Location"].startswith(
        reverse("accounts:login")
    )


def test_contact_is_rate_limited(client, settings, expert, sender):
    settings.KPO_RATE_LIMITS = {"contact": {"limit": 2, "period": 3600}}
    client.force_login(sender)
    assert _contact(client, expert).status_code == 302
    assert _contact(client, expert).status_code == 302
    third = _contact(client, expert)
    assert third.status_code == 429
    assert "te vaak achter elkaar" in third.content.decode()
    assert Conversation.objects.filter(sender=sender).count() == 2


def test_switched_off_refuses_new_messages(client, expert, sender):
    client.force_login(sender)
    assert _contact(client, expert).status_code == 302
    conversation = Conversation.objects.get()

    client.force_login(expert)
    response = client.post(
        reverse("accounts:profile"),
        {"first_name": "Eva", "last_name": "Expert", "function": "Rechercheur"},
    )
    assert response.status_code == 302
    expert.profile.refresh_from_db()
    assert expert.profile.accepts_contact is False

    client.force_login(sender)
    page = client.get(reverse("accounts:person", args=[expert.pk])).content.decode()
    assert "ontvangt geen berichten" in page and 'name="body"' not in page
    notified = Notification.objects.filter(recipient=expert).count()
    refused = _contact(client, expert, subject="Nog een vraag")
    assert refused.status_code == 403
    assert "ontvangt geen berichten" in refused.content.decode()
    assert Conversation.objects.count() == 1
    refused_reply = client.post(conversation.get_absolute_url(), {"body": "Nog iets?"})
    assert refused_reply.status_code == 403
    assert conversation.messages.count() == 1
    assert Notification.objects.filter(recipient=expert).count() == notified

    # The expert may still answer the conversation they already have.
    client.force_login(expert)
    assert client.post(conversation.get_absolute_url(), {"body": "Toch kort"}).status_code == 302


def test_no_message_to_yourself_or_an_inactive_colleague(client, expert, sender):
    client.force_login(sender)
    assert _contact(client, sender).status_code == 403
    expert.is_active = False
    expert.save(update_fields=["is_active"])
    assert _contact(client, expert).status_code == 404
    assert not Conversation.objects.exists()


def test_case_data_warns_and_is_kept_only_with_a_reason(client, expert, sender):
    client.force_login(sender)
    warned = _contact(client, expert, body=f"Kun je BSN {VALID_BSN} nakijken?")
    assert warned.status_code == 400
    text = warned.content.decode()
    assert "burgerservicenummer" in text and 'name="case_data_reason"' in text
    assert not Conversation.objects.exists() and not EmailOutbox.objects.exists()

    kept = _contact(
        client,
        expert,
        body=f"Kun je BSN {VALID_BSN} nakijken?",
        case_data_reason="Afgestemd met de zaaksofficier",
    )
    assert kept.status_code == 302
    message = ConversationMessage.objects.get()
    assert message.case_data_kinds == ["bsn"]
    entry = AuditEntry.objects.get(action="contact.case_data_confirmed")
    assert VALID_BSN not in str(entry.data) and VALID_BSN not in entry.target_label
    # An invalid check digit is no BSN: no warning.
    assert _contact(client, expert, body="Nummer 111222334 uit het rapport").status_code == 302


@pytest.mark.parametrize(
    "data,phrase",
    [
        ({"subject": ""}, "verplicht"),
        ({"body": "x" * 6000}, "5000"),
        ({"subject": "s" * 300}, "200"),
    ],
    ids=["no-subject", "long-body", "long-subject"],
)
def test_bad_input_is_a_clear_error(client, expert, sender, data, phrase):
    client.force_login(sender)
    response = _contact(client, expert, **data)
    assert response.status_code == 400
    assert phrase in response.content.decode()
    assert not Conversation.objects.exists()
