"""Keyboard-only operation of search (posting a reply and answering the quiz are done with the
keyboard only inside journeys 1 and 4)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import check_accessibility, tab_to

pytestmark = pytest.mark.e2e


def test_keyboard_only_search(as_user):
    page = as_user("professional@demo.kpo.nl")
    page.goto("/zoeken/")
    tab_to(page, "el.id === 'zoekvraag'")
    page.keyboard.type("vastgoed")
    # Suggestions appear while typing (htmx); they are plain links, reachable with Tab.
    expect(page.locator("#zoek-suggesties li").first).to_be_visible()
    check_accessibility(page)
    assert page.evaluate("() => document.activeElement.id") == "zoekvraag"
    page.keyboard.press("Enter")
    page.wait_for_url("**/zoeken/?q=vastgoed*")
    expect(page.locator(".kpo-search-results li").first).to_be_visible()
    # the header search box adds two tab stops before the facets
    tab_to(page, "el.closest('.kpo-search-results') && el.tagName === 'A'", limit=90)
    title = page.evaluate("() => document.activeElement.textContent.trim()")
    focus_visible = page.evaluate(
        "() => getComputedStyle(document.activeElement).outlineStyle !== 'none'"
        " || getComputedStyle(document.activeElement).boxShadow !== 'none'"
    )
    assert focus_visible, "the focused result link has no visible focus indicator"
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: "/zoeken/" not in url)
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    check_accessibility(page)
