"""Mobile numbers: one spelling per number (E.164), and a masked form for
screens and logs that must not show a whole one.

Used by the outbox (the weekly cap counts by address) and by every form that
asks for a mobile number."""

from __future__ import annotations

import re

# E.164: a plus sign and 8 to 15 digits, the first not zero. (The standard
# allows shorter numbers, but no mobile number that can receive SMS is.)
_E164 = re.compile(r"^\+[1-9]\d{7,14}$")
# Swedish mobile numbers written nationally: 07x followed by seven digits.
_SWEDISH_MOBILE = re.compile(r"^07\d{8}$")
# Separators people type in phone numbers.
_PHONE_SEPARATORS = re.compile(r"[\s\-()./]")


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


def mask_phone(number: str) -> str:
    """``+46701234512`` → ``+4670…12``: country, operator prefix and the last
    two digits."""
    if len(number) < 8:
        return "…"
    return f"{number[:5]}…{number[-2:]}"
