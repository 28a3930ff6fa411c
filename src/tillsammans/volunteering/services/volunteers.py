"""Volunteers: signing up, the personal link, changing, pausing and leaving.

A volunteer needs no account. Signing up sends a link to the e-mail address
(or, without one, by SMS to the mobile number); opening it confirms that
address and activates the volunteer. The same link is their key to their own
page afterwards. Only a SHA-256 hash of its secret is stored; a new link
replaces the old one.

A second sign-up with an address that is already known (a double click, a
second tab, someone who forgot they signed up):

- If the address belongs to a sign-up nobody has confirmed yet, the new
  details replace the old ones: nobody has proved that the address is theirs,
  so the latest submission wins, and whoever confirms sees what they confirm.
- If it belongs to a confirmed volunteer, nothing is changed: their personal
  link is sent to them again, so they can change their details themselves.
- Either way the page answers exactly as for a new sign-up, so the form never
  tells anyone whether an address is known. A link is sent at most once every
  ``LINK_RESEND_INTERVAL`` per volunteer, so a double submission gives one
  volunteer and one message.

Two identical sign-ups at the same moment meet at the unique constraints on
e-mail and phone: the second one's insert fails, it retries once and then
takes the path above.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tillsammans.audit.models import AuditEntry
from tillsammans.audit.services import audit_record
from tillsammans.core.errors import DomainError
from tillsammans.core.models import Language, Locality, PostalCode
from tillsammans.core.phone import normalise_phone
from tillsammans.notifications.addresses import normalise_email
from tillsammans.notifications.models import OutboxMessage
from tillsammans.notifications.services import notification_queue_templated
from tillsammans.organizations.models import Organization
from tillsammans.volunteering.models import (
    Campaign,
    CampaignQuestion,
    CampaignSignup,
    HelpType,
    Skill,
    TimeSlot,
    Volunteer,
    VolunteerStatus,
    Weekday,
    availability_code,
)
from tillsammans.volunteering.selectors.volunteers import volunteer_data
from tillsammans.volunteering.services.offers import offers_end_for_volunteer

if TYPE_CHECKING:
    from django.http import HttpRequest

    from tillsammans.accounts.models import User

# A new personal link goes out at most this often per volunteer.
LINK_RESEND_INTERVAL = timedelta(minutes=5)
# Sign-ups nobody confirms are erased after this long (see the consent text).
UNCONFIRMED_RETENTION = timedelta(days=30)

EMAIL = OutboxMessage.Channel.EMAIL
SMS = OutboxMessage.Channel.SMS

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


class ConsentMissing(VolunteerError):
    message = _("To sign up you need to agree to how we use your details.")
    field = "consent"


class AlreadyVolunteer(VolunteerError):
    message = _("You are already signed up as a volunteer.")


class CampaignClosed(VolunteerError):
    message = _("The campaign “%(title)s” is closed and takes no new sign-ups.")


class AlreadyInCampaign(VolunteerError):
    message = _("You have already signed up for this campaign.")


class AnswerMissing(VolunteerError):
    message = _("Answer this question.")


class AnswerTooLong(VolunteerError):
    message = _("Keep the answer under %(limit)s characters.")


class LinkInvalid(VolunteerError):
    message = _("This link does not work any more. Ask for a new one.")
    status_code = 404


class VolunteerHasLeft(VolunteerError):
    message = _("This volunteer has left; their details are erased.")
    status_code = 404


class NotConfirmed(VolunteerError):
    message = _("Confirm your sign-up first, with the link we sent you.")


class PauseDateInvalid(VolunteerError):
    message = _("Choose a date after today, or pause until further notice.")
    field = "paused_until"


class NotPaused(VolunteerError):
    message = _("You are not paused.")


def _error(
    cls: type[VolunteerError], *, field: str | None = None, message=None, **params
) -> VolunteerError:
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
    locality's coordinates are used). Without one, the chosen locality."""
    code = "".join((postal_code or "").split())
    if not code:
        if locality is None:
            raise LocalityMissing()
        return locality, ""
    if len(code) != 5 or not code.isdigit():
        raise PostalCodeInvalid()
    postal = PostalCode.objects.select_related("locality").filter(code=code).first()
    display = f"{code[:3]} {code[3:]}"
    if postal is None:
        raise PostalCodeUnknown(code=display)
    if locality is not None and locality.pk != postal.locality_id:
        raise PostalCodeLocalityMismatch(
            code=display, postal_locality=postal.locality.name, locality=locality.name
        )
    return postal.locality, code


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
        raise _error(ChoiceNotAvailable, field="languages")
    help_types = list(dict.fromkeys(details.help_types))
    if not help_types:
        raise HelpTypesMissing()
    if any(not help_type.is_active for help_type in help_types):
        raise _error(ChoiceNotAvailable, field="help_types")
    skills = list(dict.fromkeys(details.skills))
    if any(not skill.is_active for skill in skills):
        raise _error(ChoiceNotAvailable, field="skills")
    availability = sorted(set(details.availability), key=_availability_order)
    if not set(availability) <= AVAILABILITY_CODES:
        raise AvailabilityInvalid()
    for field, value, (low, high) in (
        ("max_requests_per_week", details.max_requests_per_week, MAX_REQUESTS_PER_WEEK),
        ("max_distance_km", details.max_distance_km, MAX_DISTANCE_KM),
    ):
        if not isinstance(value, int) or not low <= value <= high:
            raise _error(NumberOutOfRange, field=field, low=low, high=high)
    organization = details.organization
    if (
        organization is not None
        and not Organization.objects.public().filter(pk=organization.pk).exists()
    ):
        raise _error(ChoiceNotAvailable, field="organization")
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


