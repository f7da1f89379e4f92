"""Loading the demo/test corpus (``shared/corpus/kpo-corpus.yaml``) idempotently.

Each app that owns part of the corpus names a loader in its AppConfig (``corpus_loader``, a
dotted path to ``load(ctx: CorpusContext) -> None``) and an order (``corpus_order``). Loaders use
``upsert`` so that a second load changes no rows.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import yaml
from django.apps import apps
from django.conf import settings
from django.db import models, transaction
from django.utils import timezone
from django.utils.module_loading import import_string

_M = TypeVar("_M", bound=models.Model)


@dataclass
class CorpusContext:
    data: dict[str, Any]
    demo_accounts: bool
    stats: Counter = field(default_factory=Counter)
    today: dt.date = field(default_factory=timezone.localdate)

    def section(self, name: str) -> list[dict[str, Any]]:
        return self.data.get(name) or []


def date_shift(days: Iterable[dt.date], *, anchor: str, target: dt.date) -> dt.timedelta:
    """How far to move a set of corpus dates so the demo lives in the present.

    The corpus is a snapshot of one year; its dates are moved as a whole (keeping their spacing
    and weekday) so that the set's ``anchor`` ("first", "last" or "middle") falls on ``target``
    (a date relative to today). Depends only on the data and today: a second load on the same
    day computes the same dates."""
    ordered = sorted(days)
    if not ordered:
        return dt.timedelta(0)
    point = {"first": ordered[0], "last": ordered[-1], "middle": ordered[len(ordered) // 2]}[anchor]
    weeks = round((target - point).days / 7)
    return dt.timedelta(weeks=weeks)


def read_corpus(path: Path | str | None = None) -> dict[str, Any]:
    corpus_path = Path(path) if path else settings.KPO_CORPUS_PATH
    if not corpus_path.exists():
        raise FileNotFoundError(f"Corpus not found: {corpus_path}")
    with corpus_path.open(encoding="utf-8") as handle:
        data = yaml.safe_load(handle)
    if not isinstance(data, dict) or "themes" not in data:
        raise ValueError(f"{corpus_path} is not a KPO corpus (no 'themes' section).")
    return data


def upsert(
    ctx: CorpusContext, model: type[_M], lookup: dict[str, Any], values: dict[str, Any]
) -> tuple[_M, bool]:
    """Create or update one row; save only when a value differs. Returns (obj, changed)."""
    obj = model._default_manager.filter(**lookup).first()
    label = model._meta.verbose_name_plural
    if obj is None:
        obj = model._default_manager.create(**lookup, **values)
        ctx.stats[f"{label}: nieuw"] += 1
        return obj, True
    changed = [name for name, value in values.items() if getattr(obj, name) != value]
    if changed:
        for name in changed:
            setattr(obj, name, values[name])
        obj.save(update_fields=changed)
        ctx.stats[f"{label}: bijgewerkt"] += 1
    return obj, bool(changed)


def set_m2m(manager, objects) -> bool:
    """Set a many-to-many relation only when it differs."""
    wanted = {obj.pk for obj in objects}
    current = set(manager.values_list("pk", flat=True))
    if wanted != current:
        manager.set(list(objects))
        return True
    return False


def corpus_loaders() -> list[tuple[int, str, Any]]:
    loaders = []
    for config in apps.get_app_configs():
        path = getattr(config, "corpus_loader", None)
        if not path:
            continue
        try:
            loader = import_string(path)
        except ImportError:
            continue  # the app has no corpus part (yet)
        loaders.append((getattr(config, "corpus_order", 100), config.label, loader))
    return sorted(loaders, key=lambda item: item[0])


def load_corpus(
    path: Path | str | None = None,
    *,
    demo_accounts: bool | None = None,
    progress: Callable[[int, int, str], None] | None = None,
) -> Counter:
    """Load the whole corpus. Demo accounts only where settings allow them. ``progress(done,
    total, label)`` is called before each part and once at the end."""
    allowed = settings.DEMO_ACCOUNTS_ALLOWED
    if demo_accounts and not allowed:
        raise PermissionError("Demo accounts are never created in production.")
    ctx = CorpusContext(
        data=read_corpus(path), demo_accounts=allowed if demo_accounts is None else demo_accounts
    )
    loaders = corpus_loaders()
    for done, (_order, label, loader) in enumerate(loaders):
        if progress:
            progress(done, len(loaders), label)
        with transaction.atomic():
            loader(ctx)
    if progress:
        progress(len(loaders), len(loaders), "")
    return ctx.stats
