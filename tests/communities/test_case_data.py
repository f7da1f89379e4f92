"""The guard against case data: warn before a post or file name is saved, save only with a
reason, moderators see confirmed cases, and the values never reach the database's log tables,
the audit trail or a log line."""

from __future__ import annotations

import logging

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from communities import selectors, services
from communities.models import (
    Attachment,
    CaseDataConfirmation,
    ModerationLog,
    Reply,
    Thread,
    ThreadRevision,
)
from kpo.audit.models import AuditEntry
from tests.security.helpers import admin_login

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
BSN = "111222333"
IBAN = "NL91ABNA0417164300"
PLATE = "12-BDF-3"
ADDRESS = "3511 AB 12"
VALUES = [BSN, IBAN, PLATE, ADDRESS, "3511AB", "111 222 333"]


def _nowhere_stored(caplog) -> None:
    """None of the values is in an audit entry, the moderation log, a confirmation or a log."""
    haystacks = [
        repr(list(AuditEntry.objects.values())),
        repr(list(ModerationLog.objects.values())),
        repr(list(CaseDataConfirmation.objects.values())),
        caplog.text,
        repr([r.__dict__ for r in caplog.records]),
    ]
    for value in VALUES:
        for haystack in haystacks:
            assert value not in haystack


def test_a_thread_with_a_bsn_is_refused_with_a_warning_and_nothing_is_written(world, caplog):
    caplog.set_level(logging.DEBUG)
    with pytest.raises(services.CaseDataWarning) as caught:
        services.thread_create(
            community=world.open,
            author=world.member,
            title="Vraag over een huurder",
            body=f"<p>De huurder met BSN {BSN} staat ingeschreven.</p>",
        )
    warning = caught.value
    assert warning.kinds == ["bsn"]
    assert warning.code == "case_data"
    assert [(part, [f.kind for f in found]) for part, found in warning.items()] == [
        ("body", ["bsn"])
    ]
    assert BSN not in " ".join(warning.messages)
    assert "burgerservicenummer" in " ".join(warning.messages)
    assert not Thread.objects.filter(community__slug__startswith="test-").exists()
    _nowhere_stored(caplog)


def test_confirmed_with_a_reason_the_thread_is_saved_and_moderators_see_the_case(world, caplog):
    caplog.set_level(logging.DEBUG)
    thread = services.thread_create(
        community=world.closed,
        author=world.member,
        title=f"Auto {PLATE} bij meerdere panden",
        body=f"<p>Rekening {IBAN}.</p>",
        case_data_reason="Het kenteken is openbaar en nodig voor de vraag.",
    )
    assert Thread.objects.filter(pk=thread.pk).exists()
    confirmation = CaseDataConfirmation.objects.get()
    assert confirmation.thread == thread and confirmation.author == world.member
    assert confirmation.kinds == ["iban", "licence_plate"]
    assert confirmation.kind_labels == ["een IBAN-rekeningnummer", "een kenteken"]
    assert list(selectors.case_data_queue(community=world.closed)) == [confirmation]
    entry = AuditEntry.objects.get(action="moderation.case_data_confirmed")
    assert entry.data == {"kinds": ["iban", "licence_plate"], "community": "test-closed"}
    assert entry.target_id == str(thread.pk)
    _nowhere_stored(caplog)


def test_a_reason_that_itself_contains_case_data_is_refused(world):
    with pytest.raises(ValidationError) as caught:
        services.thread_create(
            community=world.open,
            author=world.member,
            title="Vraag",
            body=f"BSN {BSN}",
            case_data_reason=f"Het gaat om {BSN}",
        )
    assert not isinstance(caught.value, services.CaseDataWarning)
    assert caught.value.message_dict == {
        "case_data_reason": ["Zet in de reden zelf geen persoonsgegevens."]
    }
    assert not Thread.objects.filter(community__slug__startswith="test-").exists()


def test_a_reply_with_an_address_is_warned_and_saved_only_with_a_reason(world):
    thread = services.thread_create(
        community=world.open, author=world.member, title="Verhuur", body="Wie weet meer?"
    )
    with pytest.raises(services.CaseDataWarning) as caught:
        services.reply_create(thread=thread, author=world.manager, body=f"Het pand {ADDRESS}.")
    assert caught.value.kinds == ["address"]
    assert not Reply.objects.filter(thread__community__slug__startswith="test-").exists()
    reply = services.reply_create(
        thread=thread,
        author=world.manager,
        body=f"Het pand {ADDRESS}.",
        case_data_reason="Adres van een openbaar bedrijfspand.",
    )
    confirmation = CaseDataConfirmation.objects.get()
    assert confirmation.reply == reply and confirmation.thread == thread
    assert confirmation.kinds == ["address"]


def test_an_edit_passes_the_same_guard(world):
    thread = services.thread_create(
        community=world.open, author=world.member, title="Verhuur", body="Wie weet meer?"
    )
    with pytest.raises(services.CaseDataWarning):
        services.post_edit(post=thread, actor=world.member, body=f"BSN {BSN}", title="Verhuur")
    thread.refresh_from_db()
    assert BSN not in thread.body
    assert not ThreadRevision.objects.filter(thread=thread).exists()
    services.post_edit(
        post=thread, actor=world.member, body=f"BSN {BSN}", case_data_reason="Fictief voorbeeld."
    )
    assert CaseDataConfirmation.objects.get().kinds == ["bsn"]


