from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "kpo.audit"
    label = "audit"
    verbose_name = "Audit"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from kpo.audit import signal_handlers

        signal_handlers.connect()
