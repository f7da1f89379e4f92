"""Privacy preferences of a person. E-mail notifications are opt-in (AVG): without a row, or with
``email_notifications`` off, only strictly necessary e-mail is sent (see ``selectors``)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class PrivacyPreference(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="privacy_preference"
    )
    email_notifications = models.BooleanField(
        _("e-mailmeldingen ontvangen"),
        default=False,
        help_text=_(
            "Meldingen over reacties, communities en leeractiviteiten ook per e-mail. "
            "Berichten over je account ontvang je altijd."
        ),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("privacyvoorkeur")
        verbose_name_plural = _("privacyvoorkeuren")

    def __str__(self) -> str:
        return f"Privacyvoorkeur van gebruiker {self.user_id}"
