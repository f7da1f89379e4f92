"""The indexing interface every pillar uses to put its content in the one search index.

A pillar's searchable model registers itself with ``@searchable``; the core's searchable models
(``ThemePage``, ``GlossaryTerm``, ``Profile``) are registered by ``SearchConfig.ready()``, because
the core never imports a pillar (docs/decisions/0018). A searchable model implements:

* ``search_type``: ClassVar[str] — the content type shown as a facet ("document", "thread",
  "course", "training", "event", "community", "theme", "person").
* ``search_document(self) -> dict | None`` — the fields to index (see ``DOCUMENT_FIELDS``), or
  ``None`` when the item must not be in the index now (draft, deleted, hidden). ``principals``
  must be ``sorted(access.item_principals(item))``: one document per visibility unit.
* ``search_queryset(cls) -> QuerySet`` — every candidate item, for reindex and reconcile.

Writes call ``search.services.index_enqueue(instance)`` (or ``index_delete``) inside the write's
transaction; the outbox takes it from there.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Model

# The shared schema of an index document. Only title, url and principals are required.
DOCUMENT_FIELDS: dict[str, str] = {
    "type": "content type (search_type), set by the indexer",
    "title": "str",
    "summary": "str",
    "body": "str (plain text)",
    "attachment_text": "str (text extracted from attachments)",
    "url": "str (absolute path on the site)",
    "date": "ISO date or datetime: publication / creation / event date",
    "updated_at": "ISO datetime",
    "themes": "list[str] theme slugs",
    "regions": "list[str] region slugs",
    "organisations": "list[str] organisation slugs",
    "doc_type": "str (kennisbank document type slug)",
    "year": "int",
    "community": "str community slug (community content only)",
    "principals": "list[str] read principals (access rule)",
    "review_status": "str: actueel | herbeoordeling | verouderd (kennisbank)",
    "review_badge": "str, stored only: the redactieraad's dated badge for results (kennisbank)",
    "accepted_answer": "bool (threads with an accepted answer)",
    "citations": "list[str] cited legal sources: BWB ids, BWB id:article, ECLIs (ADR 0026)",
    "people": "person fields: name, organisation, region, function, expertise",
}

_REGISTRY: dict[str, type[Model]] = {}


def searchable(model: type[Model]) -> type[Model]:
    """Class decorator: register a model as searchable."""
    search_type = getattr(model, "search_type", None)
    if not search_type:
        raise TypeError(f"{model.__name__} needs a search_type to be searchable.")
    _REGISTRY[model._meta.label_lower] = model
    return model


def registered_models() -> list[type[Any]]:
    return list(_REGISTRY.values())


def model_for_label(label: str) -> type[Any] | None:
    # Any: registered models carry the search_* methods, which Model does not declare.
    return _REGISTRY.get(label.lower())


def doc_id_for(instance: Model) -> str:
    return f"{instance._meta.label_lower}:{instance.pk}"
