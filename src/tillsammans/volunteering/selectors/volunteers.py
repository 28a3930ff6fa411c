"""Reading volunteers: who the current volunteer is, the coordinators' list,
police-record checks, and everything stored about one volunteer.

``current_volunteer(request)`` is how every page for volunteers knows whom it
serves: a volunteer needs no account, so it is the volunteer linked to the
signed-in user, else the one whose personal link was opened in this session.
"""

from __future__ import annotations

import uuid as uuid_lib
from collections.abc import Mapping
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils import timezone

from tillsammans.organizations.models import Organization
from tillsammans.volunteering.models import (
    Campaign,
    CampaignSignup,
    Offer,
    SafeguardingCheck,
    TimeSlot,
    Volunteer,
    VolunteerStatus,
    Weekday,
    availability_code,
)

if TYPE_CHECKING:
    from django.http import HttpRequest

# The session remembers the volunteer whose personal link was opened.
SESSION_KEY = "volunteering_volunteer"


# --- Who is the volunteer here ----------------------------------------------------------


def current_volunteer(request: HttpRequest) -> Volunteer | None:
    """The volunteer linked to the signed-in user, else the one whose personal
    link was opened in this session, else None. Never a volunteer who left.
    One query, cached on the request."""
    if hasattr(request, "_current_volunteer"):
        return request._current_volunteer
    volunteers = Volunteer.objects.exclude(status=VolunteerStatus.LEFT).select_related(
        "locality", "organization"
    )
    volunteer = None
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        volunteer = volunteers.filter(user=user).first()
    if volunteer is None:
        remembered = request.session.get(SESSION_KEY)
        try:
            remembered_uuid = uuid_lib.UUID(str(remembered)) if remembered else None
        except ValueError:
            remembered_uuid = None
        if remembered_uuid is not None:
            volunteer = volunteers.filter(uuid=remembered_uuid).first()
    request._current_volunteer = volunteer
    return volunteer


def remember_volunteer(request: HttpRequest, volunteer: Volunteer) -> None:
    """After the personal link was opened: this session acts for ``volunteer``
    (a new session key, so a session id known before cannot be used)."""
    request.session.cycle_key()
    request.session[SESSION_KEY] = str(volunteer.uuid)
    request._current_volunteer = volunteer


def forget_volunteer(request: HttpRequest) -> None:
    request.session.pop(SESSION_KEY, None)
    request._current_volunteer = None


# --- Pauses and police-record checks -----------------------------------------------------


def volunteer_is_paused(volunteer: Volunteer, *, on: date | None = None) -> bool:
    """Paused until further notice (status ``paused``) or up to a date not yet passed."""
    on = on or timezone.localdate()
    return volunteer.status == VolunteerStatus.PAUSED or (
        volunteer.paused_until is not None and volunteer.paused_until >= on
    )


def paused_q(*, on: date | None = None) -> Q:
    """The same as ``volunteer_is_paused``, for a queryset filter."""
    on = on or timezone.localdate()
    return Q(status=VolunteerStatus.PAUSED) | Q(status=VolunteerStatus.ACTIVE, paused_until__gte=on)


def _valid_checks(on: date) -> QuerySet[SafeguardingCheck]:
    return SafeguardingCheck.objects.filter(revoked_at__isnull=True, valid_until__gte=on)


def safeguarding_valid(volunteer: Volunteer, *, on: date | None = None) -> bool:
    """A coordinator has seen the volunteer's police-record extract and it need
    not be renewed before ``on`` (default today)."""
    on = on or timezone.localdate()
    return _valid_checks(on).filter(volunteer=volunteer).exists()


def with_safeguarding_valid(
    queryset: QuerySet[Volunteer], *, on: date | None = None
) -> QuerySet[Volunteer]:
    """Annotate ``safeguarding_valid`` (bool) and ``safeguarding_valid_until``
    (the latest renewal date of a valid check, or None) for the matching
    adapter and the lists: no extra query per volunteer."""
    on = on or timezone.localdate()
    valid = _valid_checks(on).filter(volunteer=OuterRef("pk"))
    return queryset.annotate(
        safeguarding_valid=Exists(valid),
        safeguarding_valid_until=Subquery(valid.order_by("-valid_until").values("valid_until")[:1]),
    )


