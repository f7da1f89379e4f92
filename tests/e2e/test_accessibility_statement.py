"""The accessibility statement is one click from every page (the footer), and itself passes
axe-core; so do the login page and the "not found" page anonymous visitors may meet."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import check_accessibility

pytestmark = pytest.mark.e2e


def test_accessibility_statement_login_and_not_found(page):
    page.goto("/")
    page.get_by_role("contentinfo").get_by_role("link", name="Toegankelijkheid").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Toegankelijkheidsverklaring")
    expect(page.get_by_text("WCAG")).to_be_visible()
    check_accessibility(page)

    page.get_by_role("link", name="Inloggen").click()
    expect(page.get_by_label("E-mailadres")).to_be_visible()
    check_accessibility(page)

    response = page.goto("/bestaat-niet/")
    assert response.status == 404
    check_accessibility(page)
