"""``manage.py search_reconcile``: the nightly comparison of database and index, on demand."""

from django.core.management.base import BaseCommand

from search.indexer import reconcile


class Command(BaseCommand):
    help = "Vergelijkt database en zoekindex (ids, versies, inhoud) en herstelt verschillen."

    def handle(self, *args, **options):
        result = reconcile()
        self.stdout.write(str(result))
