"""Journey: asking a routed question (issue #18).

A professional starts a question in an open community. While she types the title, similar
questions appear in a live region (htmx, debounced): what she may read only. She routes the
question to the experts of a theme with a deadline of four days; the thread page tells her who
was asked (names, no e-mail addresses) and until when. An expert finds the question among the
open questions of the theme."""

from __future__ import annotations

import re
import uuid

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import check_accessibility, screenshot

pytestmark = pytest.mark.e2e

PROFESSIONAL = "professional@demo.kpo.nl"
EXPERT = "communitymanager@demo.kpo.nl"  # Cas Manders: buitengebied in his profile
COMMUNITY = "/communities/lerend-netwerk-buitengebied/"
EXISTING = "Checklist voor erfbezoeken bij verhuur van lege stallen?"


def test_similar_questions_while_typing_then_a_routed_question(as_user):
    marker = uuid.uuid4().hex[:6]
    author = as_user(PROFESSIONAL)
    author.goto(COMMUNITY)
    author.get_by_role("link", name="Stel een vraag of start een discussie").click()

    title = author.get_by_label("Titel")
    title.press_sequentially("Checklist erfbezoek lege stallen", delay=30)
    similar = author.locator("#vergelijkbare-vragen")
    expect(similar).to_have_attribute("aria-live", "polite")
    expect(similar.get_by_role("link", name=EXISTING)).to_be_visible()
    check_accessibility(author)
    screenshot(author, "routing-similar-while-typing")

    # Not a duplicate after all: she asks her own question and routes it.
    question = f"Checklist erfbezoek bij lege stallen met zonnepanelen {marker}"
    title.fill(question)
    author.get_by_label("Tekst").fill("Wat kijken jullie na als de stal zonnepanelen heeft?")
    author.get_by_label("Doorsturen naar de experts van het thema").select_option(
        label="Buitengebied"
    )
    author.get_by_label("Graag een antwoord binnen (dagen)").fill("4")
    author.get_by_role("button", name="Plaatsen").click()

    expect(author.get_by_role("heading", level=1)).to_have_text(question)
    routed = author.get_by_role("complementary").filter(has_text="Doorgestuurd naar de experts")
    expect(routed).to_contain_text("Buitengebied")
    expect(routed).to_contain_text("Cas Manders")
    expect(routed).not_to_contain_text("@")
    check_accessibility(author)
    screenshot(author, "routing-thread-who-was-asked")

    # The expert finds it among the open questions of the theme, in every community he may read.
    expert = as_user(EXPERT)
    expert.goto("/communities/open-vragen/")
    expert.get_by_label("Waar", exact=True).select_option(
        label="In alle communities die ik kan lezen"
    )
    expert.get_by_label("Thema", exact=True).select_option(label="Buitengebied")
    expert.get_by_role("button", name="Tonen").click()
    expect(expert.get_by_role("link", name=question)).to_be_visible()
    expect(expert.get_by_text(re.compile("antwoord gevraagd vóór")).first).to_be_visible()
    check_accessibility(expert)
