"""Journey 4: a learner earns the "Wet Bibob: de basis" certificate and books a training.

Enrol from the academy overview, complete every lesson, fail the quiz, pass it on the second
attempt answering with the keyboard only, download the certificate and check it on the public
verification page; then take the last seat of a training session, so that the next person lands
on the waiting list.
"""

from __future__ import annotations

import re
import uuid
from pathlib import Path

import pytest
import yaml
from playwright.sync_api import expect

from tests.e2e.conftest import ROOT, check_accessibility, django_shell, screenshot, tab_to

pytestmark = pytest.mark.e2e

LEARNER = "professional@demo.kpo.nl"
NEXT_PERSON = "ambassadeur@demo.kpo.nl"
COURSE = "Wet Bibob: de basis"
TRAINING = "Basistraining Wet Bibob"
CORPUS = Path(ROOT.parent / "shared" / "corpus" / "kpo-corpus.yaml")


def _right_answers() -> dict[str, set[str]]:
    """Question text -> the texts of its correct options, from the course material (corpus)."""
    data = yaml.safe_load(CORPUS.read_text(encoding="utf-8"))
    course = next(c for c in data["elearnings"] if c["title"] == COURSE)
    answers = {}
    for q in course["quiz"]["questions"]:
        correct = q["correct"] if isinstance(q["correct"], list) else [q["correct"]]
        answers[q["question"]] = {q["options"][i] for i in correct}
    return answers


def _questions(page) -> list[tuple[str, list[str]]]:
    """The quiz as shown: per question its label (without the number) and its options in order."""
    shown = []
    for fieldset in page.locator("form fieldset").all():
        legend = fieldset.locator("legend").inner_text().strip().removesuffix("*").strip()
        text = re.sub(r"^\d+\.\s*", "", legend)
        options = [label.inner_text().strip() for label in fieldset.locator("label").all()]
        shown.append((text, options))
    return shown


