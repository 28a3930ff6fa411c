"""Help requests: a resident asks (on the web or by phone through staff), and
a coordinator or the resident cancels.

Most people who need help are elderly and never use the web, so a coordinator
takes the same request on the phone (``by_phone=True``). Either way the
resident gets a reference to say on the phone (``H-00042``), by SMS when the
number can receive one. The resident's name, address and phone are sensitive:
only coordinators read them (selectors.requests, audited).
"""

from __future__ import annotations

import datetime
import hashlib
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tillsammans.audit.models import AuditEntry
from tillsammans.audit.services import audit_record
from tillsammans.core.errors import DomainError, NotPermitted
from tillsammans.core.models import Language, Locality, PostalCode
from tillsammans.notifications.addresses import normalise_phone
from tillsammans.notifications.services import notification_queue_templated
from tillsammans.organizations.models import Organization
from tillsammans.volunteering.models import Campaign, HelpRequest, HelpType, Recurrence
from tillsammans.volunteering.services.campaigns import campaign_require_open
from tillsammans.volunteering.services.offers import offers_withdraw_for_request

if TYPE_CHECKING:
    from django.http import HttpRequest

    from tillsammans.accounts.models import User

Status = HelpRequest.Status

# Requests are taken at most this far ahead; beyond it plans change and
# volunteers cannot promise anything.
MAX_DAYS_AHEAD = 180
# A repeating request lasts at most this long; then the coordinator and the
# resident agree on a new one.
MAX_RECURRENCE_DAYS = 366
# The same request sent again within this time (a double click, the back
# button, a second call about the same errand) is the first one, not a new one.
DUPLICATE_WINDOW = datetime.timedelta(minutes=15)
NOTES_MAX_LENGTH = 1000
REASON_MAX_LENGTH = 500

# Swedish numbers written nationally, landlines included (08-560 123 45):
# many who ask for help have no mobile phone.
_SWEDISH_NATIONAL = re.compile(r"^0[1-9]\d{6,8}$")
_PHONE_SEPARATORS = re.compile(r"[\s\-()./]")


# --- Errors --------------------------------------------------------------------------


class InvalidHelpRequest(DomainError):
    """A field failed validation; ``field`` names it so a form can show it there."""

    code = "invalid_help_request"

    def __init__(self, message, *, field: str | None = None, **params):
        self.field = field
        super().__init__(message, **params)


class HelpTypeNotInCampaign(InvalidHelpRequest):
    message = _(
        "The campaign “%(title)s” does not offer help with %(help_type)s. Choose one of "
        "its kinds of help, or ask without the campaign."
    )
    code = "help_type_not_in_campaign"

    def __init__(self, **params):
        super().__init__(None, field="help_type", **params)


class RequestNotCancellable(DomainError):
    message = _("This request cannot be cancelled: it is “%(status)s”.")
    code = "request_not_cancellable"
    status_code = 409


# --- Checks ----------------------------------------------------------------------------


def normalise_resident_phone(number: str) -> str | None:
    """A resident's phone number in E.164 form, landlines included, or None.

    Mobile and international numbers as ``notifications.addresses.normalise_phone``;
    Swedish landlines written nationally (``08-560 123 45``) become ``+46856012345``."""
    mobile = normalise_phone(number or "")
    if mobile is not None:
        return mobile
    digits = _PHONE_SEPARATORS.sub("", (number or "").strip())
    if _SWEDISH_NATIONAL.match(digits):
        return "+46" + digits[1:]
    return None


def can_receive_sms(number: str) -> bool:
    """Swedish mobile numbers start +467; numbers abroad are given the benefit of the doubt."""
    return bool(number) and (not number.startswith("+46") or number.startswith("+467"))


@dataclass(frozen=True)
class TimeWindow:
    """When the help is needed, as the resident says it: a day, from, to."""

    date: datetime.date
    time_from: datetime.time
    time_to: datetime.time

    def bounds(self) -> tuple[datetime.datetime, datetime.datetime]:
        zone = timezone.get_default_timezone()
        starts = timezone.make_aware(datetime.datetime.combine(self.date, self.time_from), zone)
        ends = timezone.make_aware(datetime.datetime.combine(self.date, self.time_to), zone)
        return starts, ends


