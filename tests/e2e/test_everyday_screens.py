"""Everyday screens, as a person sees them in the browser (issue 16): search results that use the
width, the quiz's wording and explanations, what a registrant is told, the jurist's
notification, closed communities, a pressed "Nuttig", the grouped TOTP key, the mailbox and the
visual finish of tables, cards and forms."""

from __future__ import annotations

import re
import uuid

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import (
    DEMO_PASSWORD,
    check_accessibility,
    django_shell,
    screenshot,
    second_factor_pass,
)

pytestmark = pytest.mark.e2e

PROFESSIONAL = "professional@demo.kpo.nl"
ADMIN = "beheerder@demo.kpo.nl"
JURIST = "jurist@demo.kpo.nl"
MANAGER = "communitymanager@demo.kpo.nl"


def new_user(*, groups: tuple[str, ...] = ()) -> str:
    """A fresh active account with the demo password (the journeys' own learner or staff)."""
    email = f"e2e-{uuid.uuid4().hex[:8]}@gemeente.example"
    django_shell(
        "from django.contrib.auth.models import Group\n"
        "from kpo.accounts.models import User\n"
        f"u = User.objects.create_user({email!r}, {DEMO_PASSWORD!r}, first_name='Eva',"
        " last_name='Test')\n"
        f"u.groups.set(Group.objects.filter(name__in={list(groups)!r}))\n"
        f"u.is_staff = {bool(groups)!r}\n"
        "u.save()\n"
    )
    return email


def _login_form(page, email: str, password: str = DEMO_PASSWORD) -> None:
    page.goto("/account/inloggen/")
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Wachtwoord").fill(password)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_load_state()


def test_search_results_use_the_width_and_facets_collapse(as_user):
    page = as_user(PROFESSIONAL)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto("/zoeken/?q=ondermijning")
    results = page.locator("section[aria-labelledby='resultaten-kop']")
    expect(results).to_be_visible()
    width = results.evaluate("el => el.getBoundingClientRect().width")
    assert width > 700, f"the results column is {width}px wide"
    groups = page.locator(".kpo-facet")
    assert groups.count() >= 2
    collapsed = page.locator(".kpo-facet__more")
    assert collapsed.count() >= 1, "no facet group with more than five values"
    for facet in groups.all():
        assert facet.locator(":scope > ul > li").count() <= 5
    first = collapsed.first
    hidden = first.locator("li").first
    expect(hidden).to_be_hidden()
    first.locator("summary").click()
    expect(first.locator("summary")).to_contain_text("meer tonen")
    expect(hidden).to_be_visible()
    check_accessibility(page)
    screenshot(page, "dagelijks-zoekresultaten")


DUTCH_DATE = re.compile(
    r"\b\d{1,2} (januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|"
    r"november|december) \d{4}\b"
)


def test_search_results_facet_names_dutch_dates_snippets_and_theme_intro(as_user):
    page = as_user(PROFESSIONAL)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto("/zoeken/?q=bibob")
    # facet labels are names, not slugs
    labels = [
        text.strip() for text in page.locator(".kpo-facet a").all_inner_texts() if text.strip()
    ]
    assert labels, "no facet values"
    slugs = [label for label in labels if re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)+", label)]
    assert not slugs, slugs
    # dates in Dutch words ("1 december 2026"), never ISO
    metas = page.locator(".kpo-search-results .kpo-card__meta").all_inner_texts()
    dated = [meta for meta in metas if "·" in meta]
    assert dated, metas
    assert all(DUTCH_DATE.search(meta) for meta in dated), dated
    assert not any(re.search(r"\d{4}-\d{2}-\d{2}", meta) for meta in metas), metas
    # snippets keep the space between a heading and its text (no "KopDe tekst")
    snippets = page.locator(
        ".kpo-search-results .kpo-card > p.utrecht-paragraph:not(.kpo-card__meta)"
    )
    texts = snippets.all_inner_texts()
    assert texts, "no snippets"
    assert not [t for t in texts if re.search(r"[a-zà-ÿ][.:]?[A-Z][a-zà-ÿ]", t)], texts
    # a theme hit shows its intro as the snippet
    page.goto("/zoeken/?q=bibob&type=theme")
    theme_card = page.locator(".kpo-search-results .kpo-card").first
    expect(theme_card).to_be_visible()
    expect(theme_card.locator("p.utrecht-paragraph:not(.kpo-card__meta)")).not_to_be_empty()
    check_accessibility(page)


