"""Publication guards: pages whose publication needs an approval can only go live with an approved
revision, whatever route (admin create/edit/bulk/copy/move/revert/schedule, workflow, code).

The guard sits in the page model's ``save()`` — every Wagtail route that makes a page live ends in
one ``save()`` with ``live=True`` and a ``live_revision`` (``PublishRevisionAction``, the copy
action, ``publish_scheduled``), so one check covers them all (docs/decisions/0007-*):

* a guarded page is never *inserted* live: a new page (create view) is inserted as a draft and
  becomes live only when its revision is published (checked below); inserting a live copy (copy
  with "publish copies") or an alias is refused;
* a save that makes the page live, or changes its live revision, needs
  ``page.publication_approved(revision)``; otherwise it raises ``PublicationRefused``
  (a ``PermissionDenied``: 403 in the admin, and the admin request's transaction is rolled back by
  ``AdminAtomicMiddleware``, so nothing half-written stays behind).

A model opts in with ``GuardedPublicationMixin`` and implements ``publication_rule_applies`` and
``publication_approved``. This module knows no pillar: the rules live in the pillars' models.

Wagtail's page privacy (``PageViewRestriction``) is switched off: a restriction would make a page
private on its URL while search, feeds and counts (which follow the access rule of
``kpo.core.access``) still show it. ``NoPagePrivacyMixin`` removes the option from editors and
``refuse_view_restriction`` refuses any restriction row.
"""

from __future__ import annotations

from contextvars import ContextVar
from typing import TYPE_CHECKING, Any, ClassVar

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _
from wagtail.models import PagePermissionTester, Revision, TaskState, WorkflowState

if TYPE_CHECKING:
    from django.utils.functional import _StrPromise

ADMIN_PREFIX = "/admin/"

# Set when a refusal was raised during the current request: Wagtail's admin turns a
# PermissionDenied into a redirect, so the middleware cannot see the exception itself.
_refused: ContextVar[bool] = ContextVar("kpo_publication_refused", default=False)


class Refusal(PermissionDenied):
    """Base of the guards' refusals; raising one rolls the admin request back."""

    def __init__(self, *args):
        super().__init__(*args)
        _refused.set(True)


class PublicationRefused(Refusal):
    """A save would make a page live without the approval its rule demands."""


class ViewRestrictionRefused(Refusal):
    """Page privacy is not available: the access rule decides who reads a page."""


def approval_for_revision(
    revision: Revision,
    *,
    task_name: str,
    group_name: str,
    workflow_names: tuple[str, ...] = (),
    workflow_approved: bool = True,
) -> TaskState | None:
    """The approved task state (task ``task_name``, finished by a member of ``group_name``) of a
    workflow on ``revision``'s object for which ``revision`` was the newest revision at the moment
    of approval — so an approval covers exactly the content the reviewer saw, never a later edit
    or an earlier revision restored afterwards (a revert creates a new revision)."""
    if revision is None:
        return None
    states = TaskState.objects.filter(
        workflow_state__base_content_type_id=revision.base_content_type_id,
        workflow_state__object_id=revision.object_id,
        task__name=task_name,
        status=TaskState.STATUS_APPROVED,
        finished_by__groups__name=group_name,
        finished_at__gte=revision.created_at,
    )
    if workflow_names:
        states = states.filter(workflow_state__workflow__name__in=workflow_names)
    if workflow_approved:
        states = states.filter(workflow_state__status=WorkflowState.STATUS_APPROVED)
    for state in states.order_by("finished_at").distinct():
        newer = (
            Revision.objects.filter(
                base_content_type_id=revision.base_content_type_id,
                object_id=revision.object_id,
                created_at__gt=revision.created_at,
                created_at__lte=state.finished_at,
            )
            .exclude(pk=revision.pk)
            .exists()
        )
        if not newer:
            return state
    return None


