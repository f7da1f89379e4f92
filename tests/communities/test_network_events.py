"""Network-wide events (not bound to a community) and sub-groups: the access rule for members,
non-members and anonymous users; who may organise a network-wide event; the platform agenda;
the community page's parent and sub-groups."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser, Group
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from communities import selectors, services
from communities.models import RSVP, Community, Event
from kpo.core.access import PLATFORM, can_read, filter_visible, forget_principals
from kpo.core.roles import COMMUNITY_MANAGERS_GROUP
from tests.factories import CommunityFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def organiser(db):
    user = UserFactory()
    user.groups.add(Group.objects.get_or_create(name=COMMUNITY_MANAGERS_GROUP)[0])
    forget_principals(user)
    return user


def _network_event(organiser, *, days=7, title="RIEC-LIEC-dag", **extra):
    return services.event_create(
        community=None,
        actor=organiser,
        title=title,
        starts_at=timezone.now() + dt.timedelta(days=days),
        location="Utrecht",
        **extra,
    )


def _community_event(world, community, *, days=5, title=None):
    return services.event_create(
        community=community,
        actor=world.manager,
        title=title or f"Bijeenkomst {community.visibility}",
        starts_at=timezone.now() + dt.timedelta(days=days),
    )


# --- access rule ---------------------------------------------------------------------------------


def test_network_wide_event_is_for_every_professional_not_for_anonymous(world, organiser):
    event = _network_event(organiser)
    assert event.community is None and event.is_network_wide
    assert event.read_principals() == frozenset({PLATFORM})
    for user in (world.member, world.outsider, world.manager):
        assert can_read(user, event)
        assert filter_visible(Event.objects.filter(pk=event.pk), user).exists()
    anonymous = AnonymousUser()
    assert not can_read(anonymous, event)
    assert not filter_visible(Event.objects.filter(pk=event.pk), anonymous).exists()
    world.outsider.is_active = False
    forget_principals(world.outsider)
    assert not can_read(world.outsider, event)


def test_set_and_filter_agree_for_events_and_answers(world, organiser):
    """``read_principals`` and ``principals_q`` give the same answer for network-wide events,
    community events of every visibility and their RSVPs."""
    events = [_network_event(organiser)] + [
        _community_event(world, c) for c in world.communities.values()
    ]
    for event in events:
        services.rsvp_set(event=event, user=world.member, answer=RSVP.Answer.YES)
    mine = Event.objects.filter(pk__in=[e.pk for e in events])
    rsvps = RSVP.objects.filter(event__in=mine)
    for user in (world.member, world.outsider, AnonymousUser()):
        visible = set(filter_visible(mine, user).values_list("pk", flat=True))
        assert visible == {e.pk for e in events if can_read(user, e)}
        answers = set(filter_visible(rsvps, user).values_list("pk", flat=True))
        assert answers == {r.pk for r in rsvps if can_read(user, r)}
    outsider_sees = {e.pk for e in events if can_read(world.outsider, e)}
    assert outsider_sees == {events[0].pk, events[1].pk}  # network-wide and open


def test_search_document_of_a_network_wide_event(organiser):
    event = _network_event(organiser)
    doc = event.search_document()
    assert doc["principals"] == [PLATFORM]
    assert doc["community"] == ""
    assert doc["url"] == reverse("agenda:event", args=[event.slug])


# --- who may organise ----------------------------------------------------------------------------


def test_only_platform_staff_organise_network_wide_events(world, organiser):
    for user in (world.member, world.manager, world.outsider):
        with pytest.raises(PermissionDenied):
            _network_event(user)
    event = _network_event(organiser)
    with pytest.raises(PermissionDenied):
        services.event_update(event=event, actor=world.manager, title="Anders")
    with pytest.raises(PermissionDenied):
        services.event_cancel(event=event, actor=world.manager, reason="Geen zaal")
    event = services.event_update(event=event, actor=organiser, location="Zwolle")
    assert event.location == "Zwolle" and event.sequence == 1
    event = services.event_cancel(event=event, actor=organiser, reason="Geen zaal")
    assert event.is_cancelled


def test_rsvp_and_ics_for_a_network_wide_event(world, organiser, client):
    event = _network_event(organiser, capacity=1)
    client.force_login(world.outsider)
    url = reverse("agenda:event", args=[event.slug])
    page = client.get(url)
    assert page.status_code == 200
    assert "RIEC-LIEC-dag" in page.content.decode()
    assert client.post(url, {"answer": "yes"}).status_code == 302
    assert selectors.rsvp_get(event=event, user=world.outsider).answer == RSVP.Answer.YES
    # Full: the next professional waits.
    rsvp = services.rsvp_set(event=event, user=world.member, answer=RSVP.Answer.YES)
    assert rsvp.answer == RSVP.Answer.WAITING
    ics = client.get(reverse("agenda:event_ics", args=[event.slug]))
    assert ics.status_code == 200
    assert ics["Content-Type"].startswith("text/calendar")
    assert b"RIEC-LIEC-dag" in ics.content


def test_network_event_pages_need_login_and_a_network_wide_slug(world, organiser, client):
    event = _network_event(organiser)
    community_event = _community_event(world, world.secret)
    for url in (
        reverse("agenda:list"),
        reverse("agenda:event", args=[event.slug]),
        reverse("agenda:event_ics", args=[event.slug]),
    ):
        response = client.get(url)
        assert response.status_code == 302 and "/account/" in response["Location"]
    client.force_login(world.member)
    # A community's event is not reachable as a network-wide one, even for its members.
    assert client.get(reverse("agenda:event", args=[community_event.slug])).status_code == 404
    assert client.get(reverse("agenda:event", args=["bestaat-niet"])).status_code == 404


# --- the platform agenda -------------------------------------------------------------------------


def test_agenda_lists_what_the_user_may_read(world, organiser, client):
    _network_event(organiser, title="Netwerkdag")
    for community in world.communities.values():
        _community_event(world, community, title=f"Kring {community.visibility}")
    _network_event(organiser, days=-30, title="Terugblikdag")

    client.force_login(world.outsider)
    html = client.get(reverse("agenda:list")).content.decode()
    assert "Netwerkdag" in html and "Kring open" in html and "Netwerkbreed" in html
    assert "Kring closed" not in html and "Kring secret" not in html
    assert "Terugblikdag" not in html
    assert "?afgelopen=1" in html

    client.force_login(world.member)
    html = client.get(reverse("agenda:list")).content.decode()
    assert all(f"Kring {v}" in html for v in Community.Visibility.values)
    assert html.index("Kring open") < html.index("Netwerkdag")  # in date order

    past = client.get(reverse("agenda:list"), {"afgelopen": "1"}).content.decode()
    assert "Terugblikdag" in past and "Netwerkdag" not in past
    # Bad input is the upcoming agenda, never an error.
    assert client.get(reverse("agenda:list"), {"afgelopen": "<x>"}).status_code == 200


def test_agenda_is_in_the_header(world, client):
    client.force_login(world.member)
    html = client.get(reverse("communities:list")).content.decode()
    assert f'href="{reverse("agenda:list")}"' in html


def test_agenda_queries_do_not_grow_with_events(world, organiser, client):
    client.force_login(world.member)
    client.get(reverse("agenda:list"))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("agenda:list"))
    for i in range(6):
        _network_event(organiser, days=i + 1, title=f"Dag {i}")
        _community_event(world, world.closed, days=i + 2, title=f"Kring {i}")
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("agenda:list"))
    assert len(many) == len(few)


# --- sub-groups ----------------------------------------------------------------------------------


def test_community_page_shows_parent_and_only_visible_sub_groups(world, client):
    parent = world.open
    open_sub = CommunityFactory(parent=parent, name="Werkgroep open", slug="werkgroep-open")
    secret_sub = CommunityFactory(
        parent=parent,
        name="Koplopers geheim",
        slug="koplopers-geheim",
        visibility=Community.Visibility.SECRET,
    )
    insider = UserFactory()
    MembershipFactory(community=secret_sub, user=insider)

    client.force_login(world.outsider)
    html = client.get(parent.get_absolute_url()).content.decode()
    assert "Werkgroep open" in html and "Koplopers geheim" not in html
    child = client.get(open_sub.get_absolute_url()).content.decode()
    assert "Subgroep van" in child and parent.get_absolute_url() in child
    assert client.get(secret_sub.get_absolute_url()).status_code == 404

    client.force_login(insider)
    html = client.get(parent.get_absolute_url()).content.decode()
    assert "Werkgroep open" in html and "Koplopers geheim" in html
    relations = selectors.community_relations_for_user(user=insider, community=secret_sub)
    assert relations["parent"] == parent

    anonymous = selectors.community_relations_for_user(user=AnonymousUser(), community=parent)
    assert anonymous == {"parent": None, "subgroups": []}
