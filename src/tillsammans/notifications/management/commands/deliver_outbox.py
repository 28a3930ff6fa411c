"""Enqueue delivery of every due outbox message; optionally keep doing so."""

import logging
import signal
import threading

from django.core.management.base import BaseCommand, CommandError
from django.db import close_old_connections

from tillsammans.notifications.services import notifications_enqueue_due

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = (
        "Enqueue a delivery task for every outbox message that is due: new ones whose task "
        "was lost, retries (when the task backend cannot defer them) and messages whose "
        "worker died mid-send. With --loop, repeat every SECONDS until stopped (SIGINT or "
        "SIGTERM) or --iterations runs are done."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--loop",
            type=float,
            metavar="SECONDS",
            help="Run again every SECONDS (at least 1) instead of once.",
        )
        parser.add_argument(
            "--iterations",
            type=int,
            default=0,
            help="With --loop: stop after this many runs (0: until stopped).",
        )
        parser.add_argument(
            "--limit",
            type=int,
            default=1000,
            help="Enqueue at most this many messages per run, oldest first.",
        )

    def handle(self, *args, loop=None, iterations=0, limit=1000, **options):
        if loop is None:
            self._run_once(limit)
            return
        if loop < 1:
            raise CommandError("--loop must be at least 1 second.")
        if iterations < 0:
            raise CommandError("--iterations cannot be negative.")

        stop = threading.Event()
        previous_handlers = {}
        # Finish the current run and stop, rather than die half-way. (Signal
        # handlers can only be set from the main thread.)
        if threading.current_thread() is threading.main_thread():
            previous_handlers = {
                signum: signal.signal(signum, lambda *_: stop.set())
                for signum in (signal.SIGINT, signal.SIGTERM)
            }
        try:
            runs = 0
            while True:
                try:
                    self._run_once(limit)
                except Exception:
                    # One failed run (database restarting, broker down) must not
                    # end the scheduler; the next run tries again.
                    logger.exception("Enqueuing due outbox messages failed.")
                runs += 1
                if (iterations and runs >= iterations) or stop.wait(loop):
                    break
                # A long-lived process: between runs, drop connections that
                # outlived their age or broke, as Django does between requests.
                close_old_connections()
        finally:
            for signum, handler in previous_handlers.items():
                signal.signal(signum, handler)

    def _run_once(self, limit: int) -> None:
        count = notifications_enqueue_due(limit=limit)
        self.stdout.write(f"Enqueued {count} due outbox message(s) for delivery.")
