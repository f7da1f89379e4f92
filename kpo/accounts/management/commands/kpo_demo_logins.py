from django.conf import settings
from django.core.management.base import BaseCommand

from kpo.accounts.corpus import demo_logins


class Command(BaseCommand):
    help = "Toont de demo-logins (alleen in de lokale demo-omgeving)."

    def handle(self, *args, **options):
        if not settings.DEMO_ACCOUNTS_ALLOWED:
            self.stdout.write("Geen demo-accounts in productie.")
            return
        rows = demo_logins()
        if not rows:
            self.stdout.write("Er zijn geen demo-accounts. Draai eerst kpo_load_corpus.")
            return
        self.stdout.write("Demo-logins (alleen lokaal, wachtwoord voor allemaal hetzelfde):")
        for role, email, password in rows:
            self.stdout.write(f"  {role:<45} {email:<32} {password}")
