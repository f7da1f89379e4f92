"""Training sessions and registrations (plain models, managed in the admin, so republishing a
training page never touches registrations).
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel

from academie.models.pages import TrainingPage


class TrainingSession(models.Model):
    training = models.ForeignKey(TrainingPage, on_delete=models.CASCADE, related_name="sessions")
    starts_at = models.DateTimeField(_("begint om"))
    ends_at = models.DateTimeField(_("eindigt om"))
    location = models.CharField(_("plaats"), max_length=255)
    capacity = models.PositiveIntegerField(_("aantal plaatsen"), validators=[MinValueValidator(1)])
    registration_deadline = models.DateTimeField(_("aanmelden kan tot"))

    panels = [
        FieldPanel("training"),
        FieldPanel("starts_at"),
        FieldPanel("ends_at"),
        FieldPanel("location"),
        FieldPanel("capacity"),
        FieldPanel("registration_deadline"),
    ]

    class Meta:
        verbose_name = _("trainingssessie")
        verbose_name_plural = _("trainingssessies")
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="academie_session_ends_after_start",
            ),
            models.CheckConstraint(
                condition=models.Q(capacity__gte=1), name="academie_session_capacity_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.training.title} — {self.location}, {self.starts_at:%d-%m-%Y}"

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        errors = {}
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            errors["ends_at"] = _("Het einde moet na het begin liggen.")
        if (
            self.starts_at
            and self.registration_deadline
            and (self.registration_deadline > self.starts_at)
        ):
            errors["registration_deadline"] = _("Aanmelden moet sluiten vóór de sessie begint.")
        if self.pk and self.capacity:
            message = self.capacity_error(self.capacity)
            if message:
                errors["capacity"] = message
        if errors:
            raise ValidationError(errors)

    def capacity_error(self, capacity: int) -> str | None:
        """The one capacity rule (the admin form and ``session_update_capacity`` both ask it):
        at least one seat, never fewer than the people registered."""
        registered = self.registrations.filter(status="registered").count() if self.pk else 0
        if capacity < max(1, registered):
            return _("Er zijn al %(n)s aanmeldingen; de capaciteit kan niet lager.") % {
                "n": registered
            }
        return None


class Registration(models.Model):
    """A place on a session or on its waiting list.

    ``seat`` (1..capacity) is set while registered; a partial unique constraint on
    (session, seat) makes it impossible for two registrations to hold the same seat, on top of the
    row lock ``session_register`` takes on the session.
    """

    class Status(models.TextChoices):
        REGISTERED = "registered", _("Aangemeld")
        WAITLISTED = "waitlisted", _("Op de wachtlijst")
        CANCELLED = "cancelled", _("Afgemeld")

    session = models.ForeignKey(
        TrainingSession, on_delete=models.CASCADE, related_name="registrations"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="training_registrations"
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices)
    seat = models.PositiveIntegerField(null=True, blank=True)
    attended = models.BooleanField(_("aanwezig"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    waitlisted_at = models.DateTimeField(null=True, blank=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)
    reminded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("aanmelding")
        verbose_name_plural = _("aanmeldingen")
        ordering = ["session", "created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "user"], name="academie_registration_unique_user"
            ),
            models.UniqueConstraint(
                fields=["session", "seat"],
                condition=models.Q(status="registered"),
                name="academie_registration_unique_seat",
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(status="registered", seat__isnull=False)
                    | (~models.Q(status="registered") & models.Q(seat__isnull=True))
                ),
                name="academie_registration_seat_iff_registered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.session} ({self.get_status_display()})"
