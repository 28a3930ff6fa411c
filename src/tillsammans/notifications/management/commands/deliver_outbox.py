"""Enqueue delivery of every due outbox message; optionally keep doing so."""

from tillsammans.core.management.repeating import RepeatingCommand
from tillsammans.notifications.services import notifications_enqueue_due


class Command(RepeatingCommand):
    help = (
        "Enqueue a delivery task for every outbox message that is due: new ones whose task "
        "was lost, retries (when the task backend cannot defer them) and messages whose "
        "worker died mid-send. With --loop, repeat every SECONDS until stopped (SIGINT or "
        "SIGTERM) or --iterations runs are done."
    )
    failure_message = "Enqueuing due outbox messages failed."

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "--limit",
            type=int,
            default=1000,
            help="Enqueue at most this many messages per run, oldest first.",
        )

    def run_once(self, *, limit=1000, **options) -> None:
        count = notifications_enqueue_due(limit=limit)
        self.stdout.write(f"Enqueued {count} due outbox message(s) for delivery.")
