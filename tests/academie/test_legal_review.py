"""Legal review: a course that needs it cannot be published until a Juristen member approved it
in the "Juridische toetsing" workflow — tested through the real Wagtail admin."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone
from wagtail.models import TaskState, WorkflowState
from wagtail.test.utils.form_data import (
    nested_form_data,
    querydict_from_html,
    rich_text,
    streamfield,
)

from academie.legal import LEGAL_WORKFLOW_NAME
from academie.models import CoursePage
from tests.academie.conftest import make_course
from tests.factories import UserFactory
from tests.security.helpers import admin_login

pytestmark = pytest.mark.django_db


def _edit_post(client, page, action: str, summary: str = "Aangepaste samenvatting."):
    url = reverse("wagtailadmin_pages:edit", args=[page.pk])
    response = client.get(url)
    assert response.status_code == 200
    data = querydict_from_html(response.content.decode(), form_id="page-edit-form")
    data = data.copy()
    # StreamFields are rendered by JavaScript: supply the lesson bodies as the browser would.
    for i, lesson in enumerate(page.lessons.order_by("sort_order")):
        body = nested_form_data(
            {f"lessons-{i}-body": streamfield([("text", rich_text(f"<p>{lesson.title}</p>"))])}
        )
        data.update(body)
    data["summary"] = summary
    data.pop("legal_review_required", None)  # an editor tries to switch the legal review off
    data[action] = action
    return client.post(url, data)


@pytest.fixture
def editor(corpus):
    return UserFactory(groups=["Academie"])


@pytest.fixture
def jurist(corpus):
    return UserFactory(groups=["Juristen"])


def test_editor_can_publish_a_course_without_legal_review(client, editor):
    """Control: the same admin publish works when no legal review is required."""
    page = make_course(slug="zonder-toetsing", publish=False)
    admin_login(client, editor)
    _edit_post(client, page, "action-publish")
    page.refresh_from_db()
    assert page.live
    assert page.summary == "Aangepaste samenvatting."


def test_legal_review_blocks_publication_until_a_jurist_approves(client, editor, jurist):
    page = make_course(slug="met-toetsing", legal=True, publish=False)
    assert page.get_workflow().name == LEGAL_WORKFLOW_NAME

    # 1. A direct publish attempt by the (non-lawyer) editor only saves a draft.
    admin_login(client, editor)
    edit_page = client.get(reverse("wagtailadmin_pages:edit", args=[page.pk])).content.decode()
    assert 'name="action-publish"' not in edit_page
    _edit_post(client, page, "action-publish")
    page.refresh_from_db()
    assert not page.live
    assert page.legal_reviewed_at is None
    assert page.legal_review_required
    assert not page.permissions_for_user(editor).can_publish()

    # 2. The editor submits it to the workflow; still not live.
    _edit_post(client, page, "action-submit")
    state = WorkflowState.objects.get(object_id=str(page.pk), status="in_progress")
    page.refresh_from_db()
    assert not page.live

    # 3. A Juristen member approves in the admin: the course is published and dated.
    admin_login(client, jurist)
    task_state = state.current_task_state
    response = client.post(
        reverse("wagtailadmin_pages:workflow_action", args=[page.pk, "approve", task_state.pk]),
        {"comment": "Juridisch akkoord."},
    )
    assert response.status_code in (200, 302)
    task_state.refresh_from_db()
    assert task_state.status == TaskState.STATUS_APPROVED
    page = CoursePage.objects.get(pk=page.pk)
    assert page.live
    assert page.summary == "Aangepaste samenvatting."
    assert page.legal_reviewed_at == timezone.localdate()
    assert f"Juridisch getoetst op {timezone.localdate():%d-%m-%Y}" in page.legal_review_label

    # 4. A later edit is a new, unreviewed revision: the editor cannot publish it directly.
    admin_login(client, editor)
    _edit_post(client, page, "action-publish", summary="Niet getoetste wijziging.")
    page = CoursePage.objects.get(pk=page.pk)
    assert page.has_unpublished_changes
    assert page.summary == "Aangepaste samenvatting."  # the live version is the reviewed one
    assert page.get_latest_revision().as_object().summary == "Niet getoetste wijziging."
    assert not page.permissions_for_user(editor).can_publish()


def test_superuser_cannot_bypass_legal_review(corpus):
    admin = UserFactory(is_superuser=True, is_staff=True)
    page = make_course(slug="superuser-toetsing", legal=True, publish=False)
    assert not page.permissions_for_user(admin).can_publish()
    from wagtail.actions.publish_page_revision import PublishPagePermissionError

    with pytest.raises(PublishPagePermissionError):
        page.get_latest_revision().publish(user=admin)
    page.refresh_from_db()
    assert not page.live


def test_corpus_courses_needing_review_are_live_with_a_recorded_approval(corpus):
    for page in CoursePage.objects.filter(legal_review_required=True):
        assert page.live, page
        assert page.legal_reviewed_at is not None
        assert TaskState.objects.filter(
            revision__object_id=str(page.pk),
            status="approved",
            finished_by__groups__name="Juristen",
        ).exists()


def test_a_jurist_publishing_their_own_revision_records_the_review(jurist):
    page = make_course(slug="jurist-publiceert", legal=True, publish=False)
    assert page.permissions_for_user(jurist).can_publish()
    page.save_revision(user=jurist).publish(user=jurist)
    page = CoursePage.objects.get(pk=page.pk)
    assert page.live
    assert page.legal_reviewed_at == timezone.localdate()


def test_jurist_gets_a_confirmation_and_the_same_words_as_the_kennisbank(
    client, editor, jurist, django_capture_on_commit_callbacks
):
    """The legal review (Wagtail's group approval task) offers "Wijzigingen vragen" like the
    kennisbank review, and the admin confirms an approval with comment and a request for
    changes (Wagtail's own view says nothing)."""
    from django.contrib.messages import get_messages

    from kpo.notifications.models import Notification

    page = make_course(slug="met-bevestiging", legal=True, publish=False)
    admin_login(client, editor)
    with django_capture_on_commit_callbacks(execute=True):
        _edit_post(client, page, "action-submit")
    state = WorkflowState.objects.get(object_id=str(page.pk), status="in_progress")
    # the jurist is told in the app, like the kennisbank's reviewers
    assert Notification.objects.filter(
        recipient=jurist, title=f"Juridische toetsing gevraagd: {page.title}"
    ).exists()
    assert not Notification.objects.filter(
        recipient=editor, title__startswith="Juridische toetsing gevraagd"
    ).exists()
    task = state.current_task_state.task.specific
    labels = [label for _name, label, _modal in task.get_actions(page, jurist)]
    assert labels == ["Wijzigingen vragen", "Goedkeuren", "Goedkeuren met opmerking"]

    admin_login(client, jurist)
    response = client.post(
        reverse(
            "wagtailadmin_pages:workflow_action",
            args=[page.pk, "reject", state.current_task_state.pk],
        ),
        {"comment": "Grondslag ontbreekt."},
    )
    assert response.status_code == 302
    title = page.get_latest_revision().object_str
    # (the editor's "submitted" message is still queued: the test client never rendered it)
    queued = [str(m) for m in get_messages(response.wsgi_request)]
    assert queued[-1] == f"Je hebt wijzigingen gevraagd voor “{title}”.", queued

    admin_login(client, editor)
    _edit_post(client, page, "action-submit")
    state = WorkflowState.objects.get(object_id=str(page.pk), status="in_progress")
    admin_login(client, jurist)
    response = client.post(
        reverse(
            "wagtailadmin_pages:workflow_action",
            args=[page.pk, "approve", state.current_task_state.pk],
        ),
        {"comment": "Juridisch akkoord, met een kanttekening."},
    )
    assert response.status_code == 302
    queued = [str(m) for m in get_messages(response.wsgi_request)]
    assert queued[-1] == f"“{title}” is goedgekeurd, met je opmerking.", queued
    assert not any("wijzigingen gevraagd" in m for m in queued[:-1]), queued
    assert "is goedgekeurd, met je opmerking." in client.get(response["Location"]).content.decode()
    assert CoursePage.objects.get(pk=page.pk).live
