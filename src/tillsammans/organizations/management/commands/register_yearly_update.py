from django.core.management.base import BaseCommand

from tillsammans.organizations.services import register_yearly_update


class Command(BaseCommand):
    help = (
        "Remind organisations to confirm their details after 11 months, mark them "
        "needs_update after 12 and inactive after 14. Safe to run daily."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--enqueue", action="store_true", help="Run it as a background task instead."
        )

    def handle(self, *args, **options):
        if options["enqueue"]:
            from tillsammans.organizations.tasks import yearly_update

            result = yearly_update.enqueue()
            self.stdout.write(f"Enqueued task {result.id}.")
            return
        counts = register_yearly_update()
        self.stdout.write(
            "Reminded {reminded}, needs update {needs_update}, inactive {inactive}.".format(
                **counts
            )
        )
