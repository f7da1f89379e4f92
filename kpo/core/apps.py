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
