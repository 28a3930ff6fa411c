"""Expire offers whose answer deadline has passed; optionally keep doing so."""

from tillsammans.core.management.repeating import RepeatingCommand
from tillsammans.volunteering.services.offers import offers_expire_due


class Command(RepeatingCommand):
    help = (
        "Offers that were not answered by their deadline expire, and each of their requests "
        "is offered to the next-best volunteer. Idempotent. With --loop, repeat every SECONDS "
        "until stopped (SIGINT or SIGTERM) or --iterations runs are done; --enqueue runs it "
        "once as a background task instead."
    )
    failure_message = "Expiring offers failed."

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--enqueue", action="store_true")

    def handle(self, *args, enqueue=False, **options):
        if enqueue:
            from tillsammans.volunteering.tasks import expire_offers

            result = expire_offers.enqueue()
            self.stdout.write(f"Enqueued task {result.id}.")
            return
        super().handle(*args, **options)

    def run_once(self, **options) -> None:
        count = offers_expire_due()
        self.stdout.write(f"{count} offer(s) expired and passed on.")
