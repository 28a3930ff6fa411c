"""The adapter between the database and the matching engine.

It reads who can help (active, confirmed, not paused volunteers with a free
place this week) and what is needed (open requests with a remaining need
whose time has not passed), turns them into the engine's plain dataclasses,
runs the engine, and stores its proposals as ``Offer(status=proposed)`` with
their score and a machine-readable explanation, which ``explanation_lines``
turns into sentences in the reader's language.

Mapping:

- help types by slug, languages by code; safeguarding from a police-record
  check that is valid today and not revoked;
- availability: the volunteer's ``"<weekday>-<slot>"`` codes (none stored
  means any time) against the slots the request's time window touches
  (:func:`request_slots`);
- capacity: the free places this week (``selectors.capacity``);
- distance: from the coordinates, up to the volunteer's own limit and never
  beyond ``VOLUNTEERING_MAX_DISTANCE_KM``;
- fairness: ``last_asked_at``; continuity: for a recurring request, the
  volunteers who helped the same resident with the same kind of help before;
- exclusions: everyone who already has or had an offer for the request
  (holding one, declined, expired, rejected, withdrawn, stood down), so no one
  is asked twice for the same thing.
"""

from __future__ import annotations

import datetime
import math
from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from tillsammans.audit.models import AuditEntry
from tillsammans.audit.services import audit_record
from tillsammans.volunteering.models import (
    Campaign,
    HelpRequest,
    HelpType,
    Offer,
    Recurrence,
    TimeSlot,
    Volunteer,
    Weekday,
    availability_code,
)
from tillsammans.volunteering.selectors.capacity import (
    open_requests_with_need,
    volunteers_with_free_capacity,
)

if TYPE_CHECKING:
    from django.http import HttpRequest

    from tillsammans.accounts.models import User

STOCKHOLM = ZoneInfo("Europe/Stockholm")
# When each slot of the sign-up form's availability grid runs (local time).
SLOT_HOURS = {
    TimeSlot.MORNING: (8, 12),
    TimeSlot.AFTERNOON: (12, 17),
    TimeSlot.EVENING: (17, 21),
}
# How many feasible candidates per request the engine keeps (its sparse graph).
CANDIDATES_PER_REQUEST = 25
# How many alternatives the coordinator is shown when editing a proposal.
SHORT_LIST = 5
Status = Offer.Status
# Every offer of a request that means its volunteer is not asked for it again.
NOT_AGAIN = tuple(s for s in Status.values if s != Status.PROPOSED)


def _engine():
    # Imported when used: the engine pulls in numpy and OR-Tools.
    import tillsammans.matching as engine

    return engine


# --- Inputs ----------------------------------------------------------------------


def request_slots(help_request: HelpRequest) -> frozenset[str] | None:
    """The ``"<weekday>-<slot>"`` codes the request's time window overlaps
    (at most one week of it). A window outside every slot (at night) sets no
    availability constraint: ``None``."""
    start = help_request.starts_at.astimezone(STOCKHOLM)
    end = help_request.ends_at.astimezone(STOCKHOLM)
    codes: set[str] = set()
    day = start.date()
    last = min(end.date(), start.date() + datetime.timedelta(days=6))
    while day <= last:
        for slot, (first_hour, last_hour) in SLOT_HOURS.items():
            slot_start = datetime.datetime.combine(day, datetime.time(first_hour), STOCKHOLM)
            slot_end = datetime.datetime.combine(day, datetime.time(last_hour), STOCKHOLM)
            if slot_start < end and start < slot_end:
                codes.add(availability_code(day.isoweekday(), slot))
        day += datetime.timedelta(days=1)
    return frozenset(codes) or None