def campaign_answers_clean(*, campaign: Campaign, answers: Mapping[str, Any]) -> dict[str, str]:
    """The answers to the campaign's questions keyed by question pk (as text);
    a required question left empty raises ``AnswerMissing`` on its field."""
    cleaned: dict[str, str] = {}
    for question in campaign.questions.all():
        key = str(question.pk)
        value = str(answers.get(key) or "").strip()
        if question.kind == CampaignQuestion.Kind.YES_NO and value not in ("", "yes", "no"):
            raise _error(ChoiceNotAvailable, field=f"question_{key}")
        if len(value) > 500:
            raise _error(AnswerTooLong, field=f"question_{key}", limit=500)
        if question.required and not value:
            raise _error(AnswerMissing, field=f"question_{key}")
        if value:
            cleaned[key] = value
    return cleaned


def campaign_check_open(campaign: Campaign) -> None:
    if not campaign.is_open:
        raise CampaignClosed(title=campaign.title)


def _language(language: str | None) -> str:
    codes = [code for code, _name in settings.LANGUAGES]
    language = (language or "").split("-")[0]
    return language if language in codes else settings.LANGUAGE_CODE


# --- The personal link -----------------------------------------------------------------------


def link_token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _may_send_link(volunteer: Volunteer, now: datetime) -> bool:
    return volunteer.link_sent_at is None or now - volunteer.link_sent_at >= LINK_RESEND_INTERVAL


def _send_link(
    volunteer: Volunteer,
    *,
    channel: str,
    template: str,
    now: datetime,
    campaign: Campaign | None = None,
) -> None:
    """A new personal link (the old one stops working), written to the outbox
    in the volunteer's language; delivered when the transaction commits."""
    token = secrets.token_urlsafe(24)
    volunteer.access_token_hash = link_token_hash(token)
    volunteer.link_channel = channel
    volunteer.link_sent_at = now
    volunteer.save(
        update_fields=["access_token_hash", "link_channel", "link_sent_at", "updated_at"]
    )
    folder = "email" if channel == EMAIL else "sms"
    context = {
        "volunteer": volunteer,
        "link_url": settings.SITE_URL
        + reverse("volunteering:volunteer_link", kwargs={"token": token}),
        "campaign": campaign,
        "campaign_url": (
            settings.SITE_URL
            + reverse("volunteering:campaign_signup", kwargs={"slug": campaign.slug})
            if campaign is not None
            else ""
        ),
    }
    notification_queue_templated(
        channel=channel,
        template_prefix=f"volunteering/{folder}/volunteer_{template}",
        context=context,
        idempotency_key=f"volunteer-link:{volunteer.uuid}:{volunteer.access_token_hash[:24]}",
        address=volunteer.email if channel == EMAIL else volunteer.phone,
        user=volunteer.user,
        kind=OutboxMessage.Kind.TRANSACTIONAL,
        language=volunteer.language,
    )


# --- Sign-up ---------------------------------------------------------------------------


