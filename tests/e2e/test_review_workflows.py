"""Both review workflows in the Wagtail admin, as the reviewers see them (issue 16): the
kennisbank's ambassador step and the academy's legal review offer the same words
("Wijzigingen vragen", "Goedkeuren", "Goedkeuren met opmerking"), and after "Goedkeuren met
opmerking" the admin confirms what happened (Wagtail's own dashboard action says nothing)."""

from __future__ import annotations

import uuid

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import check_accessibility, django_shell, screenshot

pytestmark = pytest.mark.e2e

AMBASSADOR = "ambassadeur@demo.kpo.nl"
JURIST = "jurist@demo.kpo.nl"
ACTIONS = ["Wijzigingen vragen", "Goedkeuren", "Goedkeuren met opmerking"]


def _document_in_review(title: str) -> None:
    """A contribution waiting for the demo ambassador (submitted as the professional would)."""
    django_shell(
        "from io import BytesIO\n"
        "from django.core.files.uploadedfile import SimpleUploadedFile\n"
        "from reportlab.pdfgen import canvas\n"
        "from kennisbank.models import DocumentType\n"
        "from kennisbank.services import document_submit\n"
        "from kpo.accounts.models import User\n"
        "from kpo.themes.models import Theme\n"
        "buffer = BytesIO(); pdf = canvas.Canvas(buffer)\n"
        "pdf.drawString(72, 720, 'Werkwijze voor de proef'); pdf.save()\n"
        "theme = Theme.objects.filter(ambassadors__email='ambassadeur@demo.kpo.nl').first()\n"
        f"document_submit(user=User.objects.get(email='professional@demo.kpo.nl'), title={title!r},"
        " summary='Een werkwijze ter beoordeling.', themes=[theme],"
        " doc_type=DocumentType.objects.order_by('pk').first(),"
        " file=SimpleUploadedFile('werkwijze.pdf', buffer.getvalue(), 'application/pdf'))\n"
    )


def _course_in_legal_review(title: str) -> None:
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


def _approve_with_comment_on_the_dashboard(page, title: str, comment: str) -> None:
    page.goto("/admin/")
    row = page.locator("#awaiting-review-section tr").filter(has_text=title)
    expect(row).to_be_visible()
    row.get_by_role("button", name="Acties").click()
    labels = [
        label.strip() for label in row.locator("button[data-workflow-action-url]").all_inner_texts()
    ]
    assert labels == ACTIONS, labels
    row.get_by_role("button", name="Goedkeuren met opmerking").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("Opmerking").fill(comment)
    dialog.get_by_role("button", name="Goedkeuren met opmerking").click()
    # the approval publishes (legal review) or starts the board's step, with notifications and
    # indexing in-process: on a busy machine that takes more than the default 5 s
    confirmation = page.get_by_text(f"“{title}” is goedgekeurd, met je opmerking.")
    expect(confirmation).to_be_visible(timeout=60_000)
    expect(page.locator("#awaiting-review-section tr").filter(has_text=title)).to_have_count(0)


@pytest.mark.parametrize(
    ("reviewer", "make"),
    [(AMBASSADOR, _document_in_review), (JURIST, _course_in_legal_review)],
    ids=["kennisbank-ambassadeur", "academie-jurist"],
)
def test_both_workflows_same_words_and_a_confirmation(as_user, reviewer, make):
    title = f"Beoordeling {reviewer.split('@')[0]} {uuid.uuid4().hex[:6]}"
    make(title)
    page = as_user(reviewer)
    _approve_with_comment_on_the_dashboard(page, title, "Akkoord, met een kleine kanttekening.")
    # the admin fades its message in: let the animation end, or axe measures a half-faded text
    page.wait_for_function(
        """() => {
            let el = document.querySelector('.messages .success');
            if (!el) return false;
            for (; el; el = el.parentElement) {
                if (parseFloat(getComputedStyle(el).opacity) < 1) return false;
            }
            const box = document.querySelector('.messages');
            return box.getAnimations({subtree: true}).every(a => a.playState !== 'running');
        }"""
    )
    check_accessibility(page)
    screenshot(page, f"beoordeling-bevestigd-{reviewer.split('@')[0]}")


def test_front_end_review_form_uses_the_same_words(as_user):
    """The kennisbank's own review page ("Te beoordelen") offers the same two decisions."""
    title = f"Voorkant {uuid.uuid4().hex[:6]}"
    _document_in_review(title)
    page = as_user(AMBASSADOR)
    page.goto("/")
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Kennisbank").click()
    page.get_by_role("link", name="Te beoordelen").click()
    page.get_by_role("link", name=title).click()
    expect(page.get_by_label("Wijzigingen vragen", exact=True)).to_be_visible()
    expect(page.get_by_label("Goedkeuren", exact=True)).to_be_visible()