def _check_window(
    window: TimeWindow,
    *,
    recurrence: str,
    recurrence_until: datetime.date | None,
    now: datetime.datetime,
) -> tuple[datetime.datetime, datetime.datetime, datetime.date | None]:
    starts, ends = window.bounds()
    if ends <= starts:
        raise InvalidHelpRequest(
            _("The end time must be later than the start time (%(start)s)."),
            field="time_to",
            start=window.time_from.strftime("%H:%M"),
        )
    if ends <= now:
        raise InvalidHelpRequest(
            _("That time has already passed. Choose a day and time from now on."), field="date"
        )
    today = timezone.localdate(now)
    if window.date > today + datetime.timedelta(days=MAX_DAYS_AHEAD):
        raise InvalidHelpRequest(
            _(
                "We take requests at most %(days)d days ahead. Choose an earlier day, or "
                "ask again closer to the time."
            ),
            field="date",
            days=MAX_DAYS_AHEAD,
        )
    if recurrence not in Recurrence.values:
        raise InvalidHelpRequest(_("Choose how often you need the help."), field="recurrence")
    if recurrence == Recurrence.ONCE:
        return starts, ends, None
    if recurrence_until is None:
        raise InvalidHelpRequest(
            _("Give the date of the last time when the help repeats."), field="recurrence_until"
        )
    if recurrence_until <= window.date:
        raise InvalidHelpRequest(
            _("The last time must be after the first time (%(date)s)."),
            field="recurrence_until",
            date=window.date.isoformat(),
        )
    if recurrence_until > window.date + datetime.timedelta(days=MAX_RECURRENCE_DAYS):
        raise InvalidHelpRequest(
            _(
                "Help that repeats can be asked for at most a year at a time. Choose an "
                "earlier last date; we can make a new request after that."
            ),
            field="recurrence_until",
        )
    return starts, ends, recurrence_until


def _resolve_locality(locality: Locality | None, postal_code: str) -> Locality:
    code = re.sub(r"\s", "", postal_code or "")
    if code:
        if not re.fullmatch(r"\d{5}", code):
            raise InvalidHelpRequest(
                _("Write the postal code with five digits, e.g. 178 30."), field="postal_code"
            )
        known = PostalCode.objects.select_related("locality").filter(code=code).first()
        if known is None:
            if locality is not None:
                return locality
            raise InvalidHelpRequest(
                _(
                    "We do not know the postal code %(code)s. Choose the locality from the "
                    "list instead."
                ),
                field="postal_code",
                code=f"{code[:3]} {code[3:]}",
            )
        if locality is not None and known.locality_id != locality.pk:
            raise InvalidHelpRequest(
                _(
                    "The postal code %(code)s belongs to %(postal_locality)s, not to "
                    "%(locality)s. Check the locality or the postal code."
                ),
                field="postal_code",
                code=f"{code[:3]} {code[3:]}",
                postal_locality=known.locality.name,
                locality=locality.name,
            )
        return known.locality
    if locality is None:
        raise InvalidHelpRequest(
            _("Choose the locality where the help is needed, or write the postal code."),
            field="locality",
        )
    return locality


def _lock_resident(phone: str) -> None:
    """Serialise requests for one phone number until the transaction ends, so
    two copies of the same request sent at once cannot both miss each other
    (PostgreSQL; SQLite serialises writers with ``BEGIN IMMEDIATE`` already)."""
    if connection.vendor != "postgresql":
        return
    digest = hashlib.sha256(f"help-request:{phone}".encode()).digest()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_advisory_xact_lock(%s)", [int.from_bytes(digest[:8], "big", signed=True)]
        )


# --- Writes ------------------------------------------------------------------------------


