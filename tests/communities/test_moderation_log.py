"""The moderation log reads in Dutch: every action code the services write has a Dutch label,
and the moderator's page shows the label, not the code."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.urls import reverse

from communities import services
from communities.models import ModerationLog
from tests.security.helpers import admin_login

SERVICES = Path(services.__file__).parent


def test_every_action_the_services_log_has_a_dutch_label():
    source = "\n".join(p.read_text() for p in SERVICES.glob("*.py"))
    codes = set(re.findall(r'moderation_log_write\(\s*[\w.]+,\s*\w+,\s*"(\w+)"', source))
    for pair in re.findall(
        r'moderation_log_write\([^)]*?"(\w+)" if \w+ else "(\w+)"', source, re.S
    ):
        codes |= set(pair)
    assert {"hide", "restore", "pin", "unpin", "lock", "unlock", "visibility"} <= codes
    assert codes <= set(ModerationLog.Action.values), codes - set(ModerationLog.Action.values)


@pytest.mark.django_db
def test_the_moderation_page_shows_actions_in_dutch(client, world):
    thread = services.thread_create(
        community=world.open, author=world.member, title="Vraag", body="Tekst"
    )
    services.moderation_hide(post=thread, actor=world.manager, note="Off-topic")
    services.thread_lock(thread=thread, actor=world.manager)
    admin_login(client, world.manager)
    html = client.get(reverse("communities:moderation", args=["test-open"])).content.decode()
    assert "Bericht verborgen" in html and "Onderwerp gesloten" in html
    assert "<td>hide</td>" not in html and "<td>lock</td>" not in html