@dataclass(frozen=True)
class SignUpReceipt:
    """What a sign-up did. Views show the same page whatever ``created`` says
    (so the form reveals nothing about who is signed up); ``active`` is true
    when a signed-in person's verified e-mail made confirmation unnecessary."""

    volunteer: Volunteer
    created: bool
    channel: str
    address: str
    active: bool


def volunteer_sign_up(
    *,
    details: VolunteerDetails,
    consent: bool,
    actor: User | None = None,
    language: str | None = None,
    campaign: Campaign | None = None,
    answers: Mapping[str, Any] | None = None,
    request: HttpRequest | None = None,
) -> SignUpReceipt:
    """Sign someone up as a volunteer (optionally through a campaign).

    Validates everything before writing (``VolunteerError`` with the field it
    concerns, nothing written). A signed-in ``actor`` is linked to the
    volunteer; when the e-mail given is their verified account address, the
    volunteer is active at once. Otherwise the volunteer waits for the link
    sent to the e-mail address (or by SMS). Known addresses: see the module
    docstring. Locks the volunteers holding the addresses; audit-logged.
    """
    data = volunteer_details_clean(details)
    if not consent:
        raise ConsentMissing()
    cleaned_answers: dict[str, str] = {}
    if campaign is not None:
        campaign_check_open(campaign)
        cleaned_answers = campaign_answers_clean(campaign=campaign, answers=answers or {})
    user = actor if actor is not None and actor.is_authenticated else None
    for attempt in (1, 2):
        try:
            with transaction.atomic():
                return _sign_up(
                    data=data,
                    user=user,
                    language=_language(language),
                    campaign=campaign,
                    answers=cleaned_answers,
                    request=request,
                )
        except IntegrityError:
            # A concurrent sign-up with the same address (or account) committed
            # first; the second pass finds it and treats it as known.
            if attempt == 2:
                raise
    raise AssertionError("unreachable")  # pragma: no cover


def _sign_up(
    *,
    data: VolunteerDetails,
    user: User | None,
    language: str,
    campaign: Campaign | None,
    answers: dict[str, str],
    request: HttpRequest | None,
) -> SignUpReceipt:
    if user is not None and Volunteer.objects.filter(user=user).exists():
        raise AlreadyVolunteer()
    now = timezone.now()
    channel, address = (EMAIL, data.email) if data.email else (SMS, data.phone)
    addresses = Q(pk__in=[])
    if data.email:
        addresses |= Q(email=data.email)
    if data.phone:
        addresses |= Q(phone=data.phone)
    known = list(Volunteer.objects.select_for_update().filter(addresses).order_by("pk"))
    account_verified = bool(
        user is not None
        and data.email
        and EmailAddress.objects.filter(user=user, email__iexact=data.email, verified=True).exists()
    )
    replaceable = (
        len(known) == 1
        and not known[0].is_verified
        and known[0].user_id in (None, user.pk if user else None)
    )
    if known and not replaceable:
        for volunteer in known:
            volunteer_channel = EMAIL if data.email and volunteer.email == data.email else SMS
            if _may_send_link(volunteer, now):
                _send_link(
                    volunteer,
                    channel=volunteer_channel,
                    template="again",
                    now=now,
                    campaign=campaign,
                )
        return SignUpReceipt(
            volunteer=known[0], created=False, channel=channel, address=address, active=False
        )

    created = not known
    volunteer = known[0] if known else Volunteer(status=VolunteerStatus.UNVERIFIED)
    _apply_details(volunteer, data)
    volunteer.language = language
    volunteer.consent_version = settings.VOLUNTEERING_CONSENT_VERSION
    volunteer.consented_at = now
    if user is not None:
        volunteer.user = user
    if account_verified:
        volunteer.email_verified_at = now
        volunteer.status = VolunteerStatus.ACTIVE
    _full_clean(volunteer)
    volunteer.save()
    _set_relations(volunteer, data)
    if campaign is not None:
        CampaignSignup.objects.update_or_create(
            volunteer=volunteer, campaign=campaign, defaults={"answers": answers}
        )
    if created or _may_send_link(volunteer, now):
        _send_link(
            volunteer,
            channel=channel,
            template="welcome" if account_verified else "confirm",
            now=now,
            campaign=campaign,
        )
    audit_record(
        actor=user,
        action=AuditEntry.Action.CREATE if created else AuditEntry.Action.CHANGE,
        target=volunteer,
        target_label=_audit_label(volunteer),
        request=request,
        details={"signed_up": True, "campaign": campaign.slug if campaign else None},
    )
    return SignUpReceipt(
        volunteer=volunteer,
        created=created,
        channel=channel,
        address=address,
        active=volunteer.status == VolunteerStatus.ACTIVE,
    )


