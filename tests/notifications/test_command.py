from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from tests.notifications.factories import OutboxMessageFactory
from tillsammans.notifications.models import OutboxMessage

pytestmark = pytest.mark.django_db


def deliver_outbox(*args):
    out = StringIO()
    call_command("deliver_outbox", *args, stdout=out)
    return out.getvalue()


def test_the_command_enqueues_due_messages_and_says_how_many():
    due = OutboxMessageFactory(next_attempt_at=timezone.now() - timedelta(minutes=1))
    OutboxMessageFactory(retrying=True)  # not yet due
    assert deliver_outbox() == "Enqueued 1 due outbox message(s) for delivery.\n"
    due.refresh_from_db()
    assert due.status == OutboxMessage.Status.SENT


def test_the_loop_is_bounded():
    assert deliver_outbox("--loop", "60", "--iterations", "1").count("Enqueued 0") == 1


def test_the_loop_refuses_a_busy_wait():
    with pytest.raises(CommandError, match="at least 1 second"):
        deliver_outbox("--loop", "0")
