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

    def handle(self, *args, path=None, no_demo_accounts=False, **options):
        try:
            stats = load_corpus(
                path, demo_accounts=False if no_demo_accounts else settings.DEMO_ACCOUNTS_ALLOWED
            )
        except (FileNotFoundError, ValueError, PermissionError) as exc:
            raise CommandError(str(exc)) from exc
        if not stats:
            self.stdout.write("Corpus geladen: niets gewijzigd.")
            return
        self.stdout.write("Corpus geladen:")
        for key, count in sorted(stats.items()):
            self.stdout.write(f"  {key}: {count}")