def test_learner_certificate_and_training_waiting_list(as_user, page):
    right = _right_answers()
    learner = as_user(LEARNER)
    learner.goto("/")
    learner.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Academie").click()
    learner.get_by_role("link", name=COURSE, exact=True).click()
    learner.get_by_role("button", name="Inschrijven").click()
    expect(learner.get_by_text("Je bent ingeschreven. Veel leerplezier!")).to_be_visible()
    check_accessibility(learner)

    # Complete every lesson in order.
    lessons = 0
    while "/les/" in learner.url:
        expect(learner.locator(".kpo-lesson")).not_to_be_empty()
        learner.get_by_role("button", name="Les afronden").click()
        learner.wait_for_load_state()
        lessons += 1
        assert lessons < 30
    assert lessons >= 2
    expect(learner.get_by_text("Je hebt alle lessen afgerond.")).to_be_visible()
    expect(learner.get_by_role("heading", level=1)).to_contain_text("Toets")
    check_accessibility(learner)

    # First attempt: wrong answers everywhere.
    questions = _questions(learner)
    assert len(questions) == len(right)
    for index, (text, options) in enumerate(questions):
        wrong = next(o for o in options if o not in right[text])
        learner.locator("form fieldset").nth(index).get_by_label(wrong, exact=True).check()
    learner.get_by_role("button", name="Antwoorden insturen").click()
    expect(learner.get_by_role("heading", level=1)).to_have_text("Resultaat van je toets")
    expect(learner.get_by_text("Je score is 0%.")).to_be_visible()
    check_accessibility(learner)

    # Second attempt, with the keyboard only.
    learner.get_by_role("link", name="Opnieuw proberen").click()
    # Wait for the quiz itself: reading the fieldsets while the result page is still shown
    # finds none (``.all()`` does not wait).
    expect(learner.get_by_role("heading", level=1)).to_have_text(f"Toets: {COURSE}")
    expect(learner.locator("form fieldset")).to_have_count(len(right))
    questions = _questions(learner)
    names = learner.locator("form fieldset").evaluate_all(
        "sets => sets.map(s => s.querySelector('input').name)"
    )
    for name, (text, options) in zip(names, questions, strict=True):
        tab_to(learner, f"el.name === '{name}'")
        target = next(i for i, o in enumerate(options) if o in right[text])
        learner.keyboard.press("Space")  # choose the focused (first) option
        for _ in range(target):
            learner.keyboard.press("ArrowDown")  # move the choice down to the right option
    tab_to(learner, "el.textContent.trim() === 'Antwoorden insturen'")
    learner.keyboard.press("Enter")
    learner.wait_for_url("**/toets/resultaat/**")
    expect(learner.get_by_text("Gefeliciteerd, je bent geslaagd met 100%.")).to_be_visible()

    # The certificate: download, then check it on the public verification page.
    with learner.expect_download() as download:
        learner.get_by_role("link", name="Download je certificaat (PDF)").click()
    certificate = download.value
    code = re.fullmatch(r"certificaat-(.+)\.pdf", certificate.suggested_filename).group(1)
    assert Path(certificate.path()).read_bytes().startswith(b"%PDF")

    learner.goto("/academie/mijn-leren/")
    expect(learner.get_by_role("heading", level=1)).to_have_text("Mijn leren")
    expect(learner.get_by_text(f"code {code}")).to_be_visible()
    check_accessibility(learner)

    # Anyone with the code may check it, without logging in.
    response = page.goto(f"/certificaat/{code}/")
    assert response.status == 200
    expect(page.get_by_role("heading", level=1)).to_have_text("Certificaat controleren")
    result = page.get_by_test_id("verification-result")
    expect(result).to_contain_text("Dit certificaat is uitgereikt door de Ondermijningsacademie")
    expect(result.locator("dl")).to_contain_text(COURSE)
    expect(result.locator("dl")).to_contain_text("Priya de Vries")
    expect(result.locator("dl")).to_contain_text("geldig")
    check_accessibility(page)
    # An unknown code answers in the same shape (no enumeration help), never with her data.
    unknown = page.request.get("/certificaat/BESTAATNIET/")
    assert unknown.status == 200
    assert "geen certificaat van de Ondermijningsacademie gevonden" in unknown.text()
    assert "Priya de Vries" not in unknown.text()

    # A training session with one seat left (planned by the academy for this run).
    place = f"Arnhem {uuid.uuid4().hex[:6]}"
    django_shell(
        "from datetime import timedelta\n"
        "from django.utils import timezone\n"
        "from academie.models import TrainingPage, TrainingSession\n"
        f"training = TrainingPage.objects.get(title={TRAINING!r})\n"
        "start = timezone.now() + timedelta(days=60)\n"
        "TrainingSession.objects.create(training=training, starts_at=start,\n"
        "    ends_at=start + timedelta(hours=6), location=" + repr(place) + ", capacity=1,\n"
        "    registration_deadline=start - timedelta(days=7))\n"
    )
    learner.goto("/academie/")
    learner.get_by_role("link", name=TRAINING, exact=True).click()
    row = learner.get_by_role("row").filter(has_text=place)
    expect(row).to_contain_text("1 van 1 vrij")
    check_accessibility(learner)
    row.get_by_role("button", name="Aanmelden").click()
    expect(learner.get_by_text("Je bent aangemeld voor deze sessie.")).to_be_visible()
    expect(learner.get_by_role("row").filter(has_text=place)).to_contain_text("0 van 1 vrij")

    verifier = as_user(NEXT_PERSON)
    verifier.goto(learner.url)
    row = verifier.get_by_role("row").filter(has_text=place)
    row.get_by_role("button", name="Op de wachtlijst").click()
    expect(verifier.get_by_text("De sessie is vol. Je staat op de wachtlijst")).to_be_visible()
    expect(verifier.get_by_role("row").filter(has_text=place)).to_contain_text(
        "plaats 1 op de wachtlijst"
    )

    learner.goto("/academie/mijn-leren/")
    expect(learner.locator("#mijn-sessies + ul")).to_contain_text(place)
    screenshot(learner, "4-mijn-leren-certificaat-en-sessie")
