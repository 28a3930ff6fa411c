"""A management command that does one run, or repeats it until stopped.

The jobs a worker node keeps running (delivering the outbox, expiring offers,
processing sign-ups) are idempotent runs; ``--loop SECONDS`` repeats one
every SECONDS, finishing the current run on SIGINT or SIGTERM rather than
dying half-way.
"""

from __future__ import annotations

import logging
import signal
import threading

from django.core.management.base import BaseCommand, CommandError
from django.db import close_old_connections

logger = logging.getLogger(__name__)


class RepeatingCommand(BaseCommand):
    """Subclasses implement ``run_once(**options)`` and may add arguments
    (calling ``super().add_arguments``)."""

    # What the log says when a run fails, e.g. "Expiring offers failed."
    failure_message = "A run failed."

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

    def run_once(self, **options) -> None:
        raise NotImplementedError

    def handle(self, *args, loop=None, iterations=0, **options):
        if loop is None:
            self.run_once(**options)
            return
        if loop < 1:
            raise CommandError("--loop must be at least 1 second.")
        if iterations < 0:
            raise CommandError("--iterations cannot be negative.")
        stop = threading.Event()
        previous_handlers = {}
        # Signal handlers can only be set from the main thread.
        if threading.current_thread() is threading.main_thread():
            previous_handlers = {
                signum: signal.signal(signum, lambda *_: stop.set())
                for signum in (signal.SIGINT, signal.SIGTERM)
            }
        try:
            runs = 0
            while True:
                try:
                    self.run_once(**options)
                except Exception:
                    # One failed run (database restarting, broker down) must not
                    # end the loop; the next run tries again.
                    logger.exception(self.failure_message)
                runs += 1
                if (iterations and runs >= iterations) or stop.wait(loop):
                    break
                # A long-lived process: between runs, drop connections that
                # outlived their age or broke, as Django does between requests.
                close_old_connections()
        finally:
            for signum, handler in previous_handlers.items():
                signal.signal(signum, handler)
