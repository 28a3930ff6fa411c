"""Swedish identifiers: organisationsnummer, bankgiro and plusgiro.

Each failure has its own message so a person knows what to fix. Values are
stored normalised (digits only) and shown formatted.
"""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum import luhn
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.se import orgnr

SEPARATORS = re.compile(r"[\s\-]")


def _digits(value: str) -> str:
    return SEPARATORS.sub("", value or "")


def normalise_organisation_number(value: str) -> str:
    """Validate an organisationsnummer and return its ten digits.

    stdnum checks length and the Luhn digit; we also require the third digit
    to be 2 or more (the "month" group is 20 or higher), which tells an
    organisationsnummer from a personnummer."""
    digits = _digits(value)
    if digits.startswith("16") and len(digits) == 12:
        digits = digits[2:]  # The "16" century prefix some registers use.
    if not digits.isdigit():
        raise ValidationError(
            _("An organisation number has only digits, e.g. 802000-0000."), code="not_digits"
        )
    if len(digits) == 12 and digits[:2] in {"19", "20"}:
        raise ValidationError(
            _("This looks like a personal identity number, not an organisation number."),
            code="personal_number",
        )
    if len(digits) != 10:
        raise ValidationError(
            _("An organisation number has ten digits (you wrote %(count)d)."),
            code="length",
            params={"count": len(digits)},
        )
    if int(digits[2]) < 2:
        raise ValidationError(
            _(
                "This looks like a personal identity number, not an organisation number "
                "(the third digit of an organisation number is 2 or higher)."
            ),
            code="personal_number",
        )
    try:
        orgnr.validate(digits)
    except StdnumError:
        raise ValidationError(
            _(
                "The organisation number is not correct: its last digit does not match. "
                "Check for a typing error."
            ),
            code="checksum",
        ) from None
    return digits


def format_organisation_number(digits: str) -> str:
    return f"{digits[:6]}-{digits[6:]}" if digits else ""


def _normalise_giro(value: str, *, lengths: range, name: str) -> str:
    digits = _digits(value)
    if not digits.isdigit():
        raise ValidationError(
            _("A %(name)s number has only digits.") % {"name": name}, code="not_digits"
        )
    if len(digits) not in lengths:
        raise ValidationError(
            _("A %(name)s number has %(min)d to %(max)d digits.")
            % {"name": name, "min": lengths.start, "max": lengths.stop - 1},
            code="length",
        )
    if not luhn.is_valid(digits):
        raise ValidationError(
            _("The %(name)s number is not correct: its last digit does not match.")
            % {"name": name},
            code="checksum",
        )
    return digits


def normalise_bankgiro(value: str) -> str:
    return _normalise_giro(value, lengths=range(7, 9), name="bankgiro")


def normalise_plusgiro(value: str) -> str:
    return _normalise_giro(value, lengths=range(2, 9), name="plusgiro")


def format_bankgiro(digits: str) -> str:
    return f"{digits[:-4]}-{digits[-4:]}" if digits else ""


def format_plusgiro(digits: str) -> str:
    return f"{digits[:-1]}-{digits[-1]}" if digits else ""
