from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "search"
    label = "search"
    verbose_name = "Zoeken"

    def ready(self) -> None:
        from search import signal_handlers

        signal_handlers.connect()
