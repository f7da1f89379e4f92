"""Journey: the platform agenda.

A platform community manager has planned a network-wide day (not bound to a community). A
professional finds it through "Agenda" in the header next to the events of their communities,
says they will come and downloads it for their calendar; past events are one link away. The
agenda and the event page are axe-clean at 1280 and 375 px."""

from __future__ import annotations

import uuid

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import check_accessibility, django_shell, screenshot

pytestmark = pytest.mark.e2e

PROFESSIONAL = "professional@demo.kpo.nl"
WIDTHS = (1280, 375)


def _plan_network_event(title: str) -> None:
    """What the platform community manager would have planned (through the service)."""
    django_shell(
        "import datetime as dt\n"
        "from django.contrib.auth.models import Group\n"
        "from django.utils import timezone\n"
        "from communities import services\n"
        "from kpo.accounts.models import User\n"
        "from kpo.core.roles import COMMUNITY_MANAGERS_GROUP\n"
        "organiser = User.objects.filter(groups__name=COMMUNITY_MANAGERS_GROUP).first()\n"
        "services.event_create(community=None, actor=organiser, "
        f"title={title!r}, location='Jaarbeurs Utrecht', "
        "starts_at=timezone.now() + dt.timedelta(days=3))\n"
    )


def test_professional_finds_a_network_wide_event_on_the_agenda(as_user):
    title = f"Netwerkdag ondermijning {uuid.uuid4().hex[:6]}"
    _plan_network_event(title)
    page = as_user(PROFESSIONAL)
    page.goto("/")
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Agenda").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Agenda")
    expect(page.get_by_role("link", name=title)).to_be_visible()
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        page.reload()
        check_accessibility(page)
        screenshot(page, f"agenda-{width}")

    page.set_viewport_size({"width": 1280, "height": 900})
    page.get_by_role("link", name=title).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    expect(page.get_by_text("Netwerkbrede bijeenkomst")).to_be_visible()
    page.get_by_label("Kom je?").select_option("yes")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_text("Je antwoord is opgeslagen.")).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name="Zet in je agenda (.ics)").click()
    assert download.value.suggested_filename.endswith(".ics")
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        page.reload()
        check_accessibility(page)
        screenshot(page, f"netwerkbijeenkomst-{width}")

    page.goto("/agenda/")
    page.get_by_role("link", name="Afgelopen bijeenkomsten").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Afgelopen bijeenkomsten")
    expect(page.get_by_role("link", name=title)).to_have_count(0)
    check_accessibility(page)
