"""Process volunteer sign-ups still waiting; optionally keep doing so."""

from tillsammans.core.management.repeating import RepeatingCommand
from tillsammans.volunteering.services.volunteer_intake import (
    MAX_ATTEMPTS,
    signup_intakes_process_waiting,
)


class Command(RepeatingCommand):
    help = (
        "Turn the sign-ups that are still waiting (a task was lost, a worker died, or there "
        "is no task worker) into volunteers and send their links, oldest first. Safe beside "
        f"the task workers. A sign-up that failed {MAX_ATTEMPTS} times waits for staff in the "
        "admin. With --loop, repeat every SECONDS until stopped (SIGINT or SIGTERM) or "
        "--iterations runs are done."
    )
    failure_message = "Processing waiting sign-ups failed."

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "--limit",
            type=int,
            default=500,
            help="Process at most this many sign-ups per run.",
        )

    def run_once(self, *, limit=500, **options) -> None:
        outcomes = signup_intakes_process_waiting(limit=limit)
        summary = ", ".join(f"{count} {outcome}" for outcome, count in sorted(outcomes.items()))
        self.stdout.write(f"Sign-ups processed: {summary or 'none waiting'}.")
