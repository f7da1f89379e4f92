"""Every page type, at 1280 and 375 px: axe-core clean (WCAG 2.2 A/AA rules), reflow without
horizontal scrolling at 320 px (WCAG 1.4.10), a visible focus indicator (2.4.7), a screenshot
at both widths for the reviewer (``test-artifacts/e2e-screenshots/index.html``), and Dutch only:
none of Django's or Wagtail's common English strings on the rendered page (issue 15)."""

from __future__ import annotations

import json

import pytest

from tests.core.test_dutch_only import english_in
from tests.e2e.conftest import check_accessibility, django_shell, screenshot

pytestmark = pytest.mark.e2e

WIDTHS = (1280, 375)
PROFESSIONAL = "professional@demo.kpo.nl"
ADMIN = "beheerder@demo.kpo.nl"

_URLS: dict[str, str] = {}


def urls() -> dict[str, str]:
    """URLs of one page of each content type in the demo corpus."""
    if not _URLS:
        out = django_shell(
            "import json\n"
            "from academie.models import CoursePage, TrainingPage\n"
            "from communities.models import Event, Thread\n"
            "from kennisbank.models import KnowledgeDocumentPage\n"
            "from kpo.themes.models import ThemePage\n"
            "thread = Thread.objects.filter(community__slug='bibob-praktijk').first()\n"
            "event = Event.objects.filter(community__visibility='open').first()\n"
            "print(json.dumps({\n"
            " 'thema': ThemePage.objects.live().first().url,\n"
            " 'kennisdocument': KnowledgeDocumentPage.objects.live()"
            ".filter(community__isnull=True).first().url,\n"
            " 'e-learning': CoursePage.objects.live().first().url,\n"
            " 'training': TrainingPage.objects.live().first().url,\n"
            " 'onderwerp': thread.get_absolute_url(),\n"
            " 'bijeenkomst': event.get_absolute_url(),\n"
            "}))\n"
        )
        _URLS.update(json.loads(out.strip().splitlines()[-1]))
    return _URLS


ANONYMOUS = {
    "home-anoniem": "/",
    "inloggen": "/account/inloggen/",
    "registreren": "/account/registreren/",
    "niet-gevonden": "/deze-pagina-bestaat-niet/",
    "toegankelijkheid": "/toegankelijkheid/",
}
PROFESSIONAL_PAGES = {
    "home": "/",
    "thema": None,
    "kennisbank": "/kennisbank/",
    "kennisdocument": None,
    "zoeken": "/zoeken/?q=bibob",
    "communities": "/communities/",
    "community": "/communities/bibob-praktijk/",
    "onderwerp": None,
    "bijeenkomsten": "/communities/bibob-praktijk/bijeenkomsten/",
    "bijeenkomst": None,
    "agenda": "/agenda/",
    "academie": "/academie/",
    "e-learning": None,
    "training": None,
    "mijn-leren": "/academie/mijn-leren/",
    "mijn-bijdragen": "/kennisbank-acties/mijn-bijdragen/",
    "delen": "/kennisbank-acties/delen/",
    "profiel": "/account/profiel/",
    "wie-weet-wat": "/account/wie-weet-wat/",
    "meldingen": "/meldingen/",
}
ADMIN_PAGES = {"verzonden-email": "/beheer/e-mail/"}


def _check_page_type(page, name: str, url: str) -> None:
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        response = page.goto(url)
        assert response.status < 500, f"{name}: {response.status}"
        check_accessibility(page)
        english = english_in(page.content())
        assert not english, f"{name}: English on a Dutch page: {english}"
        screenshot(page, f"{name}-{width}")
    # Reflow: at 320 px (= 1280 px at 400% zoom) nothing scrolls sideways.
    page.set_viewport_size({"width": 320, "height": 800})
    page.goto(url)
    overflow = page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 1, f"{name} scrolls {overflow}px sideways at 320px"
    # Visible focus: the first Tab lands on the skip link, which shows itself with an outline.
    page.keyboard.press("Tab")
    focus = page.evaluate(
        """() => { const el = document.activeElement; const s = getComputedStyle(el);
            const r = el.getBoundingClientRect();
            return {outline: s.outlineStyle, width: parseFloat(s.outlineWidth),
                    visible: r.width > 0 && r.height > 0 && r.left >= 0}; }"""
    )
    assert focus["outline"] != "none" and focus["width"] >= 2 and focus["visible"], (name, focus)


@pytest.mark.parametrize("name", list(ANONYMOUS))
def test_anonymous_page_type(page, name):
    _check_page_type(page, name, ANONYMOUS[name])


@pytest.mark.parametrize("name", list(PROFESSIONAL_PAGES))
def test_professional_page_type(as_user, name):
    url = PROFESSIONAL_PAGES[name] or urls()[name]
    _check_page_type(as_user(PROFESSIONAL), name, url)


@pytest.mark.parametrize("name", list(ADMIN_PAGES))
def test_staff_page_type(as_user, name):
    _check_page_type(as_user(ADMIN), name, ADMIN_PAGES[name])
