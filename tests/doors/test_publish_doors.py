"""The publish half of the door matrix (issue #11, ADR 0007).

Every route that can create, publish, copy, move, revert, schedule or otherwise change a page is
derived from the URL resolver and Wagtail's bulk-action registry; each must be listed in
``ADMIN_PAGE_ROUTES`` / ``BULK_ACTIONS`` / ``API_WRITES`` — a new route fails the test until it
is classified. For each publishing door: a course that needs legal review does not go live
without a jurist, a knowledge document does not go live without the ambassador and the
Redactieraad (or the audited emergency path), and a refused attempt leaves no live page and no
stray page or revision row."""

from __future__ import annotations

import datetime
import uuid

import pytest
import time_machine
from django.core.management import call_command
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from wagtail.admin.views.bulk_action.registry import bulk_action_registry
from wagtail.models import Page, PageViewRestriction, Revision, TaskState, WorkflowState
from wagtail.test.utils.form_data import (
    nested_form_data,
    querydict_from_html,
    rich_text,
    streamfield,
)

from academie.legal import LEGAL_WORKFLOW_NAME
from academie.models import AcademieIndexPage, CoursePage
from kennisbank import services as kb
from kennisbank.models import DocumentType, KennisbankIndexPage, KnowledgeDocumentPage
from kpo.audit.models import AuditEntry
from kpo.core.publication import PublicationRefused, ViewRestrictionRefused
from kpo.themes.models import Theme
from tests.academie.conftest import make_course
from tests.factories import UserFactory
from tests.security.helpers import admin_login

pytestmark = pytest.mark.django_db

# --- the matrix ---------------------------------------------------------------------------------

# Every admin route that works on pages: what it can do to publication, and the test below that
# holds the rule on it ("—" = cannot make a page live; the reason).
ADMIN_PAGE_ROUTES: dict[str, str] = {
    "wagtailadmin_pages:add": "test_create_and_publish_is_refused_and_leaves_no_row",
    "wagtailadmin_pages:add_subpage": "— chooses a page type, then wagtailadmin_pages:add",
    "wagtailadmin_pages:choose_parent": "— chooses a parent, then wagtailadmin_pages:add",
    "wagtailadmin_pages:preview_on_add": "— preview, stores nothing",
    "wagtailadmin_pages:edit": "test_edit_and_publish_is_refused",
    "wagtailadmin_pages:preview_on_edit": "— preview, stores nothing",
    "wagtailadmin_pages:copy": "test_copy_with_publish_copies_or_as_alias_is_refused",
    "wagtailadmin_pages:convert_alias": "test_copy_with_publish_copies_or_as_alias_is_refused",
    "wagtailadmin_pages:move": "test_move_does_not_publish",
    "wagtailadmin_pages:move_confirm": "test_move_does_not_publish",
    "wagtailadmin_pages:set_page_position": "test_move_does_not_publish",
    "wagtailadmin_pages:revisions_revert": "test_revert_then_publish_is_refused",
    "wagtailadmin_pages:revisions_unschedule": "test_scheduled_go_live_needs_an_approved_revision",
    "wagtailadmin_pages:revisions_view": "— shows a revision",
    "wagtailadmin_pages:revisions_compare": "— compares revisions",
    "wagtailadmin_pages:history": "— lists log entries",
    "wagtailadmin_pages:history_results": "— lists log entries",
    "wagtailadmin_pages:workflow_action": "test_workflow_approval_by_someone_outside_the_group",
    "wagtailadmin_pages:collect_workflow_action_data": "— renders the action's form",
    "wagtailadmin_pages:confirm_workflow_cancellation": "— confirmation dialog",
    "wagtailadmin_pages:workflow_preview": "— preview, stores nothing",
    "wagtailadmin_pages:workflow_history": "— lists workflow states",
    "wagtailadmin_pages:workflow_history_detail": "— shows a workflow state",
    "wagtailadmin_pages:set_privacy": "test_page_privacy_is_refused_everywhere",
    "wagtailadmin_pages:unpublish": "— takes a page offline (never makes one live)",
    "wagtailadmin_pages:delete": "— deletes",
    "wagtailadmin_pages:lock": "— locks",
    "wagtailadmin_pages:unlock": "— unlocks",
    "wagtailadmin_pages:type_use": "— lists usage",
    "wagtailadmin_pages:usage": "— lists usage",
    "wagtailadmin_pages:type_use_results": "— lists usage",
    "wagtailadmin_pages:revisions_index": "— lists revisions",
    "wagtailadmin_pages:search": "— searches pages",
    "wagtailadmin_pages:search_results": "— searches pages",
    "wagtailadmin_explore": "— lists pages",
    "wagtailadmin_explore_results": "— lists pages",
    "wagtailadmin_explore_root": "— lists pages",
    "wagtailadmin_choose_page_child": "— page chooser",
    "wagtailforms:list_submissions": "— form submissions",
    "wagtailforms:list_submissions_results": "— form submissions",
    "wagtailforms:delete_submissions": "— form submissions",
    "wagtailadmin_workflows:remove": "test_edit_and_publish_is_refused (guard needs no workflow)",
    "wagtailadmin_pages:view_draft": "— shows the draft",
    "kennisbank_emergency_publish": "test_emergency_publication_is_for_admins_with_a_reason",
    "kennisbank_confirm_current": "— records a review date, publishes nothing",
    "kennisbank_start_reassessment": "— starts the review workflow, publishes nothing",
}

