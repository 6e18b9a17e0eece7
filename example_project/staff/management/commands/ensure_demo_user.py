"""Create the demo account the README names (demo / demo), so a new user can try writes at once."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

USERNAME = "demo"
PASSWORD = "demo"  # a local demo account, documented in the README; never use it outside the example


class Command(BaseCommand):
    help = "Create or reset the demo account (username 'demo', password 'demo', staff)."

    def handle(self, *args, **options):
        user, created = get_user_model().objects.get_or_create(username=USERNAME)
        user.is_staff = True
        user.set_password(PASSWORD)
        user.save()
        verb = "Created" if created else "Reset"
        self.stdout.write(f"{verb} the demo account: username '{USERNAME}', password '{PASSWORD}'.")
