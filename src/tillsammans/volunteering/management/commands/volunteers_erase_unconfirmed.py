from django.core.management.base import BaseCommand

from tillsammans.volunteering.services.volunteer_intake import signup_intakes_erase_stale
from tillsammans.volunteering.services.volunteers import (
    UNCONFIRMED_RETENTION,
    volunteers_unconfirmed_erase,
)


class Command(BaseCommand):
    help = (
        f"Erase volunteer sign-ups nobody confirmed within {UNCONFIRMED_RETENTION.days} days, "
        "as the consent text promises, and sign-ups that could not be processed in that time. "
        "Safe to run daily."
    )

    def handle(self, *args, **options):
        count = volunteers_unconfirmed_erase()
        self.stdout.write(f"{count} unconfirmed sign-up(s) erased.")
        stale = signup_intakes_erase_stale()
        self.stdout.write(f"{stale} sign-up(s) that could not be processed erased.")
