"""Journey 3: a community manager runs a closed community.

Create a closed community, invite a colleague by e-mail, approve a join request (of the Bibob
officer, from her own browser), pin a thread, and hide a post that a member flagged.
"""

from __future__ import annotations

import uuid

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import check_accessibility, screenshot

pytestmark = pytest.mark.e2e

MANAGER = "communitymanager@demo.kpo.nl"
APPLICANT = "professional@demo.kpo.nl"
INVITEE = "jurist@demo.kpo.nl"


def test_manager_creates_invites_approves_pins_and_hides(as_user):
    name = f"Casusoverleg vastgoedfraude {uuid.uuid4().hex[:6]}"
    manager = as_user(MANAGER)
    manager.goto("/")
    manager.get_by_role("navigation", name="Hoofdmenu").get_by_role(
        "link", name="Communities"
    ).click()
    manager.get_by_role("link", name="Nieuwe community").click()
    check_accessibility(manager)
    manager.get_by_label("Naam").fill(name)
    manager.get_by_label("Omschrijving").fill("Besloten overleg over vastgoedfraude in de regio.")
    manager.get_by_label("Besloten", exact=True).check()
    manager.get_by_label("Ondermijning in het vastgoed", exact=True).check()
    manager.get_by_role("button", name="Opslaan").click()
    expect(manager.get_by_text("De community is aangemaakt.")).to_be_visible()
    expect(manager.get_by_role("heading", level=1)).to_have_text(name)
    community_url = manager.url

    # Invite a colleague by e-mail.
    manager.get_by_role("navigation", name="Community").get_by_role("link", name="Beheer").click()
    manager.get_by_label("E-mailadres").fill(INVITEE)
    manager.get_by_role("button", name="Uitnodigen").click()
    expect(manager.get_by_text("De uitnodiging is verstuurd.")).to_be_visible()
    expect(manager.get_by_role("heading", name="Openstaande uitnodigingen")).to_be_visible()
    expect(manager.get_by_text(f"{INVITEE} (Lid)")).to_be_visible()
    expect(
        manager.get_by_role("button", name=f"Uitnodiging van {INVITEE} intrekken")
    ).to_be_visible()

    # A professional asks to join; the manager approves.
    applicant = as_user(APPLICANT)
    applicant.goto(community_url)
    expect(applicant.get_by_role("link", name="Vragen en discussies")).to_have_count(0)
    applicant.get_by_role("link", name="Lidmaatschap aanvragen").click()
    applicant.get_by_label("Waarom wil je lid worden? (optioneel)").fill(
        "Ik coördineer de Bibob-toetsen bij vastgoedtransacties."
    )
    applicant.get_by_role("button", name="Verzoek versturen").click()
    expect(applicant.get_by_text("Je verzoek is verstuurd.")).to_be_visible()

    manager.reload()
    request_card = manager.locator("li.kpo-card").filter(has_text=APPLICANT)
    request_card.get_by_label("Bericht aan de aanvrager (optioneel)").fill("Welkom!")
    request_card.get_by_role("button", name="Goedkeuren").click()
    expect(manager.get_by_text("Het verzoek is afgehandeld.")).to_be_visible()
    expect(manager.get_by_text("Geen openstaande verzoeken.")).to_be_visible()
    check_accessibility(manager)

    # The new member starts a thread and posts a reply that another member flags.
    applicant.goto(community_url)
    expect(applicant.get_by_role("button", name="Community verlaten")).to_be_visible()
    applicant.get_by_role("link", name="Stel een vraag of start een discussie").click()
    applicant.get_by_label("Discussie", exact=True).check()
    applicant.get_by_label("Titel").fill("Werkafspraken casusoverleg")
    applicant.get_by_label("Tekst").fill("Hoe vaak komen we bij elkaar, en wie zit voor?")
    applicant.get_by_role("button", name="Plaatsen").click()
    thread_url = applicant.url
    offensive = "Deze reactie bevat persoonsgegevens van een betrokkene die hier niet horen."
    applicant.get_by_label("Jouw reactie").fill(offensive)
    applicant.get_by_role("button", name="Reactie plaatsen").click()
    expect(applicant.get_by_text(offensive)).to_be_visible()

    manager.goto(thread_url)
    reply = manager.locator("li.kpo-card").filter(has_text=offensive)
    reply.locator("summary", has_text="Melden").click()
    reply.get_by_label("Waarom meld je dit bericht?").fill("Bevat persoonsgegevens.")
    reply.get_by_role("button", name="Melden").click()
    expect(manager.get_by_text("Dank je. De moderatoren bekijken je melding.")).to_be_visible()

    # Pin the thread.
    manager.get_by_role("button", name="Vastzetten").click()
    expect(manager.get_by_text("Vastzetten bijgewerkt.")).to_be_visible()
    expect(manager.locator(".kpo-thread .kpo-meta").first).to_contain_text("vastgezet")
    manager.get_by_role("navigation", name="Community").get_by_role(
        "link", name="Vragen en discussies"
    ).click()
    expect(
        manager.locator("li.kpo-card").filter(has_text="Werkafspraken casusoverleg")
    ).to_contain_text("Vastgezet")

    # Hide the flagged post from the moderation queue.
    community_nav = manager.get_by_role("navigation", name="Community")
    community_nav.get_by_role("link", name="Moderatie").click()
    flagged = manager.locator("li.kpo-card").filter(has_text="Bevat persoonsgegevens.")
    flagged.get_by_role("button", name="Verbergen").click()
    expect(manager.get_by_text("Het bericht is verborgen.")).to_be_visible()
    community_nav.get_by_role("link", name="Moderatie").click()
    expect(manager.get_by_text("Geen openstaande meldingen.")).to_be_visible()
    check_accessibility(manager)

    applicant.goto(thread_url)
    expect(applicant.get_by_role("heading", level=1)).to_have_text("Werkafspraken casusoverleg")
    expect(applicant.get_by_text(offensive)).to_have_count(0)
    manager.goto(thread_url)
    expect(manager.locator("li.kpo-card").filter(has_text=offensive)).to_contain_text(
        "verborgen door moderator"
    )
    screenshot(manager, "3-bericht-verborgen")
