"""Inquiries: submitting, routing, taking over and calling back.

Case numbers (``Ä-2026-0001``) come from a counter row per year, locked while
the next number is taken, so simultaneous inquiries never share one. The
status link's secret is given out once; only its SHA-256 is stored.
"""

from __future__ import annotations

import datetime
import hashlib
import secrets
from dataclasses import dataclass
from functools import lru_cache

import holidays
from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tillsammans.audit.models import AuditEntry
from tillsammans.audit.services import audit_record
from tillsammans.core.errors import DomainError, NotPermitted
from tillsammans.core.phone import normalise_phone
from tillsammans.inquiries.models import (
    TEXT_MAX_LENGTH,
    CallBack,
    CaseNumberCounter,
    Category,
    ContactLanguage,
    Handover,
    Inquiry,
    InquiryStatus,
)
from tillsammans.notifications.addresses import normalise_email
from tillsammans.notifications.services import notification_queue_templated


class InquiryError(DomainError):
    field: str | None = None

    def __init__(self, message=None, *, field: str | None = None, **params):
        if field is not None:
            self.field = field
        super().__init__(message, **params)


class TextMissing(InquiryError):
    message = _("Write what you want to ask or tell us.")
    field = "text"


class TextTooLong(InquiryError):
    message = _("Write at most %(limit)s characters.")
    field = "text"


class ContactMissing(InquiryError):
    message = _("Give a phone number or an e-mail address so that we can reach you.")
    field = "phone"


class InvalidPhone(InquiryError):
    message = _("Write the phone number with digits only, e.g. 070-123 45 67.")
    field = "phone"


class InvalidEmail(InquiryError):
    message = _("Write the e-mail address like name@example.se.")
    field = "email"


class CategoryInvalid(InquiryError):
    message = _("Choose one of the subjects in the list.")
    field = "category"


class UnderSixteenTooMuch(InquiryError):
    message = _(
        "If you are under 16, give only your first name and one way to reach you: "
        "a phone number or an e-mail address."
    )
    field = "name"


class ConsentMissing(InquiryError):
    message = _(
        "The person has not agreed that the inquiry is passed to an organisation. "
        "Route it to a department or a staff member."
    )
    field = "organization"


class RouteMissing(InquiryError):
    message = _("Choose exactly one: a department, a staff member or an organisation.")
    field = None


class InquiryClosed(InquiryError):
    message = _("The inquiry is closed.")


class OutcomeMissing(InquiryError):
    message = _("Write what was said.")
    field = "outcome"


# --- Working days ---------------------------------------------------------------------------


@lru_cache(maxsize=16)
def _swedish_holidays(year: int) -> frozenset[datetime.date]:
    """Public holidays, and the eves that are days off in practice
    (midsommarafton, julafton, nyårsafton). Weekends are checked apart."""
    days = set(holidays.Sweden(years=year, include_sundays=False))
    june_20 = datetime.date(year, 6, 20)
    midsummer = june_20 + datetime.timedelta(days=(5 - june_20.weekday()) % 7)  # a Saturday
    days |= {
        midsummer - datetime.timedelta(days=1),
        datetime.date(year, 12, 24),
        datetime.date(year, 12, 31),
    }
    return frozenset(days)


def is_working_day(day: datetime.date) -> bool:
    return day.weekday() < 5 and day not in _swedish_holidays(day.year)


def working_days_after(day: datetime.date, n: int) -> datetime.date:
    """The ``n``-th working day after ``day`` (Monday to Friday, not a Swedish
    public holiday nor midsommarafton, julafton or nyårsafton)."""
    current = day
    remaining = n
    while remaining > 0:
        current += datetime.timedelta(days=1)
        if is_working_day(current):
            remaining -= 1
    return current


def first_contact_days() -> int:
    return settings.INQUIRIES_FIRST_CONTACT_DAYS


# --- Case numbers and links -----------------------------------------------------------------


