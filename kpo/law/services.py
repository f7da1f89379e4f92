"""Writes of the law app (ADR 0026): recording a law change (by hand or from a file) and its one
effect, and closing a page's re-assessment when its review is completed.

``law_change_apply`` is the one place a change takes effect, whoever entered it: for every live
page that cites the changed article (or the law) — and no other — it records a
``LawReassessment``, asks the page's pillar to open its re-review (``cites_law`` declarations),
and notifies the page's responsible people and the jurists. It is idempotent: a page gets one
re-assessment, one call of its pillar and one notification per change, however often the change
is entered, imported or applied.
"""

from __future__ import annotations

import csv
import datetime
import io
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from wagtail.models import Page

from kpo.core.fragments import bump_after_commit
from kpo.core.roles import BOARD_GROUP, LAWYERS_GROUP
from kpo.law import ids
from kpo.law.declarations import cites_law_declarations
from kpo.law.models import LawChange, LawReassessment
from kpo.law.selectors import can_enter_law_changes, citations_hit_q, jurists
from kpo.notifications.services import notify

if TYPE_CHECKING:
    from kpo.accounts.models import User

NOTIFY_KIND_LAW_CHANGE = "law.change"
MAX_IMPORT_ROWS = 2000


@dataclass(frozen=True)
class LawChangeInput:
    bwb_id: str
    article: str
    effective_date: datetime.date
    summary: str


@dataclass
class LawImportResult:
    created: list[LawChange] = field(default_factory=list)
    existing: list[LawChange] = field(default_factory=list)
    reassessments: int = 0


def law_change_clean(
    *, bwb_id: str, article: str, effective_date: Any, summary: str
) -> LawChangeInput:
    """Validate one change; ``ValidationError`` maps field names to Dutch messages."""
    errors: dict[str, list[str]] = {}
    clean_bwb = clean_article = ""
    try:
        clean_bwb = ids.bwb_clean(str(bwb_id or ""))
    except ValidationError as exc:
        errors["bwb_id"] = exc.messages
    try:
        clean_article = ids.article_clean(str(article or ""))
    except ValidationError as exc:
        errors["article"] = exc.messages
    date = _date_clean(effective_date)
    if date is None:
        errors["effective_date"] = [
            _("Geef een geldige ingangsdatum, bijvoorbeeld 2026-01-01 of 01-01-2026.")
        ]
    text = str(summary or "").strip()
    if not text:
        errors["summary"] = [_("Beschrijf kort wat er verandert.")]
    elif len(text) > 4000:
        errors["summary"] = [_("De samenvatting is te lang (maximaal 4000 tekens).")]
    if errors or date is None:
        raise ValidationError(errors)
    return LawChangeInput(clean_bwb, clean_article, date, text)


def _date_clean(value: Any) -> datetime.date | None:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = str(value or "").strip()
    try:
        parsed = parse_date(text)
    except ValueError:
        return None
    if parsed is None:
        try:
            parsed = datetime.datetime.strptime(text, "%d-%m-%Y").date()
        except ValueError:
            return None
    if not 1800 <= parsed.year <= 2200:
        return None
    return parsed


def _require_permission(actor: User | None) -> None:
    # ``None``: the command line (an operator on the server).
    if actor is not None and not can_enter_law_changes(user=actor):
        raise PermissionDenied(
            _("Alleen juristen en de Redactieraad kunnen wetswijzigingen invoeren.")
        )


@transaction.atomic
def law_change_record(
    *,
    actor: User | None,
    bwb_id: str,
    article: str,
    effective_date: Any,
    summary: str,
    source: str = LawChange.Source.MANUAL,
) -> tuple[LawChange, int]:
    """Record a law change and apply it. Returns the change and how many re-assessments it
    opened now. The same (law, article, date) again records nothing and opens nothing new."""
    _require_permission(actor)
    data = law_change_clean(
        bwb_id=bwb_id, article=article, effective_date=effective_date, summary=summary
    )
    change, _created = LawChange.objects.get_or_create(
        bwb_id=data.bwb_id,
        article=data.article,
        effective_date=data.effective_date,
        defaults={"summary": data.summary, "source": source, "created_by": actor},
    )
    opened = law_change_apply(law_change=change)
    return change, len(opened)