def test_quiz_says_what_passing_takes_and_keeps_answers_for_later(browser, e2e_server, as_user):
    learner = as_user(new_user())
    learner.goto("/academie/")
    learner.get_by_role("link", name="Wet Bibob: de basis", exact=True).click()
    learner.get_by_role("button", name="Inschrijven").click()
    while "/les/" in learner.url:
        learner.get_by_role("button", name="Les afronden").click()
        learner.wait_for_load_state()
    intro = learner.locator("main p.utrecht-paragraph").filter(has_text="Je slaagt met")
    expect(intro).to_have_text(re.compile(r"^Je slaagt met \d+% goed\. Je hebt nog 3 pogingen\.$"))
    check_accessibility(learner)
    screenshot(learner, "dagelijks-toets")
    # every question answered with its first option: not all right
    for fieldset in learner.locator("form fieldset").all():
        fieldset.locator("input").first.check()
    learner.get_by_role("button", name="Antwoorden insturen").click()
    learner.wait_for_url("**/toets/resultaat/**")
    main = learner.locator("main")
    expect(main).to_contain_text("Je hebt")  # "Je hebt N% nodig om te slagen"
    expect(main).not_to_contain_text("Juist antwoord")
    expect(main).to_contain_text(
        "De juiste antwoorden en de toelichting zie je als je geslaagd bent of na je laatste "
        "poging."
    )
    expect(main).to_contain_text("nog 2 pogingen")
    assert "poging(en)" not in main.inner_text()
    check_accessibility(learner)


def test_registrant_is_told_to_confirm_reads_mail_and_then_awaits_approval(page, as_user):
    email = f"nieuw-{uuid.uuid4().hex[:6]}@voorbeeld.example"
    page.goto("/account/registreren/")
    expect(page.get_by_text("zijn verplicht")).to_be_visible()
    expect(page.locator("label .kpo-required").first).to_be_visible()
    page.get_by_label("Werk-e-mailadres").fill(email)
    page.get_by_label("Voornaam").fill("Nina")
    page.get_by_label("Achternaam").fill("Nieuw")
    page.locator("input[name='password1']").fill("Een-lang-wachtwoord-2026")
    page.get_by_label("Wachtwoord (nogmaals)").fill("Een-lang-wachtwoord-2026")
    page.get_by_role("button", name="Registreren").click()
    page.wait_for_load_state()

    _login_form(page, email, "Een-lang-wachtwoord-2026")
    expect(page.get_by_role("alert")).to_contain_text("nog niet bevestigd")
    _login_form(page, email, "een-fout-wachtwoord")
    expect(page.get_by_role("alert")).to_contain_text("klopt niet")

    admin = as_user(ADMIN)
    admin.goto("/")
    admin.get_by_role("link", name="Beheer", exact=True).click()
    expect(admin).to_have_url(re.compile(r"/admin/$"))
    admin.goto("/beheer/e-mail/")
    check_accessibility(admin)
    admin.get_by_role("row").filter(has_text=email).get_by_role("link").click()
    expect(admin.get_by_role("heading", level=1)).to_contain_text("Bevestig je registratie")
    check_accessibility(admin)
    screenshot(admin, "dagelijks-verzonden-email")
    link = admin.locator(".kpo-mail-body a").first.get_attribute("href")
    page.goto(re.sub(r"^https?://[^/]+", "", link))
    _login_form(page, email, "Een-lang-wachtwoord-2026")
    expect(page.get_by_role("alert")).to_contain_text("wacht nog op goedkeuring")


