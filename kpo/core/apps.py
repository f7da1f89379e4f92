from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "kpo.core"
    label = "core"
    verbose_name = "Kern"

    def ready(self) -> None:
        from kpo.core import fragments

        fragments.connect()
