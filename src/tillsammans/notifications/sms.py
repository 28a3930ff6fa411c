"""Sending SMS through a pluggable backend, like Django's e-mail backends.

``settings.SMS_BACKEND`` names the class. The default logs instead of sending,
so development and demo installations never text anyone; a municipality plugs
in its SMS gateway by writing a subclass of ``BaseSMSBackend``.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.conf import settings
from django.utils.module_loading import import_string

from tillsammans.core.phone import mask_phone

logger = logging.getLogger("tillsammans.sms")


class SMSDeliveryError(Exception):
    """The gateway did not accept the message. The outbox retries it later."""


class BaseSMSBackend:
    """Send one SMS. ``to`` is an E.164 number (``+46701234567``), ``body``
    plain text. Return when the gateway has accepted the message; raise
    ``SMSDeliveryError`` (or let a network error through) when it has not."""

    def __init__(self, **options) -> None:
        self.options = options

    def send(self, to: str, body: str) -> None:
        raise NotImplementedError("An SMS backend must implement send().")


class LoggingSMSBackend(BaseSMSBackend):
    """Writes a line to the ``tillsammans.sms`` log instead of sending. The
    number is masked and the text only logged at DEBUG level: logs travel
    further than the people the messages are for."""

    def send(self, to: str, body: str) -> None:
        logger.info(
            "SMS to %s (%d characters) not sent: logging backend.", mask_phone(to), len(body)
        )
        logger.debug("SMS text for %s: %s", mask_phone(to), body)


@dataclass(frozen=True)
class SMSMessage:
    to: str
    body: str


# Messages "sent" by LocmemSMSBackend, for tests (like django.core.mail.outbox).
outbox: list[SMSMessage] = []


class LocmemSMSBackend(BaseSMSBackend):
    """Keeps messages in ``tillsammans.notifications.sms.outbox``. For tests."""

    def send(self, to: str, body: str) -> None:
        outbox.append(SMSMessage(to=to, body=body))


def get_sms_backend() -> BaseSMSBackend:
    """An instance of the backend ``settings.SMS_BACKEND`` names, looked up at
    each call (never at import), so an overridden setting takes effect at once."""
    return import_string(settings.SMS_BACKEND)()
