from django.core.management.base import BaseCommand

from tillsammans.volunteering.services.volunteers import (
    UNCONFIRMED_RETENTION,
    volunteers_unconfirmed_erase,
)


class Command(BaseCommand):
    help = (
        f"Erase volunteer sign-ups nobody confirmed within {UNCONFIRMED_RETENTION.days} days, "
        "as the consent text promises. Safe to run daily."
    )

    def handle(self, *args, **options):
        count = volunteers_unconfirmed_erase()
        self.stdout.write(f"{count} unconfirmed sign-up(s) erased.")
