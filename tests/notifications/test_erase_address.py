"""Erasing the messages to one address (a person without an account who leaves)."""

from datetime import timedelta

import pytest
from django.core import mail
from django.db.models import Q
from django.utils import timezone

from tests.factories import UserFactory
from tests.notifications.factories import OutboxMessageFactory
from tillsammans.notifications import sms
from tillsammans.notifications.models import OutboxMessage
from tillsammans.notifications.services import (
    notification_deliver,
    notification_queue,
    notifications_erase_for_address,
)

pytestmark = pytest.mark.django_db

Status = OutboxMessage.Status
NUMBER = "+46701234567"
EMAIL = "omar@example.se"


def traces_of(*needles: str) -> list[OutboxMessage]:
    """Messages that still hold any of the needles anywhere a person could be named."""
    query = Q(pk__in=[])
    for needle in needles:
        for field in ("address", "subject", "body", "html_body", "last_error", "idempotency_key"):
            query |= Q(**{f"{field}__icontains": needle})
    return list(OutboxMessage.objects.filter(query))


@pytest.fixture
def omars_texts():
    """One SMS to Omar's number in every status, each naming him."""
    common = {"address": NUMBER, "body": "Hej Omar! Kan du handla åt Ingrid?"}
    return {
        "queued": OutboxMessageFactory(sms=True, **common),
        "retrying": OutboxMessageFactory(sms=True, retrying=True, **common),
        "sending": OutboxMessageFactory(
            sms=True,
            status=Status.SENDING,
            attempts=1,
            next_attempt_at=timezone.now() + timedelta(minutes=15),
            **common,
        ),
        "sent": OutboxMessageFactory(sms=True, sent=True, **common),
        "failed": OutboxMessageFactory(sms=True, failed=True, **common),
        "cancelled": OutboxMessageFactory(
            sms=True, status=Status.CANCELLED, next_attempt_at=None, **common
        ),
    }


def test_every_message_to_the_number_loses_what_names_the_person(omars_texts):
    # Written as people type it; the outbox holds it in E.164.
    erased = notifications_erase_for_address(address="070-123 45 67", channel="sms")

    assert erased == len(omars_texts)
    for name, original in omars_texts.items():
        message = OutboxMessage.objects.get(pk=original.pk)
        assert (message.address, message.subject, message.body, message.html_body) == (
            "",
            "",
            "",
            "",
        ), name
        assert message.last_error == "" and message.recipient_user is None, name
        assert message.idempotency_key == f"erased:{message.pk}", name
        assert message.channel == "sms" and message.language == "sv", name
    assert traces_of(NUMBER, "Omar") == []


def test_messages_not_yet_sent_are_cancelled_and_the_rest_keep_their_status(omars_texts):
    notifications_erase_for_address(address=NUMBER, channel="sms")

    statuses = {
        name: OutboxMessage.objects.get(pk=message.pk).status
        for name, message in omars_texts.items()
    }
    assert statuses == {
        "queued": Status.CANCELLED,
        "retrying": Status.CANCELLED,
        "sending": Status.CANCELLED,
        "sent": Status.SENT,
        "failed": Status.FAILED,
        "cancelled": Status.CANCELLED,
    }
    for name in ("queued", "retrying", "sending"):
        assert OutboxMessage.objects.get(pk=omars_texts[name].pk).next_attempt_at is None
    sent = OutboxMessage.objects.get(pk=omars_texts["sent"].pk)
    assert sent.sent_at == omars_texts["sent"].sent_at


def test_a_cancelled_message_is_never_delivered(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks():  # no delivery task runs yet
        message = notification_queue(
            channel="email",
            address=EMAIL,
            subject="Bekräfta",
            body="Hej Omar, öppna länken.",
            idempotency_key="volunteer-link:test",
        )

    notifications_erase_for_address(address="Omar@Example.se", channel="email")
    delivered = notification_deliver(message_id=message.pk)

    assert delivered.status == Status.CANCELLED and delivered.attempts == 0
    assert mail.outbox == [] and sms.outbox == []


def test_the_account_link_goes_too():
    omar = UserFactory(email=EMAIL)
    message = OutboxMessageFactory(address=EMAIL, recipient_user=omar, sent=True)

    assert notifications_erase_for_address(address=EMAIL, channel="email") == 1

    message.refresh_from_db()
    assert message.recipient_user is None and message.address == ""


def test_other_addresses_and_the_other_channel_are_left_alone(omars_texts):
    ingrid_sms = OutboxMessageFactory(sms=True, address="+46709876543", sent=True)
    omar_mail = OutboxMessageFactory(address=EMAIL, sent=True)
    untouched = {
        message.pk: (message.address, message.body, message.status, message.idempotency_key)
        for message in (ingrid_sms, omar_mail)
    }

    notifications_erase_for_address(address=NUMBER, channel="sms")

    for message in OutboxMessage.objects.filter(pk__in=untouched):
        assert (
            message.address,
            message.body,
            message.status,
            message.idempotency_key,
        ) == untouched[message.pk]


@pytest.mark.parametrize(
    ("address", "channel"),
    [
        ("", "sms"),
        ("not a number", "sms"),
        ("07", "sms"),
        ("", "email"),
        ("omar at example", "email"),
        (NUMBER, "email"),  # a number is no e-mail address
    ],
)
def test_something_that_is_no_address_erases_nothing(omars_texts, address, channel):
    before = list(OutboxMessage.objects.order_by("pk").values())

    assert notifications_erase_for_address(address=address, channel=channel) == 0

    assert list(OutboxMessage.objects.order_by("pk").values()) == before


def test_an_unknown_channel_is_a_programming_error(omars_texts):
    before = list(OutboxMessage.objects.order_by("pk").values())

    with pytest.raises(ValueError, match="Unknown channel"):
        notifications_erase_for_address(address=NUMBER, channel="fax")

    assert list(OutboxMessage.objects.order_by("pk").values()) == before


def test_erasing_again_finds_nothing(omars_texts):
    assert notifications_erase_for_address(address=NUMBER, channel="sms") == len(omars_texts)
    assert notifications_erase_for_address(address=NUMBER, channel="sms") == 0