def help_request_create(
    *,
    actor: User | None,
    help_type: HelpType,
    resident_name: str,
    resident_phone: str,
    address: str,
    window: TimeWindow,
    locality: Locality | None = None,
    postal_code: str = "",
    recurrence: str = Recurrence.ONCE,
    recurrence_until: datetime.date | None = None,
    language: Language | None = None,
    volunteers_needed: int = 1,
    notes: str = "",
    preferred_organization: Organization | None = None,
    campaign: Campaign | None = None,
    by_phone: bool = False,
    receipt_language: str | None = None,
    request: HttpRequest | None = None,
    now: datetime.datetime | None = None,
) -> HelpRequest:
    """File a request for help, asked for by the resident or by staff on the phone.

    Guarantees:

    - Every field is checked; a failure raises ``InvalidHelpRequest`` naming
      the field (or ``HelpTypeNotInCampaign``, ``CampaignClosed``) and writes
      nothing. The phone number is stored in E.164 (landlines accepted); the
      locality comes from the postal code when one is given, and the request
      takes its coordinates.
    - ``by_phone``: the actor must have ``volunteering.take_request_by_phone``
      (else ``NotPermitted``); the request records them as ``created_by``. A
      signed-in resident asking themselves is the ``requester``.
    - The campaign is read under a row lock: a request never lands in a
      campaign that was closed a moment before.
    - The same request sent twice (same phone, help type and time) within
      ``DUPLICATE_WINDOW`` returns the first one: one request, one receipt.
    - Audited (without personal details). A receipt with the reference goes by
      SMS through the outbox after commit when the number can take an SMS, in
      ``receipt_language`` (the language of the page, or Swedish on the phone).
    """
    if by_phone and not (actor and actor.has_perm("volunteering.take_request_by_phone")):
        raise NotPermitted
    now = now or timezone.now()
    resident_name = " ".join((resident_name or "").split())
    address = " ".join((address or "").split())
    notes = (notes or "").strip()
    if not resident_name:
        raise InvalidHelpRequest(
            _("Write the name of the person who needs help."), field="resident_name"
        )
    phone = normalise_resident_phone(resident_phone)
    if phone is None:
        raise InvalidHelpRequest(
            _(
                "“%(number)s” is not a phone number we can call. Write it with the area "
                "code, e.g. 070-123 45 67 or 08-560 123 45."
            ),
            field="resident_phone",
            number=resident_phone or "",
        )
    if not address:
        raise InvalidHelpRequest(
            _("Write the street address where the help is needed."), field="address"
        )
    if help_type is None or not help_type.is_active:
        raise InvalidHelpRequest(_("Choose what kind of help is needed."), field="help_type")
    starts, ends, recurrence_until = _check_window(
        window, recurrence=recurrence, recurrence_until=recurrence_until, now=now
    )
    if not 1 <= int(volunteers_needed) <= 10:
        raise InvalidHelpRequest(
            _("Ask for between 1 and 10 volunteers."), field="volunteers_needed"
        )
    if len(notes) > NOTES_MAX_LENGTH:
        raise InvalidHelpRequest(
            _("Keep the notes under %(count)d characters."),
            field="notes",
            count=NOTES_MAX_LENGTH,
        )
    locality = _resolve_locality(locality, postal_code)

    with transaction.atomic():
        if campaign is not None:
            campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
            campaign_require_open(campaign)
            if not campaign.help_types.filter(pk=help_type.pk).exists():
                raise HelpTypeNotInCampaign(title=campaign.title, help_type=help_type.name)
        _lock_resident(phone)
        duplicate = (
            HelpRequest.objects.filter(
                resident_phone=phone,
                help_type=help_type,
                starts_at=starts,
                ends_at=ends,
                status=Status.OPEN,
                created_at__gte=now - DUPLICATE_WINDOW,
            )
            .order_by("pk")
            .first()
        )
        if duplicate is not None:
            return duplicate
        signed_in = actor is not None and actor.is_authenticated
        help_request = HelpRequest(
            campaign=campaign,
            help_type=help_type,
            requester=actor if signed_in and not by_phone else None,
            created_by=actor if signed_in else None,
            resident_name=resident_name,
            resident_phone=phone,
            address=address,
            locality=locality,
            latitude=locality.latitude,
            longitude=locality.longitude,
            starts_at=starts,
            ends_at=ends,
            recurrence=recurrence,
            recurrence_until=recurrence_until,
            language=language,
            volunteers_needed=int(volunteers_needed),
            notes=notes,
            preferred_organization=preferred_organization,
        )
        help_request.full_clean()
        help_request.save()
        audit_record(
            actor=actor,
            action=AuditEntry.Action.CREATE,
            target=help_request,
            request=request,
            details={
                "event": "help_request_create",
                "reference": help_request.reference,
                "by_phone": by_phone,
                "campaign": campaign.slug if campaign else None,
            },
        )
        if can_receive_sms(phone):
            notification_queue_templated(
                channel="sms",
                address=phone,
                template_prefix="volunteering/messages/help_request_receipt",
                context={"help_request": help_request},
                idempotency_key=f"help-request-receipt:{help_request.uuid}",
                language=receipt_language or settings.LANGUAGE_CODE,
            )
    return help_request


