"""Journey 1: a municipal Bibob officer searches, reads, joins a community and gets an answer.

From the home page: log in, search "bibob" and "motorbendes", filter by theme, open a knowledge
document, join an open community, ask a question with a PDF attachment; another member (a jurist,
in a second browser) answers using only the keyboard; the asker accepts the answer.
"""

from __future__ import annotations

import re
import uuid

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import (
    check_accessibility,
    login,
    make_pdf,
    screenshot,
    tab_to,
)

pytestmark = pytest.mark.e2e

PROFESSIONAL = "professional@demo.kpo.nl"
ANSWERER = "jurist@demo.kpo.nl"
COMMUNITY = "Lerend netwerk Criminele geldstromen"


def _result_count(page) -> int:
    heading = page.locator("#resultaten-kop").inner_text()
    return int(re.match(r"\d+", heading).group())


def _leave_if_member(page) -> None:
    """Only on a reused development server: start as a non-member again."""
    leave = page.get_by_role("button", name="Community verlaten")
    if leave.count():
        leave.click()
        expect(page.get_by_role("button", name="Lid worden")).to_be_visible()


def test_professional_searches_reads_asks_and_accepts(page, as_user, tmp_path):
    page.goto("/")
    check_accessibility(page)
    login(page, PROFESSIONAL)

    # Search from the home page.
    page.get_by_label("Zoek in het kennisplatform").fill("bibob")
    page.keyboard.press("Enter")
    page.wait_for_url("**/zoeken/?q=bibob*")
    assert _result_count(page) > 0
    expect(page.get_by_role("heading", name="Filters")).to_be_visible()
    check_accessibility(page)

    # A second search on the search page, then narrow it down by theme.
    page.get_by_label("Waar zoek je naar?").fill("motorbendes")
    page.get_by_role("button", name="Zoeken", exact=True).click()
    page.wait_for_url("**q=motorbendes*")
    total = _result_count(page)
    assert total > 0
    # Narrow down to knowledge documents, then by theme.
    page.locator("section[aria-labelledby='facet-type']").get_by_role(
        "link", name="Kennisdocument"
    ).click()
    page.wait_for_url(re.compile(r"[?&]type=document"))
    documents = _result_count(page)
    assert 0 < documents <= total
    theme_facet = page.locator("section[aria-labelledby='facet-theme']")
    theme_facet.get_by_role("link").first.click()
    page.wait_for_url(re.compile(r"[?&]theme="))
    assert 0 < _result_count(page) <= documents
    expect(theme_facet.locator("[aria-current='true']")).to_have_count(1)
    check_accessibility(page)

    first = page.locator(".kpo-search-results h3 a").first
    title = first.inner_text()
    first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    expect(page.get_by_role("navigation", name="Kruimelpad")).to_contain_text("Kennisbank")
    check_accessibility(page)

    # The kennisbank list and a theme page are reachable from the document.
    page.get_by_role("navigation", name="Kruimelpad").get_by_role("link", name="Kennisbank").click()
    expect(page.get_by_role("link", name="Kennis delen")).to_be_visible()
    check_accessibility(page)
    page.get_by_label("Thema", exact=True).select_option(label="Wet Bibob")
    page.get_by_role("button", name="Toon documenten").click()
    expect(page.get_by_role("status").filter(has_text="document")).not_to_have_text(
        re.compile(r"^0 ")
    )

    # Join an open community.
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Communities").click()
    check_accessibility(page)
    page.get_by_role("link", name=COMMUNITY, exact=True).click()
    _leave_if_member(page)
    page.get_by_role("button", name="Lid worden").click()
    expect(page.get_by_text(f"Je bent nu lid van {COMMUNITY}.")).to_be_visible()
    community_url = page.url
    check_accessibility(page)

    # Ask a question with a PDF attachment.
    question = f"Bibob-toets bij een overname van een shishalounge? ({uuid.uuid4().hex[:6]})"
    attachment = make_pdf(tmp_path / "vragenformulier-bibob.pdf", "Vragenformulier Bibob")
    page.get_by_role("link", name="Stel een vraag of start een discussie").click()
    check_accessibility(page)
    page.get_by_role("button", name="Plaatsen").click()  # too soon: errors, tied to the fields
    title_field = page.get_by_label("Titel")
    expect(title_field).to_have_attribute("aria-invalid", "true")
    described = title_field.get_attribute("aria-describedby").split()
    errors = " ".join(page.locator(f"[id='{ref}']").inner_text() for ref in described)
    assert "Dit is een verplicht veld." in errors, errors
    check_accessibility(page)
    page.get_by_label("Vraag", exact=True).check()
    page.get_by_label("Titel").fill(question)
    page.get_by_label("Tekst").fill(
        "Een shishalounge wisselt van eigenaar; de nieuwe eigenaar financiert met een lening uit "
        "het buitenland. Toetsen jullie dit met een eigen onderzoek of vragen jullie het LBB?"
    )
    page.get_by_label("Bijlage (optioneel)").set_input_files(str(attachment))
    page.get_by_role("button", name="Plaatsen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(question)
    expect(page.get_by_role("link", name="vragenformulier-bibob.pdf")).to_be_visible()
    thread_url = page.url
    check_accessibility(page)

    # Another member (a jurist, in her own browser) joins and answers with the keyboard only.
    jurist = as_user(ANSWERER)
    jurist.goto(community_url)
    _leave_if_member(jurist)
    jurist.get_by_role("button", name="Lid worden").click()
    expect(jurist.get_by_text(f"Je bent nu lid van {COMMUNITY}.")).to_be_visible()
    jurist.goto(thread_url)
    with jurist.expect_download() as download:
        jurist.get_by_role("link", name="vragenformulier-bibob.pdf").click()
    assert download.value.suggested_filename == "vragenformulier-bibob.pdf"
    tab_to(jurist, "el.name === 'body' && el.tagName === 'TEXTAREA'")
    answer = "Begin met een eigen Bibob-onderzoek: vraag de financiering op met het formulier."
    jurist.keyboard.type(answer)
    tab_to(jurist, "el.textContent.trim() === 'Reactie plaatsen'")
    jurist.keyboard.press("Enter")
    jurist.wait_for_url(re.compile(r"#reactie-\d+$"))
    expect(jurist.get_by_text(answer)).to_be_visible()

    # The asker accepts the answer.
    page.goto(thread_url)
    reply = page.locator("li.kpo-card").filter(has_text=answer)
    reply.get_by_role("button", name="Accepteer als antwoord").click()
    expect(page.get_by_text("Het antwoord is geaccepteerd.")).to_be_visible()
    accepted = page.locator("li.kpo-accepted")
    expect(accepted).to_contain_text("Geaccepteerd antwoord")
    expect(accepted).to_contain_text(answer)
    check_accessibility(page)
    screenshot(page, "1-antwoord-geaccepteerd")
