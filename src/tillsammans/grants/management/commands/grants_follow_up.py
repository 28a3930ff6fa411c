"""Ask for follow-up reports that have become due and send reminders; run daily."""

from tillsammans.core.management.repeating import RepeatingCommand
from tillsammans.grants.services.follow_up import REMIND_DAYS_BEFORE, follow_up_schedule


class Command(RepeatingCommand):
    help = (
        "Create the follow-up reports of paid grants whose programme asks for one, and remind "
        f"recipients {REMIND_DAYS_BEFORE} days before and the day after the due date. "
        "Idempotent: run it daily."
    )
    failure_message = "Scheduling follow-up reports failed."

    def run_once(self, **options) -> None:
        done = follow_up_schedule()
        self.stdout.write(
            f"{done['created']} report(s) asked for, {done['reminded_before']} reminder(s) "
            f"before and {done['reminded_after']} after the due date."
        )