def _apply_details(volunteer: Volunteer, data: VolunteerDetails) -> None:
    locality = data.locality  # resolved by volunteer_details_clean
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


def _full_clean(volunteer: Volunteer) -> None:
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
        raise _error(VolunteerError, field=field, message=messages[0]) from error


def _set_relations(volunteer: Volunteer, data: VolunteerDetails) -> None:
    volunteer.languages.set(data.languages)
    volunteer.help_types.set(data.help_types)
    volunteer.skills.set(data.skills)


def _audit_label(volunteer: Volunteer) -> str:
    # No name in the audit log: it outlives the volunteer's personal data.
    return f"volunteer {str(volunteer.uuid)[:8]}"


def volunteer_campaign_join(
    *,
    volunteer: Volunteer,
    campaign: Campaign,
    answers: Mapping[str, Any],
    request: HttpRequest | None = None,
) -> CampaignSignup:
    """A signed-up volunteer joins an open campaign, answering its questions."""
    campaign_check_open(campaign)
    cleaned = campaign_answers_clean(campaign=campaign, answers=answers)
    with transaction.atomic():
        volunteer = _lock(volunteer)
        if CampaignSignup.objects.filter(volunteer=volunteer, campaign=campaign).exists():
            raise AlreadyInCampaign()
        signup = CampaignSignup.objects.create(
            volunteer=volunteer, campaign=campaign, answers=cleaned
        )
        audit_record(
            actor=volunteer.user,
            action=AuditEntry.Action.CHANGE,
            target=volunteer,
            target_label=_audit_label(volunteer),
            request=request,
            details={"joined_campaign": campaign.slug},
        )
    return signup


# --- The link: sending it again, opening it -----------------------------------------------------


def volunteer_link_resend(*, address: str) -> None:
    """Send the personal link again to the volunteer with this e-mail address
    or mobile number, by the channel it names.

    Answers the same (nothing) whether or not the address is known, and sends
    at most one link per ``LINK_RESEND_INTERVAL``. ``InvalidEmail`` /
    ``InvalidPhone`` only when the text is neither kind of address."""
    address = (address or "").strip()
    if "@" in address:
        email, phone = email_clean(address), ""
    else:
        email, phone = "", phone_clean(address)
        if not phone:
            raise ContactMissing()
    with transaction.atomic():
        lookup = Q(email=email) if email else Q(phone=phone)
        volunteer = (
            Volunteer.objects.select_for_update()
            .filter(lookup)
            .exclude(status=VolunteerStatus.LEFT)
            .first()
        )
        now = timezone.now()
        if volunteer is None or not _may_send_link(volunteer, now):
            return
        _send_link(
            volunteer,
            channel=EMAIL if email else SMS,
            template="again" if volunteer.is_verified else "confirm",
            now=now,
        )


def volunteer_link_open(*, token: str, actor: User | None = None) -> tuple[Volunteer, bool]:
    """The volunteer whose personal link this is, and whether opening it just
    confirmed their sign-up.

    Opening the link confirms the address it was sent to and activates a new
    volunteer. A signed-in person whose account has the volunteer's e-mail
    address (and no volunteer profile of its own) is linked to it. Raises
    ``LinkInvalid`` for an unknown or replaced link, or a volunteer who left."""
    if not token or len(token) > 100:
        raise LinkInvalid()
    with transaction.atomic():
        volunteer = (
            Volunteer.objects.select_for_update()
            .exclude(status=VolunteerStatus.LEFT)
            .filter(access_token_hash=link_token_hash(token))
            .first()
        )
        if volunteer is None:
            raise LinkInvalid()
        now = timezone.now()
        changed = []
        if volunteer.link_channel == EMAIL and volunteer.email and not volunteer.email_verified_at:
            volunteer.email_verified_at = now
            changed.append("email_verified_at")
        if volunteer.link_channel == SMS and volunteer.phone and not volunteer.phone_verified_at:
            volunteer.phone_verified_at = now
            changed.append("phone_verified_at")
        confirmed = volunteer.status == VolunteerStatus.UNVERIFIED and volunteer.is_verified
        if confirmed:
            volunteer.status = VolunteerStatus.ACTIVE
            changed.append("status")
        if (
            actor is not None
            and actor.is_authenticated
            and volunteer.user_id is None
            and volunteer.email
            and actor.email.lower() == volunteer.email
            and not Volunteer.objects.filter(user=actor).exists()
        ):
            volunteer.user = actor
            changed.append("user")
        if changed:
            volunteer.save(update_fields=[*changed, "updated_at"])
    return volunteer, confirmed