# Wagtail's bulk actions on pages (from the registry).
BULK_ACTIONS: dict[str, str] = {
    "publish": "test_bulk_publish_is_refused",
    "move": "test_move_does_not_publish",
    "unpublish": "— takes pages offline",
    "delete": "— deletes",
}

# API routes that accept a write (POST/PUT/PATCH/DELETE): none of them touches a page's
# publication — what each writes.
API_WRITES: dict[str, str] = {
    "api-token": "an API token (no page)",
    "api-token-revoke": "deletes one of the caller's API tokens (no page)",
    "api-community-files": "a community file attachment (no page)",
    "api-community-join": "a membership (no page)",
    "api-community-leave": "a membership (no page)",
    "api-community-request": "a join request (no page)",
    "api-community-threads": "a thread (no page)",
    "api-thread-replies": "a reply (no page)",
    "api-reply-accept": "the accepted answer (no page)",
    "api-thread-flag": "a flag (no page)",
    "api-course-enrol": "an enrolment (no page)",
    "api-lesson-complete": "lesson progress (no page)",
    "api-quiz-attempt": "a quiz attempt (no page)",
    "api-certificate-revoke": "a certificate's revocation (no page)",
    "api-certificate-verify": "nothing: a public code check sent as POST (no page)",
    "api-session-register": "a training registration (no page)",
    "api-session-cancel": "a training registration (no page)",
    "api-community-events": "an event (no page)",
    "api-community-event": "an event (no page)",
    "api-community-event-rsvp": "an RSVP (no page)",
    "api-community-member": "a membership's role or removal (no page)",
    "api-community-join-request-decision": "a join request and a membership (no page)",
    "api-community-invitations": "an invitation (no page)",
    "api-community-invitation": "revokes an invitation (no page)",
    "api-community-flag-dismiss": "a flag (no page)",
    "api-thread-moderation": "a thread's hidden / pinned / locked flags (no page)",
    "api-reply-moderation": "a reply's hidden flag (no page)",
    "api-notifications-read": "read marks on notifications (no page)",
    "api-notification-read": "a read mark on a notification (no page)",
    "api-notification-preferences": "e-mail preferences (no page)",
    "api-me-export": "an audit entry for the export (no page)",
    "api-submissions": "a draft document that enters the review workflow; never live (review)",
    "api-submission-resubmit": "a new draft revision, back into the review workflow (review)",
    "api-review": "a review decision: the workflow's own approval, the only door (review)",
    "api-thread-knowledge-proposal": "a draft document from a thread that enters the review "
    "workflow; never live (review)",
    "api-document-confirm-current": "the review dates of a live document; publishes nothing "
    "(no page)",
}

