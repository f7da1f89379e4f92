"""What a pillar declares about the pages that cite law (ADR 0026, like ADR 0018's hooks).

A pillar lists ``cites_law = (CitesLaw(...),)`` on its AppConfig; ``kpo.law.services`` reads
the declarations from the app registry, so the core knows no pillar's models or workflows.

* ``citation_model``: label of a concrete ``kpo.law.models.CitationBase`` subclass whose
  ``page`` is a ParentalKey to the citing page type.
* ``reassess``: dotted path of ``f(*, page, law_change) -> None``: open the pillar's re-review
  of ``page`` (a live page citing the change). Called once per page and change.
* ``responsible``: dotted path of ``f(*, page) -> list[User]``: who answers for the page
  (its owner, or the pillar's fall-back), notified with the jurists.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.utils.module_loading import import_string


@dataclass(frozen=True)
class CitesLaw:
    citation_model: str
    reassess: str
    responsible: str


@dataclass(frozen=True)
class ResolvedCitesLaw:
    citation_model: type[models.Model]
    reassess: Callable[..., None]
    responsible: Callable[..., list[Any]]


def cites_law_declarations() -> Iterator[ResolvedCitesLaw]:
    """Every app's ``cites_law``, resolved; a declaration naming something missing fails loudly
    instead of being skipped."""
    for config in apps.get_app_configs():
        for declaration in getattr(config, "cites_law", ()):
            try:
                model = apps.get_model(declaration.citation_model)
                reassess = import_string(declaration.reassess)
                responsible = import_string(declaration.responsible)
            except (LookupError, ImportError) as exc:
                raise ImproperlyConfigured(
                    f"{config.label}.cites_law names something that does not exist: {exc}"
                ) from exc
            yield ResolvedCitesLaw(model, reassess, responsible)
