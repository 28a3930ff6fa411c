"""Every write to the outbox: queuing, delivering, retrying, cancelling, erasing.

Other apps queue messages with ``notification_queue`` (or
``notification_queue_templated``) inside their own service's transaction; the
message is written with their change and delivered after it commits.
"""

from __future__ import annotations

import hashlib
import logging
from datetime import datetime, timedelta
from email.utils import parseaddr
from functools import partial
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, connection, transaction
from django.db.models import Case, CharField, F, Q, Value, When
from django.db.models.functions import Cast, Concat
from django.http import HttpRequest
from django.template import Context, TemplateDoesNotExist
from django.template.loader import get_template
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from tillsammans.audit.models import AuditEntry
from tillsammans.audit.services import audit_record
from tillsammans.core.errors import DomainError
from tillsammans.core.phone import mask_phone, normalise_phone
from tillsammans.notifications.addresses import mask_email, normalise_email
from tillsammans.notifications.models import OutboxMessage
from tillsammans.notifications.selectors import messages_of_user, requests_to_address_count
from tillsammans.notifications.sms import get_sms_backend

if TYPE_CHECKING:
    from tillsammans.accounts.models import User

logger = logging.getLogger(__name__)

Channel = OutboxMessage.Channel
Kind = OutboxMessage.Kind
Status = OutboxMessage.Status

# How far back the weekly cap looks.
CAP_WINDOW = timedelta(days=7)
# How long a worker may take to hand a message to the mail server or SMS
# gateway. A message still "sending" after this was claimed by a worker that
# died; it becomes due again (see notification_deliver).
SENDING_LEASE = timedelta(minutes=15)
# Retry delays: 1 min, 2, 4, 8, ... never more than 6 hours.
BACKOFF_FIRST = timedelta(minutes=1)
BACKOFF_MAX = timedelta(hours=6)
# A deferred task may start a little before next_attempt_at when the clocks of
# the node that scheduled it and the node that runs it differ.
CLOCK_TOLERANCE = timedelta(seconds=5)
# The first key of the cap's advisory locks (PostgreSQL): a fixed number of our
# own, so they never meet another app's locks. The bytes spell "tsnc".
_CAP_LOCK_SPACE = int.from_bytes(b"tsnc", "big", signed=True)


class InvalidEmailAddress(DomainError):
    message = _("“%(address)s” is not a valid e-mail address.")
    code = "invalid_email_address"


class InvalidPhoneNumber(DomainError):
    message = _(
        "“%(address)s” is not a mobile number we can send text messages to. "
        "Write it as 070-123 45 67 or, for a number outside Sweden, with the country "
        "code: +46 70 123 45 67."
    )
    code = "invalid_phone_number"


class WeeklyCapReached(DomainError):
    message = _(
        "This person has already received the most requests we send in a week "
        "(%(cap)s). To spare them, the message was not sent; try again in a few days."
    )
    status_code = 429
    code = "weekly_cap_reached"


class MessageNotRetryable(DomainError):
    message = _(
        "Only failed messages and messages waiting to retry can be retried. This one is %(status)s."
    )
    status_code = 409
    code = "message_not_retryable"


class MessageNotCancellable(DomainError):
    message = _("This message can no longer be cancelled: it is %(status)s.")
    status_code = 409
    code = "message_not_cancellable"


def retry_delay(attempts: int) -> timedelta:
    """The wait after the given number of failed attempts: 1 min, 2, 4, ... 6 h."""
    if attempts < 1:
        return timedelta(0)
    # Capping the exponent first keeps 2**n small whatever MAX_ATTEMPTS is.
    return min(BACKOFF_FIRST * 2 ** min(attempts - 1, 20), BACKOFF_MAX)


# --- Queuing -----------------------------------------------------------------