def matchable_requests(
    *, campaign: Campaign | None = None, now: datetime.datetime | None = None
) -> QuerySet[HelpRequest]:
    """Open requests that still need someone and whose time has not passed
    (a recurring one until its last time), outside closed campaigns (whose
    volunteers have been stood down)."""
    now = now or timezone.now()
    today = now.astimezone(STOCKHOLM).date()
    queryset = open_requests_with_need().filter(
        Q(ends_at__gt=now)
        | (
            ~Q(recurrence=Recurrence.ONCE)
            & (Q(recurrence_until__isnull=True) | Q(recurrence_until__gte=today))
        )
    )
    queryset = queryset.exclude(campaign__status=Campaign.Status.CLOSED)
    if campaign is not None:
        queryset = queryset.filter(campaign=campaign)
    return queryset.select_related("help_type", "language").order_by("starts_at", "pk")


def _volunteer_pool(
    *,
    help_type_ids: set[int],
    now: datetime.datetime,
    near: HelpRequest | None = None,
) -> list[Volunteer]:
    through = Volunteer.help_types.through
    queryset = volunteers_with_free_capacity(now=now).filter(
        pk__in=through.objects.filter(helptype_id__in=help_type_ids).values("volunteer_id")
    )
    if near is not None:
        # A box around the request as wide as the furthest anyone travels: the
        # engine measures the real distance, the box only keeps the pool small.
        reach = float(settings.VOLUNTEERING_MAX_DISTANCE_KM)
        lat = float(near.latitude)
        dlat = reach / 111.0
        dlon = reach / max(1e-6, 111.320 * math.cos(math.radians(lat)))
        queryset = queryset.filter(
            latitude__gte=lat - dlat,
            latitude__lte=lat + dlat,
            longitude__gte=float(near.longitude) - dlon,
            longitude__lte=float(near.longitude) + dlon,
        )
    return list(
        queryset.select_related("user", "locality").prefetch_related(
            Prefetch("help_types", queryset=HelpType.objects.only("pk", "slug")),
            "languages",
        )
    )


def _engine_volunteer(volunteer: Volunteer):
    engine = _engine()
    return engine.Volunteer(
        id=volunteer.pk,
        lat=float(volunteer.latitude),
        lon=float(volunteer.longitude),
        help_types=frozenset(h.slug for h in volunteer.help_types.all()),
        languages=frozenset(lang.code for lang in volunteer.languages.all()),
        safeguarding_checked=bool(volunteer.has_valid_safeguarding),
        available_slots=frozenset(volunteer.availability) if volunteer.availability else None,
        capacity=int(volunteer.free_capacity),
        max_distance_km=float(
            min(volunteer.max_distance_km, settings.VOLUNTEERING_MAX_DISTANCE_KM)
        ),
        organization_id=volunteer.organization_id,
        last_asked_at=volunteer.last_asked_at,
    )


def _engine_request(help_request: HelpRequest, *, need: int, previous: frozenset[int]):
    engine = _engine()
    return engine.Request(
        id=help_request.pk,
        lat=float(help_request.latitude),
        lon=float(help_request.longitude),
        help_type=help_request.help_type.slug,
        language=help_request.language.code if help_request.language_id else None,
        needs_safeguarding=help_request.help_type.requires_safeguarding,
        slots=request_slots(help_request),
        volunteers_needed=need,
        previous_volunteer_ids=previous,
        preferred_organization_id=help_request.preferred_organization_id,
    )


def _previous_volunteers(requests: list[HelpRequest]) -> dict[int, frozenset[int]]:
    """For recurring requests: who helped the same resident (same phone) with
    the same kind of help before, on any request."""
    recurring = [r for r in requests if r.recurrence != Recurrence.ONCE]
    if not recurring:
        return {}
    rows = Offer.objects.filter(
        status__in=(Status.ACCEPTED, Status.DONE),
        request__resident_phone__in={r.resident_phone for r in recurring},
        request__help_type_id__in={r.help_type_id for r in recurring},
    ).values_list("request__resident_phone", "request__help_type_id", "volunteer_id")
    helped: dict[tuple[str, int], set[int]] = defaultdict(set)
    for phone, help_type_id, volunteer_id in rows:
        helped[(phone, help_type_id)].add(volunteer_id)
    return {r.pk: frozenset(helped.get((r.resident_phone, r.help_type_id), ())) for r in recurring}


