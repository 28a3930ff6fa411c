"""Queuing: addresses, idempotency, the weekly cap, languages."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from tests.factories import UserFactory
from tests.notifications.factories import OutboxMessageFactory
from tillsammans.notifications import sms
from tillsammans.notifications.models import OutboxMessage
from tillsammans.notifications.services import (
    InvalidEmailAddress,
    InvalidPhoneNumber,
    WeeklyCapReached,
    notification_queue,
    notification_queue_templated,
)

pytestmark = pytest.mark.django_db

Channel = OutboxMessage.Channel
Kind = OutboxMessage.Kind
Status = OutboxMessage.Status


def queue_request(address="omar@example.se", key="request:1", **kwargs):
    return notification_queue(
        channel=kwargs.pop("channel", Channel.EMAIL),
        address=address,
        subject=kwargs.pop("subject", "Kan du hjälpa till?"),
        body="Föreningen behöver hjälp på lördag.",
        idempotency_key=key,
        kind=Kind.REQUEST,
        **kwargs,
    )


def test_an_email_is_queued_and_delivered_after_commit(django_capture_on_commit_callbacks):
    anna = UserFactory(email="anna@example.se", preferred_language="en", verified=True)
    with django_capture_on_commit_callbacks(execute=True):
        message = notification_queue(
            channel=Channel.EMAIL,
            address="Anna@Example.se",
            subject="Your application\nwas received ",
            body="Thank you, we will answer within two weeks.",
            html_body="<p>Thank you, we will answer within two weeks.</p>",
            idempotency_key="application-received:1",
            user=anna,
        )
        assert mail.outbox == [], "nothing is sent before the transaction commits"

    message.refresh_from_db()
    assert message.status == Status.SENT
    assert message.attempts == 1
    assert message.sent_at is not None
    assert message.next_attempt_at is None
    assert message.language == "en"
    assert message.address == "anna@example.se"
    [email] = mail.outbox
    assert email.to == ["anna@example.se"]
    assert email.subject == "Your application was received"
    assert email.body == "Thank you, we will answer within two weeks."
    assert email.alternatives[0][1] == "text/html"
    assert email.extra_headers["Auto-Submitted"] == "auto-generated"
    assert email.extra_headers["Message-ID"] == f"<{message.uuid}@localhost>"


def test_an_sms_is_queued_and_delivered_through_the_sms_backend(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        message = notification_queue(
            channel=Channel.SMS,
            address="070-123 45 67",
            body="Hej Omar! Kan du hjälpa till på lördag? Svara på tillsammans.ekero.se",
            idempotency_key="sms:1",
        )
    message.refresh_from_db()
    assert message.status == Status.SENT
    assert message.address == "+46701234567"
    assert sms.outbox == [
        sms.SMSMessage(
            to="+46701234567",
            body="Hej Omar! Kan du hjälpa till på lördag? Svara på tillsammans.ekero.se",
        )
    ]
    assert mail.outbox == []


def test_the_same_idempotency_key_gives_the_same_message(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = queue_request(key="volunteer-request:42:omar")
        second = queue_request(key="volunteer-request:42:omar", subject="Another subject")
    assert first.pk == second.pk
    assert second.subject == "Kan du hjälpa till?"
    assert OutboxMessage.objects.count() == 1
    assert len(mail.outbox) == 1


def test_requests_are_capped_per_address_and_week(settings):
    settings.NOTIFICATIONS_WEEKLY_CAP = 2
    queue_request(key="r1")
    queue_request(key="r2")
    with pytest.raises(WeeklyCapReached) as refused:
        queue_request(key="r3")
    assert "(2)" in str(refused.value)
    assert refused.value.status_code == 429
    assert not OutboxMessage.objects.filter(idempotency_key="r3").exists()
    # Another address has its own count.
    queue_request(address="ingrid@example.se", key="r4")


def test_a_repeated_key_is_answered_even_when_the_cap_is_reached(settings):
    settings.NOTIFICATIONS_WEEKLY_CAP = 1
    first = queue_request(key="r1")
    assert queue_request(key="r1") == first


def test_transactional_messages_are_never_capped(settings):
    settings.NOTIFICATIONS_WEEKLY_CAP = 1
    queue_request(key="r1")
    for number in range(3):
        notification_queue(
            channel=Channel.EMAIL,
            address="omar@example.se",
            subject="Återställ ditt lösenord",
            body="Klicka på länken.",
            idempotency_key=f"password-reset:{number}",
        )
    assert OutboxMessage.objects.count() == 4


def test_only_the_last_seven_days_and_not_cancelled_requests_count(settings):
    settings.NOTIFICATIONS_WEEKLY_CAP = 1
    now = timezone.now()
    OutboxMessageFactory(
        address="omar@example.se",
        kind=Kind.REQUEST,
        status=Status.SENT,
        created_at=now - timedelta(days=7, minutes=1),
    )
    OutboxMessageFactory(address="omar@example.se", kind=Kind.REQUEST, status=Status.CANCELLED)
    queue_request(key="r1")
    with pytest.raises(WeeklyCapReached):
        queue_request(key="r2")


def test_the_cap_can_be_set_per_call(settings):
    settings.NOTIFICATIONS_WEEKLY_CAP = 10
    queue_request(key="r1", weekly_cap=1)
    with pytest.raises(WeeklyCapReached):
        queue_request(key="r2", weekly_cap=1)
    queue_request(key="r3")  # the setting still allows ten
    with pytest.raises(WeeklyCapReached):
        queue_request(address="ingrid@example.se", key="r4", weekly_cap=0)


def test_the_cap_counts_a_phone_number_however_it_was_written(settings):
    settings.NOTIFICATIONS_WEEKLY_CAP = 1
    queue_request(channel=Channel.SMS, subject="", address="070-123 45 67", key="r1")
    with pytest.raises(WeeklyCapReached):
        queue_request(channel=Channel.SMS, subject="", address="+46701234567", key="r2")


@pytest.mark.parametrize(
    ("channel", "address", "error", "text"),
    [
        (
            Channel.EMAIL,
            "omar(at)example.se",
            InvalidEmailAddress,
            "är inte en giltig e-postadress",
        ),
        (Channel.EMAIL, "", InvalidEmailAddress, "är inte en giltig e-postadress"),
        (Channel.SMS, "08-123 456 78", InvalidPhoneNumber, "är inte ett mobilnummer"),
        (Channel.SMS, "omar@example.se", InvalidPhoneNumber, "är inte ett mobilnummer"),
    ],
)
def test_bad_addresses_are_refused_and_nothing_is_written(
    channel, address, error, text, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks, pytest.raises(error) as refused:
        notification_queue(
            channel=channel,
            address=address,
            body="Hej!",
            idempotency_key="bad-address",
        )
    assert text in str(refused.value)
    assert f"”{address}”" in str(refused.value)
    assert not OutboxMessage.objects.exists()
    assert callbacks == []


def test_programming_errors_are_not_passed_off_as_user_errors():
    with pytest.raises(ValueError, match="neither subject"):
        notification_queue(
            channel=Channel.SMS,
            address="0701234567",
            subject="Hej",
            body="Hej",
            idempotency_key="k",
        )
    with pytest.raises(ValueError, match="idempotency key"):
        notification_queue(
            channel=Channel.EMAIL, address="a@example.se", body="Hej", idempotency_key=""
        )
    assert not OutboxMessage.objects.exists()


@pytest.fixture
def message_templates(settings, tmp_path):
    folder = tmp_path / "notifications" / "test"
    folder.mkdir(parents=True)
    (folder / "welcome_subject.txt").write_text(
        '{% load i18n %}{% translate "Monday" %}, {{ name }}\n'
    )
    (folder / "welcome_body.txt").write_text(
        '{% load i18n %}{% translate "Monday" %}, {{ name }}! {{ site_url }}\n'
    )
    (folder / "welcome_body.html").write_text("<p>{{ name }}</p>\n")
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}
    ]


@pytest.mark.usefixtures("message_templates")
@pytest.mark.parametrize(("language", "greeting"), [("sv", "måndag"), ("en", "Monday")])
def test_templated_messages_are_written_in_the_recipients_language(language, greeting):
    # (Django's own catalogue translates "Monday"; the text around it is ours.)
    omar = UserFactory(email="omar@example.se", preferred_language=language, verified=True)
    message = notification_queue_templated(
        channel=Channel.EMAIL,
        template_prefix="notifications/test/welcome",
        context={"name": "Omar O'Brien <3"},
        idempotency_key="welcome:omar",
        user=omar,
    )
    assert message.language == language
    assert message.address == "omar@example.se"
    assert message.subject == f"{greeting}, Omar O'Brien <3"
    assert message.body == f"{greeting}, Omar O'Brien <3! http://127.0.0.1:8000"
    assert message.html_body == "<p>Omar O&#x27;Brien &lt;3</p>"


@pytest.mark.usefixtures("message_templates")
def test_a_templated_sms_has_only_a_body():
    message = notification_queue_templated(
        channel=Channel.SMS,
        template_prefix="notifications/test/welcome",
        context={"name": "Omar"},
        idempotency_key="welcome-sms:omar",
        address="0701234567",
        language="en",
    )
    assert (message.subject, message.html_body) == ("", "")
    assert message.body == "Monday, Omar! http://127.0.0.1:8000"