# --- Changing, pausing, resuming -----------------------------------------------------------------


def _lock(volunteer: Volunteer) -> Volunteer:
    locked = Volunteer.objects.select_for_update().get(pk=volunteer.pk)
    if locked.status == VolunteerStatus.LEFT:
        raise VolunteerHasLeft()
    return locked


def volunteer_update(
    *,
    volunteer: Volunteer,
    details: VolunteerDetails,
    actor: User | None = None,
    request: HttpRequest | None = None,
) -> Volunteer:
    """Change a volunteer's details (by themselves or a coordinator).

    A changed e-mail address or mobile number is unconfirmed until the
    volunteer opens the link sent to it (a new e-mail address wins over a new
    number); until then the volunteer is asked through a confirmed one only,
    or not at all. Locks the volunteer; audit-logged."""
    data = volunteer_details_clean(details)
    try:
        with transaction.atomic():
            volunteer = _lock(volunteer)
            others = Volunteer.objects.exclude(pk=volunteer.pk)
            if data.email and others.filter(email=data.email).exists():
                raise _error(AddressTaken, field="email")
            if data.phone and others.filter(phone=data.phone).exists():
                raise _error(AddressTaken, field="phone")
            email_changed = data.email != volunteer.email
            phone_changed = data.phone != volunteer.phone
            _apply_details(volunteer, data)
            if email_changed:
                volunteer.email_verified_at = None
            if phone_changed:
                volunteer.phone_verified_at = None
            _full_clean(volunteer)
            volunteer.save()
            _set_relations(volunteer, data)
            now = timezone.now()
            if email_changed and data.email:
                _send_link(volunteer, channel=EMAIL, template="confirm_change", now=now)
            elif phone_changed and data.phone:
                _send_link(volunteer, channel=SMS, template="confirm_change", now=now)
            audit_record(
                actor=actor,
                action=AuditEntry.Action.CHANGE,
                target=volunteer,
                target_label=_audit_label(volunteer),
                request=request,
                details={"email_changed": email_changed, "phone_changed": phone_changed},
            )
    except IntegrityError as error:
        raise _error(AddressTaken, field="email") from error
    return volunteer


def volunteer_pause(
    *,
    volunteer: Volunteer,
    until: date | None,
    actor: User | None = None,
    today: date | None = None,
) -> Volunteer:
    """Stop asking the volunteer: up to and including ``until``, or until they resume.

    A pause with an end date keeps the status ``active`` and sets
    ``paused_until``: it ends by itself (the capacity selectors ask only
    volunteers whose ``paused_until`` has passed), with no job to run. A pause
    until further notice sets the status ``paused``."""
    today = today or timezone.localdate()
    if until is not None and until <= today:
        raise PauseDateInvalid()
    with transaction.atomic():
        volunteer = _lock(volunteer)
        if volunteer.status == VolunteerStatus.UNVERIFIED:
            raise NotConfirmed()
        volunteer.paused_until = until
        volunteer.status = VolunteerStatus.ACTIVE if until else VolunteerStatus.PAUSED
        volunteer.save(update_fields=["paused_until", "status", "updated_at"])
    return volunteer


def volunteer_resume(
    *, volunteer: Volunteer, actor: User | None = None, today: date | None = None
) -> Volunteer:
    """End a pause now."""
    today = today or timezone.localdate()
    with transaction.atomic():
        volunteer = _lock(volunteer)
        paused_with_date = volunteer.paused_until is not None and volunteer.paused_until >= today
        if volunteer.status != VolunteerStatus.PAUSED and not paused_with_date:
            raise NotPaused()
        volunteer.paused_until = None
        volunteer.status = VolunteerStatus.ACTIVE
        volunteer.save(update_fields=["paused_until", "status", "updated_at"])
    return volunteer