def test_an_attachment_name_with_case_data_is_warned_before_anything_is_stored(world):
    with pytest.raises(services.CaseDataWarning) as caught:
        services.attachment_create(
            community=world.open,
            user=world.member,
            uploaded=SimpleUploadedFile(f"dossier_{BSN}.pdf", PDF),
        )
    assert [part for part, _ in caught.value.items()] == ["filename"]
    assert not Attachment.objects.filter(community__slug__startswith="test-").exists()
    attachment = services.attachment_create(
        community=world.open,
        user=world.member,
        uploaded=SimpleUploadedFile(f"dossier_{BSN}.pdf", PDF),
        case_data_reason="Geanonimiseerd voorbeeld uit de training.",
    )
    assert CaseDataConfirmation.objects.get().attachment == attachment


def test_a_file_attached_to_a_new_thread_is_checked_with_the_thread(world):
    with pytest.raises(services.CaseDataWarning) as caught:
        services.thread_create(
            community=world.open,
            author=world.member,
            title="Zie bijlage",
            body="Zie de bijlage.",
            uploads=[SimpleUploadedFile(f"auto {PLATE}.pdf", PDF)],
        )
    assert caught.value.kinds == ["licence_plate"]
    assert (
        not Thread.objects.filter(community__slug__startswith="test-").exists()
        and not Attachment.objects.filter(community__slug__startswith="test-").exists()
    )


def test_text_without_case_data_is_saved_without_any_confirmation(world):
    services.thread_create(
        community=world.open,
        author=world.member,
        title="Bibob en zeggenschap",
        body="Artikel 13b Opiumwet, zie de handreiking van 12-03-2024.",
    )
    assert not CaseDataConfirmation.objects.exists()


def test_only_moderators_mark_a_confirmed_case_reviewed(world):
    services.thread_create(
        community=world.open,
        author=world.member,
        title="Vraag",
        body=f"BSN {BSN}",
        case_data_reason="Fictief voorbeeld.",
    )
    confirmation = CaseDataConfirmation.objects.get()
    with pytest.raises(PermissionDenied):
        services.case_data_review(confirmation=confirmation, actor=world.member)
    services.case_data_review(confirmation=confirmation, actor=world.manager)
    assert list(selectors.case_data_queue(community=world.open)) == []


# --- the front end and the API -------------------------------------------------------------------


def test_the_thread_form_warns_and_keeps_the_text_then_saves_with_a_reason(client, world, caplog):
    caplog.set_level(logging.DEBUG)
    client.force_login(world.member)
    url = reverse("communities:thread_create", args=["test-open"])
    data = {"kind": "question", "title": "Huurder", "body": f"BSN {BSN} staat ingeschreven."}
    warned = client.post(url, data)
    assert warned.status_code == 400
    html = warned.content.decode()
    assert "Controleer je bericht op persoonsgegevens" in html
    assert "een burgerservicenummer (BSN)" in html
    assert 'name="case_data_reason"' in html and "<textarea" in html
    assert not Thread.objects.filter(community__slug__startswith="test-").exists()
    saved = client.post(url, {**data, "case_data_reason": "Fictief voorbeeld voor de vraag."})
    thread = Thread.objects.get(community=world.open)
    assert saved.status_code == 302 and saved["Location"] == thread.get_absolute_url()
    assert CaseDataConfirmation.objects.get().thread == thread
    _nowhere_stored(caplog)


def test_the_reply_form_shows_the_warning_on_its_own_page(client, world):
    thread = services.thread_create(
        community=world.open, author=world.member, title="Verhuur", body="Wie weet meer?"
    )
    client.force_login(world.member)
    response = client.post(
        reverse("communities:reply", args=["test-open", thread.pk]), {"body": f"IBAN {IBAN}"}
    )
    assert response.status_code == 400
    assert "een IBAN-rekeningnummer" in response.content.decode()
    assert not Reply.objects.filter(thread__community__slug__startswith="test-").exists()


def test_the_moderation_queue_lists_confirmed_cases_for_moderators_only(client, world):
    services.thread_create(
        community=world.open,
        author=world.member,
        title="Vraag",
        body=f"BSN {BSN}",
        case_data_reason="Fictief voorbeeld.",
    )
    url = reverse("communities:moderation", args=["test-open"])
    client.force_login(world.member)
    assert client.get(url).status_code == 403
    admin_login(client, world.manager)
    html = client.get(url).content.decode()
    assert "Bevestigde zaaksgegevens" in html and "Fictief voorbeeld." in html
    confirmation = CaseDataConfirmation.objects.get()
    assert client.post(url, {"zaaksgegevens": str(confirmation.pk)}).status_code == 302
    confirmation.refresh_from_db()
    assert confirmation.status == CaseDataConfirmation.Status.REVIEWED
    assert client.post(url, {"zaaksgegevens": "x" * 30}).status_code == 404


def test_the_api_answers_case_data_with_a_400_and_accepts_a_reason(client, world, caplog):
    caplog.set_level(logging.DEBUG)
    client.force_login(world.member)
    url = reverse("api-community-threads", args=["test-open"])
    body = {"title": "Huurder", "body": f"Kenteken {PLATE}"}
    refused = client.post(url, body, content_type="application/json")
    assert refused.status_code == 400
    assert refused["Content-Type"].startswith("application/problem+json")
    assert refused.json()["code"] == "case_data" and PLATE not in refused.content.decode()
    created = client.post(
        url, {**body, "case_data_reason": "Openbaar kenteken."}, content_type="application/json"
    )
    assert created.status_code == 201
    assert CaseDataConfirmation.objects.get().kinds == ["licence_plate"]
    _nowhere_stored(caplog)