def notification_queue(
    *,
    channel: str,
    address: str,
    body: str,
    idempotency_key: str,
    subject: str = "",
    html_body: str = "",
    kind: str = Kind.TRANSACTIONAL,
    user: User | None = None,
    language: str | None = None,
    weekly_cap: int | None = None,
) -> OutboxMessage:
    """Write a message to the outbox and deliver it once the transaction commits.

    Guarantees:

    - The address is checked and normalised (e-mail in lower case, phone
      numbers in E.164; ``070…`` becomes ``+4670…``). A bad one raises
      ``InvalidEmailAddress`` / ``InvalidPhoneNumber`` and writes nothing.
    - Idempotent: if a message with ``idempotency_key`` exists (even one
      written a moment ago by a concurrent call) it is returned unchanged and
      nothing new is written or sent. Build keys from what makes the message
      unique, e.g. ``f"volunteer-request:{request.uuid}:{volunteer.uuid}"``.
    - Kind ``request`` is capped per address: when the address already has
      ``weekly_cap`` (default ``settings.NOTIFICATIONS_WEEKLY_CAP``) requests in
      the last seven days, not counting cancelled ones, ``WeeklyCapReached`` is
      raised and nothing is written. Concurrent calls cannot overshoot the cap
      (see ``_lock_address``). ``transactional`` messages are never capped.
    - Delivery is enqueued with ``transaction.on_commit``; if enqueuing fails,
      the message stays queued and ``notifications_enqueue_due`` picks it up.

    ``language`` defaults to the recipient's preferred language; it is stored
    for the record, the text must already be written in it (see
    ``notification_queue_templated``).
    """
    if channel not in Channel.values:
        raise ValueError(f"Unknown channel {channel!r}.")
    if kind not in Kind.values:
        raise ValueError(f"Unknown kind of message {kind!r}.")
    if not idempotency_key:
        raise ValueError("Every message needs an idempotency key.")
    if not body.strip():
        raise ValueError("A message needs a text.")
    # Mail headers cannot contain line breaks; templates often end in one.
    subject = " ".join(subject.split())
    if channel == Channel.SMS and (subject or html_body):
        raise ValueError("An SMS has neither subject nor HTML text.")
    address = _normalise_address(channel=channel, address=address)
    language = language or (user.preferred_language if user else "") or settings.LANGUAGE_CODE

    with transaction.atomic():
        if kind == Kind.REQUEST:
            _lock_address(address)
        existing = OutboxMessage.objects.filter(idempotency_key=idempotency_key).first()
        if existing is not None:
            return existing
        if kind == Kind.REQUEST:
            cap = settings.NOTIFICATIONS_WEEKLY_CAP if weekly_cap is None else weekly_cap
            since = timezone.now() - CAP_WINDOW
            if requests_to_address_count(address=address, since=since) >= cap:
                raise WeeklyCapReached(cap=cap)

        now = timezone.now()
        message = OutboxMessage(
            channel=channel,
            recipient_user=user,
            address=address,
            language=language,
            subject=subject,
            body=body,
            html_body=html_body,
            kind=kind,
            idempotency_key=idempotency_key,
            status=Status.QUEUED,
            next_attempt_at=now,
            created_at=now,
        )
        # Field syntax only; the key's uniqueness is the database's job below.
        message.full_clean(
            exclude=["recipient_user"], validate_unique=False, validate_constraints=False
        )
        try:
            # A savepoint, so losing the race for the key leaves the caller's
            # transaction usable.
            with transaction.atomic():
                message.save(force_insert=True)
        except IntegrityError:
            existing = OutboxMessage.objects.filter(idempotency_key=idempotency_key).first()
            if existing is None:
                raise
            return existing
        transaction.on_commit(partial(_schedule, message_id=message.pk), robust=True)
    return message


def notification_queue_templated(
    *,
    channel: str,
    template_prefix: str,
    context: dict[str, Any],
    idempotency_key: str,
    user: User | None = None,
    address: str = "",
    kind: str = Kind.TRANSACTIONAL,
    language: str | None = None,
    weekly_cap: int | None = None,
) -> OutboxMessage:
    """Render a message in the recipient's language and queue it.

    Templates: ``<prefix>_body.txt`` always; for e-mail also
    ``<prefix>_subject.txt`` and, if it exists, ``<prefix>_body.html``. The
    ``.txt`` templates render without HTML escaping (they are plain text). They
    are rendered with the language activated: ``language``, else the
    recipient account's preferred language, else the site default, so the
    message reads in the recipient's language whoever triggered it. The
    context also holds ``site_url`` and ``municipality_name``.

    ``address`` defaults to the account's e-mail address for e-mail; an SMS
    needs a number. Everything else as ``notification_queue``.
    """
    if not address:
        if user is None or channel != Channel.EMAIL:
            raise ValueError("Give an address, or a user to e-mail.")
        address = user.email
    language = language or (user.preferred_language if user else "") or settings.LANGUAGE_CODE
    context = {
        "site_url": settings.SITE_URL,
        "municipality_name": settings.MUNICIPALITY_NAME,
        **context,
    }
    subject = html_body = ""
    with translation.override(language):
        body = _render(f"{template_prefix}_body.txt", context, autoescape=False)
        if channel == Channel.EMAIL:
            subject = _render(f"{template_prefix}_subject.txt", context, autoescape=False)
            try:
                html_body = _render(f"{template_prefix}_body.html", context, autoescape=True)
            except TemplateDoesNotExist:
                html_body = ""
    return notification_queue(
        channel=channel,
        address=address,
        subject=subject,
        body=body,
        html_body=html_body,
        idempotency_key=idempotency_key,
        kind=kind,
        user=user,
        language=language,
        weekly_cap=weekly_cap,
    )


