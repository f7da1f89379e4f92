"""A professional finds their way from the home page: themes, login, "Wie weet wat", profile."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import check_accessibility, login, screenshot

pytestmark = pytest.mark.e2e


def test_home_theme_people_profile(page):
    page.goto("/")
    assert page.get_by_role("heading", level=1).inner_text() == "Kennisplatform Ondermijning"
    check_accessibility(page)

    page.get_by_role("link", name="Wet Bibob").first.click()
    assert page.get_by_role("heading", level=1).inner_text() == "Wet Bibob"
    check_accessibility(page)

    login(page, "professional@demo.kpo.nl")
    page.get_by_role("link", name="Wie weet wat").click()
    page.get_by_label("Thema").select_option(label="Wet Bibob")
    page.get_by_role("button", name="Filteren").click()
    page.wait_for_url("**theme=wet-bibob*")
    results = page.get_by_role("main")
    # Waits for the filtered list: the unfiltered first page need not show her.
    expect(results.get_by_role("link", name="Priya de Vries")).to_be_visible()
    check_accessibility(page)

    results.get_by_role("link", name="Priya de Vries").click()
    page.wait_for_load_state()
    page.goto("/account/profiel/")
    page.get_by_label("Functie").fill("Bibob-coördinator gemeente Arnhem")
    page.get_by_role("button", name="Opslaan", exact=True).click()
    # Waits for the answer to the form post (is_visible() would look at the page as it is now).
    expect(page.get_by_text("Je profiel is opgeslagen.")).to_be_visible()
    check_accessibility(page)
    screenshot(page, "0-profiel-opgeslagen")


def test_keyboard_only_login(page):
    page.goto("/account/inloggen/")
    page.keyboard.press("Tab")  # skip link
    page.get_by_label("E-mailadres").focus()
    page.keyboard.type("professional@demo.kpo.nl")
    page.keyboard.press("Tab")
    page.keyboard.type("KPO-demo-2026!")
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: "inloggen" not in url)
    expect(page.get_by_role("button", name="Uitloggen")).to_be_visible()
