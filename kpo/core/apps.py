from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "kpo.core"
    label = "core"
    verbose_name = "Kern"

    def ready(self) -> None:
        from django.db.models.signals import pre_save
        from wagtail.models import PageViewRestriction

        from kpo.core.publication import refuse_view_restriction

        pre_save.connect(
            refuse_view_restriction, sender=PageViewRestriction, dispatch_uid="kpo-no-privacy"
        )
        from django.urls import register_converter

        from kpo.core.converters import IdConverter

        # Before any URLconf is imported (they are loaded lazily, after the app registry).
        register_converter(IdConverter, "id")

        from kpo.core import fragments

        fragments.connect()

        from kpo.core import reader

        reader.connect()
