"""Digests with frozen time: one e-mail per user per period, only what the user may see at
sending time; idempotent."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine

from communities import services
from communities.models import Membership
from kpo.core.access import forget_principals
from kpo.notifications.models import EmailMode, EmailOutbox
from kpo.notifications.services import notification_preference_set
from kpo.notifications.tasks import send_daily_digest_task, send_weekly_digest_task
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

AMS = ZoneInfo("Europe/Amsterdam")


def _at(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=AMS)


def _digests(prefix: str) -> list[EmailOutbox]:
    return list(EmailOutbox.objects.filter(key__startswith=prefix).order_by("id"))


def test_daily_digest_right_people_right_content_nothing_hidden(world):
    daily, weekly, instant = UserFactory(), UserFactory(), UserFactory()
    silent = UserFactory()  # no preference and no opt-in: e-mail is opt-in (AVG)
    for user in (daily, weekly, instant, silent):
        for community in (world.open, world.closed):
            Membership.objects.create(community=community, user=user)
            forget_principals(user)
            services.community_follow(community=community, user=user)
    notification_preference_set(user=daily, email_mode=EmailMode.DAILY)  # default for all
    notification_preference_set(user=instant, email_mode=EmailMode.INSTANT)
    notification_preference_set(user=weekly, community=world.open, email_mode=EmailMode.WEEKLY)
    notification_preference_set(user=weekly, community=world.closed, email_mode=EmailMode.OFF)

    with time_machine.travel(_at(2026, 3, 10, 10, 0), tick=False):
        services.thread_create(
            community=world.open, author=world.member, title="Open vraag over erfbezoeken", body="x"
        )
        services.thread_create(
            community=world.closed, author=world.member, title="Besloten casus vastgoed", body="x"
        )
        hidden = services.thread_create(
            community=world.open, author=world.member, title="Verwijderde spam", body="x"
        )
        services.moderation_hide(post=hidden, actor=world.manager)
        # `daily` leaves the closed community before the digest goes out
        services.membership_leave(community=world.closed, user=daily)
        forget_principals(daily)

    # a notification after the period is not in this digest
    with time_machine.travel(_at(2026, 3, 11, 0, 30), tick=False):
        services.thread_create(
            community=world.open, author=world.member, title="Te laat voor gisteren", body="x"
        )

    with time_machine.travel(_at(2026, 3, 11, 7, 0), tick=False):
        assert send_daily_digest_task() == 1
        assert send_daily_digest_task() == 0  # idempotent: user + period

    mails = _digests("digest:daily:")
    assert [m.to for m in mails] == [daily.email]
    body = mails[0].body
    assert "Open vraag over erfbezoeken" in body
    assert "Besloten casus vastgoed" not in body  # left the community: not included
    assert "Verwijderde spam" not in body  # hidden by a moderator
    assert "Te laat voor gisteren" not in body
    assert mails[0].key == f"digest:daily:2026-03-10:{daily.pk}"
    # instant users got their e-mails at once and no digest; `off` means nothing
    assert EmailOutbox.objects.filter(to=instant.email, key__startswith="new-thread:").count() >= 2
    assert not EmailOutbox.objects.filter(to=weekly.email, key__startswith="new-thread:").exists()
    assert not EmailOutbox.objects.filter(to=silent.email).exists()

    # the weekly digest: Monday after the week of 9–15 March 2026
    with time_machine.travel(_at(2026, 3, 16, 7, 0), tick=False):
        assert send_weekly_digest_task() == 1
        assert send_weekly_digest_task() == 0
    weekly_mails = _digests("digest:weekly:")
    assert [m.to for m in weekly_mails] == [weekly.email]
    assert "Open vraag over erfbezoeken" in weekly_mails[0].body
    assert "Te laat voor gisteren" in weekly_mails[0].body
    assert "Besloten casus vastgoed" not in weekly_mails[0].body  # preference: off
    assert weekly_mails[0].key == f"digest:weekly:2026-W11:{weekly.pk}"


def test_digest_rechecks_visibility_change_of_the_community(world):
    reader = UserFactory()
    services.membership_join(community=world.open, user=reader)
    notification_preference_set(user=reader, community=world.open, email_mode=EmailMode.DAILY)
    with time_machine.travel(_at(2026, 5, 4, 12, 0), tick=False):
        services.thread_create(community=world.open, author=world.member, title="Eerst", body="x")
        # the reader is removed, and the community becomes secret before sending
        services.membership_remove(
            membership=Membership.objects.get(community=world.open, user=reader),
            actor=world.manager,
        )
        services.community_update(community=world.open, actor=world.manager, visibility="secret")
    with time_machine.travel(_at(2026, 5, 5, 7, 0), tick=False):
        assert send_daily_digest_task() == 0
    assert not _digests("digest:daily:")


def test_preferences_page_sets_modes_per_community(client, world):
    from kpo.notifications.models import NotificationPreference

    client.force_login(world.member)
    page = client.get("/meldingen/voorkeuren/")
    assert page.status_code == 200 and world.secret.name in page.content.decode()
    client.post(
        "/meldingen/voorkeuren/",
        {"standaard": "daily", f"community-{world.closed.pk}": "off"},
    )
    prefs = dict(
        NotificationPreference.objects.filter(user=world.member).values_list(
            "community_id", "email_mode"
        )
    )
    assert prefs[None] == "daily" and prefs[world.closed.pk] == "off"
    client.force_login(world.outsider)
    assert world.secret.name not in client.get("/meldingen/voorkeuren/").content.decode()