@transaction.atomic
def law_change_apply(*, law_change: LawChange) -> list[LawReassessment]:
    """The effect of a change (idempotent): a re-assessment for every live page citing it,
    opened once; returns the re-assessments opened by this call."""
    opened: list[LawReassessment] = []
    change = LawChange.objects.select_for_update().get(pk=law_change.pk)
    hit = citations_hit_q(bwb_id=change.bwb_id, article=change.article)
    for declaration in cites_law_declarations():
        cited = declaration.citation_model._default_manager.filter(hit).values("page_id")
        for page in Page.objects.live().filter(pk__in=cited).specific().order_by("pk"):
            reassessment, created = LawReassessment.objects.get_or_create(
                law_change=change, page_id=page.pk
            )
            if not created:
                continue
            declaration.reassess(page=page, law_change=change)
            _notify(change, page, declaration.responsible(page=page))
            opened.append(reassessment)
    if opened:
        bump_after_commit()
    return opened


def _notify(change: LawChange, page: Any, responsible: Iterable[Any]) -> None:
    recipients = list({u.pk: u for u in [*responsible, *jurists()]}.values())
    where = (
        _("%(bwb)s artikel %(article)s") % {"bwb": change.bwb_id, "article": change.article}
        if change.article
        else change.bwb_id
    )
    from django.urls import reverse

    notify(
        recipients=recipients,
        kind=NOTIFY_KIND_LAW_CHANGE,
        title=_("Wetswijziging per %(date)s: %(title)s")
        % {"date": date_format(change.effective_date, "j F Y"), "title": page.title},
        body=_(
            "“%(title)s” verwijst naar %(where)s, dat per %(date)s wijzigt: %(summary)s "
            "De herbeoordeling is geopend."
        )
        % {
            "title": page.title,
            "where": where,
            "date": date_format(change.effective_date, "j F Y"),
            "summary": change.summary,
        },
        # the page itself (it shows the change); owners are not always admin users
        url=page.url or reverse("wagtailadmin_pages:edit", args=[page.pk]),
        key=f"law-change:{change.pk}:{page.pk}",
    )


@transaction.atomic
def law_reassessments_resolve(*, page_id: int) -> int:
    """The page's review is completed: its open re-assessments close (the banner goes).
    Returns how many closed."""
    closed = LawReassessment.objects.filter(page_id=page_id, resolved_at__isnull=True).update(
        resolved_at=timezone.now()
    )
    if closed:
        bump_after_commit()
    return closed


# --- import (CSV or JSON) ----------------------------------------------------------------------

_COLUMNS = {
    "bwb_id": ("bwb_id", "bwb", "bwb-id", "bwbid"),
    "article": ("article", "artikel"),
    "effective_date": ("effective_date", "ingangsdatum", "datum", "date"),
    "summary": ("summary", "samenvatting", "omschrijving"),
}


def _row_value(row: dict[str, Any], name: str) -> Any:
    for key in _COLUMNS[name]:
        if key in row and row[key] is not None:
            return row[key]
    return ""


