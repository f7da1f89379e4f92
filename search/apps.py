from django.apps import AppConfig, apps

from kpo.privacy.declarations import Retention

# The core's searchable models: the core may not import search, so search registers them.
CORE_SEARCHABLE_MODELS = ("themes.ThemePage", "themes.GlossaryTerm", "accounts.Profile")


class SearchConfig(AppConfig):
    name = "search"
    label = "search"
    verbose_name = "Zoeken"
    # What the core reads from this pillar (docs/decisions/0018).
    health_checks = {"search": "search.engine.engine_ping"}
    retention = (Retention(kind="search_queries", model="search.SearchQueryLog", date_field="day"),)

    def ready(self) -> None:
        from search import signal_handlers
        from search.registry import searchable

        for label in CORE_SEARCHABLE_MODELS:
            searchable(apps.get_model(label))
        signal_handlers.connect()
