"""Expire offers whose answer deadline has passed; optionally keep doing so."""

import logging
import signal
import threading

from django.core.management.base import BaseCommand, CommandError
from django.db import close_old_connections

from tillsammans.volunteering.services.offers import offers_expire_due

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = (
        "Offers that were not answered by their deadline expire, and each of their requests "
        "is offered to the next-best volunteer. Idempotent. With --loop, repeat every SECONDS "
        "until stopped (SIGINT or SIGTERM) or --iterations runs are done; --enqueue runs it "
        "once as a background task instead."
    )

    def add_arguments(self, parser):
        parser.add_argument("--loop", type=float, metavar="SECONDS")
        parser.add_argument("--iterations", type=int, default=0)
        parser.add_argument("--enqueue", action="store_true")

    def handle(self, *args, loop=None, iterations=0, enqueue=False, **options):
        if enqueue:
            from tillsammans.volunteering.tasks import expire_offers

            result = expire_offers.enqueue()
            self.stdout.write(f"Enqueued task {result.id}.")
            return
        if loop is None:
            self._run_once()
            return
        if loop < 1:
            raise CommandError("--loop must be at least 1 second.")
        if iterations < 0:
            raise CommandError("--iterations cannot be negative.")
        stop = threading.Event()
        previous = {}
        if threading.current_thread() is threading.main_thread():
            previous = {
                signum: signal.signal(signum, lambda *_: stop.set())
                for signum in (signal.SIGINT, signal.SIGTERM)
            }
        try:
            runs = 0
            while True:
                try:
                    self._run_once()
                except Exception:
                    # One failed run must not end the loop; the next one tries again.
                    logger.exception("Expiring offers failed.")
                runs += 1
                if (iterations and runs >= iterations) or stop.wait(loop):
                    break
                close_old_connections()
        finally:
            for signum, handler in previous.items():
                signal.signal(signum, handler)

    def _run_once(self) -> None:
        count = offers_expire_due()
        self.stdout.write(f"{count} offer(s) expired and passed on.")
