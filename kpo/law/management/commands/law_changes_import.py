"""``manage.py law_changes_import <file.csv|file.json>``: import law changes (ADR 0026) through
the same service as the admin upload; prints a Dutch error per bad row and exits non-zero."""

from __future__ import annotations

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from kpo.law.services import law_changes_import


class Command(BaseCommand):
    help = (
        "Importeer wetswijzigingen uit een CSV- of JSON-bestand "
        "(bwb_id, artikel, ingangsdatum, samenvatting)."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="CSV- of JSON-bestand")

    def handle(self, *args, **options):
        path = Path(options["path"])
        if not path.is_file():
            raise CommandError(f"Bestand niet gevonden: {path}")
        try:
            result = law_changes_import(actor=None, content=path.read_bytes(), filename=path.name)
        except ValidationError as exc:
            for message in exc.messages:
                self.stderr.write(message)
            raise CommandError("Er is niets geïmporteerd.") from None
        self.stdout.write(
            f"{len(result.created)} wetswijziging(en) geïmporteerd, {len(result.existing)} al "
            f"bekend; {result.reassessments} herbeoordeling(en) geopend."
        )
