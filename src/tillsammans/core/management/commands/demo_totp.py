"""Print the current two-factor code of the demo staff accounts."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from tillsammans.accounts.seed import demo_totp_code


class Command(BaseCommand):
    help = "Print the current authenticator code for the demo staff and admin logins."

    def handle(self, *args, **options):
        if settings.PRODUCTION:
            raise CommandError("demo_totp is for the demo only and refuses to run in production.")
        self.stdout.write(demo_totp_code())
