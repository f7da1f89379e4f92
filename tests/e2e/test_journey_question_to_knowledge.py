"""Journey: from question to knowledge (issue #17).

A professional searches for something the platform has no answer to. The Redactieraad (a group,
no admin rights) finds the search among "Zoekvragen zonder resultaat" and turns it into a
kennisvraag for the ambassador, who finds it under "Kennisvragen". The community manager proposes
the accepted answer of a community thread as a knowledge document that answers the kennisvraag;
the ambassador and two board members approve it; the thread then shows "Opgenomen in de
kennisbank", the document credits the thread and its authors, and the board sees the kennisvraag
answered. axe-core checks every new screen.
"""

from __future__ import annotations

import re
import uuid

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import check_accessibility, screenshot

pytestmark = pytest.mark.e2e

PROFESSIONAL = "professional@demo.kpo.nl"
MANAGER = "communitymanager@demo.kpo.nl"
AMBASSADOR = "ambassadeur@demo.kpo.nl"
BOARD = "redactieraad@demo.kpo.nl"
SECOND_BOARD = "redactieraad2@demo.kpo.nl"
COMMUNITY = "/communities/lerend-netwerk-buitengebied/"
THREAD = "Checklist voor erfbezoeken bij verhuur van lege stallen?"


def _to_review_queue(page) -> None:
    page.goto("/")
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Kennisbank").click()
    page.get_by_role("link", name="Te beoordelen").click()


def _approve(page, title: str, comment: str = "", scores: tuple[str, str] | None = None) -> None:
    _to_review_queue(page)
    page.get_by_role("link", name=title).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    # the draft shows the question and the answer it was made from
    expect(page.get_by_role("heading", name="Vraag")).to_be_visible()
    expect(page.get_by_role("heading", name="Antwoord", exact=True)).to_be_visible()
    check_accessibility(page)
    page.get_by_label("Goedkeuren", exact=True).check()
    if comment:
        page.get_by_label("Toelichting").fill(comment)
    if scores:
        page.get_by_label("Relevantie").select_option(scores[0])
        page.get_by_label("Betrouwbaarheid").select_option(scores[1])
    page.get_by_role("button", name="Beoordeling versturen").click()
    expect(page.get_by_text("Je beoordeling is verwerkt.")).to_be_visible()


def test_zero_result_search_to_kennisvraag_to_published_answer_from_a_thread(as_user):
    tag = uuid.uuid4().hex[:6]
    # a word nothing on the platform contains, letters only (the log masks digit runs)
    query = "zqxw" + "".join(chr(ord("a") + int(c, 16)) for c in tag)
    question = f"Welke signalen horen op een checklist voor erfbezoeken? ({tag})"
    title = f"Checklist erfbezoeken bij verhuur van stallen {tag}"

    # 1. A search that finds nothing is logged (without who searched).
    professional = as_user(PROFESSIONAL)
    professional.goto("/zoeken/")
    professional.get_by_label("Waar zoek je naar?").fill(query)
    professional.keyboard.press("Enter")
    expect(professional.locator(".kpo-search-results li")).to_have_count(0)

    # 2. The board turns it into a kennisvraag for the ambassador.
    board = as_user(BOARD)
    _to_review_queue(board)
    board.get_by_role("link", name="Zoekvragen zonder resultaat").click()
    expect(board.get_by_role("heading", level=1)).to_have_text("Zoekvragen zonder resultaat")
    check_accessibility(board)
    row = board.get_by_role("row").filter(has_text=query)
    expect(row).to_have_count(1)
    row.get_by_label(re.compile(r"^Kennisvraag aan het netwerk")).fill(question)
    row.get_by_label(re.compile(r"^Ambassadeur")).select_option(label="Anouk Bakker")
    row.get_by_role("button", name="Maak kennisvraag").click()
    expect(board.get_by_text("is toegewezen aan Anouk Bakker")).to_be_visible()
    check_accessibility(board)
    screenshot(board, "q2k-1-kennisvraag-gemaakt")

    # 3. The ambassador finds it among their kennisvragen.
    ambassador = as_user(AMBASSADOR)
    _to_review_queue(ambassador)
    ambassador.get_by_role("link", name="Kennisvragen").click()
    card = ambassador.locator("li.kpo-card").filter(has_text=question)
    expect(card).to_contain_text("Open")
    check_accessibility(ambassador)

    # 4. The community manager proposes the thread's accepted answer as a knowledge document.
    manager = as_user(MANAGER)
    manager.goto(COMMUNITY)
    manager.get_by_role("link", name=THREAD).first.click()
    thread_url = manager.url
    manager.get_by_role("link", name="Voorstellen voor de kennisbank").click()
    expect(manager.get_by_role("heading", level=1)).to_have_text("Voorstellen voor de kennisbank")
    check_accessibility(manager)
    expect(manager.get_by_label("Het geaccepteerde antwoord")).to_be_checked()
    manager.get_by_label(re.compile(r"^Titel")).fill(title)
    manager.get_by_label(re.compile(r"^Soort document")).select_option(index=1)
    manager.get_by_label(re.compile(r"^Beantwoordt de kennisvraag")).select_option(label=question)
    manager.get_by_role("button", name="Voorstel indienen").click()
    expect(manager.get_by_text("is voorgesteld voor de kennisbank")).to_be_visible()
    # not yet on the thread: the draft waits for its review
    expect(manager.get_by_text("Opgenomen in de kennisbank")).to_have_count(0)

    # 5. Both review steps: the ambassador, then the board's quorum of two.
    _approve(ambassador, title)
    _approve(board, title, "Bruikbaar en juist.", scores=("4", "5"))
    _approve(as_user(SECOND_BOARD), title, "Klopt met de praktijk.", scores=("4", "5"))

    # 6. The thread links the published document, which credits the thread and its authors.
    professional.goto(thread_url)
    notice = professional.locator(".kpo-knowledge-link")
    expect(notice).to_contain_text("Opgenomen in de kennisbank")
    check_accessibility(professional)
    screenshot(professional, "q2k-2-onderwerp-opgenomen")
    notice.get_by_role("link", name=title).click()
    expect(professional.get_by_role("heading", level=1)).to_have_text(title)
    credit = professional.locator(".kpo-thread-credit")
    expect(credit).to_contain_text(THREAD)
    expect(credit).to_contain_text("Met bijdragen van")
    check_accessibility(professional)
    screenshot(professional, "q2k-3-document-met-herkomst")

    # 7. The board sees the kennisvraag answered by the document.
    board.goto("/kennisbank-acties/kennisvragen/")
    answered = board.locator("li.kpo-card").filter(has_text=question)
    expect(answered).to_contain_text("Beantwoord")
    expect(answered.get_by_role("link", name=title)).to_be_visible()
    check_accessibility(board)