# The API routes that act on a page through the review workflow: they go live only when the
# workflow approves (the publication guard in the page's save), as in the web — the tests that
# prove it.
API_REVIEW_WRITES: dict[str, str] = {
    "api-submissions": "test_share_a_contribution_follow_it_up_and_resubmit",
    "api-submission-resubmit": "test_share_a_contribution_follow_it_up_and_resubmit",
    "api-review": "test_ambassador_and_board_review_through_the_api",
    "api-thread-knowledge-proposal": "test_thread_knowledge_proposal_through_the_api",
}

PAGE_ROUTE_PREFIXES = ("admin/pages/", "admin/bulk/")
# Wagtail's routes use ``int``, ours the bounded ``id`` converter (kpo/core/converters.py).
PAGE_ARGS = tuple(
    f"<{converter}:{arg}>"
    for converter in ("int", "id")
    for arg in ("page_id", "page_pk", "parent_page_id")
)


def _walk(resolver, prefix="", namespace=""):
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            ns = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _walk(pattern, prefix + str(pattern.pattern), ns)
        elif isinstance(pattern, URLPattern):
            name = f"{namespace}{pattern.name}" if pattern.name else ""
            yield prefix + str(pattern.pattern), name, pattern.callback


def _page_routes() -> dict[str, str]:
    routes = {}
    for route, name, _callback in _walk(get_resolver()):
        if not route.startswith("admin/"):
            continue
        if route.startswith(PAGE_ROUTE_PREFIXES) or any(arg in route for arg in PAGE_ARGS):
            routes[name or route] = route
    return routes


def test_every_admin_route_on_pages_is_in_the_matrix():
    routes = _page_routes()
    routes.pop("wagtail_bulk_action")  # one route for all bulk actions: see BULK_ACTIONS
    unlisted = sorted(set(routes) - set(ADMIN_PAGE_ROUTES))
    assert not unlisted, f"admin routes on pages missing from the door matrix: {unlisted}"
    stale = sorted(set(ADMIN_PAGE_ROUTES) - set(routes))
    assert not stale, f"door matrix lists routes that no longer exist: {stale}"
    for door in ADMIN_PAGE_ROUTES.values():
        assert door.startswith("—") or door.split()[0] in globals(), door


def test_every_page_bulk_action_is_in_the_matrix():
    bulk_action_registry._scan_for_bulk_actions()
    actions = set(bulk_action_registry.actions["wagtailcore"]["page"])
    assert actions == set(BULK_ACTIONS), "page bulk actions changed: classify them"
    for door in BULK_ACTIONS.values():
        assert door.startswith("—") or door in globals(), door


def test_no_api_route_publishes_a_page():
    """The API publishes nothing: every write it accepts is listed (none on pages)."""
    writes = {}
    for route, name, callback in _walk(get_resolver()):
        if not route.startswith("api/"):
            continue
        view = getattr(callback, "cls", None) or getattr(callback, "view_class", None)
        methods = {m for m in ("post", "put", "patch", "delete") if view and hasattr(view, m)}
        if methods:
            writes[name or route] = route
    unlisted = sorted(set(writes) - set(API_WRITES))
    assert not unlisted, f"API routes that write, missing from API_WRITES: {unlisted}"
    from tests.api import test_parity

    for name, route in writes.items():
        if API_WRITES[name].endswith("(review)"):
            assert hasattr(test_parity, API_REVIEW_WRITES[name]), (name, route)
            continue
        assert API_WRITES[name].endswith("(no page)"), (name, route)