def safeguarding_checks_of(volunteer: Volunteer) -> QuerySet[SafeguardingCheck]:
    """Every check of the volunteer, newest first, with who recorded and revoked it."""
    return volunteer.safeguarding_checks.select_related("checked_by", "revoked_by").order_by(
        "-checked_at", "-pk"
    )


def volunteers_safeguarding_expiring(
    *, within_days: int = 30, on: date | None = None
) -> QuerySet[Volunteer]:
    """Volunteers (not left) whose police-record check must be renewed within
    ``within_days`` and who have no later valid check; soonest first."""
    on = on or timezone.localdate()
    return (
        with_safeguarding_valid(
            Volunteer.objects.exclude(status=VolunteerStatus.LEFT).select_related("locality"),
            on=on,
        )
        .filter(
            safeguarding_valid_until__gte=on,
            safeguarding_valid_until__lte=on + timedelta(days=within_days),
        )
        .order_by("safeguarding_valid_until", "full_name", "pk")
    )


def availability_display(codes) -> list[tuple[str, list[str]]]:
    """``["1-morning", "1-evening"]`` → ``[("Monday", ["Morning (8–12)", "Evening (17–21)"])]``,
    in weekday order; empty when any time suits."""
    chosen = set(codes or [])
    rows = []
    for day in Weekday:
        slots = [
            str(slot.label)
            for slot in TimeSlot
            if availability_code(day.value, slot.value) in chosen
        ]
        if slots:
            rows.append((str(day.label), slots))
    return rows


# --- Coordinators' list and detail ---------------------------------------------------------

STATUS_FILTERS = ("active", "paused", "unverified", "left")


def volunteer_list(
    filters: Mapping[str, Any] | None = None, *, on: date | None = None
) -> QuerySet[Volunteer]:
    """Volunteers for the coordinators' list, with what a row shows (locality,
    organisation, languages, help types, whether checked) in a fixed number of
    queries. Filters: ``q`` (name, e-mail or phone), ``locality``,
    ``language``, ``help_type``, ``status`` (one of ``STATUS_FILTERS``;
    without it, everyone who has not left)."""
    filters = filters or {}
    on = on or timezone.localdate()
    queryset = Volunteer.objects.select_related("locality", "organization").prefetch_related(
        "languages", "help_types"
    )
    status = filters.get("status") or ""
    if status == "active":
        queryset = queryset.filter(status=VolunteerStatus.ACTIVE).exclude(paused_q(on=on))
    elif status == "paused":
        queryset = queryset.filter(paused_q(on=on))
    elif status == "unverified":
        queryset = queryset.filter(status=VolunteerStatus.UNVERIFIED)
    elif status == "left":
        queryset = queryset.filter(status=VolunteerStatus.LEFT)
    else:
        queryset = queryset.exclude(status=VolunteerStatus.LEFT)
    if filters.get("locality"):
        queryset = queryset.filter(locality=filters["locality"])
    if filters.get("language"):
        queryset = queryset.filter(languages=filters["language"])
    if filters.get("help_type"):
        queryset = queryset.filter(help_types=filters["help_type"])
    text = (filters.get("q") or "").strip()
    if text:
        queryset = queryset.filter(
            Q(full_name__icontains=text) | Q(email__icontains=text) | Q(phone__contains=text)
        )
    return with_safeguarding_valid(queryset, on=on).order_by("full_name", "pk")


def volunteer_for_coordinator(uuid) -> QuerySet[Volunteer]:
    """One volunteer with everything the coordinator's page shows."""
    return (
        with_safeguarding_valid(Volunteer.objects.filter(uuid=uuid))
        .select_related("locality", "organization", "user")
        .prefetch_related(
            "languages",
            "help_types",
            "skills",
            Prefetch(
                "campaign_signups",
                queryset=CampaignSignup.objects.select_related("campaign").prefetch_related(
                    "campaign__questions"
                ),
            ),
        )
    )


