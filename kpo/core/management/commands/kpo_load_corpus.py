import sys

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from kpo.core.corpus import load_corpus


class Command(BaseCommand):
    help = "Laadt het KPO-corpus (thema's, regio's, organisaties, inhoud) idempotent."

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", help="Pad naar kpo-corpus.yaml")
        parser.add_argument(
            "--no-demo-accounts",
            action="store_true",
            help="Geen demo-accounts aanmaken (in productie worden ze nooit aangemaakt).",
        )

    def handle(self, *args, path=None, no_demo_accounts=False, verbosity=1, **options):
        progress = self._progress if verbosity >= 1 and sys.stderr.isatty() else None
        try:
            stats = load_corpus(
                path,
                demo_accounts=False if no_demo_accounts else settings.DEMO_ACCOUNTS_ALLOWED,
                progress=progress,
            )
        except (FileNotFoundError, ValueError, PermissionError) as exc:
            raise CommandError(str(exc)) from exc
        if verbosity < 1:
            return
        if not stats:
            self.stdout.write("Corpus geladen: niets gewijzigd.")
            return
        if verbosity < 2:
            new = sum(n for key, n in stats.items() if key.endswith(": nieuw"))
            self.stdout.write(
                f"Corpus geladen: {new} nieuw, {sum(stats.values()) - new} bijgewerkt "
                "(-v 2 toont per soort)."
            )
            return
        self.stdout.write("Corpus geladen:")
        for key, count in sorted(stats.items()):
            self.stdout.write(f"  {key}: {count}")

    def _progress(self, done: int, total: int, label: str) -> None:
        """A one-line progress bar on the terminal (stderr; only when it is a terminal)."""
        width = 30
        filled = int(width * done / max(total, 1))
        bar = "#" * filled + "-" * (width - filled)
        end = "\n" if done >= total else ""
        sys.stderr.write(f"\rCorpus  [{bar}] {done}/{total} {label:<14}{end}")
        sys.stderr.flush()
