"""Flags (reports of posts), the moderation log, case-data confirmations and suspensions."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from communities.models.community import Community, CommunityContent
from communities.models.posts import Reply, Thread
from kpo.core.casedata import KINDS
from kpo.core.reader import ReaderRowsQuerySet


class Flag(CommunityContent):
    """A member's report of a post (thread or reply) to the moderators."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        RESOLVED = "resolved", _("Afgehandeld")

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="flags")
    thread = models.ForeignKey(
        Thread, null=True, blank=True, on_delete=models.CASCADE, related_name="flags"
    )
    reply = models.ForeignKey(
        Reply, null=True, blank=True, on_delete=models.CASCADE, related_name="flags"
    )
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.TextField(_("reden"), max_length=2000)
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.OPEN, db_index=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("melding van een bericht")
        verbose_name_plural = _("meldingen van berichten")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Melding over {self.post}"

    @property
    def post(self) -> Thread | Reply:
        return self.reply or self.thread  # type: ignore[return-value]


class ModerationLog(CommunityContent):
    """Every moderation action, for accountability. ``action`` is a stable code; people read
    ``get_action_display()`` (Dutch)."""

    class Action(models.TextChoices):
        ACCEPT = "accept", _("Antwoord geaccepteerd")
        EDIT = "edit", _("Bericht bewerkt")
        DELETE = "delete", _("Bericht verwijderd")
        HIDE = "hide", _("Bericht verborgen")
        RESTORE = "restore", _("Bericht hersteld")
        PIN = "pin", _("Onderwerp vastgezet")
        UNPIN = "unpin", _("Onderwerp losgemaakt")
        LOCK = "lock", _("Onderwerp gesloten")
        UNLOCK = "unlock", _("Onderwerp heropend")
        DISMISS_FLAG = "dismiss_flag", _("Melding afgehandeld zonder actie")
        ROLE = "role", _("Rol gewijzigd")
        REMOVE = "remove", _("Lid verwijderd")
        VISIBILITY = "visibility", _("Zichtbaarheid gewijzigd")
        REVOKE_INVITATION = "revoke_invitation", _("Uitnodiging ingetrokken")
        SUSPEND = "suspend", _("Lid geschorst")
        LIFT_SUSPENSION = "lift_suspension", _("Schorsing opgeheven")

    community = models.ForeignKey(
        Community, on_delete=models.CASCADE, related_name="moderation_log"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(_("actie"), max_length=40, db_index=True, choices=Action.choices)
    thread = models.ForeignKey(
        Thread, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reply = models.ForeignKey(
        Reply, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    target_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("moderatie-actie")
        verbose_name_plural = _("moderatie-acties")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.get_action_display()} door {self.actor} in {self.community}"


class CaseDataConfirmation(CommunityContent):
    """An author saved a post or file although the case-data guard warned about it, and gave a
    reason. Only the *kinds* of what was found are kept (``kpo.core.casedata.KINDS``), never the
    values: moderators open the post itself to judge it."""

    class Status(models.TextChoices):
        OPEN = "open", _("Te beoordelen")
        REVIEWED = "reviewed", _("Beoordeeld")

    community = models.ForeignKey(
        Community, on_delete=models.CASCADE, related_name="case_data_confirmations"
    )
    thread = models.ForeignKey(
        Thread, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    reply = models.ForeignKey(
        Reply, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    attachment = models.ForeignKey(
        "communities.Attachment", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    kinds = models.JSONField(_("soorten gegevens"), default=list)
    reason = models.TextField(_("reden"), max_length=2000)
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.OPEN, db_index=True
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("bevestigde zaaksgegevens")
        verbose_name_plural = _("bevestigde zaaksgegevens")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Zaaksgegevens bevestigd in {self.community}"

    @property
    def kind_labels(self) -> list[str]:
        return [str(KINDS.get(kind, kind)) for kind in self.kinds]

    @property
    def target_url(self) -> str:
        if self.reply_id and self.reply:
            return self.reply.get_absolute_url()
        if self.thread_id and self.thread:
            return self.thread.get_absolute_url()
        if self.attachment_id and self.attachment:
            return self.attachment.get_absolute_url()
        return self.community.get_absolute_url()


class Suspension(models.Model):
    """A member may read but not post, reply, upload, react or RSVP until ``ends_at``.

    ``community`` set: in that community only (by its managers or moderators); ``community``
    empty: platform-wide (by a platform admin or platform moderator). It ends by itself at
    ``ends_at`` (the rule compares dates, no job lifts it); ``lifted_at`` ends it earlier.
    The rule is ``communities.selectors.suspension_active``."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="suspensions"
    )
    community = models.ForeignKey(
        Community,
        verbose_name=_("community"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="suspensions",
        help_text=_("Leeg: op het hele platform."),
    )
    ends_at = models.DateTimeField(_("geschorst tot"), db_index=True)
    reason = models.TextField(_("reden"), max_length=2000)
    suspended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    lifted_at = models.DateTimeField(_("opgeheven op"), null=True, blank=True)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    # Suspensions feed the reader's cached standing in a community (ADR 0035): bulk writes
    # bump the users they touch too.
    objects = ReaderRowsQuerySet.as_manager()

    class Meta:
        verbose_name = _("schorsing")
        verbose_name_plural = _("schorsingen")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["user", "ends_at"])]

    def __str__(self) -> str:
        where = self.community.name if self.community is not None else "het platform"
        return f"{self.user} geschorst in {where}"

    @property
    def platform_wide(self) -> bool:
        return self.community_id is None
