"""A confirmation in the Wagtail admin after a workflow action ("Goedkeuren", "Goedkeuren met
opmerking", "Wijzigingen vragen").

Wagtail performs a workflow action from the dashboard or the page's status panel through its
``workflow_action`` view, which adds no message at all; from the editor it only says "page
updated". A reviewer then cannot tell whether the approval (with its comment) went through. This
middleware looks at the task state before and after such a request and, when the request
finished it, adds one Dutch confirmation naming the outcome. It is generic over every task type
(the kennisbank's ambassador task, the academy's legal review, Wagtail's group approval) and
knows no pillar.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

STATE_ATTR = "_kpo_workflow_task_state"


def _task_state_in_request(request: HttpRequest, view_kwargs: dict) -> int | None:
    """The id of the task state this POST may act on, or None for any other request."""
    match = getattr(request, "resolver_match", None)
    if request.method != "POST" or match is None or not match.namespace.startswith("wagtail"):
        return None
    if match.url_name == "workflow_action":
        try:
            raw = view_kwargs.get("task_state_id")
            return None if raw is None else int(raw)
        except (TypeError, ValueError):
            return None
    if match.url_name == "edit" and request.POST.get("action-workflow-action"):
        from wagtail.models import Page

        page_id = view_kwargs.get("page_id") or (match.args[0] if match.args else None)
        page = Page.objects.filter(pk=page_id).first() if page_id else None
        state = page.current_workflow_task_state if page is not None else None
        return state.pk if state is not None else None
    return None


def confirmation_for(*, title: str, status: str, comment: str) -> str | None:
    """The Dutch confirmation for a finished task state (None when the state is not finished
    by an approval or a request for changes)."""
    from wagtail.models import TaskState

    if status == TaskState.STATUS_APPROVED and comment.strip():
        return _("“%(title)s” is goedgekeurd, met je opmerking.") % {"title": title}
    if status == TaskState.STATUS_APPROVED:
        return _("“%(title)s” is goedgekeurd.") % {"title": title}
    if status == TaskState.STATUS_REJECTED:
        return _("Je hebt wijzigingen gevraagd voor “%(title)s”.") % {"title": title}
    return None


class WorkflowActionMessageMiddleware:
    """After a workflow action in the admin: a confirmation when the task state was finished."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        task_state_id = getattr(request, STATE_ATTR, None)
        if task_state_id is not None and response.status_code in (200, 302):
            self._confirm(request, task_state_id)
        return response

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs) -> None:
        task_state_id = _task_state_in_request(request, view_kwargs)
        if task_state_id is None:
            return None
        from wagtail.models import TaskState

        if TaskState.objects.filter(pk=task_state_id, status=TaskState.STATUS_IN_PROGRESS).exists():
            setattr(request, STATE_ATTR, task_state_id)
        return None

    @staticmethod
    def _confirm(request: HttpRequest, task_state_id: int) -> None:
        from wagtail.models import TaskState

        state = (
            TaskState.objects.select_related("revision", "workflow_state")
            .filter(pk=task_state_id)
            .first()
        )
        if state is None or state.finished_by_id != getattr(request.user, "pk", None):
            return
        if state.revision is not None:
            title = state.revision.object_str
        else:
            title = str(state.workflow_state.content_object)
        message = confirmation_for(title=title, status=state.status, comment=state.comment or "")
        if message:
            messages.success(request, message)
