"""What a volunteer tells about themselves, checked and written the same way on
sign-up and when they (or a coordinator) change it; and the failures every
volunteer service shares.

Nothing here starts a transaction of its own: the sign-up and profile
services call these inside theirs.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from tillsammans.core.errors import DomainError
from tillsammans.core.models import Language, Locality
from tillsammans.core.phone import normalise_phone
from tillsammans.notifications.addresses import normalise_email
from tillsammans.notifications.models import OutboxMessage
from tillsammans.notifications.services import notifications_erase_for_address
from tillsammans.organizations.models import Organization
from tillsammans.volunteering.models import (
    HelpType,
    Skill,
    TimeSlot,
    Volunteer,
    VolunteerStatus,
    Weekday,
    availability_code,
)
from tillsammans.volunteering.selectors.terms import signup_terms

MAX_REQUESTS_PER_WEEK = (1, 7)
MAX_DISTANCE_KM = (1, 200)
AVAILABILITY_CODES = frozenset(
    availability_code(day, slot) for day in Weekday.values for slot in TimeSlot.values
)


# --- Errors ----------------------------------------------------------------------------


class VolunteerError(DomainError):
    """A failed rule about a volunteer; ``field`` names the form field it is about."""

    field: str | None = None


class NameMissing(VolunteerError):
    message = _("Write your name.")
    field = "full_name"


class ContactMissing(VolunteerError):
    message = _("Give an e-mail address or a mobile number (or both), so that we can reach you.")
    field = "email"


class InvalidEmail(VolunteerError):
    message = _("“%(value)s” is not an e-mail address. Write it like name@example.se.")
    field = "email"


class InvalidPhone(VolunteerError):
    message = _(
        "“%(value)s” is not a mobile number we can send text messages to. Write it like "
        "070-123 45 67, or with the country code like +46 70 123 45 67."
    )
    field = "phone"


class AddressTaken(VolunteerError):
    message = _("Another volunteer has this address. Use another one.")


class LocalityMissing(VolunteerError):
    message = _("Give your postal code or choose your locality.")
    field = "postal_code"


class PostalCodeInvalid(VolunteerError):
    message = _("A postal code has five digits, e.g. 178 30.")
    field = "postal_code"


class PostalCodeUnknown(VolunteerError):
    message = _(
        "We do not know the postal code %(code)s here. Check it, or leave it empty and "
        "choose your locality from the list."
    )
    field = "postal_code"


class PostalCodeLocalityMismatch(VolunteerError):
    message = _(
        "The postal code %(code)s belongs to %(postal_locality)s, not to %(locality)s. "
        "Correct one of them, or leave the locality empty."
    )
    field = "locality"


class LanguagesMissing(VolunteerError):
    message = _("Choose at least one language you speak.")
    field = "languages"


class HelpTypesMissing(VolunteerError):
    message = _("Choose at least one thing you can help with.")
    field = "help_types"


class ChoiceNotAvailable(VolunteerError):
    message = _("Choose from the list.")


class AvailabilityInvalid(VolunteerError):
    message = _("Choose times from the table.")
    field = "availability"


class NumberOutOfRange(VolunteerError):
    message = _("Choose a number from %(low)s to %(high)s.")


class VolunteerHasLeft(VolunteerError):
    message = _("This volunteer has left; their details are erased.")
    status_code = 404


def volunteer_error(
    cls: type[VolunteerError], *, field: str | None = None, message=None, **params
) -> VolunteerError:
    """``cls`` about ``field`` (instead of its usual one), optionally with another message."""
    error = cls(message, **params)
    if field is not None:
        error.field = field
    return error


# --- Checking what people type -------------------------------------------------------------


def email_clean(value: str) -> str:
    """The e-mail address in lower case, "" for nothing; ``InvalidEmail`` otherwise."""
    value = (value or "").strip()
    if not value:
        return ""
    normalised = normalise_email(value)
    if normalised is None:
        raise InvalidEmail(value=value)
    return normalised


def phone_clean(value: str) -> str:
    """The mobile number in E.164 (``+46701234567``), "" for nothing; ``InvalidPhone`` otherwise."""
    value = (value or "").strip()
    if not value:
        return ""
    normalised = normalise_phone(value)
    if normalised is None or (
        # Swedish mobile numbers are +46 7x xxx xx xx; landlines cannot get text messages.
        normalised.startswith("+46")
        and not (normalised.startswith("+467") and len(normalised) == 12)
    ):
        raise InvalidPhone(value=value)
    return normalised


def locality_resolve(*, postal_code: str, locality: Locality | None) -> tuple[Locality, str]:
    """The volunteer's locality and postal code (five digits, or "").

    A known postal code decides the locality (no external geocoding: the
    locality's coordinates are used). Without one, the chosen locality.
    Postal codes are read from the cache (``signup_terms``)."""
    code = "".join((postal_code or "").split())
    if not code:
        if locality is None:
            raise LocalityMissing()
        return locality, ""
    if len(code) != 5 or not code.isdigit():
        raise PostalCodeInvalid()
    postal_locality = signup_terms().locality_for_postal_code(code)
    display = f"{code[:3]} {code[3:]}"
    if postal_locality is None:
        raise PostalCodeUnknown(code=display)
    if locality is not None and locality.pk != postal_locality.pk:
        raise PostalCodeLocalityMismatch(
            code=display, postal_locality=postal_locality.name, locality=locality.name
        )
    return postal_locality, code


@dataclass(frozen=True)
class VolunteerDetails:
    """What a volunteer tells about themselves, on sign-up and when changing it."""

    full_name: str
    email: str = ""
    phone: str = ""
    postal_code: str = ""
    locality: Locality | None = None
    languages: Sequence[Language] = ()
    help_types: Sequence[HelpType] = ()
    skills: Sequence[Skill] = ()
    availability: Sequence[str] = ()
    max_requests_per_week: int = 1
    max_distance_km: int = 10
    organization: Organization | None = None


def volunteer_details_clean(details: VolunteerDetails) -> VolunteerDetails:
    """The details normalised (addresses, postal code, locality resolved), or
    the first ``VolunteerError``. Writes nothing."""
    full_name = " ".join((details.full_name or "").split())
    if not full_name:
        raise NameMissing()
    email = email_clean(details.email)
    phone = phone_clean(details.phone)
    if not email and not phone:
        raise ContactMissing()
    locality, postal_code = locality_resolve(
        postal_code=details.postal_code, locality=details.locality
    )
    languages = list(dict.fromkeys(details.languages))
    if not languages:
        raise LanguagesMissing()
    if any(not language.is_active for language in languages):
        raise volunteer_error(ChoiceNotAvailable, field="languages")
    help_types = list(dict.fromkeys(details.help_types))
    if not help_types:
        raise HelpTypesMissing()
    if any(not help_type.is_active for help_type in help_types):
        raise volunteer_error(ChoiceNotAvailable, field="help_types")
    skills = list(dict.fromkeys(details.skills))
    if any(not skill.is_active for skill in skills):
        raise volunteer_error(ChoiceNotAvailable, field="skills")
    availability = sorted(set(details.availability), key=_availability_order)
    if not set(availability) <= AVAILABILITY_CODES:
        raise AvailabilityInvalid()
    for field, value, (low, high) in (
        ("max_requests_per_week", details.max_requests_per_week, MAX_REQUESTS_PER_WEEK),
        ("max_distance_km", details.max_distance_km, MAX_DISTANCE_KM),
    ):
        if not isinstance(value, int) or not low <= value <= high:
            raise volunteer_error(NumberOutOfRange, field=field, low=low, high=high)
    organization = details.organization
    if (
        organization is not None
        and not Organization.objects.public().filter(pk=organization.pk).exists()
    ):
        raise volunteer_error(ChoiceNotAvailable, field="organization")
    return replace(
        details,
        full_name=full_name,
        email=email,
        phone=phone,
        postal_code=postal_code,
        locality=locality,
        languages=languages,
        help_types=help_types,
        skills=skills,
        availability=availability,
    )


def _availability_order(code: str) -> tuple[str, int]:
    day, _dash, slot = code.partition("-")
    return day, TimeSlot.values.index(slot) if slot in TimeSlot.values else 99


# --- Writing them (inside the caller's transaction) ------------------------------------------


def volunteer_lock(volunteer: Volunteer) -> Volunteer:
    """The volunteer's row, locked until the transaction ends; ``VolunteerHasLeft``
    for one who left."""
    locked = Volunteer.objects.select_for_update().get(pk=volunteer.pk)
    if locked.status == VolunteerStatus.LEFT:
        raise VolunteerHasLeft()
    return locked


def details_apply(volunteer: Volunteer, data: VolunteerDetails) -> None:
    """Copy cleaned details (``volunteer_details_clean``) onto the unsaved row."""
    locality = data.locality
    volunteer.full_name = data.full_name
    volunteer.email = data.email
    volunteer.phone = data.phone
    volunteer.postal_code = data.postal_code
    volunteer.locality = locality
    volunteer.latitude = locality.latitude
    volunteer.longitude = locality.longitude
    volunteer.availability = list(data.availability)
    volunteer.max_requests_per_week = data.max_requests_per_week
    volunteer.max_distance_km = data.max_distance_km
    volunteer.organization = data.organization


def volunteer_fields_check(volunteer: Volunteer) -> None:
    """Field checks (lengths, ranges) as a ``VolunteerError`` on the first
    failing field. Addresses already known are handled before this, and a
    concurrent duplicate by the database's unique constraints."""
    try:
        volunteer.full_clean(
            exclude=["languages", "help_types", "skills", "user"],
            validate_unique=False,
            validate_constraints=False,
        )
    except ValidationError as error:
        field, messages = next(iter(error.message_dict.items()))
        raise volunteer_error(VolunteerError, field=field, message=messages[0]) from error


def relations_set(volunteer: Volunteer, data: VolunteerDetails, *, created: bool = False) -> None:
    """The saved volunteer's languages, help types and skills from the details.
    A volunteer just ``created`` has none yet: their rows are only inserted."""
    for field, terms in (
        ("languages", data.languages),
        ("help_types", data.help_types),
        ("skills", data.skills),
    ):
        related = getattr(volunteer, field)
        if not created:
            related.set(terms)
        elif terms:
            related.add(*terms)


def volunteer_messages_erase(volunteer: Volunteer) -> int:
    """Erase the outbox's messages to the volunteer's e-mail address and
    mobile number (``notifications_erase_for_address``): a volunteer without
    an account has no other way to be found there. Call it before the
    addresses are blanked. Returns how many messages were erased."""
    erased = 0
    if volunteer.email:
        erased += notifications_erase_for_address(
            address=volunteer.email, channel=OutboxMessage.Channel.EMAIL
        )
    if volunteer.phone:
        erased += notifications_erase_for_address(
            address=volunteer.phone, channel=OutboxMessage.Channel.SMS
        )
    return erased


def audit_label(volunteer: Volunteer) -> str:
    """How the audit log names a volunteer: no name, for the log outlives
    the volunteer's personal data."""
    return f"volunteer {str(volunteer.uuid)[:8]}"