class GuardedPublicationMixin:
    """Page mixin: ``save()`` refuses to make the page live with an unapproved revision."""

    if TYPE_CHECKING:  # provided by wagtail's Page, which ships no types
        _state: Any
        pk: Any
        objects: ClassVar[Any]
        live: bool
        live_revision_id: int | None
        live_revision: Revision | None
        has_unpublished_changes: bool

    def publication_rule_applies(self, stored: dict | None) -> bool:
        """Whether this page needs an approval to go live (``stored``: the row as in the database,
        or None for a new page)."""
        return True

    def publication_approved(self, revision: Revision) -> bool:
        raise NotImplementedError

    def own_revision_approved(self, user) -> bool:
        """Whether a revision ``user`` writes now would pass ``publication_approved`` (decides
        whether the edit view offers "Publiceren")."""
        return False

    publication_refused_message: str | _StrPromise = ""

    def _guard_stored_fields(self) -> tuple[str, ...]:
        return ("live", "live_revision_id")

    def save(self, *args, **kwargs):
        self._guard_publication(kwargs.get("update_fields"))
        return super().save(*args, **kwargs)

    def _guard_publication(self, update_fields) -> None:
        adding = self._state.adding or self.pk is None
        stored = None
        if not adding:
            stored = (
                type(self).objects.filter(pk=self.pk).values(*self._guard_stored_fields()).first()
            )
        if not self.publication_rule_applies(stored):
            return
        message = self.publication_refused_message or _(
            "Deze pagina kan niet zonder goedkeuring worden gepubliceerd."
        )
        if adding:
            if getattr(self, "alias_of_id", None):
                raise PublicationRefused(message)
            if self.live:
                if self.live_revision_id is not None:  # a live copy of a published page
                    raise PublicationRefused(message)
                # the create view inserts new pages live before publishing their revision:
                # insert a draft; publishing the revision is checked below
                self.live = False
                self.has_unpublished_changes = True
            return
        if update_fields is not None and not {"live", "live_revision"} & set(update_fields):
            return
        if not self.live:
            return
        stored = stored or {}
        if stored.get("live") and stored.get("live_revision_id") == self.live_revision_id:
            return
        revision = self.live_revision if self.live_revision_id else None
        if revision is None or not self.publication_approved(revision):
            raise PublicationRefused(message)


# --- page privacy -------------------------------------------------------------------------------


class NoPrivacyPermissionTester(PagePermissionTester):
    """Wagtail's page permissions, without "Privacy": who reads a page is the access rule's."""

    def can_set_view_restrictions(self) -> bool:
        return False


class NoPagePrivacyMixin:
    """Page mixin: editors get no privacy setting for the page."""

    def permissions_for_user(self, user):
        return NoPrivacyPermissionTester(user, self)


def refuse_view_restriction(sender, instance, **kwargs) -> None:
    """``pre_save`` of ``PageViewRestriction``: no row may be written (see module docstring)."""
    raise ViewRestrictionRefused(
        _("Paginaprivacy is uitgeschakeld: wie een pagina mag lezen volgt uit de toegangsregel.")
    )


# --- one transaction per admin request -----------------------------------------------------------


class AdminAtomicMiddleware:
    """Runs every Wagtail admin view in one transaction that is rolled back when the view raises,
    or when a guard refused something during it (e.g. ``PublicationRefused`` after the create
    view inserted the page — Wagtail answers that with a redirect, not an exception): Django's
    ``ATOMIC_REQUESTS``, limited to ``/admin/``. Outbox ``on_commit`` callbacks run after the
    commit, as before. Place it last, so CSRF and the second factor run first."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not request.path.startswith(ADMIN_PREFIX):
            return None
        if getattr(view_func, "_non_atomic_requests", None):
            return None
        token = _refused.set(False)
        try:
            with transaction.atomic():
                response = view_func(request, *view_args, **view_kwargs)
                if _refused.get():
                    transaction.set_rollback(True)
                return response
        finally:
            _refused.reset(token)