# --- fixtures and helpers -----------------------------------------------------------------------


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def academy_editor(corpus):
    return UserFactory(groups=["Academie"])


@pytest.fixture
def jurist(corpus):
    return UserFactory(groups=["Juristen"])


@pytest.fixture
def board_member(corpus):
    return UserFactory(groups=["Redactieraad"])


@pytest.fixture
def superuser(corpus):
    return UserFactory(is_superuser=True, is_staff=True)


def _rows() -> tuple[int, int]:
    return Page.objects.count(), Revision.objects.count()


def _live(page) -> bool:
    return Page.objects.get(pk=page.pk).live


def _slug() -> str:
    return f"deur-{uuid.uuid4().hex[:8]}"


def _draft_document(*, title: str = "Deurdocument") -> KnowledgeDocumentPage:
    index = KennisbankIndexPage.objects.get()
    page = KnowledgeDocumentPage(
        title=title,
        slug=_slug(),
        summary="Een concept.",
        doc_type=DocumentType.objects.order_by("pk").first(),
        year=2025,
        live=False,
    )
    page.themes = [Theme.objects.order_by("pk").first()]
    index.add_child(instance=page)
    page.save_revision()
    return KnowledgeDocumentPage.objects.get(pk=page.pk)


def _live_document(*, title: str = "Levend deurdocument") -> KnowledgeDocumentPage:
    page = _draft_document(title=title)
    return kb.document_import_published(page=page)


def _live_legal_course() -> CoursePage:
    return CoursePage.objects.filter(legal_review_required=True, live=True).first()


def _form(client, url: str, **values) -> dict:
    response = client.get(url)
    assert response.status_code == 200, url
    data = querydict_from_html(response.content.decode(), form_id="page-edit-form").copy()
    for key, value in values.items():
        if isinstance(value, list):
            data.setlist(key, value)
        else:
            data[key] = value
    return data


def _lesson_data(page: CoursePage | None) -> dict:
    lessons = list(page.lessons.order_by("sort_order")) if page else [None]
    data = {}
    for i, lesson in enumerate(lessons):
        title = lesson.title if lesson else "Les 1"
        data.update(
            nested_form_data(
                {f"lessons-{i}-body": streamfield([("text", rich_text(f"<p>{title}</p>"))])}
            )
        )
        if lesson is None:
            data.update({f"lessons-{i}-title": title, "lessons-TOTAL_FORMS": "1"})
    return data


def _course_add(client, *, action: str = "action-publish", legal: bool = True):
    index = AcademieIndexPage.objects.get()
    url = reverse("wagtailadmin_pages:add", args=("academie", "coursepage", index.pk))
    slug = _slug()
    data = _form(client, url, title=f"Cursus {slug}", slug=slug, summary="Nieuw.")
    if legal:
        data["legal_review_required"] = "on"
    else:
        data.pop("legal_review_required", None)
    data.update(_lesson_data(None))
    data[action] = action
    return slug, client.post(url, data)


def _document_body(page=None) -> dict:
    return nested_form_data({"body": streamfield([("text", rich_text("<p>Inhoud</p>"))])})


# --- create + publish ---------------------------------------------------------------------------


def test_create_and_publish_is_refused_and_leaves_no_row(client, academy_editor):
    admin_login(client, academy_editor)
    before = _rows()
    slug, response = _course_add(client)
    assert response.status_code in (302, 403)
    assert not CoursePage.objects.filter(slug=slug).exists()
    assert _rows() == before, "a refused create left a page or revision behind"

    # control: the same form without legal review creates the course live (the data is valid)
    slug, response = _course_add(client, legal=False)
    assert response.status_code == 302
    assert CoursePage.objects.get(slug=slug).live


