from django.core.management.base import BaseCommand

from tillsammans.volunteering.services.retention import help_requests_forget_residents


class Command(BaseCommand):
    help = (
        "Erase residents' names, phone numbers, addresses and notes from help requests "
        "done or cancelled more than VOLUNTEERING_RESIDENT_DETAILS_DAYS days ago. "
        "Safe to run daily."
    )

    def handle(self, *args, **options):
        count = help_requests_forget_residents()
        self.stdout.write(f"Residents' details erased from {count} help request(s).")