def _render(template_name: str, context: dict[str, Any], *, autoescape: bool) -> str:
    # The Django backend's own Template takes a Context, which is where
    # autoescaping is switched off for plain text ("O'Brien", not "O&#x27;Brien").
    template = get_template(template_name).template
    return template.render(Context(context, autoescape=autoescape)).strip()


def _normalise_address(*, channel: str, address: str) -> str:
    if channel == Channel.EMAIL:
        normalised = normalise_email(address)
        if normalised is None:
            raise InvalidEmailAddress(address=address)
        return normalised
    normalised = normalise_phone(address)
    if normalised is None:
        raise InvalidPhoneNumber(address=address)
    return normalised


def _lock_address(address: str) -> None:
    """Serialise the cap check for one address until the transaction ends.

    Two concurrent calls for the same address must not both count "cap - 1"
    and both insert. A row lock cannot do this: there is no row to lock before
    the first message, and many addresses have no account (SMS numbers,
    people who never signed up), while one account may use several
    addresses. So on PostgreSQL we take a transaction-level advisory lock on a
    hash of the address, in a key space of our own (the two-integer form); the
    second caller waits until the first commits and then, under READ
    COMMITTED, counts the first one's row. A hash collision only makes two
    addresses wait for each other.

    SQLite needs nothing: the project opens every transaction with
    ``BEGIN IMMEDIATE``, so writers are serialised already.
    """
    if connection.vendor != "postgresql":
        return
    digest = hashlib.sha256(address.encode()).digest()
    key = int.from_bytes(digest[:4], "big", signed=True)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_advisory_xact_lock(%s::integer, %s::integer)", [_CAP_LOCK_SPACE, key]
        )


def _schedule(*, message_id: int, run_after: datetime | None = None) -> None:
    # Imported here: tasks imports this module.
    from tillsammans.notifications.tasks import schedule_delivery

    schedule_delivery(message_id=message_id, run_after=run_after)


# --- Delivering --------------------------------------------------------------


def notification_deliver(*, message_id: int, now: datetime | None = None) -> OutboxMessage:
    """Send one message if it is due, and record the outcome.

    Guarantees:

    - Only one worker sends a message at a time. The worker claims it under a
      row lock (``select_for_update``): status ``sending``, one more attempt,
      and a lease of ``SENDING_LEASE`` in ``next_attempt_at``. The claim is
      committed before the mail server or SMS gateway is called, so no row
      lock or transaction is held during network I/O.
    - Nothing is lost. A worker that dies mid-send leaves the message
      ``sending`` with a lease that runs out; it is then due again and
      ``notifications_enqueue_due`` picks it up (at least once: after such a
      crash a message may arrive twice, never not at all).
    - A failure is recorded (attempts, a one-line error with the address
      masked, a warning in the log) and the message waits to retry at
      now + ``retry_delay(attempts)``, or is ``failed`` once it has had
      ``settings.NOTIFICATIONS_MAX_ATTEMPTS`` attempts. Staff see both
      (``messages_needing_attention``). When the task backend can defer, the
      retry is scheduled for ``next_attempt_at``; otherwise the sweep finds it.
    - A message that is sent, cancelled, failed, being sent by another worker
      or not yet due is returned unchanged, so duplicate tasks are harmless.

    Raises ``OutboxMessage.DoesNotExist`` if the message was erased.
    """
    max_attempts = settings.NOTIFICATIONS_MAX_ATTEMPTS
    claimed_at = now or timezone.now()
    with transaction.atomic():
        message = OutboxMessage.objects.select_for_update().get(pk=message_id)
        if not _is_due(message, claimed_at):
            return message
        if message.attempts >= max_attempts:
            # Its last attempt was interrupted (the lease ran out).
            message.status = Status.FAILED
            message.next_attempt_at = None
            message.last_error = "Delivery was interrupted and no attempts are left."
            message.save(update_fields=["status", "next_attempt_at", "last_error"])
            logger.warning("Outbox message %s failed: last attempt interrupted.", message.uuid)
            return message
        message.status = Status.SENDING
        message.attempts += 1
        message.last_attempt_at = claimed_at
        message.next_attempt_at = claimed_at + SENDING_LEASE
        message.save(update_fields=["status", "attempts", "last_attempt_at", "next_attempt_at"])
    claimed_attempt = message.attempts

    error = ""
    try:
        _send(message)
    except Exception as exc:  # Whatever went wrong, the message must survive it.
        error = _describe_error(exc, message)
        logger.warning(
            "Delivery of outbox message %s failed (attempt %d of %d): %s",
            message.uuid,
            claimed_attempt,
            max_attempts,
            error,
        )

    finished_at = now or timezone.now()
    with transaction.atomic():
        message = OutboxMessage.objects.select_for_update().get(pk=message_id)
        if message.status != Status.SENDING or message.attempts != claimed_attempt:
            # Our lease ran out and another worker took the message over, or
            # staff changed it: their record stands.
            logger.warning("Outbox message %s changed while it was being sent.", message.uuid)
            return message
        if not error:
            message.status = Status.SENT
            message.sent_at = finished_at
            message.next_attempt_at = None
        elif message.attempts >= max_attempts:
            message.status = Status.FAILED
            message.next_attempt_at = None
        else:
            message.status = Status.RETRYING
            message.next_attempt_at = finished_at + retry_delay(message.attempts)
        message.last_error = error
        message.save(update_fields=["status", "sent_at", "next_attempt_at", "last_error"])
        if message.status == Status.RETRYING:
            transaction.on_commit(
                partial(_schedule, message_id=message.pk, run_after=message.next_attempt_at),
                robust=True,
            )
    return message