def test_create_and_publish_of_a_knowledge_document_is_refused(client, superuser):
    """Only superusers may add knowledge documents in the admin (the board edits and reviews);
    even they cannot publish one without the workflow."""
    admin_login(client, superuser)
    index = KennisbankIndexPage.objects.get()
    url = reverse("wagtailadmin_pages:add", args=("kennisbank", "knowledgedocumentpage", index.pk))
    slug = _slug()
    data = _form(
        client,
        url,
        title=f"Document {slug}",
        slug=slug,
        summary="Nieuw.",
        doc_type=str(DocumentType.objects.order_by("pk").first().pk),
        themes=[str(Theme.objects.order_by("pk").first().pk)],
        year="2025",
    )
    data.update(_document_body())
    before = _rows()
    data["action-publish"] = "action-publish"
    response = client.post(url, data)
    assert response.status_code in (302, 403)
    assert not KnowledgeDocumentPage.objects.filter(slug=slug).exists()
    assert _rows() == before
    # control: saving a draft with the same data works
    del data["action-publish"]
    assert client.post(url, data).status_code == 302
    assert not KnowledgeDocumentPage.objects.get(slug=slug).live


# --- edit + publish -----------------------------------------------------------------------------


def test_edit_and_publish_is_refused(client, academy_editor, superuser, board_member):
    course = make_course(slug=_slug(), legal=True, publish=False)
    for user in (academy_editor, superuser):
        admin_login(client, user)
        url = reverse("wagtailadmin_pages:edit", args=[course.pk])
        data = _form(client, url, summary="Zonder jurist.")
        data.update(_lesson_data(course))
        data["action-publish"] = "action-publish"
        client.post(url, data)
        assert not _live(course), user

    # kennisbank: the board may publish pages in Wagtail, but not without the workflow — also
    # after the workflow was removed from the kennisbank (the guard does not depend on it)
    from wagtail.models import WorkflowPage

    WorkflowPage.objects.filter(page=KennisbankIndexPage.objects.get()).delete()
    document = _draft_document()
    admin_login(client, board_member)
    url = reverse("wagtailadmin_pages:edit", args=[document.pk])
    page_html = client.get(url).content.decode()
    assert 'name="action-publish"' not in page_html
    data = _form(client, url, summary="Direct gepubliceerd?")
    data.update(_document_body())
    data["action-publish"] = "action-publish"
    before = _rows()
    client.post(url, data)
    assert not _live(document)
    assert _rows() == before


def test_a_jurist_publishes_from_the_edit_view(client, jurist):
    """Control: the guard lets through what the rule allows — "Publiceren" is offered to a
    jurist and works (the new revision is the jurist's own)."""
    course = make_course(slug=_slug(), legal=True, publish=False)
    admin_login(client, jurist)
    url = reverse("wagtailadmin_pages:edit", args=[course.pk])
    assert 'name="action-publish"' in client.get(url).content.decode()
    data = _form(client, url, summary="Juridisch getoetst.", legal_review_required="on")
    data.update(_lesson_data(course))
    data["action-publish"] = "action-publish"
    client.post(url, data)
    course = CoursePage.objects.get(pk=course.pk)
    assert course.legal_review_required
    assert course.live and course.summary == "Juridisch getoetst."
    assert course.legal_reviewed_at == timezone.localdate()


# --- bulk publish -------------------------------------------------------------------------------


def _bulk_publish(client, page):
    url = reverse("wagtail_bulk_action", args=("wagtailcore", "page", "publish"))
    return client.post(f"{url}?id={page.pk}", {})


def test_bulk_publish_is_refused(client, academy_editor, superuser, board_member):
    course = make_course(slug=_slug(), legal=True, publish=False)
    for user in (academy_editor, superuser):
        admin_login(client, user)
        _bulk_publish(client, course)
        assert not _live(course)
    document = _draft_document()
    admin_login(client, board_member)
    before = _rows()
    response = _bulk_publish(client, document)
    assert response.status_code in (302, 403)
    assert not _live(document)
    assert _rows() == before

    # control: bulk publish works for a course without legal review
    plain = make_course(slug=_slug(), publish=False)
    client.force_login(academy_editor)  # (a second TOTP login would reuse the token)
    admin_login(client, UserFactory(groups=["Academie"]))
    _bulk_publish(client, plain)
    assert _live(plain)