def test_jurist_gets_a_notification_when_a_course_waits(as_user):
    title = f"Juridische proef {uuid.uuid4().hex[:6]}"
    django_shell(
        "from academie.models import AcademieIndexPage, CoursePage, Lesson\n"
        "from academie.legal import legal_workflow_ensure\n"
        "from kpo.accounts.models import User\n"
        "index = AcademieIndexPage.objects.first()\n"
        f"page = CoursePage(title={title!r}, summary='Proef', legal_review_required=True,"
        " live=False, lessons=[Lesson(title='Les', body=[])])\n"
        "index.add_child(instance=page)\n"
        "page.save_revision()\n"
        "legal_workflow_ensure(index_page=index).start(page,"
        " User.objects.get(email='academie@demo.kpo.nl'))\n"
    )
    jurist = as_user(JURIST)
    jurist.goto("/meldingen/")
    expect(jurist.locator("main")).to_contain_text(f"Juridische toetsing gevraagd: {title}")
    check_accessibility(jurist)


def test_closed_community_nuttig_and_members_table(as_user):
    professional = as_user(PROFESSIONAL)
    professional.goto("/communities/wgs-juristennetwerk/")
    expect(professional.locator(".kpo-members-only")).to_contain_text("alleen voor leden")
    check_accessibility(professional)
    screenshot(professional, "dagelijks-besloten-community")

    professional.goto("/communities/bibob-praktijk/")
    hrefs = professional.locator("main a[href*='/onderwerpen/']").evaluate_all(
        "links => links.map(a => a.getAttribute('href'))"
    )
    professional.goto(next(h for h in hrefs if re.search(r"/onderwerpen/\d+/$", h)))
    useful = professional.get_by_role("button", name=re.compile(r"^Nuttig")).first
    expect(useful).to_have_attribute("aria-pressed", "false")
    before = useful.evaluate("el => getComputedStyle(el).backgroundColor")
    useful.click()
    professional.wait_for_load_state()
    useful = professional.get_by_role("button", name=re.compile(r"Nuttig")).first
    expect(useful).to_have_attribute("aria-pressed", "true")
    after = useful.evaluate("el => getComputedStyle(el).backgroundColor")
    assert before != after, "a given 'Nuttig' does not look pressed"
    check_accessibility(professional)

    manager = as_user(MANAGER)
    manager.goto("/communities/bibob-praktijk/beheer/")
    table = manager.locator("table.kpo-members-table")
    expect(table).to_be_visible()
    assert table.locator("tbody tr").count() >= 2
    padding = table.locator("td").first.evaluate("el => getComputedStyle(el).paddingLeft")
    assert padding != "0px"
    check_accessibility(manager)
    screenshot(manager, "dagelijks-ledenbeheer")


def test_my_contributions_cards_have_no_bullets(as_user):
    page = as_user(PROFESSIONAL)
    page.goto("/kennisbank-acties/mijn-bijdragen/")
    styles = page.locator("main ul").evaluate_all(
        "lists => lists.map(l => getComputedStyle(l).listStyleType)"
    )
    assert all(style == "none" for style in styles), styles
    check_accessibility(page)


def test_totp_key_is_shown_in_groups_of_four(browser, e2e_server):
    from tests.e2e.conftest import new_page

    email = new_user(groups=("Redacteuren",))
    page = new_page(browser, e2e_server)
    _login_form(page, email)
    page.wait_for_url("**/tweestapsverificatie/**")
    key = page.locator("code.kpo-secret").inner_text().strip()
    assert re.fullmatch(r"([A-Z2-7]{4} )+[A-Z2-7]{1,4}", key), key
    check_accessibility(page)
    second_factor_pass(page, email)
    expect(page.get_by_role("button", name="Uitloggen")).to_be_visible()
    page.context.close()