def law_import_rows(*, content: bytes, filename: str) -> list[tuple[str, dict[str, Any]]]:
    """Parse a CSV (header row; comma or semicolon) or JSON file (a list of objects, or
    ``{"changes": [...]}``) into ``(row label, values)``; ``ValidationError`` when the file
    itself cannot be read."""
    name = (filename or "").lower()
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationError(_("Het bestand is geen UTF-8-tekst."), code="encoding") from None
    rows: list[tuple[str, dict[str, Any]]] = []
    if name.endswith(".json"):
        try:
            data = json.loads(text)
        except ValueError as exc:
            raise ValidationError(
                _("Het JSON-bestand is ongeldig (regel %(line)s).")
                % {"line": getattr(exc, "lineno", "?")},
                code="json",
            ) from None
        if isinstance(data, dict):
            data = data.get("changes")
        if not isinstance(data, list):
            raise ValidationError(
                _("Het JSON-bestand moet een lijst van wetswijzigingen bevatten."), code="json"
            )
        for number, item in enumerate(data, start=1):
            label = _("Item %(n)s") % {"n": number}
            rows.append((label, item if isinstance(item, dict) else {"_invalid": True}))
    elif name.endswith(".csv"):
        sample = text[:2048]
        delimiter = ";" if sample.count(";") > sample.count(",") else ","
        reader = csv.reader(io.StringIO(text), delimiter=delimiter)
        try:
            header = [h.strip().lower() for h in next(reader)]
        except (StopIteration, csv.Error):
            raise ValidationError(_("Het CSV-bestand is leeg."), code="csv") from None
        missing = [
            name
            for name in ("bwb_id", "effective_date", "summary")
            if not any(k in header for k in _COLUMNS[name])
        ]
        if missing:
            raise ValidationError(
                _(
                    "De kopregel mist de kolom(men) %(columns)s. Verwacht: bwb_id, artikel, "
                    "ingangsdatum, samenvatting."
                )
                % {"columns": ", ".join(missing)},
                code="csv",
            )
        try:
            for number, values in enumerate(reader, start=2):
                if not any(v.strip() for v in values):
                    continue
                label = _("Rij %(n)s") % {"n": number}
                rows.append((label, dict(zip(header, (v.strip() for v in values), strict=False))))
        except csv.Error:
            raise ValidationError(_("Het CSV-bestand is ongeldig."), code="csv") from None
    else:
        raise ValidationError(_("Kies een CSV- of JSON-bestand."), code="type")
    if not rows:
        raise ValidationError(_("Het bestand bevat geen wetswijzigingen."), code="empty")
    if len(rows) > MAX_IMPORT_ROWS:
        raise ValidationError(
            _("Te veel regels (maximaal %(max)s per bestand).") % {"max": MAX_IMPORT_ROWS},
            code="too_many",
        )
    return rows


@transaction.atomic
def law_changes_import(*, actor: User | None, content: bytes, filename: str) -> LawImportResult:
    """Import law changes from a file, through ``law_change_record`` row by row. All or
    nothing: when any row is wrong, nothing is recorded and ``ValidationError`` lists a Dutch
    message per wrong row ("Rij 3: …"). Importing the same file twice records nothing new."""
    _require_permission(actor)
    rows = law_import_rows(content=content, filename=filename)
    cleaned: list[LawChangeInput] = []
    errors: list[str] = []
    for label, row in rows:
        if row.get("_invalid"):
            errors.append(_("%(row)s: geen object met velden.") % {"row": label})
            continue
        try:
            cleaned.append(
                law_change_clean(
                    bwb_id=_row_value(row, "bwb_id"),
                    article=_row_value(row, "article"),
                    effective_date=_row_value(row, "effective_date"),
                    summary=_row_value(row, "summary"),
                )
            )
        except ValidationError as exc:
            messages = [m for ms in exc.message_dict.values() for m in ms]
            errors.append(f"{label}: {' '.join(messages)}")
    if errors:
        raise ValidationError(errors)
    result = LawImportResult()
    for data in cleaned:
        existed = LawChange.objects.filter(
            bwb_id=data.bwb_id, article=data.article, effective_date=data.effective_date
        ).first()
        change, opened = law_change_record(
            actor=actor,
            bwb_id=data.bwb_id,
            article=data.article,
            effective_date=data.effective_date,
            summary=data.summary,
            source=LawChange.Source.IMPORT,
        )
        (result.existing if existed else result.created).append(change)
        result.reassessments += opened
    return result


# --- permissions -------------------------------------------------------------------------------

LAW_CHANGE_GROUPS = (LAWYERS_GROUP, BOARD_GROUP)
LAW_CHANGE_PERMISSIONS = ("add_lawchange", "view_lawchange")


def law_permissions_ensure() -> int:
    """Give the Juristen and Redactieraad groups the permission to enter law changes (and
    admin access). Idempotent; also run by migration ``law.0002`` and the corpus loader (a
    flushed test database loses what the migration granted). Returns the grants added."""
    from django.contrib.auth.models import Group, Permission

    wanted = list(
        Permission.objects.filter(
            content_type__app_label="law", codename__in=LAW_CHANGE_PERMISSIONS
        )
    )
    wanted += list(
        Permission.objects.filter(content_type__app_label="wagtailadmin", codename="access_admin")
    )
    added = 0
    for name in LAW_CHANGE_GROUPS:
        group = Group.objects.get_or_create(name=name)[0]
        have = set(group.permissions.values_list("pk", flat=True))
        missing = [p for p in wanted if p.pk not in have]
        if missing:
            group.permissions.add(*missing)
            added += len(missing)
    return added
