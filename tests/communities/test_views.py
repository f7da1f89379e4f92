"""Web views: the thread page's query count, uploads, forms and manager pages."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from communities import services
from communities.models import Attachment, Membership, Reaction, Reply, Thread
from tests.factories import UserFactory
from tests.security.helpers import admin_login

pytestmark = pytest.mark.django_db


def _thread_with_replies(world, n: int) -> Thread:
    thread = services.thread_create(
        community=world.closed, author=world.member, title=f"Draad met {n}", body="Vraag"
    )
    authors = [world.member, world.manager, *[UserFactory() for _ in range(3)]]
    for user in authors[2:]:
        Membership.objects.create(community=world.closed, user=user)
    replies = Reply.objects.bulk_create(
        Reply(thread=thread, author=authors[i % len(authors)], body=f"<p>Reactie {i}</p>")
        for i in range(n)
    )
    Reaction.objects.bulk_create(Reaction(user=world.manager, reply=r) for r in replies[::3])
    thread.accepted_reply = replies[1]
    thread.save()
    return thread


def _count(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_thread_page_query_count_does_not_grow_with_replies(member_client, world, settings):
    settings.KPO_PAGE_CACHE_SECONDS = 0  # every request renders the page (ADR 0035: a miss)
    small = _thread_with_replies(world, 10)
    large = _thread_with_replies(world, 200)
    for thread in (small, large):  # warm caches (content types, session, the reader's marks)
        _count(member_client, thread.get_absolute_url())
    few = _count(member_client, small.get_absolute_url())
    many = _count(member_client, large.get_absolute_url())
    assert few == many, f"10 replies: {few} queries, 200 replies: {many} queries"
    page = member_client.get(large.get_absolute_url()).content.decode()
    assert "Reactie 199" in page and "Geaccepteerd antwoord" in page


def test_thread_page_hit_is_cheaper_than_a_miss_and_flat(member_client, world):
    """A stored thread page (ADR 0035) runs fewer queries than rendering it, and the same number
    for 10 and for 200 replies (the reader's own marks and follow state are one query)."""
    small = _thread_with_replies(world, 10)
    large = _thread_with_replies(world, 200)
    _count(member_client, "/")  # warm (content types, session)
    miss = _count(member_client, small.get_absolute_url())
    few = _count(member_client, small.get_absolute_url())
    _count(member_client, large.get_absolute_url())
    many = _count(member_client, large.get_absolute_url())
    print(f"\nthread page: miss {miss}, hit {few} (10 replies) / {many} (200 replies) queries")
    assert few < miss
    assert few == many


def _exe_bytes() -> bytes:
    return b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 200


def _files_in(root) -> list:
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


@pytest.mark.parametrize(
    "name,payload",
    [
        ("jaarverslag.pdf", _exe_bytes()),
        ("foto.jpg", b"\x7fELF\x02\x01\x01" + b"\x00" * 100),
        ("notulen.docx", None),  # a zip with an executable inside
    ],
)
def test_disguised_executable_is_refused_and_nothing_stored(
    member_client, world, settings, tmp_path, name, payload
):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    if payload is None:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr("word/document.xml", "<w:document/>")
            archive.writestr("word/macro.exe", _exe_bytes())
        payload = buffer.getvalue()
    before = Attachment.objects.count()
    response = member_client.post(
        f"/communities/{world.closed.slug}/bestanden/",
        {"file": SimpleUploadedFile(name, payload, content_type="application/pdf")},
    )
    assert response.status_code == 400
    assert "uitvoerbaar bestand" in response.content.decode()
    assert Attachment.objects.count() == before
    assert _files_in(tmp_path / "private") == []


def test_too_large_upload_is_refused(member_client, world, settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.KPO_MAX_UPLOAD_BYTES = 100
    response = member_client.post(
        f"/communities/{world.closed.slug}/bestanden/",
        {"file": SimpleUploadedFile("groot.txt", b"a" * 500)},
    )
    assert response.status_code == 400
    assert "te groot" in response.content.decode()
    assert _files_in(tmp_path / "private") == []


def test_valid_pdf_upload_is_stored_privately(member_client, world, settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    response = member_client.post(
        f"/communities/{world.closed.slug}/bestanden/",
        {"file": SimpleUploadedFile("verslag.pdf", b"%PDF-1.7\n%%EOF\n")},
    )
    assert response.status_code == 302
    attachment = Attachment.objects.get(filename="verslag.pdf")
    assert attachment.content_type == "application/pdf"
    assert len(_files_in(tmp_path / "private")) == 1


def test_thread_create_via_web_sanitises(member_client, world):
    response = member_client.post(
        f"/communities/{world.closed.slug}/onderwerpen/nieuw/",
        {
            "kind": "question",
            "title": "Veilig?",
            "body": '<p>Hoi</p><script>alert("x")</script><a href="javascript:alert(1)">x</a>',
        },
    )
    assert response.status_code == 302
    thread = Thread.objects.get(title="Veilig?")
    page = member_client.get(thread.get_absolute_url()).content.decode()
    assert 'alert("x")' not in page and "javascript:alert" not in page


def test_empty_thread_shows_dutch_error(member_client, world):
    response = member_client.post(
        f"/communities/{world.closed.slug}/onderwerpen/nieuw/",
        {"kind": "question", "title": "Leeg", "body": "<script>x</script>"},
    )
    assert response.status_code == 200
    assert "Schrijf een tekst." in response.content.decode()
    assert not Thread.objects.filter(title="Leeg").exists()


def test_reply_accept_react_follow_flag_through_the_web(client, world):
    thread = services.thread_create(
        community=world.closed, author=world.member, title="Wie weet dit?", body="Vraag"
    )
    admin_login(client, world.manager)  # a verified second factor
    client.post(f"{thread.get_absolute_url()}reageren/", {"body": "Ik weet het"})
    reply = thread.replies.get()
    client.force_login(world.member)
    base = thread.get_absolute_url()
    assert client.post(f"{base}reacties/{reply.pk}/accepteren/").status_code == 302
    assert client.post(f"{base}reacties/{reply.pk}/nuttig/").status_code == 302
    assert client.post(f"{base}reacties/{reply.pk}/melden/", {"reason": "Klopt niet"}).status_code
    thread.refresh_from_db()
    assert thread.accepted_reply == reply
    assert reply.reactions.count() == 1 and reply.flags.count() == 1
    admin_login(client, world.manager)  # a verified second factor
    queue = client.get(f"/communities/{world.closed.slug}/moderatie/")
    assert queue.status_code == 200 and "Klopt niet" in queue.content.decode()
    client.force_login(world.member)
    assert client.get(f"/communities/{world.closed.slug}/moderatie/").status_code == 403


def test_manage_page_invite_and_decide(client, world):
    admin_login(client, world.manager)  # a verified second factor
    url = f"/communities/{world.closed.slug}/beheer/"
    assert client.get(url).status_code == 200
    response = client.post(
        url, {"actie": "uitnodigen", "email": "nieuw@politie.example", "role": "member"}
    )
    assert response.status_code == 302
    assert world.closed.invitations.filter(email="nieuw@politie.example").exists()
    bad = client.post(
        url, {"actie": "uitnodigen", "email": "nieuw@politie.example", "role": "member"}
    )
    assert "al uitgenodigd" in bad.content.decode()
    request = services.membership_request(community=world.closed, user=world.outsider)
    client.post(url, {"actie": "goedkeuren", "verzoek": request.pk, "bericht": "Welkom"})
    assert Membership.objects.get(community=world.closed, user=world.outsider).is_active
    client.force_login(world.member)
    assert client.get(url).status_code == 403


def test_only_community_managers_see_create(client, world):
    client.force_login(world.member)
    assert client.get("/communities/nieuw/").status_code == 403
    cm = UserFactory(groups=["Communitymanagers"])
    admin_login(client, cm)  # a verified second factor
    response = client.post(
        "/communities/nieuw/",
        {"name": "Kenniskring Test", "description": "Over testen", "visibility": "secret"},
    )
    assert response.status_code == 302
    assert client.get("/communities/kenniskring-test/").status_code == 200
