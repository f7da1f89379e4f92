"""Events (issue #18): an edit tells the attendees what changed; the organiser's check-off list
of attendance; the web form for network-wide events."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
import time_machine
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from communities import services
from communities.models import RSVP, Event
from kpo.core.roles import COMMUNITY_MANAGERS_GROUP
from kpo.notifications.models import Notification
from tests.factories import MembershipFactory, UserFactory
from tests.security.helpers import admin_login

pytestmark = pytest.mark.django_db

START = timezone.make_aware(datetime(2026, 12, 10, 14, 0))


def _staff():
    user = UserFactory()
    user.groups.add(Group.objects.get_or_create(name=COMMUNITY_MANAGERS_GROUP)[0])
    return user


@pytest.fixture
def event(world):
    with time_machine.travel(START - timedelta(days=7), tick=False):
        return services.event_create(
            community=world.closed,
            actor=world.manager,
            title="Intervisie",
            starts_at=START,
            location="Utrecht",
        )


def test_an_edit_tells_the_attendees_what_changed(world, event):
    services.rsvp_set(event=event, user=world.member, answer="yes")
    services.event_update(
        event=event, actor=world.manager, location="Den Haag", starts_at=START + timedelta(days=1)
    )
    note = Notification.objects.get(kind="event_changed", recipient=world.member)
    assert "plaats: Utrecht → Den Haag" in note.body
    assert "begin: 10-12-2026 14:00 → 11-12-2026 14:00" in note.body


def test_the_check_off_list_from_the_day_of_the_event(world, event):
    late = UserFactory()
    MembershipFactory(community=world.closed, user=late)
    services.rsvp_set(event=event, user=world.member, answer="yes")
    services.rsvp_set(event=event, user=late, answer="no")
    with (
        time_machine.travel(START - timedelta(days=1), tick=False),
        pytest.raises(ValidationError, match="vanaf de dag"),
    ):
        services.attendance_set(event=event, actor=world.manager, user=world.member, present=True)
    with time_machine.travel(START - timedelta(hours=3), tick=False):
        rsvp = services.attendance_set(
            event=event, actor=world.manager, user=world.member, present=True
        )
        assert rsvp.attended_at == timezone.now() and rsvp.attendance_recorded_by == world.manager
        with pytest.raises(ValidationError, match="aangemeld"):
            services.attendance_set(event=event, actor=world.manager, user=late, present=True)
        with pytest.raises(PermissionDenied):
            services.attendance_set(
                event=event, actor=world.member, user=world.member, present=True
            )
        services.attendance_set(event=event, actor=world.manager, user=world.member, present=False)
        assert RSVP.objects.get(event=event, user=world.member).attended_at is None


def test_the_check_off_page(world, event, client):
    services.rsvp_set(event=event, user=world.member, answer="maybe")
    url = reverse("communities:event_attendance", args=[world.closed.slug, event.slug])
    client.force_login(world.member)
    assert client.get(url).status_code == 403
    with time_machine.travel(START):
        admin_login(client, world.manager)
        page = client.get(url).content.decode()
        assert world.member.display_name in page and "0 van 1" in page
        client.post(url, {"deelnemer": world.member.pk, "aanwezig": "1"})
        assert RSVP.objects.get(event=event, user=world.member).attended_at is not None
        assert "1 van 1" in client.get(url).content.decode()
        assert client.post(url, {"deelnemer": "x", "aanwezig": "1"}).status_code == 404


def test_platform_staff_plan_a_network_wide_event_on_the_web(world, client):
    client.force_login(world.member)
    create = reverse("agenda:event_create")
    assert client.get(create).status_code == 403
    staff = _staff()
    admin_login(client, staff)
    assert "Netwerkbrede bijeenkomst plannen" in client.get(reverse("agenda:list")).content.decode()
    starts = (timezone.localtime() + timedelta(days=14)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(
        create, {"title": "Netwerkdag ondermijning", "starts_at": starts, "location": "Zwolle"}
    )
    event = Event.objects.get(title="Netwerkdag ondermijning")
    assert event.community is None and response.url == event.get_absolute_url()
    assert client.post(create, {"title": ""}).status_code == 400
    # Edit tells the attendees; attendance works the same as in a community.
    services.rsvp_set(event=event, user=world.member, answer="yes")
    edit = reverse("agenda:event_edit", args=[event.slug])
    response = client.post(edit, {"title": event.title, "starts_at": starts, "location": "Assen"})
    assert response.status_code == 302
    note = Notification.objects.get(kind="event_changed", recipient=world.member)
    assert "Zwolle → Assen" in note.body
    attendance = reverse("agenda:event_attendance", args=[event.slug])
    assert world.member.display_name in client.get(attendance).content.decode()
    client.force_login(world.member)
    assert client.get(edit).status_code == 403
    assert client.get(attendance).status_code == 403
