"""Build the demo municipality. Idempotent; refuses to run in production."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from tillsammans.core import demo_data


class Command(BaseCommand):
    help = "Build a believable demo municipality with a login for every role."

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing when the demo data is already there (used by `make run`).",
        )

    def handle(self, *args, if_empty=False, **options):
        if settings.PRODUCTION:
            raise CommandError("seed_demo refuses to run in production mode (DEBUG is false).")
        from tillsammans.accounts.models import User

        if if_empty and User.objects.filter(email="admin@demo.example").exists():
            self.stdout.write("Demo data is already there.")
            return
        self.stdout.write("Building the demo municipality:")
        for step in demo_data.steps():
            step.build(self.stdout)
        self.stdout.write(self.style.SUCCESS("Done. Demo logins are listed in README.md."))