def volunteer_for_self(volunteer: Volunteer) -> Volunteer:
    """The volunteer with what their own page shows (relations prefetched)."""
    return (
        with_safeguarding_valid(Volunteer.objects.filter(pk=volunteer.pk))
        .select_related("locality", "organization")
        .prefetch_related(
            "languages",
            "help_types",
            "skills",
            Prefetch(
                "campaign_signups", queryset=CampaignSignup.objects.select_related("campaign")
            ),
        )
        .get()
    )


def public_organizations() -> QuerySet[Organization]:
    """Organisations a volunteer may say they volunteer through."""
    return Organization.objects.public().order_by("name")


def campaign_for_signup(slug: str) -> QuerySet[Campaign]:
    return Campaign.objects.filter(slug=slug).prefetch_related("help_types", "questions")


# --- Everything about one volunteer (export) -------------------------------------------------


def volunteer_data(volunteer: Volunteer) -> dict[str, Any]:
    """Everything stored about the volunteer, JSON-serialisable (with
    DjangoJSONEncoder): their details, campaign answers, police-record checks
    (dates only: no document is ever stored) and offers (without the details
    of the people helped, which are not the volunteer's data)."""
    volunteer = (
        Volunteer.objects.select_related("locality", "organization", "user")
        .prefetch_related("languages", "help_types", "skills")
        .get(pk=volunteer.pk)
    )
    signups = CampaignSignup.objects.filter(volunteer=volunteer).select_related("campaign")
    questions = {
        str(question.pk): question.text
        for signup in signups
        for question in signup.campaign.questions.all()
    }
    return {
        "id": str(volunteer.uuid),
        "status": volunteer.status,
        "name": volunteer.full_name,
        "email": volunteer.email,
        "email_confirmed_at": volunteer.email_verified_at,
        "phone": volunteer.phone,
        "phone_confirmed_at": volunteer.phone_verified_at,
        "account": volunteer.user.email if volunteer.user else None,
        "postal_code": volunteer.postal_code,
        "locality": volunteer.locality.name_sv,
        "coordinates": [volunteer.latitude, volunteer.longitude],
        "max_distance_km": volunteer.max_distance_km,
        "languages": [language.code for language in volunteer.languages.all()],
        "help_types": [help_type.slug for help_type in volunteer.help_types.all()],
        "skills": [skill.slug for skill in volunteer.skills.all()],
        "availability": list(volunteer.availability),
        "max_requests_per_week": volunteer.max_requests_per_week,
        "organization": volunteer.organization.name if volunteer.organization else None,
        "paused_until": volunteer.paused_until,
        "language_of_messages": volunteer.language,
        "consent_version": volunteer.consent_version,
        "consented_at": volunteer.consented_at,
        "signed_up_at": volunteer.created_at,
        "last_asked_at": volunteer.last_asked_at,
        "left_at": volunteer.left_at,
        "campaigns": [
            {
                "campaign": signup.campaign.title,
                "signed_up_at": signup.created_at,
                "answers": {
                    questions.get(key, key): answer for key, answer in signup.answers.items()
                },
            }
            for signup in signups
        ],
        "police_record_checks": [
            {
                "extract_issued_on": check.extract_issued_on,
                "valid_until": check.valid_until,
                "recorded_at": check.checked_at,
                "revoked_at": check.revoked_at,
            }
            for check in volunteer.safeguarding_checks.order_by("checked_at")
        ],
        "offers": [
            {
                "help_type": offer.request.help_type.slug,
                "locality": offer.request.locality.name_sv,
                "status": offer.status,
                "sent_at": offer.sent_at,
                "responded_at": offer.responded_at,
                "done_at": offer.done_at,
                "minutes_spent": offer.minutes_spent,
            }
            for offer in Offer.objects.filter(volunteer=volunteer)
            .select_related("request__help_type", "request__locality")
            .order_by("proposed_at")
        ],
    }
