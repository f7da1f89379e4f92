from django.apps import AppConfig


class LawConfig(AppConfig):
    """Legal sources (BWB, ECLI), law changes and the re-assessments they open (ADR 0026).

    A core app: it imports no pillar. Pillars whose pages cite law declare it on their AppConfig
    (``cites_law``, see ``kpo.law.declarations``)."""

    name = "kpo.law"
    label = "law"
    verbose_name = "Wet- en regelgeving"
    default_auto_field = "django.db.models.BigAutoField"
    # No content of its own in the corpus: the loader only keeps the groups' permission.
    corpus_loader = "kpo.law.corpus.load"
    corpus_order = 95
