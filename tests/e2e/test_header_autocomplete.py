"""The header search box on every page is an ARIA 1.2 combobox: typo-tolerant options, operated
with ArrowDown/ArrowUp, Enter and Escape."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import check_accessibility

pytestmark = pytest.mark.e2e


def test_header_combobox_keyboard(as_user):
    page = as_user("professional@demo.kpo.nl")
    page.goto("/begrippen/")
    box = page.locator("#kpo-header-zoek")
    listbox = page.locator("#kpo-header-zoek-opties")
    box.focus()
    page.keyboard.type("bibop")  # one typo
    expect(listbox.get_by_role("option").first).to_be_visible()
    expect(box).to_have_attribute("aria-expanded", "true")
    check_accessibility(page)

    page.keyboard.press("ArrowDown")
    first = listbox.get_by_role("option").first
    expect(first).to_have_attribute("aria-selected", "true")
    expect(box).to_have_attribute("aria-activedescendant", first.get_attribute("id"))
    assert "bibob" in first.inner_text().lower()

    page.keyboard.press("Escape")
    expect(listbox).to_be_hidden()
    expect(box).to_have_attribute("aria-expanded", "false")

    page.keyboard.press("ArrowDown")
    url = listbox.get_by_role("option").first.get_attribute("data-url")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**{url}")
