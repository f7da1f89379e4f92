"""Events in depth: cancel (attendees told, calendars, answering closed), edits that attendees
hear about, and the waiting list when an event is full. Dates on frozen time."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from communities import selectors, services
from communities.ical import event_ics
from communities.models import RSVP
from kpo.notifications.models import Notification
from tests.factories import MembershipFactory, UserFactory
from tests.security.helpers import admin_login

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 3, 9, 8, 0, tzinfo=dt.UTC)


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def _event(world, capacity=None, **extra):
    return services.event_create(
        community=world.closed,
        actor=world.manager,
        title="Kenniskring vastgoed",
        starts_at=NOW + dt.timedelta(days=7),
        location="Utrecht",
        capacity=capacity,
        **extra,
    )


def _member(world):
    user = UserFactory()
    MembershipFactory(community=world.closed, user=user)
    return user


def test_cancelling_tells_everyone_who_would_come_and_closes_answering(world, frozen):
    event = _event(world, capacity=1)
    waiting = _member(world)
    declined = _member(world)
    services.rsvp_set(event=event, user=world.member, answer="yes")
    services.rsvp_set(event=event, user=waiting, answer="yes")
    services.rsvp_set(event=event, user=declined, answer="no")
    sequence = event.sequence

    services.event_cancel(event=event, actor=world.manager, reason="De spreker is ziek.")
    event.refresh_from_db()
    assert event.is_cancelled and event.cancelled_at == NOW
    assert event.cancel_reason == "De spreker is ziek."
    assert event.sequence == sequence + 1
    told = Notification.objects.filter(kind="event_cancelled")
    assert sorted(n.recipient_id for n in told) == sorted([world.member.pk, waiting.pk])
    assert "De spreker is ziek." in told.first().body
    assert b"STATUS:CANCELLED" in event_ics(event)

    with pytest.raises(ValidationError, match="afgelast"):
        services.rsvp_set(event=event, user=declined, answer="yes")
    with pytest.raises(ValidationError, match="al afgelast"):
        services.event_cancel(event=event, actor=world.manager, reason="Nogmaals")
    with pytest.raises(ValidationError, match="afgelast"):
        services.event_update(event=event, actor=world.manager, title="Nieuw")
    # Telling twice sends nothing twice: the notification is keyed per event.
    assert told.count() == 2


def test_only_moderators_cancel_and_a_reason_is_required(world, frozen):
    event = _event(world)
    with pytest.raises(PermissionDenied):
        services.event_cancel(event=event, actor=world.member, reason="Geen zin")
    with pytest.raises(ValidationError) as caught:
        services.event_cancel(event=event, actor=world.manager, reason="   ")
    assert caught.value.message_dict == {"reason": ["Geef een reden op."]}
    event.refresh_from_db()
    assert not event.is_cancelled


def test_a_cancelled_event_gets_no_reminder(world, frozen):
    event = services.event_create(
        community=world.closed,
        actor=world.manager,
        title="Morgen",
        starts_at=NOW + dt.timedelta(days=1, hours=2),
    )
    services.rsvp_set(event=event, user=world.member, answer="yes")
    services.event_cancel(event=event, actor=world.manager, reason="Zaal niet beschikbaar.")
    assert services.event_reminders_send() == 0


def test_a_change_of_time_or_place_is_news_for_attendees_but_a_typo_is_not(world, frozen):
    event = _event(world)
    services.rsvp_set(event=event, user=world.member, answer="maybe")
    services.event_update(event=event, actor=world.manager, description="Met lunch.")
    assert not Notification.objects.filter(kind="event_changed").exists()
    services.event_update(event=event, actor=world.manager, location="Den Haag")
    changed = Notification.objects.get(kind="event_changed")
    assert changed.recipient == world.member and "Den Haag" in changed.body


def test_full_event_puts_yes_on_the_waiting_list_in_order_and_promotes_when_a_place_frees(
    world, frozen
):
    event = _event(world, capacity=1)
    first, second = _member(world), _member(world)
    assert services.rsvp_set(event=event, user=world.member, answer="yes").answer == "yes"
    with time_machine.travel(NOW + dt.timedelta(minutes=1), tick=False):
        one = services.rsvp_set(event=event, user=first, answer="yes")
    with time_machine.travel(NOW + dt.timedelta(minutes=2), tick=False):
        two = services.rsvp_set(event=event, user=second, answer="yes")
    assert (one.answer, two.answer) == ("waiting", "waiting")
    assert selectors.rsvp_waiting_position(rsvp=one) == 1
    assert selectors.rsvp_waiting_position(rsvp=two) == 2
    # Saying "yes" again while waiting keeps the place in the queue.
    with time_machine.travel(NOW + dt.timedelta(minutes=3), tick=False):
        again = services.rsvp_set(event=event, user=first, answer="yes")
    assert again.answer == "waiting" and selectors.rsvp_waiting_position(rsvp=again) == 1

    services.rsvp_set(event=event, user=world.member, answer="no")
    answers = dict(RSVP.objects.filter(event=event).values_list("user_id", "answer"))
    assert answers[first.pk] == "yes" and answers[second.pk] == "waiting"
    promoted = Notification.objects.get(kind="event_place")
    assert promoted.recipient == first

    # More places promote the rest.
    services.event_update(event=event, actor=world.manager, capacity=3)
    assert RSVP.objects.get(event=event, user=second).answer == "yes"


def test_nobody_can_put_themselves_on_the_waiting_list_directly(world, frozen):
    event = _event(world, capacity=5)
    with pytest.raises(ValidationError):
        services.rsvp_set(event=event, user=world.member, answer="waiting")


def test_event_pages_show_cancellation_and_waiting_place(client, world, frozen):
    event = _event(world, capacity=1)
    services.rsvp_set(event=event, user=world.manager, answer="yes")
    client.force_login(world.member)
    url = reverse("communities:event", args=[world.closed.slug, event.slug])
    response = client.post(url, {"answer": "yes"}, follow=True)
    html = response.content.decode()
    assert "je staat op de wachtlijst" in html and "plaats 1" in html

    cancel_url = reverse("communities:event_cancel", args=[world.closed.slug, event.slug])
    assert client.get(cancel_url).status_code == 403
    admin_login(client, world.manager)
    assert client.post(cancel_url, {"reason": ""}).status_code == 400
    done = client.post(cancel_url, {"reason": "De zaal is onder water gelopen."})
    assert done.status_code == 302
    html = client.get(url).content.decode()
    assert "Afgelast:" in html and "De zaal is onder water gelopen." in html
    assert 'name="answer"' not in html
