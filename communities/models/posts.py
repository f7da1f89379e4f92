"""Threads and replies (with revisions), reactions, follows and attachments."""

from __future__ import annotations

import secrets
from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from communities.models.community import Community, CommunityContent, private_storage
from communities.sanitize import html_to_text
from kpo.core.access import item_principals
from search.registry import searchable


class Post(CommunityContent):
    """Abstract: the shared fields of threads and replies (author, sanitised body, moderation)."""

    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = models.TextField(_("tekst"), help_text=_("Opgeschoond HTML"))
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)
    edited_at = models.DateTimeField(null=True, blank=True)
    is_deleted = models.BooleanField(default=False)
    is_hidden = models.BooleanField(_("verborgen door moderator"), default=False)

    class Meta:
        abstract = True

    @property
    def is_edited(self) -> bool:
        return self.edited_at is not None

    @property
    def is_removed(self) -> bool:
        """Not shown to ordinary readers (soft-deleted or hidden by a moderator)."""
        return self.is_deleted or self.is_hidden


@searchable
class Thread(Post):
    class Kind(models.TextChoices):
        QUESTION = "question", _("Vraag")
        DISCUSSION = "discussion", _("Discussie")

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="threads")
    corpus_id = models.CharField(max_length=100, blank=True, db_index=True)
    kind = models.CharField(_("soort"), max_length=12, choices=Kind.choices, default=Kind.QUESTION)
    title = models.CharField(_("titel"), max_length=200)
    pinned = models.BooleanField(_("vastgezet"), default=False)
    locked = models.BooleanField(_("gesloten"), default=False)
    accepted_reply = models.ForeignKey(
        "Reply", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    last_activity_at = models.DateTimeField(default=timezone.now, db_index=True)

    search_type: ClassVar[str] = "thread"

    class Meta:
        verbose_name = _("onderwerp")
        verbose_name_plural = _("onderwerpen")
        ordering = ["-pinned", "-last_activity_at"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("communities:thread", args=[self.community.slug, self.pk])

    def search_document(self) -> dict[str, Any] | None:
        if self.is_removed:
            return None
        replies = [r.body for r in self.replies.all() if not r.is_removed]
        community = self.community
        return {
            "title": self.title,
            "summary": html_to_text(self.body)[:300],
            "body": "\n\n".join(html_to_text(t) for t in [self.body, *replies]),
            "url": self.get_absolute_url(),
            "date": self.created_at.isoformat(),
            "updated_at": self.updated_at.isoformat() if self.updated_at else None,
            "year": self.created_at.year,
            "themes": [t.slug for t in community.themes.all()],
            "regions": [r.slug for r in community.regions.all()],
            "community": community.slug,
            "principals": sorted(item_principals(self)),
            "accepted_answer": self.accepted_reply_id is not None,
        }

    @classmethod
    def search_queryset(cls) -> QuerySet:
        return cls.objects.select_related("community").prefetch_related(
            "replies", "community__themes", "community__regions"
        )


class ThreadRevision(models.Model):
    """An earlier version of a thread, kept for moderators."""

    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="revisions")
    title = models.CharField(max_length=200)
    body = models.TextField()
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("eerdere versie van onderwerp")
        verbose_name_plural = _("eerdere versies van onderwerpen")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.thread} ({self.created_at:%Y-%m-%d %H:%M})"


class Reply(Post):
    community_path: ClassVar[str] = "thread__community__"

    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="replies")

    class Meta:
        verbose_name = _("reactie")
        verbose_name_plural = _("reacties")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"Reactie op {self.thread}"

    def get_absolute_url(self) -> str:
        return f"{self.thread.get_absolute_url()}#reactie-{self.pk}"

    def get_community(self) -> Community:
        return self.thread.community


class ReplyRevision(models.Model):
    reply = models.ForeignKey(Reply, on_delete=models.CASCADE, related_name="revisions")
    body = models.TextField()
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("eerdere versie van reactie")
        verbose_name_plural = _("eerdere versies van reacties")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Reactie {self.reply_id} ({self.created_at:%Y-%m-%d %H:%M})"


class Reaction(models.Model):
    """A "nuttig" (useful) mark on a thread or a reply (exactly one of the two)."""

    class Kind(models.TextChoices):
        USEFUL = "nuttig", _("Nuttig")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    thread = models.ForeignKey(
        Thread, null=True, blank=True, on_delete=models.CASCADE, related_name="reactions"
    )
    reply = models.ForeignKey(
        Reply, null=True, blank=True, on_delete=models.CASCADE, related_name="reactions"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.USEFUL)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("reactie (nuttig)")
        verbose_name_plural = _("reacties (nuttig)")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "thread", "kind"],
                condition=models.Q(reply__isnull=True),
                name="unique_thread_reaction",
            ),
            models.UniqueConstraint(
                fields=["user", "reply", "kind"],
                condition=models.Q(reply__isnull=False),
                name="unique_reply_reaction",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} vindt {self.reply or self.thread} nuttig"


class Follow(CommunityContent):
    """A user follows a community (``thread`` empty: new threads) or one thread (new replies)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="community_follows"
    )
    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="follows")
    thread = models.ForeignKey(
        Thread, null=True, blank=True, on_delete=models.CASCADE, related_name="follows"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("volger")
        verbose_name_plural = _("volgers")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "community"],
                condition=models.Q(thread__isnull=True),
                name="unique_community_follow",
            ),
            models.UniqueConstraint(
                fields=["user", "thread"],
                condition=models.Q(thread__isnull=False),
                name="unique_thread_follow",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} volgt {self.thread or self.community}"


def attachment_path(instance: Attachment, filename: str) -> str:
    return f"communities/{instance.community_id}/{secrets.token_hex(16)}/{filename}"


class Attachment(CommunityContent):
    """A file shared in a community. Stored under PRIVATE_MEDIA_ROOT and served only through an
    access-checked view."""

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="attachments")
    thread = models.ForeignKey(
        Thread, null=True, blank=True, on_delete=models.CASCADE, related_name="attachments"
    )
    reply = models.ForeignKey(
        Reply, null=True, blank=True, on_delete=models.CASCADE, related_name="attachments"
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    file = models.FileField(storage=private_storage, upload_to=attachment_path, max_length=300)
    filename = models.CharField(_("bestandsnaam"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("bestand")
        verbose_name_plural = _("bestanden")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.filename

    def get_absolute_url(self) -> str:
        return reverse("communities:attachment", args=[self.community.slug, self.pk])