def _excluded_pairs(request_ids: list[int], *, proposed_too: bool) -> set[tuple[int, int]]:
    statuses = Status.values if proposed_too else NOT_AGAIN
    return {
        (volunteer_id, request_id)
        for request_id, volunteer_id in Offer.objects.filter(
            request_id__in=request_ids, status__in=statuses
        ).values_list("request_id", "volunteer_id")
    }


# --- Explanations -------------------------------------------------------------------


def _jsonable(value: Any) -> Any:
    if isinstance(value, tuple | list):
        return [_jsonable(v) for v in value]
    if isinstance(value, float):
        return round(value, 2)
    if isinstance(value, int | str | bool) or value is None:
        return value
    return str(value)


def _explanation(proposal) -> dict[str, Any]:
    runner_up = proposal.runner_up
    return {
        "distance_km": round(float(proposal.distance_km), 2),
        "parts": {str(k): int(v) for k, v in dict(proposal.parts).items()},
        "reasons": [_jsonable(reason) for reason in proposal.reasons],
        "runner_up": None
        if runner_up is None
        else {
            "volunteer_id": runner_up.volunteer_id,
            "score": runner_up.score,
            "distance_km": round(float(runner_up.distance_km), 2),
            "reasons": [_jsonable(reason) for reason in runner_up.reasons],
        },
    }


def _km(value: Any) -> str:
    return number_format(round(float(value), 1), decimal_pos=1)


def _slot_label(code: Any) -> str:
    """``"1-morning"`` → "Monday morning (8–12)"."""
    weekday, _sep, slot = str(code).partition("-")
    try:
        day = Weekday(int(weekday)).label
        period = TimeSlot(slot).label
    except ValueError:
        return str(code)
    return f"{day} {str(period)[:1].lower()}{str(period)[1:]}"


def _language_name(code: Any, languages: dict[str, str]) -> str:
    return languages.get(str(code), str(code))


LACKS = {
    "help_type": lambda p, langs: _("does not offer this kind of help"),
    "language": lambda p, langs: (
        _("does not speak %(language)s") % {"language": _language_name(p[0] if p else "", langs)}
    ),
    "safeguarding": lambda p, langs: _("has no valid police-record check"),
    "availability": lambda p, langs: _("is not available at that time"),
    "capacity": lambda p, langs: _("has no free place this week"),
    "distance": lambda p, langs: (
        _("lives further away than they travel (%(km)s km)") % {"km": _km(p[0] if p else 0)}
    ),
}


def reason_text(reason: list | tuple, languages: dict[str, str] | None = None) -> str:
    """One of the engine's reason codes (see ``tillsammans.matching``) as a
    phrase in the active language; ``languages`` maps codes to names.
    Unknown codes are shown as they are rather than hidden."""
    if not reason:
        return ""
    languages = languages or {}
    code, *params = reason
    first = params[0] if params else None
    if code == "distance_km":
        return _("lives %(km)s km away") % {"km": _km(first)}
    if code == "never_asked":
        return _("has not been asked before")
    if code == "last_asked_days_ago":
        days = int(float(first or 0))
        return ngettext(
            "was last asked %(days)s day ago", "was last asked %(days)s days ago", days
        ) % {"days": days}
    if code == "same_volunteer_as_last_time":
        return _("helped this person last time")
    if code == "preferred_organisation":
        return _("volunteers through the organisation the request prefers")
    if code == "speaks_language":
        return _("speaks %(language)s") % {"language": _language_name(first, languages)}
    if code == "safeguarding_checked":
        return _("police-record check seen")
    if code == "available_at":
        slots = first if isinstance(first, list | tuple) else params
        return _("available: %(slots)s") % {"slots": ", ".join(_slot_label(s) for s in slots)}
    if code == "lacks":
        constraint, *rest = params or [""]
        label = LACKS.get(constraint)
        return label(rest, languages) if label else _("cannot take this request")
    if code == "excluded":
        return _("has already been asked for this request")
    if code == "needed_elsewhere":
        return _("is needed for other requests")
    if code == "lower_score":
        theirs = params[0] if params else 0
        proposed = params[1] if len(params) > 1 else 0
        return _("scores lower overall (%(theirs)s against %(proposed)s)") % {
            "theirs": theirs,
            "proposed": proposed,
        }
    if code == "farther_km":
        return _("lives %(km)s km further away") % {"km": _km(first)}
    if code == "asked_more_recently":
        days = int(float(first or 0))
        return ngettext(
            "was asked more recently (%(days)s day ago)",
            "was asked more recently (%(days)s days ago)",
            days,
        ) % {"days": days}
    if code == "not_previous_volunteer":
        return _("did not help this person last time")
    if code == "not_preferred_organisation":
        return _("is not in the organisation the request prefers")
    if code == "tie":
        return _("is just as good a match; one had to be chosen")
    if code == "not_among_candidates":
        return _("was not among the best candidates looked at")
    return " ".join(str(part) for part in reason)


