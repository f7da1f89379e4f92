"""Calendar files: injection-proof .ics, SEQUENCE/LAST-MODIFIED on updates, and the members'
subscribable calendar feed (secret token, revocable, bound to membership and the access rule)."""

from __future__ import annotations

from datetime import timedelta

import icalendar
import pytest
from django.utils import timezone

from communities import services
from communities.ical import event_ics
from communities.models import CalendarToken, Event, Membership
from tests.factories import CommunityFactory, MembershipFactory, UserFactory
from tests.security.helpers import admin_login

pytestmark = pytest.mark.django_db

HOSTILE = (
    "Agenda:\rATTACH:https://evil.example/x.exe\r\nEND:VEVENT\nBEGIN:VEVENT\r"
    "SUMMARY:nep\nATTACH;VALUE=BINARY:AAAA, ook; dit\\"
)


def _event(world, **extra) -> Event:
    return services.event_create(
        community=world.closed,
        actor=world.manager,
        title="Regiobijeenkomst",
        starts_at=timezone.now() + timedelta(days=3),
        **extra,
    )


def _events(body: bytes) -> list:
    calendar = icalendar.Calendar.from_ical(body)
    return list(calendar.walk("VEVENT"))


def test_description_with_cr_lf_and_attach_is_one_event_with_that_text(member_client, world):
    event = _event(world, description=HOSTILE, location="Zaal 1\rATTACH:x")
    expected = HOSTILE.replace("\r\n", "\n").replace("\r", "\n").strip()
    assert event.description == expected  # line endings normalised on the way in

    response = member_client.get(
        f"/communities/{world.closed.slug}/bijeenkomsten/{event.slug}/agenda.ics"
    )
    assert response.status_code == 200
    body = response.content
    assert b"\r\nATTACH" not in body and b"\r\nBEGIN:VEVENT\r\nSUMMARY:nep" not in body
    vevents = _events(body)
    assert len(vevents) == 1
    assert str(vevents[0]["DESCRIPTION"]) == expected
    assert "ATTACH" not in vevents[0]
    assert str(vevents[0]["SUMMARY"]) == "Regiobijeenkomst"
    # Every physical line ends in CRLF and no bare CR is left anywhere.
    assert b"\r" not in body.replace(b"\r\n", b"")


def test_update_bumps_sequence_and_last_modified(world):
    event = _event(world, description="eerst")
    first = _events(event_ics(event))[0]
    assert int(first["SEQUENCE"]) == 0
    before = first["LAST-MODIFIED"].dt

    updated = services.event_update(
        event=event, actor=world.manager, location="Utrecht", description="daarna"
    )
    assert updated.sequence == 1
    second = _events(event_ics(updated))[0]
    assert int(second["SEQUENCE"]) == 1
    assert second["LAST-MODIFIED"].dt >= before
    assert str(second["LOCATION"]) == "Utrecht"
    # No change, no new sequence.
    assert (
        services.event_update(event=updated, actor=world.manager, location="Utrecht").sequence == 1
    )


def test_only_moderators_update_events(world):
    event = _event(world)
    with pytest.raises(Exception, match="moderator|beheerder|mag|toestemming"):
        services.event_update(event=event, actor=world.member, title="Anders")


def test_event_edit_form_updates_the_event(client, world):
    event = _event(world)
    admin_login(client, world.manager)  # a manager's role asks a verified second factor
    response = client.post(
        f"/communities/{world.closed.slug}/bijeenkomsten/{event.slug}/aanpassen/",
        {
            "title": "Nieuwe titel",
            "starts_at": (event.starts_at + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
            "description": "regel 1\r\nregel 2",
        },
    )
    assert response.status_code == 302
    event.refresh_from_db()
    assert (event.title, event.sequence, event.description) == (
        "Nieuwe titel",
        1,
        "regel 1\nregel 2",
    )


# --- the subscribable feed -------------------------------------------------------------------


def _subscribe(client, user, community) -> str:
    client.force_login(user)
    response = client.post(f"/communities/{community.slug}/agenda/", {"action": "regenerate"})
    assert response.status_code == 302
    page = client.get(f"/communities/{community.slug}/agenda/")
    token = CalendarToken.objects.get(user=user, community=community)
    assert token.token in page.content.decode()
    client.logout()
    return token.get_absolute_url()


def test_member_feed_holds_the_communitys_events_without_a_session(client, world):
    event = _event(world, description="Agenda\rATTACH:x")
    other = CommunityFactory(visibility="closed", slug="andere")
    MembershipFactory(community=other, user=world.manager, role=Membership.Role.MANAGER)
    services.event_create(
        community=other, actor=world.manager, title="Elders", starts_at=timezone.now()
    )
    url = _subscribe(client, world.member, world.closed)
    response = client.get(url)  # a calendar app: no session
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    vevents = _events(response.content)
    assert [str(v["SUMMARY"]) for v in vevents] == [event.title]
    assert str(vevents[0]["DESCRIPTION"]) == "Agenda\nATTACH:x"


def test_non_member_has_no_feed(client, world):
    client.force_login(world.outsider)
    response = client.post(f"/communities/{world.closed.slug}/agenda/", {"action": "regenerate"})
    assert response.status_code in (403, 404)
    assert not CalendarToken.objects.filter(user=world.outsider).exists()


def test_unknown_token_and_wrong_community_are_404(client, world):
    url = _subscribe(client, world.member, world.closed)
    assert client.get(f"/communities/{world.closed.slug}/agenda/geheim.ics").status_code == 404
    assert client.get(url.replace(world.closed.slug, world.open.slug)).status_code == 404


def test_regenerated_and_revoked_tokens_are_404(client, world):
    old = _subscribe(client, world.member, world.closed)
    new = _subscribe(client, world.member, world.closed)
    assert old != new
    assert client.get(old).status_code == 404
    assert client.get(new).status_code == 200
    client.force_login(world.member)
    client.post(f"/communities/{world.closed.slug}/agenda/", {"action": "revoke"})
    client.logout()
    assert client.get(new).status_code == 404


def test_feed_stops_when_the_membership_ends(client, world):
    url = _subscribe(client, world.member, world.closed)
    assert client.get(url).status_code == 200
    services.membership_leave(community=world.closed, user=world.member)
    assert client.get(url).status_code == 404


def test_feed_stops_for_a_deactivated_user(client, world):
    url = _subscribe(client, world.member, world.closed)
    world.member.is_active = False
    world.member.save(update_fields=["is_active"])
    assert client.get(url).status_code == 404


def test_feed_of_a_secret_community_member(client, db):
    community = CommunityFactory(visibility="secret", slug="geheim")
    manager, member = UserFactory(), UserFactory()
    MembershipFactory(community=community, user=manager, role=Membership.Role.MANAGER)
    MembershipFactory(community=community, user=member)
    services.event_create(
        community=community, actor=manager, title="Besloten", starts_at=timezone.now()
    )
    url = _subscribe(client, member, community)
    assert [str(v["SUMMARY"]) for v in _events(client.get(url).content)] == ["Besloten"]
