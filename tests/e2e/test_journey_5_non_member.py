"""Journey 5: a non-member tries the addresses of a closed and a secret community's content.

The community manager (a manager of every demo community) shares a file and plans a meeting in
the closed "Landelijke Kenniskring Buitengebied" and the secret "Koplopersgroep Underground
Banking", and collects the addresses of a thread, the file and the meeting. The Bibob officer,
a member of neither, opens each address: the closed community answers with the join prompt,
the secret one with "not found" — never the content itself.
"""

from __future__ import annotations

import re
import uuid

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import check_accessibility, make_pdf, screenshot

pytestmark = pytest.mark.e2e

MANAGER = "communitymanager@demo.kpo.nl"
OUTSIDER = "professional@demo.kpo.nl"
CLOSED = "landelijke-kenniskring-buitengebied"
SECRET = "koplopersgroep-underground-banking"


def _collect(manager, slug: str, tmp_path, tag: str) -> dict:
    """As the manager: the URLs (and titles) of a thread, a new file and a new meeting."""
    manager.goto(f"/communities/{slug}/onderwerpen/")
    thread_link = manager.locator(".kpo-card h2 a").first
    found = {"thread": (thread_link.get_attribute("href"), thread_link.inner_text())}

    filename = f"verslag-{slug[:12]}-{tag}.pdf"
    manager.goto(f"/communities/{slug}/bestanden/")
    manager.get_by_label(re.compile(r"^Bestand")).set_input_files(
        str(make_pdf(tmp_path / filename, "Vertrouwelijk verslag"))
    )
    manager.get_by_role("button", name="Uploaden").click()
    expect(manager.get_by_text("Het bestand is gedeeld.")).to_be_visible()
    file_link = manager.get_by_role("link", name=filename)
    found["file"] = (file_link.get_attribute("href"), filename)

    title = f"Vertrouwelijk overleg {tag}"
    manager.goto(f"/communities/{slug}/bijeenkomsten/nieuw/")
    manager.get_by_label("Titel").fill(title)
    manager.get_by_label("Begint om").fill("2027-03-04T10:00")
    manager.get_by_label("Plaats").fill("Utrecht")
    manager.get_by_role("button", name="Opslaan").click()
    expect(manager.get_by_role("heading", level=1)).to_contain_text(title)
    found["event"] = (manager.url.removeprefix(_origin(manager)), title)
    return found


def _origin(page) -> str:
    return page.evaluate("() => location.origin")


def test_non_member_never_sees_closed_or_secret_content(as_user, tmp_path):
    tag = uuid.uuid4().hex[:6]
    manager = as_user(MANAGER)
    closed = _collect(manager, CLOSED, tmp_path, tag)
    secret = _collect(manager, SECRET, tmp_path, tag)

    outsider = as_user(OUTSIDER)
    outsider.goto("/")

    for kind in ("thread", "event"):
        url, title = closed[kind]
        response = outsider.goto(url)
        assert response.status == 403, (kind, url, response.status)
        expect(outsider.get_by_text("Dit is een besloten community.")).to_be_visible()
        expect(outsider.get_by_role("link", name="Lidmaatschap aanvragen")).to_be_visible()
        assert title not in outsider.content(), f"closed {kind} title leaked: {title}"
    check_accessibility(outsider)

    url, filename = closed["file"]
    response = outsider.request.get(url)
    assert response.status == 404, (url, response.status)
    assert b"Vertrouwelijk verslag" not in response.body()
    outsider.goto(f"/communities/{CLOSED}/bestanden/")
    assert filename not in outsider.content()

    for kind in ("thread", "file", "event"):
        url, title = secret[kind]
        response = outsider.request.get(url)
        assert response.status == 404, (kind, url, response.status)
        assert title.encode() not in response.body(), f"secret {kind} leaked: {title}"
    response = outsider.goto(f"/communities/{SECRET}/")
    assert response.status == 404
    expect(outsider.get_by_role("heading", level=1)).not_to_contain_text("Koplopersgroep")
    check_accessibility(outsider)

    # Nor does search reveal them.
    outsider.goto(f"/zoeken/?q={secret['event'][1].replace(' ', '+')}")
    expect(outsider.locator(".kpo-search-results")).not_to_contain_text(secret["event"][1])
    expect(outsider.locator(".kpo-search-results")).not_to_contain_text(closed["event"][1])

    outsider.goto(closed["thread"][0])
    screenshot(outsider, "5-besloten-community-lidmaatschap-aanvragen")
