"""Export and erasure of the messages sent to a person."""

import json

import pytest
from allauth.account.models import EmailAddress
from django.core.serializers.json import DjangoJSONEncoder

from tests.factories import UserFactory
from tests.notifications.factories import OutboxMessageFactory
from tillsammans.core.personal_data import providers
from tillsammans.notifications.models import OutboxMessage

pytestmark = pytest.mark.django_db

Status = OutboxMessage.Status


@pytest.fixture
def provider():
    [notifications] = [p for p in providers() if p.key == "notifications"]
    return notifications


@pytest.fixture
def omar():
    omar = UserFactory(email="omar@example.se", verified=True)
    EmailAddress.objects.create(user=omar, email="omar.privat@example.se", verified=True)
    EmailAddress.objects.create(user=omar, email="not-yet-mine@example.se", verified=False)
    return omar


@pytest.fixture
def messages(omar):
    return {
        "sent_sms": OutboxMessageFactory(sms=True, recipient_user=omar, sent=True),
        "queued": OutboxMessageFactory(recipient_user=omar, address="omar@example.se"),
        "failed": OutboxMessageFactory(recipient_user=omar, address="omar@example.se", failed=True),
        "before_the_account": OutboxMessageFactory(address="omar.privat@example.se", sent=True),
        "unverified": OutboxMessageFactory(address="not-yet-mine@example.se", sent=True),
        "ingrid": OutboxMessageFactory(address="ingrid@example.se", sent=True),
    }


def test_export_lists_the_persons_messages_and_nobody_elses(provider, omar, messages):
    exported = provider.export(omar)
    assert {row["id"] for row in exported} == {
        str(messages[name].uuid) for name in ("sent_sms", "queued", "failed", "before_the_account")
    }
    row = next(row for row in exported if row["id"] == str(messages["sent_sms"].uuid))
    assert row["channel"] == "sms"
    assert row["address"] == messages["sent_sms"].address
    assert row["status"] == "sent"
    assert row["sent"] is not None
    assert set(row) == {
        "id",
        "channel",
        "address",
        "subject",
        "kind",
        "language",
        "status",
        "created",
        "sent",
    }
    json.dumps(exported, cls=DjangoJSONEncoder)


def test_erasure_deletes_unsent_messages_and_anonymises_sent_ones(provider, omar, messages):
    provider.erase(omar)

    for name in ("queued", "failed"):
        assert not OutboxMessage.objects.filter(pk=messages[name].pk).exists()
    for name in ("sent_sms", "before_the_account"):
        message = OutboxMessage.objects.get(pk=messages[name].pk)
        assert message.recipient_user is None
        assert (message.address, message.subject, message.body, message.html_body) == (
            "",
            "",
            "",
            "",
        )
        assert message.idempotency_key == f"erased:{message.pk}"
        # What is left is statistics.
        assert message.status == Status.SENT
        assert message.sent_at is not None
        assert message.channel == messages[name].channel
    # Other people's messages are untouched.
    for name in ("unverified", "ingrid"):
        message = OutboxMessage.objects.get(pk=messages[name].pk)
        assert message.address == messages[name].address
    assert provider.export(omar) == []
