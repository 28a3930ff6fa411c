"""Money as whole öre (integers), never floats.

People type kronor the Swedish way ("12 500", "1 234,50", "1234.5 kr");
``parse_kronor`` turns that into öre or says what is wrong, and
``format_kronor`` writes öre back for people in the active language.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from tillsammans.core.errors import DomainError

ORE_PER_KRONA = 100
_SPACES = re.compile(r"[\s\u00a0\u202f]")


class AmountInvalid(DomainError):
    message = _("Write an amount in kronor, e.g. 12 500 or 1 234,50.")


class AmountNegative(DomainError):
    message = _("The amount cannot be negative.")


class AmountTooPrecise(DomainError):
    message = _("Kronor have at most two decimals (öre).")


def parse_kronor(text: str | int | Decimal) -> int:
    """The amount in öre. Accepts a space or a non-breaking space between
    thousands, a comma or a point before öre, and a trailing "kr" or "SEK".
    ``AmountInvalid``, ``AmountNegative`` or ``AmountTooPrecise`` otherwise."""
    if isinstance(text, int):
        value = Decimal(text)
    elif isinstance(text, Decimal):
        value = text
    else:
        cleaned = _SPACES.sub("", str(text or "")).lower()
        cleaned = re.sub(r"(kr|sek|:-)$", "", cleaned).replace(",", ".")
        if not re.fullmatch(r"-?\d+(\.\d+)?", cleaned):
            raise AmountInvalid()
        try:
            value = Decimal(cleaned)
        except InvalidOperation as error:  # pragma: no cover (the pattern above)
            raise AmountInvalid() from error
    if value < 0:
        raise AmountNegative()
    ore = value * ORE_PER_KRONA
    if ore != ore.to_integral_value():
        raise AmountTooPrecise()
    return int(ore)


def format_kronor(ore: int, *, with_unit: bool = True) -> str:
    """``1234550`` → "12 345,50 kr" (Swedish) or "12,345.50 kr" (English);
    whole kronor without decimals."""
    kronor = (Decimal(ore) / ORE_PER_KRONA).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    decimals = 0 if ore % ORE_PER_KRONA == 0 else 2
    text = number_format(kronor, decimal_pos=decimals, use_l10n=True, force_grouping=True)
    return f"{text} kr" if with_unit else text
