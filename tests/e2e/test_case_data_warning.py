"""Journey: the guard against case data.

A professional asks a question with a BSN in it: the platform warns before anything is saved,
she removes the number and posts. A second question keeps a licence plate on purpose, with a
reason; the community manager sees that confirmed case in the moderation queue.
"""

from __future__ import annotations

import uuid

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import check_accessibility, screenshot

pytestmark = pytest.mark.e2e

PROFESSIONAL = "professional@demo.kpo.nl"
MANAGER = "communitymanager@demo.kpo.nl"
COMMUNITY = "/communities/lerend-netwerk-buitengebied/"


def test_case_data_warning_remove_or_confirm_and_moderator_sees_it(as_user):
    marker = uuid.uuid4().hex[:6]
    author = as_user(PROFESSIONAL)
    author.goto(COMMUNITY)
    author.get_by_role("link", name="Stel een vraag of start een discussie").click()
    title = f"Inschrijving op een agrarisch perceel {marker}"
    author.get_by_label("Titel").fill(title)
    author.get_by_label("Tekst").fill(
        "Op het erf staat iemand ingeschreven met BSN 111222333. Wat kunnen we doen?"
    )
    author.get_by_role("button", name="Plaatsen").click()

    warning = author.get_by_role("alert").filter(has_text="persoonsgegevens")
    expect(warning).to_be_visible()
    expect(warning).to_contain_text("een burgerservicenummer (BSN)")
    expect(author.get_by_label("Waarom zijn deze gegevens hier nodig?")).to_be_visible()
    check_accessibility(author)
    screenshot(author, "case-data-warning")

    # She removes the number; the question is posted without any confirmation.
    author.get_by_label("Tekst").fill(
        "Op het erf staat iemand ingeschreven die er niet woont. Wat kunnen we doen?"
    )
    author.get_by_role("button", name="Plaatsen").click()
    expect(author.get_by_role("heading", level=1)).to_have_text(title)

    # A second question keeps a licence plate on purpose, with a reason.
    author.goto(COMMUNITY)
    author.get_by_role("link", name="Stel een vraag of start een discussie").click()
    second = f"Busje bij meerdere erven gezien {marker}"
    author.get_by_label("Titel").fill(second)
    author.get_by_label("Tekst").fill("Een busje met kenteken 12-BDF-3 rijdt 's nachts rond.")
    author.get_by_role("button", name="Plaatsen").click()
    expect(author.get_by_role("alert").filter(has_text="een kenteken")).to_be_visible()
    reason = f"Het kenteken staat al in het openbare verslag van de gemeenteraad ({marker})."
    author.get_by_label("Waarom zijn deze gegevens hier nodig?").fill(reason)
    author.get_by_role("button", name="Plaatsen").click()
    expect(author.get_by_role("heading", level=1)).to_have_text(second)

    # The community manager sees the confirmed case, with the reason, and marks it reviewed.
    manager = as_user(MANAGER)
    manager.goto(COMMUNITY + "moderatie/")
    expect(manager.get_by_role("heading", name="Bevestigde zaaksgegevens")).to_be_visible()
    case = manager.get_by_role("listitem").filter(has_text=reason)
    expect(case).to_contain_text("een kenteken")
    check_accessibility(manager)
    case.get_by_role("button", name="Beoordeeld").click()
    expect(manager.get_by_text(reason)).to_have_count(0)
