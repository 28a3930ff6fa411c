"""Background delivery of outbox messages (Django tasks API)."""

from __future__ import annotations

import logging
from datetime import datetime

from django_tasks import task

from tillsammans.notifications.models import OutboxMessage
from tillsammans.notifications.services import notification_deliver

logger = logging.getLogger(__name__)


@task()
def deliver_message(message_id: int) -> str:
    """Deliver one outbox message and return its status afterwards.

    When the attempt fails and the message waits to retry, the service
    schedules the next run of this task (``schedule_delivery`` with
    ``run_after``) once its transaction commits. Only the run that made the
    attempt does so, which keeps one task per message however many duplicate
    tasks were queued.
    """
    try:
        message = notification_deliver(message_id=message_id)
    except OutboxMessage.DoesNotExist:
        logger.info("Outbox message %s no longer exists (erased); nothing to deliver.", message_id)
        return "missing"
    return message.status


def schedule_delivery(*, message_id: int, run_after: datetime | None = None) -> bool:
    """Enqueue ``deliver_message`` now, or for ``run_after``.

    A deferred run needs a backend that supports it (the database backend
    does). Without that, nothing is enqueued and False returned: the message
    keeps its ``next_attempt_at`` and the ``deliver_outbox`` sweep enqueues it
    when it is due. (Running it at once instead would skip it as not due, and
    with the immediate backend would recurse.)
    """
    deliver = deliver_message
    if run_after is not None:
        if not deliver.get_backend().supports_defer:
            return False
        deliver = deliver.using(run_after=run_after)
    deliver.enqueue(message_id=message_id)
    return True
