"""Recipient addresses: checking, normalising and masking e-mail addresses and
mobile numbers, so the outbox stores one spelling per address (the weekly cap
counts by address) and staff screens and logs never show a whole one."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

# Phone numbers live in core (every form that asks for one uses them); the
# outbox and older callers import them from here too.
from tillsammans.core.phone import mask_phone, normalise_phone

__all__ = ["mask_email", "mask_phone", "normalise_email", "normalise_phone"]


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


def mask_email(address: str) -> str:
    """``anna@example.se`` → ``a…@example.se``: enough for staff to recognise
    which of a person's addresses it was, not enough to read it."""
    local, at, domain = address.rpartition("@")
    if not at:
        return "…"
    return f"{local[:1]}…@{domain}"
