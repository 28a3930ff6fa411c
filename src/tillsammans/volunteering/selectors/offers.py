"""Reads of offers, assignments and concerns, with what their pages need
joined in (a fixed number of queries per page)."""

from __future__ import annotations

import datetime
import hashlib

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from tillsammans.volunteering.models import Campaign, Concern, HelpRequest, Offer, Volunteer

Status = Offer.Status


def offer_details_visible(
    offer: Offer, volunteer: Volunteer | None, *, now: datetime.datetime | None = None
) -> bool:
    """May this volunteer see the resident's name, address and phone through
    this offer? Only its own volunteer, while it is accepted, or done and
    before ``details_visible_until``. Works for volunteers without an account
    (``current_volunteer`` from the session) as well as with one."""
    if offer is None or volunteer is None or offer.volunteer_id != volunteer.pk:
        return False
    if offer.status == Status.ACCEPTED:
        return True
    return (
        offer.status == Status.DONE
        and offer.details_visible_until is not None
        and offer.details_visible_until > (now or timezone.now())
    )


def _with_request(queryset: QuerySet[Offer]) -> QuerySet[Offer]:
    return queryset.select_related(
        "request", "request__help_type", "request__locality", "request__language"
    )


def offer_by_token(raw_token: str) -> Offer | None:
    """The offer a response link points to (the link holds the secret; only
    its SHA-256 is stored)."""
    if not raw_token or len(raw_token) > 100:
        return None
    digest = hashlib.sha256(raw_token.encode()).hexdigest()
    return (
        _with_request(Offer.objects.filter(response_token_hash=digest))
        .select_related("volunteer", "volunteer__user")
        .first()
    )


def offers_awaiting_answer_of(volunteer: Volunteer) -> QuerySet[Offer]:
    return _with_request(
        Offer.objects.filter(volunteer=volunteer, status=Status.SENT).order_by("respond_by")
    )


def assignments_of(volunteer: Volunteer) -> QuerySet[Offer]:
    """Accepted assignments and those done, newest first (the page shows the
    resident's details only where ``offer_details_visible``)."""
    return _with_request(
        Offer.objects.filter(
            volunteer=volunteer, status__in=(Status.ACCEPTED, Status.DONE)
        ).order_by("-status", "request__starts_at")
    )


def assignment_of(volunteer: Volunteer, uuid) -> Offer | None:
    """One of the volunteer's own offers (any status), or None: another
    volunteer's offer looks exactly like a missing one."""
    return (
        _with_request(Offer.objects.filter(volunteer=volunteer, uuid=uuid))
        .select_related("volunteer")
        .first()
    )


def proposals_for_review(*, campaign: Campaign | None = None) -> QuerySet[Offer]:
    """Proposals waiting for a coordinator, grouped by request, best first."""
    queryset = Offer.objects.filter(status=Status.PROPOSED)
    if campaign is not None:
        queryset = queryset.filter(request__campaign=campaign)
    return (
        _with_request(queryset)
        .select_related("volunteer", "volunteer__locality", "request__campaign")
        .order_by("request__starts_at", "request_id", "-score", "pk")
    )


def offers_for_coordinators(
    *, statuses: tuple[str, ...] = (Status.SENT, Status.ACCEPTED), campaign: Campaign | None = None
) -> QuerySet[Offer]:
    queryset = Offer.objects.filter(status__in=statuses)
    if campaign is not None:
        queryset = queryset.filter(request__campaign=campaign)
    return (
        _with_request(queryset)
        .select_related("volunteer", "request__campaign")
        .order_by("request__starts_at", "request_id", "pk")
    )


def offers_of_request(help_request: HelpRequest) -> QuerySet[Offer]:
    return help_request.offers.select_related("volunteer", "decided_by").order_by("-proposed_at")


def requests_for_coordination(*, campaign: Campaign | None = None) -> QuerySet[HelpRequest]:
    """Open requests that still need volunteers, soonest first, with the
    counts the coordination page shows."""
    from tillsammans.volunteering.selectors.capacity import open_requests_with_need

    queryset = open_requests_with_need()
    if campaign is not None:
        queryset = queryset.filter(campaign=campaign)
    return (
        queryset.select_related("help_type", "locality", "language", "campaign")
        .annotate(
            proposals=Count("offers", filter=Q(offers__status=Status.PROPOSED), distinct=True)
        )
        .order_by("starts_at", "pk")
    )


def concerns_for_coordinators(*, status: str | None = None) -> QuerySet[Concern]:
    queryset = Concern.objects.all()
    if status:
        queryset = queryset.filter(status=status)
    return queryset.select_related(
        "volunteer",
        "offer",
        "offer__request",
        "offer__request__help_type",
        "offer__request__locality",
        "handled_by",
    ).order_by("status", "-created_at")


def open_campaigns() -> QuerySet[Campaign]:
    return Campaign.objects.filter(status=Campaign.Status.OPEN).order_by("title")


def request_with_offers(uuid) -> HelpRequest | None:
    return (
        HelpRequest.objects.filter(uuid=uuid)
        .select_related("help_type", "locality", "language", "campaign")
        .prefetch_related(
            Prefetch(
                "offers",
                queryset=Offer.objects.select_related("volunteer", "decided_by").order_by(
                    "-proposed_at"
                ),
            )
        )
        .first()
    )
