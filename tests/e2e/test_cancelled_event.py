"""Journey: a cancelled event.

The community manager plans a small meeting; a professional takes the one place, a colleague
lands on the waiting list. The manager calls it off with a reason: both are told, the event page
says it does not go ahead and answering is closed.
"""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import check_accessibility, screenshot

pytestmark = pytest.mark.e2e

MANAGER = "communitymanager@demo.kpo.nl"
PROFESSIONAL = "professional@demo.kpo.nl"
COLLEAGUE = "ambassadeur@demo.kpo.nl"
COMMUNITY = "/communities/lerend-netwerk-buitengebied/"


def test_manager_cancels_an_event_and_attendees_are_told(as_user):
    title = f"Erfbetreding in de praktijk {uuid.uuid4().hex[:6]}"
    starts = (dt.date.today() + dt.timedelta(days=14)).strftime("%Y-%m-%dT19:00")
    manager = as_user(MANAGER)
    manager.goto(COMMUNITY + "bijeenkomsten/nieuw/")
    manager.get_by_label("Titel").fill(title)
    manager.get_by_label("Begint om").fill(starts)
    manager.get_by_label("Plaats").fill("Gemeentehuis Ede")
    manager.get_by_label("Maximum aantal deelnemers").fill("1")
    manager.get_by_role("button", name="Opslaan").click()
    expect(manager.get_by_role("heading", level=1)).to_have_text(title)
    event_url = manager.url

    professional = as_user(PROFESSIONAL)
    professional.goto(event_url)
    professional.get_by_label("Kom je?").select_option("yes")
    professional.get_by_role("button", name="Opslaan").click()
    expect(professional.get_by_text("Je antwoord is opgeslagen.")).to_be_visible()

    colleague = as_user(COLLEAGUE)
    colleague.goto(event_url)
    colleague.get_by_label("Kom je?").select_option("yes")
    colleague.get_by_role("button", name="Opslaan").click()
    expect(
        colleague.get_by_text("De bijeenkomst is vol: je staat op de wachtlijst.")
    ).to_be_visible()
    expect(colleague.get_by_text("Je staat op de wachtlijst (plaats 1).")).to_be_visible()

    manager.goto(event_url)
    manager.get_by_role("link", name="Bijeenkomst afgelasten").click()
    check_accessibility(manager)
    manager.get_by_label("Waarom gaat de bijeenkomst niet door?").fill(
        "De spreker is verhinderd; we plannen een nieuwe datum."
    )
    manager.get_by_role("button", name="Afgelasten").click()
    expect(
        manager.get_by_text("De bijeenkomst is afgelast; de deelnemers zijn bericht.")
    ).to_be_visible()

    professional.goto(event_url)
    expect(professional.get_by_role("heading", level=1)).to_have_text(f"Afgelast: {title}")
    expect(professional.get_by_text("De spreker is verhinderd")).to_be_visible()
    expect(professional.get_by_label("Kom je?")).to_have_count(0)
    check_accessibility(professional)
    screenshot(professional, "cancelled-event")

    for person in (professional, colleague):
        person.goto("/meldingen/")
        expect(person.get_by_text(f"Afgelast: {title}")).to_be_visible()