def explanation_lines(
    explanation: dict[str, Any], languages: dict[str, str] | None = None
) -> tuple[list[str], list[str]]:
    """Why this volunteer (first list) and what the runner-up lacked (second)."""
    why = [reason_text(r, languages) for r in (explanation or {}).get("reasons", [])]
    runner_up = (explanation or {}).get("runner_up") or {}
    lacked = [reason_text(r, languages) for r in runner_up.get("reasons", [])]
    return [w for w in why if w], [w for w in lacked if w]


def language_names() -> dict[str, str]:
    """Language codes → names in the active language (one small query)."""
    from tillsammans.core.models import Language

    return {language.code: language.name for language in Language.objects.all()}


# --- Running -----------------------------------------------------------------------


@dataclass
class Candidate:
    """A feasible volunteer for one request, as the engine ranked them."""

    volunteer: Volunteer
    score: int
    explanation: dict[str, Any]


@dataclass
class RunResult:
    requests: int
    volunteers: int
    proposals: int
    unmatched_places: int
    replaced: int
    stats: dict[str, Any] = field(default_factory=dict)


def _run_engine(volunteers, requests, *, exclude_pairs, now, k=CANDIDATES_PER_REQUEST):
    engine = _engine()
    return engine.match(
        volunteers,
        requests,
        k=k,
        mode="exact",
        exclude_pairs=frozenset(exclude_pairs),
        max_distance_km=float(settings.VOLUNTEERING_MAX_DISTANCE_KM),
        now=now,
    )


