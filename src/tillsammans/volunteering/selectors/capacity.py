"""How much a volunteer can still be asked this week, and how many volunteers a
request still needs.

A volunteer's used capacity is the number of their offers that hold a place
(sent, accepted) or are done, sent in the current ISO week in
Europe/Stockholm. Free capacity is ``max_requests_per_week`` minus that; a
volunteer who is paused, unverified or has left has none. A request's
remaining need is ``volunteers_needed`` minus its offers that are sent,
accepted or done.

Every service that creates or sends offers reads these, under the row locks
it holds (see ``services.offers``), so the numbers are exact at that moment.
"""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

from django.db.models import Count, Exists, IntegerField, OuterRef, Q, QuerySet, Value
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone

from tillsammans.volunteering.models import (
    HelpRequest,
    Offer,
    SafeguardingCheck,
    Volunteer,
    VolunteerStatus,
)

STOCKHOLM = ZoneInfo("Europe/Stockholm")

# Offers that count against a volunteer's week and a request's need.
COUNTING = (*Offer.HOLDING, Offer.Status.DONE)


def week_bounds(
    now: datetime.datetime | None = None,
) -> tuple[datetime.datetime, datetime.datetime]:
    """Start (Monday 00:00) and end (next Monday 00:00) of the ISO week that
    holds ``now``, in Europe/Stockholm, as aware datetimes."""
    local = (now or timezone.now()).astimezone(STOCKHOLM)
    monday = local.date() - datetime.timedelta(days=local.isoweekday() - 1)
    start = datetime.datetime.combine(monday, datetime.time.min, tzinfo=STOCKHOLM)
    end = datetime.datetime.combine(
        monday + datetime.timedelta(days=7), datetime.time.min, tzinfo=STOCKHOLM
    )
    return start, end


def askable_volunteers(*, now: datetime.datetime | None = None) -> QuerySet[Volunteer]:
    """Volunteers who may be asked at all: active, with a confirmed e-mail
    address or mobile number, and not paused."""
    today = (now or timezone.now()).astimezone(STOCKHOLM).date()
    return (
        Volunteer.objects.filter(status=VolunteerStatus.ACTIVE)
        .filter(Q(email_verified_at__isnull=False) | Q(phone_verified_at__isnull=False))
        .filter(Q(paused_until__isnull=True) | Q(paused_until__lt=today))
    )


def with_used_capacity(
    queryset: QuerySet[Volunteer], *, now: datetime.datetime | None = None
) -> QuerySet[Volunteer]:
    """Annotate ``used_capacity`` and ``free_capacity`` (never below 0)."""
    start, end = week_bounds(now)
    return queryset.annotate(
        used_capacity=Count(
            "offers",
            filter=Q(
                offers__status__in=COUNTING,
                offers__sent_at__gte=start,
                offers__sent_at__lt=end,
            ),
        )
    ).annotate(
        free_capacity=Greatest(
            Value(0, output_field=IntegerField()),
            Coalesce("max_requests_per_week", 0) - Coalesce("used_capacity", 0),
        )
    )


def volunteers_with_free_capacity(*, now: datetime.datetime | None = None) -> QuerySet[Volunteer]:
    """Askable volunteers with at least one free place this week, annotated
    with ``free_capacity`` and ``has_valid_safeguarding``."""
    return with_safeguarding(
        with_used_capacity(askable_volunteers(now=now), now=now).filter(free_capacity__gt=0),
        now=now,
    )


def with_safeguarding(
    queryset: QuerySet[Volunteer], *, now: datetime.datetime | None = None
) -> QuerySet[Volunteer]:
    """Annotate ``has_valid_safeguarding``: a coordinator saw a police-record
    extract that need not be renewed yet."""
    today = (now or timezone.now()).astimezone(STOCKHOLM).date()
    return queryset.annotate(
        has_valid_safeguarding=Exists(
            SafeguardingCheck.objects.filter(
                volunteer=OuterRef("pk"), valid_until__gte=today, revoked_at__isnull=True
            )
        )
    )


def volunteer_used_capacity(volunteer: Volunteer, *, now: datetime.datetime | None = None) -> int:
    start, end = week_bounds(now)
    return Offer.objects.filter(
        volunteer=volunteer, status__in=COUNTING, sent_at__gte=start, sent_at__lt=end
    ).count()


def volunteer_is_askable(volunteer: Volunteer, *, now: datetime.datetime | None = None) -> bool:
    today = (now or timezone.now()).astimezone(STOCKHOLM).date()
    return (
        volunteer.status == VolunteerStatus.ACTIVE
        and volunteer.is_verified
        and (volunteer.paused_until is None or volunteer.paused_until < today)
    )


def volunteer_free_capacity(volunteer: Volunteer, *, now: datetime.datetime | None = None) -> int:
    """How many more offers this volunteer may be sent this week (0 when they
    may not be asked at all)."""
    if not volunteer_is_askable(volunteer, now=now):
        return 0
    return max(0, volunteer.max_requests_per_week - volunteer_used_capacity(volunteer, now=now))


def with_remaining_need(queryset: QuerySet[HelpRequest]) -> QuerySet[HelpRequest]:
    """Annotate ``filled`` (offers sent, accepted or done) and
    ``remaining_need`` (never below 0)."""
    return queryset.annotate(
        filled=Count("offers", filter=Q(offers__status__in=COUNTING))
    ).annotate(
        remaining_need=Greatest(
            Value(0, output_field=IntegerField()),
            Coalesce("volunteers_needed", 0) - Coalesce("filled", 0),
        )
    )


def request_filled(help_request: HelpRequest) -> int:
    return help_request.offers.filter(status__in=COUNTING).count()


def request_remaining_need(help_request: HelpRequest) -> int:
    """How many more volunteers the request needs (0 when it is not open)."""
    if help_request.status != HelpRequest.Status.OPEN:
        return 0
    return max(0, help_request.volunteers_needed - request_filled(help_request))


def open_requests_with_need() -> QuerySet[HelpRequest]:
    """Open requests that still need someone, annotated with ``remaining_need``."""
    return with_remaining_need(HelpRequest.objects.filter(status=HelpRequest.Status.OPEN)).filter(
        remaining_need__gt=0
    )


def volunteer_safeguarding_valid(
    volunteer: Volunteer, *, now: datetime.datetime | None = None
) -> bool:
    """A coordinator saw a police-record extract that need not be renewed yet."""
    today = (now or timezone.now()).astimezone(STOCKHOLM).date()
    return SafeguardingCheck.objects.filter(
        volunteer=volunteer, valid_until__gte=today, revoked_at__isnull=True
    ).exists()
