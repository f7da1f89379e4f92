"""In-app notifications and the e-mail outbox.

A notification row is written in the same transaction as the change that causes it; e-mail is a
separate durable row (``EmailOutbox``) sent by a Celery task, so nothing is lost when Redis is
down and nothing is sent twice.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kpo.core.reader import ReaderRowsQuerySet


class EmailMode(models.TextChoices):
    INSTANT = "instant", _("Direct")
    DAILY = "daily", _("Dagelijkse samenvatting")
    WEEKLY = "weekly", _("Wekelijkse samenvatting")
    OFF = "off", _("Geen e-mail")


class NotificationQuerySet(ReaderRowsQuerySet):
    """A notification feeds its recipient's unread badge (``kpo.core.reader``, ADR 0033)."""

    reader_user_field = "recipient_id"


class Notification(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("soort"), max_length=50, db_index=True)
    title = models.CharField(_("titel"), max_length=300)
    body = models.TextField(_("tekst"), blank=True)
    url = models.CharField(_("link"), max_length=500, blank=True)
    # Optional: the community the notification is about (for digests and visibility checks).
    community = models.ForeignKey(
        "communities.Community", null=True, blank=True, on_delete=models.CASCADE
    )
    # Optional: the item the notification is about; re-checked with the access rule whenever the
    # notification is shown or put in a digest.
    subject_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    subject_id = models.PositiveBigIntegerField(null=True, blank=True)
    subject = GenericForeignKey("subject_type", "subject_id")
    # How the e-mail is delivered, decided when the notification is written.
    email_mode = models.CharField(
        max_length=10, choices=EmailMode.choices, default=EmailMode.OFF, db_index=True
    )
    key = models.CharField(max_length=200, blank=True, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("melding")
        verbose_name_plural = _("meldingen")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["recipient", "read_at"])]

    def __str__(self) -> str:
        return self.title


class EmailOutbox(models.Model):
    """An e-mail waiting to be sent; every e-mail of the platform is one of these rows.

    ``key`` makes queueing idempotent. The sender (``email_outbox_send_due``) claims due rows in a
    short transaction (``claimed_until`` is its lease), sends outside any transaction, then records
    the result: sent, or a later ``next_attempt_at`` with back-off, or after
    ``KPO_EMAIL_MAX_ATTEMPTS`` failures the dead-letter state, which platform admins see and retry
    in the Wagtail admin."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Wacht op verzending")
        SENT = "sent", _("Verzonden")
        DEAD = "dead", _("Mislukt (dead letter)")

    key = models.CharField(max_length=200, unique=True)
    to = models.EmailField()
    from_email = models.CharField(max_length=300, blank=True)
    subject = models.CharField(max_length=300)
    body = models.TextField()
    html_body = models.TextField(blank=True)
    headers = models.JSONField(default=dict, blank=True)
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    next_attempt_at = models.DateTimeField(default=timezone.now, db_index=True)
    claimed_until = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True, db_index=True)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)

    class Meta:
        verbose_name = _("uitgaande e-mail")
        verbose_name_plural = _("uitgaande e-mails")
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.subject} → {self.to}"


class NotificationPreference(models.Model):
    """How a user wants e-mail about one community (``community`` empty: the default)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    community = models.ForeignKey(
        "communities.Community", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    email_mode = models.CharField(
        _("e-mail"), max_length=10, choices=EmailMode.choices, default=EmailMode.INSTANT
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("meldingsvoorkeur")
        verbose_name_plural = _("meldingsvoorkeuren")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "community"], name="unique_notification_preference"
            ),
            models.UniqueConstraint(
                fields=["user"],
                condition=models.Q(community__isnull=True),
                name="unique_default_notification_preference",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user}: {self.community or 'standaard'} → {self.get_email_mode_display()}"