def matching_run(
    *,
    actor: User,
    campaign: Campaign | None = None,
    request: HttpRequest | None = None,
) -> RunResult:
    """Propose volunteers for every open request of ``campaign`` (or for all
    open requests) that still needs someone.

    The engine's proposals replace the earlier proposals of those requests
    that no coordinator has confirmed (they are deleted: they were never sent
    and nobody saw them but coordinators). Requests are locked in ascending
    order while the proposals are written, so two runs at once do not mix
    their proposals; no volunteer row is locked (a proposal holds no place;
    ``offer_send`` checks capacity when it is confirmed). The run is audited
    with the engine's figures.
    """
    now = timezone.now()
    requests = list(matchable_requests(campaign=campaign, now=now))
    request_ids = [r.pk for r in requests]
    volunteers = (
        _volunteer_pool(help_type_ids={r.help_type_id for r in requests}, now=now)
        if requests
        else []
    )
    previous = _previous_volunteers(requests)
    excluded = _excluded_pairs(request_ids, proposed_too=False)
    engine_requests = [
        _engine_request(r, need=r.remaining_need, previous=previous.get(r.pk, frozenset()))
        for r in requests
    ]
    engine_volunteers = [_engine_volunteer(v) for v in volunteers]
    result = (
        _run_engine(engine_volunteers, engine_requests, exclude_pairs=excluded, now=now)
        if requests and volunteers
        else None
    )
    with transaction.atomic():
        locked = list(
            HelpRequest.objects.select_for_update()
            .filter(pk__in=request_ids, status=HelpRequest.Status.OPEN)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        replaced, _details = Offer.objects.filter(
            request_id__in=locked, status=Status.PROPOSED
        ).delete()
        still_open = set(locked)
        taken = _excluded_pairs(locked, proposed_too=True)
        new_offers = [
            Offer(
                request_id=p.request_id,
                volunteer_id=p.volunteer_id,
                status=Status.PROPOSED,
                score=int(p.score),
                explanation=_explanation(p),
            )
            for p in (result.proposals if result else [])
            if p.request_id in still_open and (p.volunteer_id, p.request_id) not in taken
        ]
        Offer.objects.bulk_create(new_offers)
        stats = _stats(result, requests=len(requests), volunteers=len(volunteers))
        audit_record(
            actor=actor,
            action=AuditEntry.Action.CREATE,
            target=campaign,
            target_type="" if campaign else "volunteering.matching_run",
            target_id="" if campaign else "all-open-requests",
            target_label="" if campaign else "Matching: all open requests",
            request=request,
            details={
                "event": "matching_run",
                "campaign": str(campaign.uuid) if campaign else None,
                "proposals": len(new_offers),
                "replaced_proposals": replaced,
                **stats,
            },
        )
    return RunResult(
        requests=len(requests),
        volunteers=len(volunteers),
        proposals=len(new_offers),
        unmatched_places=sum(result.unmatched.values())
        if result
        else sum(r.remaining_need for r in requests),
        replaced=replaced,
        stats=stats,
    )


def _stats(result, *, requests: int, volunteers: int) -> dict[str, Any]:
    if result is None:
        return {"requests": requests, "volunteers": volunteers, "total_score": 0}
    stats = result.stats
    return {
        "requests": requests,
        "volunteers": volunteers,
        "total_score": int(result.total_score),
        "places_needed": int(stats.places_needed),
        "places_filled": int(stats.places_filled),
        "proven_optimal": bool(stats.proven_optimal),
        "mode": stats.mode,
        "seconds": {k: round(float(v), 4) for k, v in dict(stats.seconds).items()},
    }


def request_candidates(
    *,
    help_request: HelpRequest,
    limit: int = SHORT_LIST,
    include_proposed: bool = True,
    now: datetime.datetime | None = None,
) -> list[Candidate]:
    """The best feasible volunteers for one request, best first, at most
    ``limit``: the engine run for this request alone, as if it needed
    ``limit`` volunteers. Everyone who has or had an offer for it is left
    out, except (with ``include_proposed``) those merely proposed. Used for
    the next-best candidate after a decline or expiry and for a
    coordinator's short list when editing a proposal."""
    now = now or timezone.now()
    if limit < 1:
        return []
    volunteers = _volunteer_pool(
        help_type_ids={help_request.help_type_id}, now=now, near=help_request
    )
    if not volunteers:
        return []
    excluded = _excluded_pairs([help_request.pk], proposed_too=not include_proposed)
    previous = _previous_volunteers([help_request]).get(help_request.pk, frozenset())
    engine_request = _engine_request(
        HelpRequest.objects.select_related("help_type", "language").get(pk=help_request.pk),
        need=limit,
        previous=previous,
    )
    result = _run_engine(
        [_engine_volunteer(v) for v in volunteers],
        [engine_request],
        exclude_pairs=excluded,
        now=now,
        k=max(CANDIDATES_PER_REQUEST, limit),
    )
    by_id = {v.pk: v for v in volunteers}
    ranked = sorted(result.proposals, key=lambda p: (-p.score, p.distance_km, str(p.volunteer_id)))
    return [
        Candidate(volunteer=by_id[p.volunteer_id], score=int(p.score), explanation=_explanation(p))
        for p in ranked[:limit]
    ]