def status_token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _next_case_number(year: int) -> str:
    """Call inside a transaction: the year's counter stays locked until it ends."""
    CaseNumberCounter.objects.bulk_create([CaseNumberCounter(year=year)], ignore_conflicts=True)
    counter = CaseNumberCounter.objects.select_for_update().get(year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return f"Ä-{year}-{counter.last:04d}"


@dataclass(frozen=True)
class Submitted:
    inquiry: Inquiry
    case_number: str
    status_url: str


def inquiry_submit(
    *,
    category: Category | None,
    text: str,
    name: str = "",
    phone: str = "",
    email: str = "",
    preferred_time: str = "",
    language: str = ContactLanguage.SV,
    under_16: bool = False,
    consent_to_organization: bool = False,
    actor=None,
    request=None,
) -> Submitted:
    """File an inquiry (on the web, or by staff on the phone: ``actor``).

    Returns the case number and the secret status link (shown once). A
    receipt with the link goes by e-mail when an address was given."""
    text = (text or "").strip()
    if not text:
        raise TextMissing()
    if len(text) > TEXT_MAX_LENGTH:
        raise TextTooLong(limit=TEXT_MAX_LENGTH)
    if category is None or not category.is_active:
        raise CategoryInvalid()
    name = (name or "").strip()
    phone = (phone or "").strip()
    email = (email or "").strip()
    if not phone and not email:
        raise ContactMissing()
    if phone:
        phone = normalise_phone(phone) or ""
        if not phone:
            raise InvalidPhone()
    if email:
        email = normalise_email(email) or ""
        if not email:
            raise InvalidEmail()
    if under_16:
        # Nobody under 16 is asked for more than a first name and one way to be reached.
        if (phone and email) or len(name.split()) > 1 or (preferred_time or "").strip():
            raise UnderSixteenTooMuch()
        consent_to_organization = False
    if language not in ContactLanguage.values:
        language = ContactLanguage.SV
    token = secrets.token_urlsafe(24)
    now = timezone.now()
    with transaction.atomic():
        inquiry = Inquiry.objects.create(
            case_number=_next_case_number(timezone.localdate(now).year),
            category=category,
            text=text,
            name=name[:150],
            phone=phone,
            email=email,
            preferred_time=(preferred_time or "").strip()[:200],
            language=language,
            under_16=under_16,
            consent_to_organization=consent_to_organization,
            first_contact_due=working_days_after(timezone.localdate(now), first_contact_days()),
            status_token_hash=status_token_hash(token),
            filed_by=actor if actor is not None and actor.is_authenticated else None,
        )
        audit_record(
            actor=actor,
            action=AuditEntry.Action.CREATE,
            target=inquiry,
            request=request,
            details={"event": "inquiry_submit", "category": category.slug},
        )
        status_url = settings.SITE_URL + reverse("inquiries:status", kwargs={"token": token})
        if email:
            notification_queue_templated(
                channel="email",
                address=email,
                template_prefix="inquiries/email/receipt",
                context={"inquiry": inquiry, "status_url": status_url},
                idempotency_key=f"inquiry-receipt:{inquiry.uuid}",
                language=language,
            )
    return Submitted(inquiry=inquiry, case_number=inquiry.case_number, status_url=status_url)


def inquiry_by_token(token: str) -> Inquiry | None:
    if not token or len(token) > 100:
        return None
    return (
        Inquiry.objects.select_related(
            "category", "routed_to_department", "routed_to_user", "routed_to_organization"
        )
        .filter(status_token_hash=status_token_hash(token))
        .first()
    )


# --- Routing --------------------------------------------------------------------------------


def _handover(inquiry: Inquiry, *, actor, note: str, to: dict) -> Handover:
    return Handover.objects.create(
        inquiry=inquiry,
        from_department_id=inquiry.routed_to_department_id,
        from_user_id=inquiry.routed_to_user_id,
        from_organization_id=inquiry.routed_to_organization_id,
        to_department=to.get("department"),
        to_user=to.get("user"),
        to_organization=to.get("organization"),
        note=(note or "").strip()[:1000],
        by=actor,
    )


def inquiry_route(
    *, inquiry: Inquiry, actor, department=None, user=None, organization=None, note="", request=None
) -> Inquiry:
    """Triage staff route the inquiry to a department, a named staff member or,
    only with the person's consent, an organisation. Kept as a Handover."""
    if not actor.has_perm("inquiries.triage"):
        raise NotPermitted()
    if sum(x is not None for x in (department, user, organization)) != 1:
        raise RouteMissing()
    with transaction.atomic():
        inquiry = Inquiry.objects.select_for_update().get(pk=inquiry.pk)
        if inquiry.status == InquiryStatus.CLOSED:
            raise InquiryClosed()
        if organization is not None and not inquiry.consent_to_organization:
            raise ConsentMissing()
        _handover(
            inquiry,
            actor=actor,
            note=note,
            to={"department": department, "user": user, "organization": organization},
        )
        inquiry.routed_to_department = department
        inquiry.routed_to_user = user
        inquiry.routed_to_organization = organization
        inquiry.status = InquiryStatus.ROUTED
        inquiry.save(
            update_fields=[
                "routed_to_department",
                "routed_to_user",
                "routed_to_organization",
                "status",
            ]
        )
        audit_record(
            actor=actor,
            action=AuditEntry.Action.CHANGE,
            target=inquiry,
            request=request,
            details={
                "event": "inquiry_route",
                "department": department.slug if department else None,
                "user": user.pk if user else None,
                "organization": organization.slug if organization else None,
            },
        )
    return inquiry


def inquiry_take_over(*, inquiry: Inquiry, actor, note: str = "", request=None) -> Inquiry:
    """A staff member who may see the inquiry takes it over: it becomes theirs."""
    with transaction.atomic():
        inquiry = Inquiry.objects.select_for_update().get(pk=inquiry.pk)
        if not actor.has_perm("inquiries.view_inquiry", inquiry):
            raise NotPermitted()
        if inquiry.status == InquiryStatus.CLOSED:
            raise InquiryClosed()
        _handover(inquiry, actor=actor, note=note, to={"user": actor})
        inquiry.routed_to_user = actor
        inquiry.routed_to_organization = None
        inquiry.status = InquiryStatus.IN_PROGRESS
        inquiry.save(update_fields=["routed_to_user", "routed_to_organization", "status"])
        audit_record(
            actor=actor,
            action=AuditEntry.Action.CHANGE,
            target=inquiry,
            request=request,
            details={"event": "inquiry_take_over"},
        )
    return inquiry


def callback_record(
    *, inquiry: Inquiry, actor, outcome: str, close: bool = False, request=None
) -> CallBack:
    """The receiver called the person back: what was said; closes if asked."""
    outcome = (outcome or "").strip()
    with transaction.atomic():
        inquiry = Inquiry.objects.select_for_update().get(pk=inquiry.pk)
        if not actor.has_perm("inquiries.record_callback", inquiry):
            raise NotPermitted()
        if not outcome:
            raise OutcomeMissing()
        if inquiry.status == InquiryStatus.CLOSED:
            raise InquiryClosed()
        now = timezone.now()
        callback = CallBack.objects.create(
            inquiry=inquiry, by=actor, at=now, outcome=outcome[:2000]
        )
        fields = []
        if inquiry.first_contact_at is None:
            inquiry.first_contact_at = now
            fields.append("first_contact_at")
        if close:
            inquiry.status = InquiryStatus.CLOSED
            inquiry.closed_at = now
            fields += ["status", "closed_at"]
        elif inquiry.status in (InquiryStatus.NEW, InquiryStatus.ROUTED):
            inquiry.status = InquiryStatus.IN_PROGRESS
            fields.append("status")
        if fields:
            inquiry.save(update_fields=fields)
        audit_record(
            actor=actor,
            action=AuditEntry.Action.CHANGE,
            target=inquiry,
            request=request,
            details={"event": "callback_record", "closed": close},
        )
    return callback
