"""What an app declares about the personal data it keeps, for the AVG services.

The core never imports a pillar (docs/decisions/0018). Every app whose models hold personal data
lists them on its AppConfig, as ``personal_data = (PersonalData(...), ...)``; apps with data that
expires list ``retention = (Retention(...), ...)``. ``kpo.privacy.services`` reads these
declarations from the app registry: the export, the account deletion and the retention task know
nothing about any pillar's field names.

This module holds only plain data classes (no models), so AppConfig modules can import it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum

from django.apps import apps
from django.db import models

# The notices a removed post shows (account deletion with ``remove_posts``).
REMOVED_BODY = "Deze bijdrage is op verzoek van de auteur verwijderd."
REMOVED_TITLE = "Verwijderde bijdrage"


class OnDelete(StrEnum):
    """What deleting the account does with the rows."""

    # The database rules (CASCADE / SET_NULL) apply: the rows go with the account.
    CASCADE = "cascade"
    # Posts: kept and re-pointed to the placeholder "Voormalig deelnemer", so discussions stay
    # readable; with ``remove_posts`` their ``removal_text`` fields get a removal notice.
    KEEP_AS_POST = "keep_as_post"
    # Certificates: re-pointed to the placeholder with ``name_fields`` replaced, so a code no
    # longer verifies anyone by name.
    UNVERIFIABLE = "unverifiable"


@dataclass(frozen=True)
class PersonalData:
    """Rows of one model that belong to a person.

    ``owner``: lookups from a row to its person (``"user"``, ``"enrolment__user"``); the first
    ones that are direct foreign keys to the user are the ones account deletion re-points.
    ``section``: the key in the export's ``gegevens.json`` (``None``: not exported).
    ``fields``: the exported fields (empty: every concrete field but secrets).
    ``removable``: with ``remove_posts`` the person's rows are deleted (files).
    ``removal_text``: ``{field: notice}`` written into a post with ``remove_posts``.
    ``revisions``: ``(revision model label, field pointing at the row)``, deleted with
    ``remove_posts``. ``name_fields``: names replaced by the placeholder label (UNVERIFIABLE).
    """

    model: str
    owner: tuple[str, ...]
    section: str | None = None
    fields: tuple[str, ...] = ()
    on_delete: OnDelete = OnDelete.CASCADE
    removable: bool = False
    removal_text: tuple[tuple[str, str], ...] = ()
    revisions: tuple[tuple[str, str], ...] = ()
    name_fields: tuple[str, ...] = ()

    def model_class(self) -> type[models.Model]:
        return apps.get_model(self.model)


@dataclass(frozen=True)
class Retention:
    """Rows of ``model`` older than ``KPO_RETENTION_DAYS[kind]`` days (by ``date_field``) are
    deleted by the retention task."""

    kind: str
    model: str
    date_field: str

    def model_class(self) -> type[models.Model]:
        return apps.get_model(self.model)


def personal_data_declarations() -> Iterator[PersonalData]:
    """Every app's ``personal_data``, in the order of INSTALLED_APPS."""
    for config in apps.get_app_configs():
        yield from getattr(config, "personal_data", ())


def retention_declarations() -> Iterator[Retention]:
    for config in apps.get_app_configs():
        yield from getattr(config, "retention", ())
