from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "kpo.privacy"
    label = "privacy"
    verbose_name = "Privacy (AVG)"
    default_auto_field = "django.db.models.BigAutoField"