def help_request_cancel(
    *,
    help_request: HelpRequest,
    actor: User,
    reason: str,
    request: HttpRequest | None = None,
) -> HelpRequest:
    """Cancel a request that is waiting for or has found a volunteer.

    For coordinators and for the resident who asked (``NotPermitted``
    otherwise). Under a row lock; a done or cancelled request raises
    ``RequestNotCancellable``. The reason is required and kept in the audit log.
    Every live offer of the request ends in the same transaction
    (``offers_withdraw_for_request``): volunteers who were asked or had
    accepted are told they are no longer needed.
    """
    if not actor.has_perm("volunteering.cancel_help_request", help_request):
        raise NotPermitted
    reason = " ".join((reason or "").split())
    if not reason:
        raise InvalidHelpRequest(_("Say why the request is cancelled."), field="reason")
    if len(reason) > REASON_MAX_LENGTH:
        raise InvalidHelpRequest(
            _("Keep the reason under %(count)d characters."),
            field="reason",
            count=REASON_MAX_LENGTH,
        )
    with transaction.atomic():
        help_request = HelpRequest.objects.select_for_update().get(pk=help_request.pk)
        if help_request.status not in (Status.OPEN, Status.MATCHED):
            raise RequestNotCancellable(status=help_request.get_status_display())
        previous = help_request.status
        help_request.status = Status.CANCELLED
        help_request.save(update_fields=["status", "updated_at"])
        withdrawn = offers_withdraw_for_request(
            request=help_request, actor=actor, http_request=request
        )
        audit_record(
            actor=actor,
            action=AuditEntry.Action.CHANGE,
            target=help_request,
            request=request,
            reason=reason,
            details={
                "event": "help_request_cancel",
                "previous_status": previous,
                "reason": reason,
                "by_requester": help_request.requester_id == actor.pk,
                "offers_withdrawn": withdrawn,
            },
        )
    return help_request


# --- Personal data ---------------------------------------------------------------------


def help_requests_export_for_user(user: User) -> list[dict]:
    """What we hold about the requests a resident made with their account."""
    return [
        {
            "reference": r.reference,
            "help_type": r.help_type.name_en,
            "status": r.status,
            "starts_at": r.starts_at.isoformat(),
            "ends_at": r.ends_at.isoformat(),
            "recurrence": r.recurrence,
            "recurrence_until": r.recurrence_until.isoformat() if r.recurrence_until else None,
            "name": r.resident_name,
            "phone": r.resident_phone,
            "address": r.address,
            "locality": r.locality.name_sv,
            "notes": r.notes,
            "created_at": r.created_at.isoformat(),
        }
        for r in HelpRequest.objects.filter(requester=user).select_related("help_type", "locality")
    ]


def help_requests_erase_for_user(user: User) -> None:
    """On erasure of the account: requests still waiting or matched are
    cancelled, and every request the resident made loses their name, phone,
    address and notes and the link to the account. Help type, place, time
    and status stay for anonymous statistics. Runs in the erasure's transaction."""
    requests = HelpRequest.objects.filter(requester=user)
    requests.filter(status__in=[Status.OPEN, Status.MATCHED]).update(status=Status.CANCELLED)
    requests.update(
        requester=None,
        resident_name="",
        resident_phone="",
        address="",
        notes="",
        updated_at=timezone.now(),
    )
