from django.apps import AppConfig


class AcademieConfig(AppConfig):
    name = "academie"
    verbose_name = "Ondermijningsacademie"
    corpus_loader = "academie.corpus.load"
    corpus_order = 60
    theme_section = "academie.selectors.theme_section"

    def ready(self) -> None:
        from academie import signal_handlers

        signal_handlers.connect()