def _is_due(message: OutboxMessage, now: datetime) -> bool:
    if message.status not in OutboxMessage.PENDING_STATUSES or message.next_attempt_at is None:
        return False
    if message.status == Status.SENDING:
        # Another worker holds the lease; no tolerance here, or both would send.
        return message.next_attempt_at <= now
    return message.next_attempt_at <= now + CLOCK_TOLERANCE


def _send(message: OutboxMessage) -> None:
    if message.channel == Channel.SMS:
        get_sms_backend().send(message.address, message.body)
        return
    email = EmailMultiAlternatives(
        subject=message.subject,
        body=message.body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[message.address],
        headers={
            # A stable Message-ID: if a crash makes us send twice, mail clients
            # can recognise the copy.
            "Message-ID": f"<{message.uuid}@{_sender_domain()}>",
            "Content-Language": message.language,
            # RFC 3834: no out-of-office replies to the platform.
            "Auto-Submitted": "auto-generated",
        },
    )
    if message.html_body:
        email.attach_alternative(message.html_body, "text/html")
    email.send(fail_silently=False)


def _sender_domain() -> str:
    return parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or "localhost"


def _describe_error(exc: BaseException, message: OutboxMessage) -> str:
    """One line for staff: the kind of error and what it said, without a stack
    trace and with the address masked (SMTP errors often quote it)."""
    text = " ".join(f"{type(exc).__name__}: {exc}".split())
    if message.address:
        masked = (
            mask_phone(message.address)
            if message.channel == Channel.SMS
            else mask_email(message.address)
        )
        text = text.replace(message.address, masked)
    max_length = OutboxMessage._meta.get_field("last_error").max_length
    return text if len(text) <= max_length else text[: max_length - 1] + "…"


def notifications_enqueue_due(*, now: datetime | None = None, limit: int = 1000) -> int:
    """Enqueue a delivery task for every message that is due: queued or
    waiting to retry with ``next_attempt_at`` passed, and ``sending`` ones whose
    worker died (lease passed). Returns how many were enqueued, oldest first,
    at most ``limit`` per call.

    The safety net for tasks that were lost (a crash between commit and
    enqueue, a flushed queue) and the retry mechanism for task backends that
    cannot defer. Enqueuing a message that also has a task already is
    harmless: ``notification_deliver`` claims each attempt under a lock.
    """
    now = now or timezone.now()
    due = list(
        OutboxMessage.objects.filter(
            status__in=OutboxMessage.PENDING_STATUSES, next_attempt_at__lte=now
        )
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:limit]
    )
    for message_id in due:
        _schedule(message_id=message_id)
    return len(due)


# --- Staff actions -----------------------------------------------------------


