"""A community's landing text (sanitised) and pinned resources (issue #18): managed by its
managers; what a reader sees of the pins goes through the access rule."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from communities import selectors, services
from communities.models import Community, CommunityPin
from kennisbank import services as kb_services
from kennisbank.models import DocumentType, KennisbankIndexPage, KnowledgeDocumentPage
from kpo.themes.models import Theme
from tests.factories import CommunityFactory
from tests.security.helpers import admin_login

pytestmark = pytest.mark.django_db


def _document(title: str, community=None) -> KnowledgeDocumentPage:
    reviewed = timezone.localdate()
    page = KnowledgeDocumentPage(
        title=title, summary="Samenvatting", year=2024, last_reviewed_at=reviewed,
        doc_type=DocumentType.objects.get(slug="factsheet"),
    )  # fmt: skip
    page.next_review_due = page.due_date_after(reviewed)
    page.themes = [Theme.objects.get(slug="vastgoed")]
    KennisbankIndexPage.objects.get().add_child(instance=page)
    page = kb_services.document_import_published(page=page)
    if community is not None:
        KnowledgeDocumentPage.objects.filter(pk=page.pk).update(community=community)
    return page


def _titles(user, community) -> list[str]:
    return [p.title for p in selectors.community_pins_for_user(user=user, community=community)]


def test_the_landing_text_is_sanitised_and_shown_to_readers(world, client):
    services.community_landing_update(
        community=world.closed,
        actor=world.manager,
        landing_text="<p>Welkom <strong>allemaal</strong></p><script>alert(1)</script>"
        '<a href="javascript:alert(1)" onclick="x()">klik</a>',
    )
    world.closed.refresh_from_db()
    assert "<script" not in world.closed.landing_text
    assert "javascript:" not in world.closed.landing_text
    assert "onclick" not in world.closed.landing_text
    assert "<strong>allemaal</strong>" in world.closed.landing_text
    client.force_login(world.member)
    assert (
        "<strong>allemaal</strong>" in client.get(world.closed.get_absolute_url()).content.decode()
    )
    client.force_login(world.outsider)  # the content of a closed community is for members
    assert "allemaal" not in client.get(world.closed.get_absolute_url()).content.decode()
    with pytest.raises(PermissionDenied):
        services.community_landing_update(
            community=world.closed, actor=world.member, landing_text="Mijn tekst"
        )


def test_pins_of_every_kind_and_the_access_rule(world):
    thread = services.thread_create(
        community=world.open, author=world.manager, title="Draaiboek", body="Tekst"
    )
    upload = SimpleUploadedFile("lijst.txt", b"Een lijst met stappen.\n", "text/plain")
    attachment = services.attachment_create(
        community=world.open, user=world.manager, uploaded=upload
    )
    public_doc = _document("Handreiking voor iedereen")
    closed_doc = _document("Notitie van de besloten groep", community=world.closed)
    elsewhere = CommunityFactory(visibility=Community.Visibility.SECRET, slug="elders")
    secret_doc = _document("Geheim stuk", community=elsewhere)
    add = services.community_pin_add
    add(community=world.open, actor=world.manager, link=thread.get_absolute_url())
    add(community=world.open, actor=world.manager, link=attachment.get_absolute_url())
    add(community=world.open, actor=world.manager, link=public_doc.url, title="Lees dit eerst")
    add(community=world.open, actor=world.manager, link=f"http://testserver{closed_doc.url}")
    add(community=world.open, actor=world.manager, link="https://www.riec.nl/", title="RIEC")
    expected = ["Draaiboek", "lijst.txt", "Lees dit eerst", closed_doc.title, "RIEC"]
    assert _titles(world.manager, world.open) == expected
    # The outsider reads the open community, not the closed community's document.
    assert _titles(world.outsider, world.open) == [t for t in expected if t != closed_doc.title]
    # A hidden thread is no longer shown; neither is an unpublished document.
    services.moderation_hide(post=thread, actor=world.manager)
    KnowledgeDocumentPage.objects.filter(pk=public_doc.pk).update(live=False)
    assert _titles(world.manager, world.open) == ["lijst.txt", closed_doc.title, "RIEC"]
    # The manager cannot pin what they may not read, nor another community's thread.
    other = services.thread_create(
        community=world.closed, author=world.manager, title="Elders", body="Tekst"
    )
    for link in (other.get_absolute_url(), "/bestaat/niet/", "ftp://example.org/x", secret_doc.url):
        with pytest.raises((ValidationError, PermissionDenied)):
            add(community=world.open, actor=world.manager, link=link)
    assert secret_doc.url  # a real page, only not readable for this manager
    with pytest.raises(ValidationError, match="titel"):
        add(community=world.open, actor=world.manager, link="https://example.org/")
    with pytest.raises(ValidationError, match="al vast"):
        add(community=world.open, actor=world.manager, link="https://www.riec.nl/", title="x")
    with pytest.raises(PermissionDenied):
        add(community=world.open, actor=world.member, link="https://example.org/", title="x")


def test_managers_pin_and_unpin_on_their_page(world, client):
    thread = services.thread_create(
        community=world.closed, author=world.member, title="Goede vraag", body="Tekst"
    )
    admin_login(client, world.manager)
    url = reverse("communities:manage", args=[world.closed.slug])
    response = client.post(url, {"actie": "vastzetten", "link": thread.get_absolute_url()})
    assert response.status_code == 302
    pin = CommunityPin.objects.get(community=world.closed)
    client.force_login(world.member)
    page = client.get(world.closed.get_absolute_url()).content.decode()
    assert "Vastgezet" in page and "Goede vraag" in page
    admin_login(client, world.manager)
    response = client.post(url, {"actie": "vastzetten", "link": "/niets/"})
    assert response.status_code == 200 and "Deze link wijst niet" in response.content.decode()
    client.post(url, {"actie": "losmaken", "pin": pin.pk})
    assert not CommunityPin.objects.exists()
    assert client.post(url, {"actie": "losmaken", "pin": "abc"}).status_code == 404
    response = client.post(url, {"actie": "welkomsttekst", "landing_text": "Hallo leden"})
    assert response.status_code == 302
    world.closed.refresh_from_db()
    assert world.closed.landing_text == "<p>Hallo leden</p>"
