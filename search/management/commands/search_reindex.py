"""``manage.py search_reindex [--if-empty | --if-stale] [--rollback]``: rebuild the index."""

from __future__ import annotations

import sys

from django.core.management.base import BaseCommand, CommandError

from search.engine import EngineError
from search.indexer import reindex
from search.indexer import rollback as alias_rollback


class Command(BaseCommand):
    help = (
        "Bouwt een nieuwe zoekindex achter de alias (met voortgangsbalk), haalt wijzigingen van "
        "tijdens het bouwen in, wisselt de alias atomair en bewaart de vorige index."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Alleen bouwen als de alias nog niet bestaat of leeg is (voor tools/run).",
        )
        parser.add_argument(
            "--if-stale",
            action="store_true",
            help=(
                "Alleen bouwen als de alias ontbreekt, leeg is of met andere synoniemen/begrippen "
                "is gebouwd dan er nu in de database staan (voor tools/run, na het laden)."
            ),
        )
        parser.add_argument(
            "--rollback", action="store_true", help="Zet de alias terug op de vorige index."
        )

    def handle(
        self,
        *args,
        if_empty: bool = False,
        if_stale: bool = False,
        rollback: bool = False,
        **options,
    ):
        try:
            if rollback:
                name = alias_rollback()
                if name is None:
                    raise CommandError("Er is geen vorige index om naar terug te gaan.")
                self.stdout.write(f"Alias wijst weer naar {name}.")
                return
            result = reindex(if_empty=if_empty, if_stale=if_stale, progress=self._progress)
        except EngineError as exc:
            raise CommandError(f"De zoekmachine is niet bereikbaar: {exc}") from exc
        if result["skipped"]:
            self.stdout.write(f"Index {result['index']} bestaat al en is bij; overgeslagen.")
            return
        self.stdout.write("")
        self.stdout.write(
            self.style.SUCCESS(
                f"{result['indexed']} documenten in {result['index']}, "
                f"{result['caught_up']} bijgewerkt tijdens het bouwen; alias {result['alias']} "
                f"gewisseld. Vorige index bewaard: {', '.join(result['previous']) or '-'}."
            )
        )

    def _progress(self, done: int, total: int) -> None:
        total = max(total, done, 1)
        width = 30
        filled = int(width * done / total)
        bar = "#" * filled + "-" * (width - filled)
        end = "\n" if not sys.stdout.isatty() and done >= total else ""
        self.stdout.write(f"\r[{bar}] {done}/{total}", ending=end)
        self.stdout.flush()
