from django.apps import AppConfig


class KennisbankConfig(AppConfig):
    name = "kennisbank"
    verbose_name = "Kennisbank"
    default_auto_field = "django.db.models.BigAutoField"
    corpus_loader = "kennisbank.corpus.load"
    corpus_order = 50
    theme_section = "kennisbank.selectors.theme_section"

    def ready(self) -> None:
        from kennisbank import signal_handlers

        signal_handlers.connect()
