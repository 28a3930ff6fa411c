"""The outbox: one row for every e-mail and SMS the platform sends.

Services write a row in the same transaction as the change that causes the
message; a task delivers it afterwards. So a message is never lost when SMTP or
the SMS gateway is down: it waits here, is retried with backoff, and ends as
sent, failed (visible to staff) or cancelled.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tillsammans.core.phone import mask_phone
from tillsammans.notifications.addresses import mask_email


class OutboxMessage(models.Model):
    class Channel(models.TextChoices):
        EMAIL = "email", _("e-mail")
        SMS = "sms", _("SMS")

    class Kind(models.TextChoices):
        # Account mail the person asked for (sign-up, password reset, receipts):
        # never held back by the weekly cap.
        TRANSACTIONAL = "transactional", _("transactional")
        # Asking someone for something (can you help?): counts toward the cap.
        REQUEST = "request", _("request")

    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        SENDING = "sending", _("sending")
        SENT = "sent", _("sent")
        RETRYING = "retrying", _("waiting to retry")
        FAILED = "failed", _("failed")
        CANCELLED = "cancelled", _("cancelled")

    # Statuses a delivery task may pick up once next_attempt_at has passed. A
    # message in SENDING whose next_attempt_at has passed was claimed by a
    # worker that died mid-send: it is due again.
    PENDING_STATUSES = (Status.QUEUED, Status.RETRYING, Status.SENDING)

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices)
    recipient_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="outbox_messages",
        verbose_name=_("recipient account"),
    )
    address = models.CharField(
        _("address"),
        max_length=254,
        blank=True,
        help_text=_("E-mail address, or mobile number in international form (+46…)."),
    )
    language = models.CharField(_("language"), max_length=8)
    subject = models.CharField(_("subject"), max_length=255, blank=True)
    body = models.TextField(_("text"), blank=True)
    html_body = models.TextField(_("HTML text"), blank=True)
    kind = models.CharField(
        _("kind"), max_length=16, choices=Kind.choices, default=Kind.TRANSACTIONAL
    )
    idempotency_key = models.CharField(
        _("idempotency key"),
        max_length=200,
        unique=True,
        help_text=_("Queuing a message with a key that exists returns the existing message."),
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(_("delivery attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    last_attempt_at = models.DateTimeField(_("last attempt"), null=True, blank=True)
    last_error = models.CharField(_("last error"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("outgoing message")
        verbose_name_plural = _("outgoing messages")
        ordering = ["-created_at", "-id"]
        indexes = [
            # The delivery sweep: pending messages whose time has come. Partial,
            # so it stays small however many sent messages the table holds.
            models.Index(
                fields=["next_attempt_at"],
                condition=Q(status__in=["queued", "retrying", "sending"]),
                name="outbox_due_idx",
            ),
            # The weekly cap: requests to one address in the last seven days.
            models.Index(
                fields=["address", "created_at"],
                condition=Q(kind="request"),
                name="outbox_cap_idx",
            ),
            # The staff page: failed and retrying messages, newest first.
            models.Index(fields=["status", "-created_at"], name="outbox_status_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(channel="sms") | Q(subject="") & Q(html_body=""),
                name="outbox_sms_plain_text",
                violation_error_message=_("An SMS has neither subject nor HTML text."),
            ),
        ]

    def __str__(self) -> str:
        # No address here: this string ends up in the audit log, which outlives
        # an erased account.
        return f"{self.get_channel_display()} {self.uuid}"

    @property
    def masked_address(self) -> str:
        if not self.address:
            return ""
        if self.channel == self.Channel.SMS:
            return mask_phone(self.address)
        return mask_email(self.address)
