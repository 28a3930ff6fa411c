"""Recipient addresses: checking, normalising and masking e-mail addresses and
mobile numbers, so the outbox stores one spelling per address (the weekly cap
counts by address) and staff screens and logs never show a whole one."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

# E.164: a plus sign and 8 to 15 digits, the first not zero. (The standard
# allows shorter numbers, but no mobile number that can receive SMS is.)
_E164 = re.compile(r"^\+[1-9]\d{7,14}$")
# Swedish mobile numbers written nationally: 07x followed by seven digits.
_SWEDISH_MOBILE = re.compile(r"^07\d{8}$")
# Separators people type in phone numbers.
_PHONE_SEPARATORS = re.compile(r"[\s\-()./]")


def normalise_email(address: str) -> str | None:
    """The address in lower case, or None if it is not an e-mail address.

    Lower case for the whole address, as the accounts app stores it: local
    parts are case-sensitive in theory, never in the mailboxes people use."""
    address = address.strip().lower()
    try:
        validate_email(address)
    except ValidationError:
        return None
    return address


def normalise_phone(number: str) -> str | None:
    """The number in E.164 form (``+46701234567``), or None if it is not one.

    Accepts spaces, hyphens and brackets, the ``00`` international prefix and
    Swedish mobile numbers written nationally (``070-123 45 67``)."""
    number = _PHONE_SEPARATORS.sub("", number.strip())
    if _SWEDISH_MOBILE.match(number):
        number = "+46" + number[1:]
    elif number.startswith("00"):
        number = "+" + number[2:]
    return number if _E164.match(number) else None


def mask_email(address: str) -> str:
    """``anna@example.se`` → ``a…@example.se``: enough for staff to recognise
    which of a person's addresses it was, not enough to read it."""
    local, at, domain = address.rpartition("@")
    if not at:
        return "…"
    return f"{local[:1]}…@{domain}"


def mask_phone(number: str) -> str:
    """``+46701234512`` → ``+4670…12``: country, operator prefix and the last
    two digits."""
    if len(number) < 8:
        return "…"
    return f"{number[:5]}…{number[-2:]}"
