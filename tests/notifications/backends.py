"""Backends that fail, for the retry tests."""

import smtplib

from django.core.mail.backends.base import BaseEmailBackend

from tillsammans.notifications.sms import BaseSMSBackend, SMSDeliveryError


class RefusingEmailBackend(BaseEmailBackend):
    """Like a mail server that refuses every recipient (and names them, as
    real ones do)."""

    def send_messages(self, email_messages):
        for message in email_messages:
            raise smtplib.SMTPRecipientsRefused(
                dict.fromkeys(message.to, (550, b"5.1.1 Mailbox unavailable"))
            )
        return 0


class FailingSMSBackend(BaseSMSBackend):
    def send(self, to: str, body: str) -> None:
        raise SMSDeliveryError(f"Gateway answered 503 for {to}")