# --- Leaving, erasure, export ------------------------------------------------------------------


def _erase(volunteer: Volunteer, *, now: datetime) -> None:
    """Empty every field that identifies the person; keep what anonymous
    statistics need (locality and its coordinates, languages, help types,
    skills, organisation, dates, offers with their minutes)."""
    volunteer.full_name = ""
    volunteer.email = ""
    volunteer.phone = ""
    volunteer.postal_code = ""
    volunteer.user = None
    volunteer.access_token_hash = ""
    volunteer.link_channel = ""
    volunteer.link_sent_at = None
    volunteer.email_verified_at = None
    volunteer.phone_verified_at = None
    volunteer.paused_until = None
    volunteer.status = VolunteerStatus.LEFT
    volunteer.left_at = now
    volunteer.save()
    CampaignSignup.objects.filter(volunteer=volunteer).update(answers={})
    volunteer.safeguarding_checks.all().delete()


def volunteer_leave(
    *, volunteer: Volunteer, actor: User | None = None, request: HttpRequest | None = None
) -> Volunteer:
    """The volunteer leaves: their live offers end (the requests reopen for
    coordinators, see ``offers_end_for_volunteer``), their personal data is
    erased at once (name, addresses, postal code, account link, personal
    link, campaign answers, police-record checks), and the row stays for
    anonymous statistics with status ``left`` (done offers keep their
    minutes). Idempotent; locks the volunteer; audit-logged."""
    with transaction.atomic():
        # First, in the lock order every offer service keeps (requests, then
        # the volunteer): live offers end and their requests reopen.
        offers_end_for_volunteer(volunteer=volunteer, actor=actor, http_request=request)
        volunteer = Volunteer.objects.select_for_update().get(pk=volunteer.pk)
        if volunteer.status == VolunteerStatus.LEFT:
            return volunteer
        _erase(volunteer, now=timezone.now())
        audit_record(
            actor=actor,
            action=AuditEntry.Action.ERASE,
            target=volunteer,
            target_label=_audit_label(volunteer),
            reason="volunteer left",
            request=request,
        )
    return volunteer


def volunteer_erase_for_user(*, user: User) -> None:
    """Account erasure: the volunteer profile linked to ``user`` leaves.
    Runs in the erasure's transaction."""
    for volunteer in Volunteer.objects.filter(user=user):
        offers_end_for_volunteer(volunteer=volunteer)
        _erase(Volunteer.objects.select_for_update().get(pk=volunteer.pk), now=timezone.now())


def volunteer_export(
    *, volunteer: Volunteer, actor: User | None = None, request: HttpRequest | None = None
) -> str:
    """Everything stored about the volunteer, as JSON (GDPR art. 15 and 20).
    Audit-logged."""
    data = {
        "exported_at": timezone.now(),
        "format": "tillsammans-volunteer/1",
        "volunteer": volunteer_data(volunteer),
    }
    audit_record(
        actor=actor,
        action=AuditEntry.Action.EXPORT,
        target=volunteer,
        target_label=_audit_label(volunteer),
        request=request,
    )
    return json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)


def volunteers_unconfirmed_erase(*, now: datetime | None = None) -> int:
    """Delete sign-ups nobody confirmed within ``UNCONFIRMED_RETENTION`` (as
    the consent text promises). Safe to run daily; returns how many."""
    cutoff = (now or timezone.now()) - UNCONFIRMED_RETENTION
    stale = Volunteer.objects.filter(
        status=VolunteerStatus.UNVERIFIED,
        email_verified_at__isnull=True,
        phone_verified_at__isnull=True,
        created_at__lt=cutoff,
    )
    with transaction.atomic():
        count = stale.count()
        stale.delete()
    return count


# --- Coordinators -------------------------------------------------------------------------


def volunteer_contact_details_read(
    *, volunteer: Volunteer, actor: User, request: HttpRequest | None = None
) -> None:
    """Record that a coordinator saw a volunteer's contact details."""
    audit_record(
        actor=actor,
        action=AuditEntry.Action.READ,
        target=volunteer,
        target_label=_audit_label(volunteer),
        request=request,
        details={"fields": ["full_name", "email", "phone", "postal_code"]},
    )
