from django.apps import AppConfig

from kpo.law.declarations import CitesLaw
from kpo.privacy.declarations import PersonalData


class KennisbankConfig(AppConfig):
    name = "kennisbank"
    verbose_name = "Kennisbank"
    default_auto_field = "django.db.models.BigAutoField"
    corpus_loader = "kennisbank.corpus.load"
    corpus_order = 50
    theme_section = "kennisbank.selectors.theme_section"
    # Evidence of a person's expertise on their profile (kpo.accounts.selectors, ADR 0031).
    expertise_evidence = "kennisbank.selectors.expertise_evidence"
    # What the core reads from this pillar (docs/decisions/0018): the documents a person shared
    # ("Kennis delen") or owns. Account deletion leaves them to Wagtail's rule (owner set NULL).
    audited_download_path = r"^/kennisbank-acties/bestand/\d+/"
    personal_data = (
        PersonalData(
            "kennisbank.KnowledgeDocumentPage",
            owner=("owner",),
            section="knowledge_documents",
            fields=("title", "slug", "summary", "live", "first_published_at", "last_published_at"),
        ),
    )

    # Documents cite law (ADR 0026): a law change re-opens their review ("Herbeoordeling").
    cites_law = (
        CitesLaw(
            citation_model="kennisbank.DocumentCitation",
            reassess="kennisbank.services.document_law_reassessment_open",
            responsible="kennisbank.services.document_law_responsible",
        ),
    )

    def ready(self) -> None:
        from kennisbank import signal_handlers

        signal_handlers.connect()
