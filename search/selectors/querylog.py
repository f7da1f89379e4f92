"""The zero- and low-result query log: writing it (personal data scrubbed) and grouping it for
the Redactieraad (issue #17; ``search.selectors`` re-exports it)."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from search.engine import SearchEngine, content_alias, get_engine
from search.models import SearchQueryLog

if TYPE_CHECKING:
    pass

logger = logging.getLogger(__name__)


# --- zero/low-result log -------------------------------------------------------------------------
_EMAIL = re.compile(r"\S+@\S+")
_DIGITS = re.compile(r"\d{4,}")


def scrub_query(q: str) -> str:
    """The query without personal data patterns (e-mail addresses, long numbers), normalised."""
    q = _DIGITS.sub("#", _EMAIL.sub("[e-mail]", q))
    return re.sub(r"\s+", " ", q).strip().lower()[:200]


def log_low_result(q: str, count: int, theme: str = "") -> None:
    """Count a search that found at most ``SEARCH_LOW_RESULT_THRESHOLD`` results (scrubbed)."""
    threshold = getattr(settings, "SEARCH_LOW_RESULT_THRESHOLD", 2)
    if count > threshold:
        return
    text = scrub_query(q)
    if not text:
        return
    try:
        with transaction.atomic():
            row, _ = SearchQueryLog.objects.get_or_create(
                query=text,
                day=timezone.localdate(),
                theme=theme[:80],
                defaults={"result_count": count},
            )
            SearchQueryLog.objects.filter(pk=row.pk).update(
                times=F("times") + 1, result_count=count
            )
    except Exception:  # noqa: BLE001 - logging must never break a search
        logger.exception("Could not log a low-result search query.")


# --- q2k: zero- and low-result queries grouped for the Redactieraad (issue #17) ------------------
# The Redactieraad turns searches that found nothing into kennisvragen. "Low" means what the log
# keeps: at most ``SEARCH_LOW_RESULT_THRESHOLD`` results (the platform logs no clicks). Grouping
# uses general resources only: Unicode case folding and accent stripping, whitespace, and the
# index's own Dutch analyzer (hunspell stems, stop words) when the engine answers.
STEM_ANALYZER = "kpo_dutch"
STEM_MAX_QUERIES = 300


def query_normalise(text: str) -> str:
    """Case-folded, accents removed (é → e, ë → e), whitespace collapsed."""
    import unicodedata

    decomposed = unicodedata.normalize("NFKD", text or "")
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return re.sub(r"\s+", " ", stripped.casefold()).strip()


def _stem_key(text: str, engine: SearchEngine) -> str:
    """The query as the index's Dutch analyzer sees it: one stem per word position (the smallest
    when hunspell offers several), stop words dropped; "" when nothing is left."""
    tokens = engine.analyze(content_alias(), analyzer=STEM_ANALYZER, text=text)
    positions: dict[int, str] = {}
    for token in tokens:
        position = int(token.get("position", 0))
        word = str(token["token"])
        if position not in positions or word < positions[position]:
            positions[position] = word
    return " ".join(positions[p] for p in sorted(positions))


@dataclass
class QueryGroup:
    """One normalised query (per theme) that found (almost) nothing, over a period."""

    key: str
    query: str
    theme: str
    times: int
    last_seen: Any
    result_count: int
    variants: list[str] = field(default_factory=list)

    @property
    def zero(self) -> bool:
        return self.result_count == 0


def query_log_groups(
    *,
    since: Any,
    until: Any,
    theme: str | None = None,
    stem: bool = True,
    engine: SearchEngine | None = None,
) -> list[QueryGroup]:
    """The logged zero/low-result queries of ``since``–``until`` (days, inclusive), grouped by
    normalised query and theme slug, most searched first. Each group counts the searches, keeps
    the last time seen, the lowest result count and the spellings. The caller checks who may see
    this (the Redactieraad); the log holds no personal data."""
    rows = SearchQueryLog.objects.filter(day__gte=since, day__lte=until)
    if theme is not None:
        rows = rows.filter(theme=theme)
    stems: dict[str, str] = {}
    if stem:
        distinct = sorted({query_normalise(q) for q in rows.values_list("query", flat=True)})
        try:
            engine = engine or get_engine()
            for text in distinct[:STEM_MAX_QUERIES]:
                stems[text] = _stem_key(text, engine) or text
        except Exception:  # noqa: BLE001 - the engine is optional here: group without stems
            logger.info("Zero-result grouping without stemming (engine unavailable).")
            stems = {}
    groups: dict[tuple[str, str], QueryGroup] = {}
    counts: dict[tuple[str, str], dict[str, int]] = {}
    for row in rows.order_by("day", "pk"):
        text = query_normalise(row.query)
        if not text:
            continue
        key = (stems.get(text, text), row.theme)
        group = groups.get(key)
        if group is None:
            group = groups[key] = QueryGroup(
                key=key[0],
                query=text,
                theme=row.theme,
                times=0,
                last_seen=row.last_seen,
                result_count=row.result_count,
            )
        group.times += row.times
        group.last_seen = max(group.last_seen, row.last_seen)
        group.result_count = min(group.result_count, row.result_count)
        spelled = counts.setdefault(key, {})
        spelled[text] = spelled.get(text, 0) + row.times
    for key, group in groups.items():
        spelled = counts[key]
        group.variants = sorted(spelled, key=lambda t: (-spelled[t], t))
        group.query = group.variants[0]
    return sorted(groups.values(), key=lambda g: (-g.times, -g.last_seen.timestamp(), g.key))
