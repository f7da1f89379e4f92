"""Access per visibility, through every door: web, API, files, events, members, feeds and
notifications. Secret → 404 for non-members; closed → listed, content behind a join prompt (web)
or 404 (API); open → readable by every professional."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from communities import services
from communities.selectors import community_list_for_user, thread_list_for_user
from kpo.notifications.models import Notification
from kpo.notifications.selectors import notification_list_for_user, notification_unread_count

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def content(world):
    """A thread, a reply, a file and an event in every community."""
    result = {}
    for vis, community in world.communities.items():
        thread = services.thread_create(
            community=community, author=world.member, title=f"Geheimpje {vis}", body="Inhoud"
        )
        reply = services.reply_create(thread=thread, author=world.manager, body=f"Antwoord {vis}")
        attachment = services.attachment_create(
            community=community,
            user=world.member,
            uploaded=SimpleUploadedFile(f"notitie-{vis}.pdf", PDF),
            thread=thread,
        )
        event = services.event_create(
            community=community,
            actor=world.manager,
            title=f"Bijeenkomst {vis}",
            starts_at=timezone.now() + dt.timedelta(days=7),
        )
        result[vis] = {"thread": thread, "reply": reply, "file": attachment, "event": event}
    return result


def _urls(community, item) -> dict[str, str]:
    slug = community.slug
    return {
        "threads": f"/communities/{slug}/onderwerpen/",
        "thread": item["thread"].get_absolute_url(),
        "files": f"/communities/{slug}/bestanden/",
        "file": f"/communities/{slug}/bestanden/{item['file'].pk}/",
        "events": f"/communities/{slug}/bijeenkomsten/",
        "event": item["event"].get_absolute_url(),
        "ics": f"/communities/{slug}/bijeenkomsten/{item['event'].slug}/agenda.ics",
        "members": f"/communities/{slug}/leden/",
        "feed": f"/communities/{slug}/feed/",
    }


def test_listing_per_visibility(world):
    visible = set(community_list_for_user(user=world.outsider).values_list("slug", flat=True))
    assert {"test-open", "test-closed"} <= visible
    assert "test-secret" not in visible
    member_visible = set(community_list_for_user(user=world.member).values_list("slug", flat=True))
    assert "test-secret" in member_visible


def test_web_secret_is_404_everywhere_for_non_members(outsider_client, world, content):
    community = world.secret
    assert outsider_client.get(community.get_absolute_url()).status_code == 404
    for name, url in _urls(community, content["secret"]).items():
        response = outsider_client.get(url)
        assert response.status_code == 404, name
        assert b"Geheimpje" not in response.content
    assert outsider_client.post(f"/communities/{community.slug}/lid-worden/").status_code == 404
    listing = outsider_client.get("/communities/")
    assert b"Test secret" not in listing.content


def test_web_closed_is_listed_but_content_needs_membership(outsider_client, world, content):
    community = world.closed
    detail = outsider_client.get(community.get_absolute_url())
    assert detail.status_code == 200
    assert community.description.encode() in detail.content
    assert b"Lidmaatschap aanvragen" in detail.content
    assert b"Geheimpje" not in detail.content
    for name, url in _urls(community, content["closed"]).items():
        response = outsider_client.get(url)
        assert response.status_code in (403, 404), name
        assert b"Geheimpje" not in response.content
        assert b"Antwoord closed" not in response.content
    # the join prompt, not a bare error
    prompt = outsider_client.get(_urls(community, content["closed"])["thread"])
    assert prompt.status_code == 403 and b"besloten community" in prompt.content


def test_web_open_is_readable_and_joinable(outsider_client, world, content):
    urls = _urls(world.open, content["open"])
    response = outsider_client.get(urls["thread"])
    assert response.status_code == 200 and b"Antwoord open" in response.content
    assert outsider_client.get(urls["file"]).status_code == 200
    assert outsider_client.get(urls["event"]).status_code == 200
    assert outsider_client.get(urls["feed"]).status_code == 200
    # the members directory is for members only
    assert b"Antwoord" not in outsider_client.get(urls["members"]).content
    assert outsider_client.post(f"/communities/{world.open.slug}/lid-worden/").status_code == 302
    members = outsider_client.get(urls["members"])
    assert members.status_code == 200 and world.manager.display_name.encode() in members.content


def test_members_see_everything(member_client, world, content):
    for vis, community in world.communities.items():
        for name, url in _urls(community, content[vis]).items():
            response = member_client.get(url)
            assert response.status_code == 200, (vis, name)


def test_file_download_is_an_attachment_with_nosniff(member_client, world, content):
    response = member_client.get(_urls(world.secret, content["secret"])["file"])
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == PDF


def test_ics_download(member_client, world, content):
    response = member_client.get(_urls(world.closed, content["closed"])["ics"])
    assert response["Content-Type"].startswith("text/calendar")
    assert "attachment" in response["Content-Disposition"]
    body = response.content.decode()
    assert "BEGIN:VEVENT" in body and "SUMMARY:Bijeenkomst closed" in body


def test_api_secret_and_closed_content_is_404(client, world, content):
    client.force_login(world.outsider)
    listing = client.get("/api/v1/communities").json()
    slugs = (
        {c["slug"] for c in listing["results"]}
        if "results" in listing
        else {c["slug"] for c in listing}
    )
    assert {"test-open", "test-closed"} <= slugs and "test-secret" not in slugs
    for vis in ("closed", "secret"):
        thread = content[vis]["thread"]
        for url in (
            f"/api/v1/communities/test-{vis}/threads",
            f"/api/v1/threads/{thread.pk}",
        ):
            response = client.get(url)
            assert response.status_code == 404, url
            assert response.json()["code"] == "not_found"
        reply = client.post(f"/api/v1/threads/{thread.pk}/replies", {"body": "x"})
        assert reply.status_code == 404
    assert client.post("/api/v1/communities/test-secret/join").status_code == 404
    assert client.get(f"/api/v1/threads/{content['open']['thread'].pk}").status_code == 200


def test_notifications_about_content_you_lost_access_to_are_hidden(world, content):
    services.membership_join(community=world.open, user=world.outsider)
    services.community_follow(community=world.open, user=world.outsider)
    # a member of the closed community gets a notification, then is removed
    follower = world.member
    thread = services.thread_create(
        community=world.closed, author=world.manager, title="Besloten nieuws", body="Tekst"
    )
    assert Notification.objects.filter(recipient=follower, community=world.closed).exists()
    before = notification_unread_count(user=follower)
    from communities.models import Membership
    from kpo.core.access import forget_principals

    services.membership_remove(
        membership=Membership.objects.get(community=world.closed, user=follower),
        actor=world.manager,
    )
    forget_principals(follower)
    titles = [n.title for n in notification_list_for_user(user=follower)]
    assert not any("Besloten nieuws" in t for t in titles)
    assert notification_unread_count(user=follower) < before
    # and a non-member never receives one about a thread they cannot read
    services.reply_create(thread=thread, author=world.manager, body="Nog meer")
    assert not Notification.objects.filter(recipient=world.outsider, community=world.closed)


def test_notification_page_hides_secret_content(client, world, content):
    leaver = world.member
    client.force_login(leaver)
    services.community_follow(community=world.secret, user=leaver)
    services.thread_create(
        community=world.secret, author=world.manager, title="Heel geheim onderwerp", body="x"
    )
    assert b"Heel geheim onderwerp" in client.get("/meldingen/").content
    services.membership_leave(community=world.secret, user=leaver)
    client.force_login(leaver)
    assert b"Heel geheim onderwerp" not in client.get("/meldingen/").content


def test_selector_thread_list_respects_the_rule(world, content):
    titles = set(thread_list_for_user(user=world.outsider).values_list("title", flat=True))
    assert "Geheimpje open" in titles
    assert not titles & {"Geheimpje closed", "Geheimpje secret"}