def notification_retry(
    *, message_id: int, actor: User, request: HttpRequest | None = None
) -> OutboxMessage:
    """Staff's "retry now" for a failed message or one waiting to retry.

    Under a row lock: the message is queued again with a fresh set of attempts
    (``attempts`` back to 0; the previous count goes to the audit log with the
    last error kept on the message until the next attempt), due now, and a
    delivery task is enqueued after commit. Raises ``MessageNotRetryable`` for
    any other status (a sent message is never sent again this way).
    """
    with transaction.atomic():
        message = OutboxMessage.objects.select_for_update().get(pk=message_id)
        if message.status not in (Status.FAILED, Status.RETRYING):
            raise MessageNotRetryable(status=message.get_status_display())
        previous = {"previous_status": message.status, "previous_attempts": message.attempts}
        message.status = Status.QUEUED
        message.attempts = 0
        message.next_attempt_at = timezone.now()
        message.save(update_fields=["status", "attempts", "next_attempt_at"])
        audit_record(
            actor=actor,
            action=AuditEntry.Action.CHANGE,
            target=message,
            request=request,
            details={"event": "notification_retry", **previous},
        )
        transaction.on_commit(partial(_schedule, message_id=message.pk), robust=True)
    return message


def notification_cancel(
    *, message_id: int, actor: User, request: HttpRequest | None = None
) -> OutboxMessage:
    """Stop a message that has not been sent: queued, waiting to retry or
    failed. Under a row lock, so it cannot race a worker's claim; a message
    being sent right now or already sent raises ``MessageNotCancellable``.
    Audited. Cancelled requests do not count toward the weekly cap."""
    with transaction.atomic():
        message = OutboxMessage.objects.select_for_update().get(pk=message_id)
        if message.status not in (Status.QUEUED, Status.RETRYING, Status.FAILED):
            raise MessageNotCancellable(status=message.get_status_display())
        previous_status = message.status
        message.status = Status.CANCELLED
        message.next_attempt_at = None
        message.save(update_fields=["status", "next_attempt_at"])
        audit_record(
            actor=actor,
            action=AuditEntry.Action.CHANGE,
            target=message,
            request=request,
            details={"event": "notification_cancel", "previous_status": previous_status},
        )
    return message


# --- Personal data -----------------------------------------------------------


def notifications_erase_for_user(*, user: User) -> None:
    """GDPR erasure of the messages to a person (``messages_of_user``).

    Messages not yet sent are deleted, so nothing more goes out to them. Sent
    ones keep channel, kind, status, language and times for statistics, and
    lose everything that identifies the person: the account link, address,
    subject, texts, error and idempotency key (which often embeds ids).
    Runs in the erasure's transaction.
    """
    ids = list(messages_of_user(user).values_list("pk", flat=True))
    OutboxMessage.objects.filter(pk__in=ids).exclude(status=Status.SENT).delete()
    OutboxMessage.objects.filter(pk__in=ids, status=Status.SENT).update(
        recipient_user=None,
        address="",
        subject="",
        body="",
        html_body="",
        last_error="",
        idempotency_key=Concat(Value("erased:"), Cast("pk", output_field=CharField())),
    )


def notifications_erase_for_address(*, address: str, channel: str) -> int:
    """Erase every message to one address (a person without an account who
    leaves, whose messages ``notifications_erase_for_user`` cannot find).

    The address is normalised as when queuing (``070…`` and ``+4670…`` are
    one number, e-mail in lower case). Messages not yet sent (queued, waiting
    to retry, being sent) are cancelled, so nothing more goes out to it;
    every message to it keeps channel, kind, status, language and times for
    statistics, and loses everything that identifies the person: the account
    link, address, subject, texts, error and idempotency key. One UPDATE, so
    a worker's claim or outcome either comes before it (and is overwritten)
    or finds the message cancelled (and leaves it). Returns how many messages
    were erased; an address that is not one can have none, so it gives 0.
    Runs in the caller's transaction.
    """
    if channel not in Channel.values:
        raise ValueError(f"Unknown channel {channel!r}.")
    try:
        address = _normalise_address(channel=channel, address=address or "")
    except (InvalidEmailAddress, InvalidPhoneNumber):
        return 0
    pending = Q(status__in=OutboxMessage.PENDING_STATUSES)
    return OutboxMessage.objects.filter(channel=channel, address=address).update(
        status=Case(When(pending, then=Value(Status.CANCELLED)), default=F("status")),
        next_attempt_at=Case(When(pending, then=Value(None)), default=F("next_attempt_at")),
        recipient_user=None,
        address="",
        subject="",
        body="",
        html_body="",
        last_error="",
        idempotency_key=Concat(Value("erased:"), Cast("pk", output_field=CharField())),
    )