# --- copy / alias -------------------------------------------------------------------------------


def _copy(client, page, **extra):
    slug = _slug()
    data = {
        "new_title": f"Kopie {slug}",
        "new_slug": slug,
        "new_parent_page": str(page.get_parent().pk),
        **extra,
    }
    response = client.post(reverse("wagtailadmin_pages:copy", args=[page.pk]), data)
    return slug, response


def test_copy_with_publish_copies_or_as_alias_is_refused(client, academy_editor, superuser):
    for user, page in ((academy_editor, _live_legal_course()), (superuser, _live_document())):
        admin_login(client, user)
        before = _rows()
        slug, _response = _copy(client, page, publish_copies="on")
        assert not Page.objects.filter(slug=slug).exists(), "a live copy was made"
        assert _rows() == before
        slug, _response = _copy(client, page, alias="on")
        assert not Page.objects.filter(slug=slug).exists(), "an alias (live mirror) was made"
        assert _rows() == before
        # control: a plain copy is a draft that needs its own review
        slug, response = _copy(client, page)
        assert response.status_code == 302
        assert Page.objects.filter(slug=slug, live=False).exists()

    # the model-level guard refuses a live copy from code as well
    with pytest.raises(PublicationRefused):
        _live_legal_course().copy(update_attrs={"slug": _slug(), "title": "Code"}, keep_live=True)


# --- move ---------------------------------------------------------------------------------------


def test_move_does_not_publish(client, academy_editor):
    course = make_course(slug=_slug(), legal=True, publish=False)
    index = AcademieIndexPage.objects.get()
    admin_login(client, academy_editor)
    client.post(reverse("wagtailadmin_pages:move_confirm", args=[course.pk, index.pk]))
    client.post(f"{reverse('wagtailadmin_pages:set_page_position', args=[course.pk])}?position=0")
    url = reverse("wagtail_bulk_action", args=("wagtailcore", "page", "move"))
    client.post(f"{url}?id={course.pk}", {"chooser": str(index.pk)})
    course.refresh_from_db()
    assert not course.live
    assert course.get_parent().pk == index.pk


# --- revert -------------------------------------------------------------------------------------


def test_revert_then_publish_is_refused(client, academy_editor, superuser, board_member):
    course = _live_legal_course()
    live_revision = course.live_revision_id
    first = course.revisions.order_by("created_at").first()
    for user in (academy_editor, superuser):
        admin_login(client, user)
        url = reverse("wagtailadmin_pages:revisions_revert", args=[course.pk, first.pk])
        data = _form(client, url)
        data.update(_lesson_data(course))
        data["action-publish"] = "action-publish"
        client.post(url, data)
        assert CoursePage.objects.get(pk=course.pk).live_revision_id == live_revision

    document = _live_document()
    original = document.live_revision
    draft = document.get_latest_revision_as_object()
    draft.summary = "Een nieuwe, nog niet beoordeelde versie."
    draft.save_revision()
    admin_login(client, board_member)
    url = reverse("wagtailadmin_pages:revisions_revert", args=[document.pk, original.pk])
    data = _form(client, url, summary="Teruggezet en gepubliceerd?")
    data.update(_document_body())
    data["action-publish"] = "action-publish"
    before = _rows()
    client.post(url, data)
    document = KnowledgeDocumentPage.objects.get(pk=document.pk)
    assert document.live_revision_id == original.pk  # still the imported, audited revision
    assert _rows() == before


# --- scheduled go-live --------------------------------------------------------------------------


