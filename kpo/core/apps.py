from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "kpo.core"
    label = "core"
    verbose_name = "Kern"

    def ready(self) -> None:
        from django.urls import register_converter

        from kpo.core.converters import IdConverter

        # Before any URLconf is imported (they are loaded lazily, after the app registry).
        register_converter(IdConverter, "id")
