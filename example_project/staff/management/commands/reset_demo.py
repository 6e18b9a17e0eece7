"""Make the demo data: migrate, empty every table, seed with --seed 42 and create the demo account.

``python3 dev.py demo`` and ``python3 dev.py serve`` run it at each start, so the data (and the ids the
README's examples use) are the same every time.
"""

from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Migrate, empty the tables (ids from 1 again), seed with --seed 42 and create the demo account."

    def handle(self, *args, **options):
        call_command("migrate", interactive=False, verbosity=0)
        call_command("flush", interactive=False, verbosity=0)
        call_command("seed", seed=42, stdout=self.stdout)
        call_command("ensure_demo_user", stdout=self.stdout)