def test_scheduled_go_live_needs_an_approved_revision(client, academy_editor, jurist):
    course = make_course(slug=_slug(), legal=True, publish=False)
    past = timezone.now() - datetime.timedelta(minutes=5)
    # a revision that reached the schedule without a jurist (e.g. written into the database)
    revision = course.save_revision(user=academy_editor)
    Revision.objects.filter(pk=revision.pk).update(approved_go_live_at=past)
    with pytest.raises(PublicationRefused):
        call_command("publish_scheduled")
    assert not _live(course)
    Revision.objects.filter(pk=revision.pk).update(approved_go_live_at=None)

    # unscheduling never publishes
    admin_login(client, academy_editor)
    client.post(reverse("wagtailadmin_pages:revisions_unschedule", args=[course.pk, revision.pk]))
    assert not _live(course)

    # control: a jurist's scheduled revision goes live when its time comes
    course = CoursePage.objects.get(pk=course.pk)
    course.go_live_at = timezone.now() + datetime.timedelta(hours=1)
    scheduled = course.save_revision(user=jurist)
    scheduled.publish(user=jurist)
    assert not _live(course)
    with time_machine.travel(timezone.now() + datetime.timedelta(hours=2)):
        call_command("publish_scheduled")
    assert _live(course)

    # kennisbank: a scheduled revision without the workflow's approval stays offline
    document = _draft_document()
    Revision.objects.filter(pk=document.latest_revision_id).update(approved_go_live_at=past)
    with pytest.raises(PublicationRefused):
        call_command("publish_scheduled")
    assert not _live(document)


# --- workflow -----------------------------------------------------------------------------------


def _workflow_approve(client, page):
    state = WorkflowState.objects.get(object_id=str(page.pk), status="in_progress")
    task_state = state.current_task_state
    url = reverse("wagtailadmin_pages:workflow_action", args=[page.pk, "approve", task_state.pk])
    client.post(url, {"comment": "Akkoord."})
    return TaskState.objects.get(pk=task_state.pk)


def test_workflow_approval_by_someone_outside_the_group(client, academy_editor, superuser):
    from wagtail.models import Workflow

    course = make_course(slug=_slug(), legal=True, publish=False)
    Workflow.objects.get(name=LEGAL_WORKFLOW_NAME).start(course, academy_editor)
    for user in (academy_editor, superuser):
        admin_login(client, user)
        task_state = _workflow_approve(client, course)
        assert task_state.status == TaskState.STATUS_IN_PROGRESS, user
        assert not _live(course)

    # kennisbank: a superuser may act on both steps in Wagtail, but is not the Redactieraad
    document = _draft_document()
    kb.workflows_ensure()
    Workflow.objects.get(name=kb.SUBMISSION_WORKFLOW).start(document, superuser)
    # (still logged in as the superuser from the loop above)
    assert _workflow_approve(client, document).status == TaskState.STATUS_APPROVED  # ambassador
    board = _workflow_approve(client, document)
    assert board.status == TaskState.STATUS_IN_PROGRESS, "the refused approval was rolled back"
    assert not _live(document)


def test_the_whole_workflow_publishes(board_member):
    """Control for the kennisbank rule: ambassador, then the Redactieraad's quorum → live."""
    from wagtail.models import Workflow

    document = _draft_document()
    ambassador = UserFactory(groups=["Ambassadeurs"])
    document.themes.first().ambassadors.add(ambassador)
    kb.workflows_ensure()
    Workflow.objects.get(name=kb.SUBMISSION_WORKFLOW).start(document, ambassador)
    kb.document_review_action(page=document, user=ambassador, action="approve")
    assert not _live(document)
    for member in (board_member, UserFactory(groups=["Redactieraad"])):  # quorum of two
        kb.document_review_action(
            page=document,
            user=member,
            action="approve",
            comment="Akkoord.",
            relevance=4,
            reliability=4,
        )
    assert _live(document)


# --- emergency path -----------------------------------------------------------------------------


