"""Delivery: retries with backoff, failure after the last attempt, crashed
workers, staff's retry and cancel, the sweep."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from tests.factories import StaffMembershipFactory
from tests.notifications.factories import OutboxMessageFactory
from tillsammans.audit.models import AuditEntry
from tillsammans.notifications import sms
from tillsammans.notifications.models import OutboxMessage
from tillsammans.notifications.services import (
    SENDING_LEASE,
    MessageNotCancellable,
    MessageNotRetryable,
    notification_cancel,
    notification_deliver,
    notification_queue,
    notification_retry,
    notifications_enqueue_due,
    retry_delay,
)
from tillsammans.notifications.tasks import deliver_message

pytestmark = pytest.mark.django_db

Channel = OutboxMessage.Channel
Status = OutboxMessage.Status


@pytest.fixture
def anna():
    """Anna, a coordinator who watches the outbox."""
    return StaffMembershipFactory(user__email="anna@kommun.example.se").user


def test_backoff_doubles_from_one_minute_to_at_most_six_hours():
    assert [retry_delay(n) for n in range(1, 6)] == [timedelta(minutes=m) for m in (1, 2, 4, 8, 16)]
    assert retry_delay(9) == timedelta(minutes=256)
    assert retry_delay(10) == timedelta(hours=6)
    assert retry_delay(1000) == timedelta(hours=6)


@pytest.mark.usefixtures("failing_email")
def test_a_failed_delivery_waits_to_retry_then_fails_after_the_last_attempt(settings):
    settings.NOTIFICATIONS_MAX_ATTEMPTS = 3
    message = OutboxMessageFactory(address="omar@example.se")
    start = timezone.now()

    for attempt in (1, 2):
        now = start + timedelta(hours=attempt)
        message = notification_deliver(message_id=message.pk, now=now)
        assert message.status == Status.RETRYING
        assert message.attempts == attempt
        assert message.next_attempt_at == now + retry_delay(attempt)
        assert message.sent_at is None
        # Not due yet: a second task for it does nothing.
        assert notification_deliver(message_id=message.pk, now=now).attempts == attempt

    message = notification_deliver(message_id=message.pk, now=start + timedelta(hours=3))
    message.refresh_from_db()
    assert message.status == Status.FAILED
    assert message.attempts == 3
    assert message.next_attempt_at is None
    # One line, what went wrong, and the address masked.
    assert message.last_error.startswith("SMTPRecipientsRefused: {'o…@example.se': (550")
    assert "omar@" not in message.last_error
    assert "\n" not in message.last_error
    # Failed is final until staff retry it.
    assert notification_deliver(message_id=message.pk, now=start + timedelta(days=1)).attempts == 3


def test_a_failing_sms_gateway_is_logged_and_retried(failing_sms, caplog):
    message = OutboxMessageFactory(sms=True, address="+46701234512")
    message = notification_deliver(message_id=message.pk)
    assert message.status == Status.RETRYING
    assert message.last_error == "SMSDeliveryError: Gateway answered 503 for +4670…12"
    assert "failed (attempt 1 of 6)" in caplog.text
    assert "+46701234512" not in caplog.text


def test_a_retry_is_deferred_when_the_task_backend_can_defer(
    failing_email, dummy_tasks, django_capture_on_commit_callbacks
):
    message = OutboxMessageFactory()
    with django_capture_on_commit_callbacks(execute=True):
        message = notification_deliver(message_id=message.pk)
    [scheduled] = dummy_tasks.results
    assert scheduled.task.func is deliver_message.func
    assert scheduled.kwargs == {"message_id": message.pk}
    assert scheduled.task.run_after == message.next_attempt_at


def test_with_the_immediate_backend_a_retry_is_left_to_the_sweep(
    failing_email, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        message = notification_queue(
            channel=Channel.EMAIL, address="omar@example.se", body="Hej", idempotency_key="k"
        )
    message.refresh_from_db()
    # One attempt, not a recursion of immediate retries.
    assert (message.status, message.attempts) == (Status.RETRYING, 1)


def test_a_message_being_sent_by_another_worker_is_left_alone():
    message = OutboxMessageFactory(
        status=Status.SENDING, attempts=1, next_attempt_at=timezone.now() + SENDING_LEASE
    )
    assert notification_deliver(message_id=message.pk).status == Status.SENDING
    assert mail.outbox == []


def test_a_message_whose_worker_died_is_sent_again():
    message = OutboxMessageFactory(
        status=Status.SENDING, attempts=1, next_attempt_at=timezone.now() - timedelta(seconds=1)
    )
    assert notifications_enqueue_due() == 1
    message.refresh_from_db()
    assert (message.status, message.attempts) == (Status.SENT, 2)
    assert len(mail.outbox) == 1


def test_a_message_whose_last_attempt_was_interrupted_fails(settings):
    settings.NOTIFICATIONS_MAX_ATTEMPTS = 2
    message = OutboxMessageFactory(
        status=Status.SENDING, attempts=2, next_attempt_at=timezone.now() - timedelta(seconds=1)
    )
    message = notification_deliver(message_id=message.pk)
    assert message.status == Status.FAILED
    assert "interrupted" in message.last_error
    assert mail.outbox == []


def test_sent_and_cancelled_messages_are_never_sent_again():
    for status in (Status.SENT, Status.CANCELLED):
        message = OutboxMessageFactory(status=status, next_attempt_at=timezone.now())
        assert notification_deliver(message_id=message.pk).status == status
    assert mail.outbox == []


def test_an_erased_message_is_skipped_by_the_task():
    message = OutboxMessageFactory()
    message_id = message.pk
    message.delete()
    assert deliver_message.call(message_id=message_id) == "missing"


def test_the_sweep_enqueues_exactly_the_due_messages(dummy_tasks):
    now = timezone.now()
    due = [
        OutboxMessageFactory(next_attempt_at=now - timedelta(minutes=5)),
        OutboxMessageFactory(retrying=True, next_attempt_at=now),
        OutboxMessageFactory(status=Status.SENDING, next_attempt_at=now - timedelta(minutes=1)),
    ]
    OutboxMessageFactory(retrying=True, next_attempt_at=now + timedelta(minutes=1))
    OutboxMessageFactory(status=Status.SENDING, next_attempt_at=now + timedelta(minutes=10))
    OutboxMessageFactory(failed=True)
    OutboxMessageFactory(sent=True)
    OutboxMessageFactory(status=Status.CANCELLED, next_attempt_at=None)

    assert notifications_enqueue_due(now=now) == 3
    enqueued = [result.kwargs["message_id"] for result in dummy_tasks.results]
    # Oldest first.
    assert enqueued == [due[0].pk, due[2].pk, due[1].pk]
    assert all(result.task.run_after is None for result in dummy_tasks.results)
    assert notifications_enqueue_due(now=now, limit=1) == 1


def test_queuing_enqueues_one_task_after_commit(dummy_tasks, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        message = notification_queue(
            channel=Channel.SMS, address="0701234567", body="Hej", idempotency_key="k"
        )
        assert dummy_tasks.results == []
        notification_queue(
            channel=Channel.SMS, address="0701234567", body="Hej", idempotency_key="k"
        )
    assert [result.kwargs for result in dummy_tasks.results] == [{"message_id": message.pk}]
    assert sms.outbox == []


@pytest.mark.parametrize("trait", ["failed", "retrying"])
def test_staff_can_retry_a_message_now(trait, anna, django_capture_on_commit_callbacks):
    message = OutboxMessageFactory(**{trait: True})
    with django_capture_on_commit_callbacks(execute=True):
        notification_retry(message_id=message.pk, actor=anna)
    message.refresh_from_db()
    assert message.status == Status.SENT
    assert message.attempts == 1, "a retry starts a fresh set of attempts"
    assert len(mail.outbox) == 1
    entry = AuditEntry.objects.get(target_id=str(message.uuid))
    assert entry.actor == anna
    assert entry.details["event"] == "notification_retry"
    assert entry.details["previous_status"] == trait
    assert "@" not in entry.target_label


def test_retry_resets_the_message_to_queued(anna, dummy_tasks, django_capture_on_commit_callbacks):
    message = OutboxMessageFactory(failed=True)
    with django_capture_on_commit_callbacks(execute=True):
        message = notification_retry(message_id=message.pk, actor=anna)
    assert (message.status, message.attempts) == (Status.QUEUED, 0)
    assert message.next_attempt_at <= timezone.now()
    assert [result.kwargs for result in dummy_tasks.results] == [{"message_id": message.pk}]


@pytest.mark.parametrize("status", [Status.QUEUED, Status.SENDING, Status.SENT, Status.CANCELLED])
def test_only_failed_and_retrying_messages_can_be_retried(status, anna):
    message = OutboxMessageFactory(status=status)
    with pytest.raises(MessageNotRetryable, match="Bara meddelanden som har misslyckats"):
        notification_retry(message_id=message.pk, actor=anna)
    message.refresh_from_db()
    assert message.status == status
    assert not AuditEntry.objects.exists()


def test_staff_can_cancel_an_unsent_message(anna):
    message = OutboxMessageFactory(retrying=True)
    message = notification_cancel(message_id=message.pk, actor=anna)
    assert message.status == Status.CANCELLED
    assert notifications_enqueue_due(now=timezone.now() + timedelta(days=1)) == 0
    assert AuditEntry.objects.get().details["event"] == "notification_cancel"
    for status in (Status.SENT, Status.SENDING):
        with pytest.raises(MessageNotCancellable):
            notification_cancel(message_id=OutboxMessageFactory(status=status).pk, actor=anna)


def test_the_database_task_backend_gets_the_delivery_and_the_deferred_retry(
    settings, failing_email, django_capture_on_commit_callbacks
):
    """The production default (django-tasks-db): the task is stored, and a
    failed attempt stores the next one with run_after."""
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    with django_capture_on_commit_callbacks(execute=True):
        message = notification_queue(
            channel=Channel.EMAIL, address="omar@example.se", body="Hej", idempotency_key="k"
        )
    [stored] = DBTaskResult.objects.all()
    assert stored.task_path == "tillsammans.notifications.tasks.deliver_message"
    assert stored.args_kwargs == {"args": [], "kwargs": {"message_id": message.pk}}

    with django_capture_on_commit_callbacks(execute=True):
        message = notification_deliver(message_id=message.pk)
    retry = DBTaskResult.objects.exclude(pk=stored.pk).get()
    assert retry.run_after == message.next_attempt_at
