"""AVG export and retention read what each app declares on its AppConfig (ADR 0018): every
declaration names real models and fields, and the export holds real rows of every pillar —
and nobody else's."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.utils import timezone

from kpo.privacy.declarations import (
    OnDelete,
    personal_data_declarations,
    retention_declarations,
)
from kpo.privacy.services import data_export_dict
from tests.academie.conftest import make_course, make_session
from tests.factories import MembershipFactory, ThemeFactory, UserFactory

pytestmark = pytest.mark.django_db


def _resolve(model, lookup: str):
    """The field a ``a__b__c`` lookup ends on (raises when any part does not exist)."""
    field = None
    for part in lookup.split("__"):
        field = model._meta.get_field(part)
        model = field.related_model or model
    return field


def test_every_declaration_names_real_models_and_fields():
    declarations = list(personal_data_declarations())
    labels = {d.model for d in declarations}
    # Every pillar and the core's notifications declare their personal data.
    assert {label.split(".")[0] for label in labels} >= {
        "communities",
        "academie",
        "kennisbank",
        "notifications",
    }
    user_model = apps.get_model("accounts", "User")
    sections = [d.section for d in declarations if d.section]
    assert len(sections) == len(set(sections)), "an export section is declared twice"
    for declaration in declarations:
        model = declaration.model_class()
        for lookup in declaration.owner:
            assert _resolve(model, lookup).related_model is user_model, declaration
        for name in declaration.fields + declaration.name_fields:
            model._meta.get_field(name)
        for name, _text in declaration.removal_text:
            model._meta.get_field(name)
        for revision_label, field in declaration.revisions:
            revision_field = apps.get_model(revision_label)._meta.get_field(field)
            assert revision_field.related_model is model
        if declaration.on_delete != OnDelete.CASCADE:
            # Re-pointing needs a direct foreign key to the user.
            assert any("__" not in lookup for lookup in declaration.owner), declaration
    retained = list(retention_declarations())
    assert [r.kind for r in retained] == ["search_queries"]
    for retention in retained:
        retention.model_class()._meta.get_field(retention.date_field)


def test_a_wrong_declaration_is_refused():
    model = apps.get_model("academie", "LessonProgress")
    with pytest.raises(FieldDoesNotExist):
        _resolve(model, "user")  # the guess the old code made; the row belongs via its enrolment


def _learning_rows(user, course):
    Enrolment = apps.get_model("academie", "Enrolment")
    LessonProgress = apps.get_model("academie", "LessonProgress")
    QuizAttempt = apps.get_model("academie", "QuizAttempt")
    enrolment = Enrolment.objects.create(user=user, course=course)
    LessonProgress.objects.create(enrolment=enrolment, lesson=course.lessons.first())
    QuizAttempt.objects.create(
        enrolment=enrolment, number=1, score=50, passed=False, correct_count=1, question_count=2
    )
    return enrolment


def _document(owner, title: str):
    from kennisbank.models import DocumentType, KennisbankIndexPage, KnowledgeDocumentPage
    from kennisbank.services import document_import_published

    reviewed = timezone.localdate()
    page = KnowledgeDocumentPage(
        title=title,
        summary=f"Samenvatting van {title}",
        doc_type=DocumentType.objects.get(slug="factsheet"),
        year=2025,
        owner=owner,
        last_reviewed_at=reviewed,
    )
    page.next_review_due = page.due_date_after(reviewed)
    page.themes = [ThemeFactory()]
    KennisbankIndexPage.objects.get().add_child(instance=page)
    return document_import_published(page=page)


def test_the_export_holds_real_rows_of_every_pillar():
    from academie.services import session_register

    Thread = apps.get_model("communities", "Thread")
    Notification = apps.get_model("notifications", "Notification")
    me = UserFactory(first_name="Mirjam", last_name="Exporteur")
    other = UserFactory(first_name="Olaf", last_name="Anders")
    course = make_course(slug="privacy-cursus")
    session = make_session(capacity=5)
    for user, label in ((me, "mijn"), (other, "andermans")):
        membership = MembershipFactory(user=user)
        Thread.objects.create(
            community=membership.community, author=user, title=f"Vraag {label}", body="<p>?</p>"
        )
        _learning_rows(user, course)
        session_register(user=user, session=session)
        _document(user, f"Document {label}")
        Notification.objects.create(recipient=user, kind="test", title=f"Melding {label}")

    data = data_export_dict(user=me)

    assert [t["title"] for t in data["threads"]] == ["Vraag mijn"]
    assert [e["course"] for e in data["enrolments"]] == [course.pk]
    # Rows that belong to the person through their enrolment (empty before ADR 0018).
    assert len(data["lesson_progress"]) == 1
    assert [a["score"] for a in data["quiz_attempts"]] == [50]
    assert [r["session"] for r in data["training_registrations"]] == [session.pk]
    # Knowledge documents the person shared: only the declared fields.
    assert [d["title"] for d in data["knowledge_documents"]] == ["Document mijn"]
    assert set(data["knowledge_documents"][0]) >= {"title", "summary", "live"}
    assert "path" not in data["knowledge_documents"][0]
    assert [n["title"] for n in data["notifications"]] == ["Melding mijn"]
    assert len(data["memberships"]) == 1
    text = repr(data)
    for leak in ("andermans", other.email, "Anders"):
        assert leak not in text