def test_emergency_publication_is_for_admins_with_a_reason(client, superuser, board_member):
    document = _draft_document()
    url = reverse("kennisbank_emergency_publish", args=[document.pk])
    admin_login(client, board_member)
    client.post(url, {"reason": "Het moet vandaag online."})
    assert not _live(document)

    admin_login(client, superuser)
    response = client.post(url, {"reason": ""})
    assert response.status_code == 400
    assert not _live(document)
    response = client.post(url, {"reason": "Waarschuwing voor een actuele fraudegolf."})
    assert response.status_code == 302
    document = KnowledgeDocumentPage.objects.get(pk=document.pk)
    assert document.live
    entry = AuditEntry.objects.get(
        action="kennisbank.publish_without_review", target_id=str(document.pk)
    )
    assert entry.actor == superuser
    assert entry.data["revision_id"] == document.live_revision_id
    assert entry.data["reason"] == "Waarschuwing voor een actuele fraudegolf."
    assert entry.data["emergency"] is True


# --- page privacy vs the access rule ------------------------------------------------------------


def test_page_privacy_is_refused_everywhere(client, superuser):
    document = _live_document()
    admin_login(client, superuser)
    url = reverse("wagtailadmin_pages:set_privacy", args=[document.pk])
    assert client.get(url).status_code in (302, 403)
    client.post(url, {"restriction_type": "login"})
    client.post(url, {"restriction_type": "password", "password": "geheim123"})
    assert not PageViewRestriction.objects.exists()
    for page in Page.objects.filter(depth__gt=1).specific()[:50]:
        assert not page.permissions_for_user(superuser).can_set_view_restrictions(), page
    with pytest.raises(ViewRestrictionRefused):
        PageViewRestriction.objects.create(page=document, restriction_type="login")
    assert not PageViewRestriction.objects.exists()


@pytest.fixture
def search_index(settings):
    from search.engine import content_alias, get_engine
    from search.indexer import ensure_alias
    from search.models import SearchOutbox

    engine = get_engine()
    assert engine.ping(), f"No search engine answers on {settings.SEARCH_URL}."
    settings.SEARCH_INDEX_PREFIX = f"{settings.SEARCH_INDEX_PREFIX}-doors-{uuid.uuid4().hex[:8]}"
    SearchOutbox.objects.all().delete()
    ensure_alias(engine)
    yield engine, content_alias
    for name in engine.list_indices(f"{settings.SEARCH_INDEX_PREFIX}-*"):
        engine.delete_index(name)


def test_no_page_is_private_on_its_url_yet_found_in_search(client, search_index, superuser):
    """Against the real search node: whoever may open a page finds it in results, facet counts
    and suggestions, and whoever may not finds it nowhere — and no one can make the page private
    on its URL only (page privacy is refused, see test_page_privacy_is_refused_everywhere)."""
    from django.contrib.auth.models import AnonymousUser
    from django.test import Client

    from search.indexer import drain_outbox
    from search.selectors import search_for_user, suggest_for_user

    engine, content_alias = search_index
    document = _live_document(title="Deurproef zichtbaarheid kasgeldconstructie")
    admin_login(client, superuser)
    client.post(
        reverse("wagtailadmin_pages:set_privacy", args=[document.pk]), {"restriction_type": "login"}
    )
    assert not PageViewRestriction.objects.filter(page=document).exists()
    assert drain_outbox() >= 1
    engine.refresh(content_alias())

    professional = UserFactory()
    for user in (professional, AnonymousUser()):
        browser = Client()
        if user.is_authenticated:
            browser.force_login(user)
        opens = browser.get(document.url).status_code == 200
        results = search_for_user(user=user, q="kasgeldconstructie")
        found = document.title in {r.title for r in results.results}
        counted = sum(b["count"] for b in results.facets.get("type", [])) >= 1
        suggested = document.title in {
            s["title"] for s in suggest_for_user(user=user, q="Deurproef zichtb")
        }
        assert opens == found == counted == suggested, (user, opens, found, counted, suggested)
        assert opens == user.is_authenticated
