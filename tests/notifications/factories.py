from datetime import timedelta

import factory
from django.utils import timezone

from tillsammans.notifications.models import OutboxMessage


class OutboxMessageFactory(factory.django.DjangoModelFactory):
    """A message in any state, for arranging tests. (The app itself writes
    messages only through the services.)"""

    class Meta:
        model = OutboxMessage

    channel = OutboxMessage.Channel.EMAIL
    address = factory.Sequence(lambda n: f"mottagare{n}@example.se")
    language = "sv"
    subject = "Kan du hjälpa till på lördag?"
    body = "Hej! Föreningen behöver hjälp med att bära bord på lördag."
    kind = OutboxMessage.Kind.TRANSACTIONAL
    idempotency_key = factory.Sequence(lambda n: f"test:{n}")
    status = OutboxMessage.Status.QUEUED
    next_attempt_at = factory.LazyFunction(timezone.now)

    class Params:
        sms = factory.Trait(
            channel=OutboxMessage.Channel.SMS,
            address=factory.Sequence(lambda n: f"+467012{n:05d}"),
            subject="",
        )
        failed = factory.Trait(
            status=OutboxMessage.Status.FAILED,
            attempts=6,
            next_attempt_at=None,
            last_error="SMTPRecipientsRefused: {'a…@example.se': (550, b'5.1.1')}",
        )
        retrying = factory.Trait(
            status=OutboxMessage.Status.RETRYING,
            attempts=2,
            next_attempt_at=factory.LazyFunction(lambda: timezone.now() + timedelta(minutes=2)),
            last_error="SMTPServerDisconnected: Connection unexpectedly closed",
        )
        sent = factory.Trait(
            status=OutboxMessage.Status.SENT,
            attempts=1,
            next_attempt_at=None,
            sent_at=factory.LazyFunction(timezone.now),
        )
