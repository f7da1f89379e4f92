"""Board decisions of the Redactieraad: the quorum task, the members' votes and the decision record.

The board step of the "Redactieraad" and "Herbeoordeling" workflows is a ``BoardDecisionTask``:
each board member casts a vote (approve / ask for changes / abstain for a conflict of interest)
with scores for relevance and reliability (1–5) and a rationale. The step completes when
``settings.KPO_BOARD_QUORUM`` members approved the same revision; one request for changes sends
it back. The outcome is kept as a ``BoardDecision`` with the document: who, scores, rationale and
the diff of the version reviewed against the version that was live. The voting rules themselves
are in ``kennisbank.services.board``; this module only holds the state.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.models import AbstractGroupApprovalTask

SCORE_VALIDATORS = [MinValueValidator(1), MaxValueValidator(5)]


class VoteChoice(models.TextChoices):
    APPROVE = "approve", _("Goedkeuren")
    REJECT = "reject", _("Wijzigingen vragen")
    ABSTAIN = "abstain", _("Onthouden (belangenconflict)")


class BoardDecisionTask(AbstractGroupApprovalTask):
    """Approval by a quorum of the chosen groups (the Redactieraad), each member scoring."""

    class Meta:
        verbose_name = _("Besluit van de redactieraad (quorum)")
        verbose_name_plural = _("Besluiten van de redactieraad")

    def _member(self, user) -> bool:
        # Only real members vote: a superuser is not the board (cf. the publication guard).
        return bool(getattr(user, "is_authenticated", False)) and self._user_in_groups(user)

    def user_can_vote(self, obj, user) -> bool:
        """A member who has not yet voted on the revision now under review."""
        from kennisbank.selectors import board_vote_of

        return self._member(user) and board_vote_of(task=self, obj=obj, user=user) is None

    def get_actions(self, obj, user):
        if not self.user_can_vote(obj, user):
            return []
        return [
            ("approve", _("Goedkeuren"), True),
            ("reject", _("Wijzigingen vragen"), True),
            ("abstain", _("Onthouden (belangenconflict)"), True),
        ]

    def get_form_for_action(self, action):
        from kennisbank.forms import BoardVoteAdminForm

        return BoardVoteAdminForm

    def on_action(self, task_state, user, action_name, **kwargs):
        """Every route (the admin's modal and edit view, the front-end review) casts a vote
        through ``kennisbank.services.board_vote_cast``; the task state is approved only when the
        quorum is met. Invalid data from the admin is refused (403), never a 500."""
        from django.core.exceptions import ValidationError

        from kennisbank.services import board_vote_cast
        from kpo.core.publication import Refusal

        try:
            board_vote_cast(
                task_state=task_state,
                user=user,
                choice=action_name,
                relevance=kwargs.get("relevance"),
                reliability=kwargs.get("reliability"),
                rationale=kwargs.get("comment") or "",
            )
        except ValidationError as exc:
            raise Refusal(" ".join(exc.messages)) from exc

    def get_task_states_user_can_moderate(self, user, **kwargs):
        from wagtail.models import TaskState

        if not self._member(user):
            return TaskState.objects.none()
        return self.task_states.filter(status=TaskState.STATUS_IN_PROGRESS)

    @classmethod
    def get_description(cls):
        return _("Leden van de redactieraad stemmen met scores; het quorum beslist.")


class BoardVote(models.Model):
    """One member's vote on one revision in one board step."""

    task_state = models.ForeignKey(
        "wagtailcore.TaskState", on_delete=models.CASCADE, related_name="board_votes"
    )
    page = models.ForeignKey(
        "kennisbank.KnowledgeDocumentPage", on_delete=models.CASCADE, related_name="board_votes"
    )
    revision = models.ForeignKey(
        "wagtailcore.Revision", on_delete=models.CASCADE, related_name="board_votes"
    )
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="board_votes",
        verbose_name=_("lid"),
    )
    choice = models.CharField(_("stem"), max_length=10, choices=VoteChoice.choices)
    relevance = models.PositiveSmallIntegerField(
        _("relevantie"), null=True, blank=True, validators=SCORE_VALIDATORS
    )
    reliability = models.PositiveSmallIntegerField(
        _("betrouwbaarheid"), null=True, blank=True, validators=SCORE_VALIDATORS
    )
    rationale = models.TextField(_("toelichting"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("stem van de redactieraad")
        verbose_name_plural = _("stemmen van de redactieraad")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["task_state", "revision", "member"], name="kennisbank_one_vote_per_member"
            )
        ]

    def __str__(self) -> str:
        return f"{self.page_id}/{self.revision_id}: {self.choice}"


class DecisionOutcome(models.TextChoices):
    APPROVED = "approved", _("Goedgekeurd")
    CHANGES_REQUESTED = "changes_requested", _("Wijzigingen gevraagd")


class BoardDecision(models.Model):
    """The decision record kept with the document: outcome, quorum, the scores (rounded mean of
    the scoring members), the revision reviewed and its diff against the version that was live."""

    page = models.ForeignKey(
        "kennisbank.KnowledgeDocumentPage",
        on_delete=models.CASCADE,
        related_name="board_decisions",
    )
    task_state = models.OneToOneField(
        "wagtailcore.TaskState", on_delete=models.CASCADE, related_name="board_decision"
    )
    workflow_name = models.CharField(max_length=255)
    revision = models.ForeignKey(
        "wagtailcore.Revision", on_delete=models.CASCADE, related_name="board_decisions"
    )
    previous_revision = models.ForeignKey(
        "wagtailcore.Revision",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    outcome = models.CharField(_("besluit"), max_length=20, choices=DecisionOutcome.choices)
    quorum = models.PositiveSmallIntegerField(_("quorum"))
    relevance = models.PositiveSmallIntegerField(_("relevantie"), null=True)
    reliability = models.PositiveSmallIntegerField(_("betrouwbaarheid"), null=True)
    diff = models.TextField(_("verschillen met de vorige versie"), blank=True)
    decided_at = models.DateTimeField(_("besloten op"))

    class Meta:
        verbose_name = _("besluit van de redactieraad")
        verbose_name_plural = _("besluiten van de redactieraad")
        ordering = ["-decided_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.page_id}: {self.outcome} ({self.decided_at:%Y-%m-%d})"

    @property
    def votes(self):
        return self.task_state.board_votes.filter(revision=self.revision).select_related("member")
