"""The custom Wagtail task "Ambassadeurs van de thema's".

Reviewers are the ambassadors (``Theme.ambassadors``) of ANY theme of the revision under review;
any one of them may approve or request changes. When none of the document's themes has an
ambassador, members of the "Ambassadeurs" group step in, so a document never gets stuck.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page, Task, TaskState

from kpo.core import roles

AMBASSADOR_GROUP = roles.AMBASSADORS_GROUP
# The review workflows and their tasks, by name (``kennisbank.services.workflows`` builds them;
# the publication guard in ``kennisbank.selectors`` recognises their approvals).
SUBMISSION_WORKFLOW = "Redactieraad"
REVIEW_WORKFLOW = "Herbeoordeling"
AMBASSADOR_TASK = "Ambassadeurs van de thema's"
BOARD_TASK = "Redactieraad"
BOARD_GROUP = roles.BOARD_GROUP


def _revision_object(obj):
    """The object as in its latest revision (a submitted edit may change the themes)."""
    if isinstance(obj, Page):
        obj = obj.specific
    getter = getattr(obj, "get_latest_revision_as_object", None)
    return getter() if getter else obj


def theme_ids_of(obj) -> list[int]:
    obj = _revision_object(obj)
    themes = getattr(obj, "themes", None)
    if themes is None:
        return []
    return [t.pk for t in themes.all()]


class ThemeAmbassadorTask(Task):
    """Approval by an ambassador of one of the document's themes."""

    class Meta:
        verbose_name = _("Ambassadeurs van de thema's")
        verbose_name_plural = _("Ambassadeurstaken")

    def reviewers_for(self, obj) -> models.QuerySet:
        """The users who may act on this task for ``obj``."""
        from kpo.accounts.models import User
        from kpo.themes.models import Theme

        theme_ids = theme_ids_of(obj)
        ambassadors = User.objects.filter(
            is_active=True, ambassador_of__in=Theme.objects.filter(pk__in=theme_ids)
        ).distinct()
        if ambassadors.exists():
            return ambassadors
        return User.objects.filter(is_active=True, groups__name=AMBASSADOR_GROUP).distinct()

    def user_is_reviewer(self, obj, user) -> bool:
        if not getattr(user, "is_authenticated", False):
            return False
        if user.is_superuser:
            return True
        return self.reviewers_for(obj).filter(pk=user.pk).exists()

    def user_can_access_editor(self, obj, user):
        return self.user_is_reviewer(obj, user)

    def locked_for_user(self, obj, user):
        return not self.user_is_reviewer(obj, user)

    def user_can_lock(self, obj, user):
        return self.user_is_reviewer(obj, user)

    def get_actions(self, obj, user):
        if self.user_is_reviewer(obj, user):
            return [
                ("reject", _("Wijzigingen vragen"), True),
                ("approve", _("Goedkeuren"), False),
                ("approve", _("Goedkeuren met opmerking"), True),
            ]
        return []

    def get_task_states_user_can_moderate(self, user, **kwargs):
        states = self.task_states.filter(status=TaskState.STATUS_IN_PROGRESS)
        if user.is_superuser:
            return states
        allowed = [
            s.pk
            for s in states.select_related("workflow_state")
            if self.user_is_reviewer(s.workflow_state.content_object, user)
        ]
        return TaskState.objects.filter(pk__in=allowed)

    @classmethod
    def get_description(cls):
        return _("Een ambassadeur van een van de thema's van het document keurt goed.")
