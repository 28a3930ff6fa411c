"""The weekly cap holds when requests to one address are queued at the same
moment (PostgreSQL, real threads with their own connections)."""

import threading

import pytest
from django.db import connection

from tillsammans.notifications.models import OutboxMessage
from tillsammans.notifications.services import WeeklyCapReached, notification_queue


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("same_key", [False, True])
def test_concurrent_requests_to_one_address_respect_the_cap(same_key):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL")
    threads_count = 8
    barrier = threading.Barrier(threads_count)
    outcomes: list[str] = []
    lock = threading.Lock()

    def queue(number: int) -> None:
        from django.db import connections

        try:
            barrier.wait()
            message = notification_queue(
                channel=OutboxMessage.Channel.SMS,
                address="070-123 45 67",
                body="Kan du hjälpa till på lördag?",
                idempotency_key="same" if same_key else f"request:{number}",
                kind=OutboxMessage.Kind.REQUEST,
                weekly_cap=1,
            )
            outcome = f"queued {message.pk}"
        except WeeklyCapReached:
            outcome = "capped"
        except Exception as error:  # reported by the assertions below
            outcome = f"error {error!r}"
        finally:
            connections.close_all()
        with lock:
            outcomes.append(outcome)

    threads = [threading.Thread(target=queue, args=(n,)) for n in range(threads_count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert not [outcome for outcome in outcomes if outcome.startswith("error")], outcomes
    assert OutboxMessage.objects.count() == 1
    assert len(outcomes) == threads_count
    if same_key:
        # Everyone gets the one message back; nobody is told about the cap.
        assert len(set(outcomes)) == 1
    else:
        assert outcomes.count("capped") == threads_count - 1
