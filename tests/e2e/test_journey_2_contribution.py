"""Journey 2: a contribution goes through review and is published.

A professional shares a document through "Kennis delen"; the theme's ambassador asks for a
change; the contributor edits and resubmits; the ambassador approves; two members of the editorial
board (Redactieraad, quorum two) approve with scores; the document is live in the kennisbank with
the board's dated badge, and found by search with the same badge.
Reviewers work on the front-end review pages ("Te beoordelen").
"""

from __future__ import annotations

import re
import uuid

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import check_accessibility, make_pdf, screenshot

pytestmark = pytest.mark.e2e

CONTRIBUTOR = "professional@demo.kpo.nl"
AMBASSADOR = "ambassadeur@demo.kpo.nl"
BOARD = "redactieraad@demo.kpo.nl"
SECOND_BOARD = "redactieraad2@demo.kpo.nl"
BADGE = re.compile(
    r"Beoordeeld door de redactieraad op \d{1,2} \w+ \d{4} — relevantie 4/5, betrouwbaarheid 5/5"
)


def _review(
    page, title: str, decision: str, comment: str = "", scores: tuple[str, str] | None = None
) -> None:
    """From the kennisbank: open "Te beoordelen", open ``title`` and send ``decision`` (with
    ``scores`` for relevance and reliability in the board step)."""
    page.goto("/")
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Kennisbank").click()
    page.get_by_role("link", name="Te beoordelen").click()
    page.get_by_role("link", name=title).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    check_accessibility(page)
    page.get_by_label(decision, exact=True).check()
    if comment:
        page.get_by_label("Toelichting").fill(comment)
    if scores:
        page.get_by_label("Relevantie").select_option(scores[0])
        page.get_by_label("Betrouwbaarheid").select_option(scores[1])
    page.get_by_role("button", name="Beoordeling versturen").click()
    expect(page.get_by_text("Je beoordeling is verwerkt.")).to_be_visible()
    expect(page.get_by_role("link", name=title)).to_have_count(0)


def test_share_review_change_approve_publish(as_user, tmp_path):
    tag = uuid.uuid4().hex[:6]
    title = f"Werkwijze Bibob-toets bij vastgoedtransacties {tag}"
    contributor = as_user(CONTRIBUTOR)
    contributor.goto("/")
    contributor.get_by_role("navigation", name="Hoofdmenu").get_by_role(
        "link", name="Kennisbank"
    ).click()
    contributor.get_by_role("link", name="Kennis delen").click()
    check_accessibility(contributor)
    contributor.get_by_label(re.compile(r"^Titel")).fill(title)
    contributor.get_by_label(re.compile(r"^Samenvatting")).fill(
        "Hoe onze gemeente de Wet Bibob toepast bij de verkoop van gemeentelijk vastgoed."
    )
    contributor.get_by_label("Wet Bibob", exact=True).check()
    contributor.get_by_label(re.compile(r"^Soort document")).select_option(index=1)
    contributor.get_by_label(re.compile(r"^Bestand")).set_input_files(
        str(make_pdf(tmp_path / "werkwijze-bibob-vastgoed.pdf", "Werkwijze Bibob vastgoed"))
    )
    contributor.get_by_role("button", name="Indienen").click()
    expect(contributor.get_by_text("Je bijdrage is ingediend")).to_be_visible()
    submission = contributor.locator("li.kpo-card").filter(has_text=title)
    expect(submission).to_be_visible()

    # The ambassador asks for a change.
    ambassador = as_user(AMBASSADOR)
    change = "Noem ook de rol van het RIEC bij de toets."
    _review(ambassador, title, "Wijzigingen vragen", change)

    # The contributor reads the comment, edits and resubmits.
    contributor.reload()
    submission = contributor.locator("li.kpo-card").filter(has_text=title)
    expect(submission).to_contain_text(change)
    submission.get_by_role("link", name="Aanpassen en opnieuw indienen").click()
    check_accessibility(contributor)
    contributor.get_by_label(re.compile(r"^Samenvatting")).fill(
        "Hoe onze gemeente de Wet Bibob toepast bij de verkoop van gemeentelijk vastgoed, "
        "en hoe het RIEC ons daarbij adviseert."
    )
    contributor.get_by_role("button", name="Opnieuw indienen").click()
    expect(contributor.get_by_text("Je aangepaste bijdrage is opnieuw ingediend.")).to_be_visible()

    # The ambassador approves, then the editorial board.
    _review(ambassador, title, "Goedkeuren")
    board = as_user(BOARD)
    _review(board, title, "Goedkeuren", "Helder en bruikbaar.", scores=("4", "5"))
    # One vote is not the quorum: still waiting for the second member, who sees the first vote.
    second = as_user(SECOND_BOARD)
    _review(second, title, "Goedkeuren", "Goed onderbouwd.", scores=("4", "4"))

    # Live: linked from "Mijn bijdragen", readable by anyone on the platform, and findable.
    contributor.reload()
    contributor.get_by_role("link", name=title).click()
    expect(contributor.get_by_role("heading", level=1)).to_have_text(title)
    expect(contributor.get_by_text("en hoe het RIEC ons daarbij adviseert")).to_be_visible()
    # (4+4)/2 = 4 and (5+4)/2 = 4.5 → 5: the badge shows the rounded means
    expect(contributor.locator(".kpo-review-badge")).to_have_text(BADGE)

    reader = as_user("jurist@demo.kpo.nl")
    reader.goto("/zoeken/")
    reader.get_by_label("Waar zoek je naar?").fill(f"Bibob vastgoedtransacties {tag}")
    reader.keyboard.press("Enter")
    result = reader.locator(".kpo-search-results li").filter(has_text=tag)
    expect(result).to_have_count(1)
    expect(result).to_contain_text("Kennisdocument")
    expect(result.locator(".kpo-review-badge")).to_have_text(BADGE)
    check_accessibility(reader)
    result.get_by_role("link").click()
    expect(reader.get_by_role("heading", level=1)).to_have_text(title)
    check_accessibility(reader)
    screenshot(reader, "2-document-gepubliceerd-en-gevonden")
    reader.set_viewport_size({"width": 375, "height": 900})
    expect(reader.locator(".kpo-review-badge")).to_have_text(BADGE)
    check_accessibility(reader)
    screenshot(reader, "2-badge-375")

    # The decision record: the board (and ambassadors) see who voted, the scores and rationale.
    board.goto(reader.url)
    board.get_by_role("link", name="Besluitvorming bekijken").click()
    expect(board.get_by_role("heading", level=1)).to_contain_text(title)
    votes = board.get_by_role("table", name="Stemmen")
    expect(votes).to_contain_text("Helder en bruikbaar.")
    expect(votes).to_contain_text("Goed onderbouwd.")
    for width in (1280, 375):
        board.set_viewport_size({"width": width, "height": 900})
        check_accessibility(board)
        screenshot(board, f"2-besluitvorming-{width}")
