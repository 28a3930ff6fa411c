"""Reads of help requests: the coordinators' list and detail, a resident's own.

The coordinators' list carries no personal details (no name, phone or
address), so reading it is not a read of anyone's details; the detail page
is, and its view records each read in the audit log.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Count, Prefetch, Q, QuerySet

from tillsammans.audit.models import AuditEntry
from tillsammans.organizations.models import Organization
from tillsammans.volunteering.models import HelpRequest, Offer, VolunteerStatus

if TYPE_CHECKING:
    from tillsammans.accounts.models import User

Status = HelpRequest.Status
# Offers that mean a volunteer is (or was) actually coming.
FOUND = (Offer.Status.ACCEPTED, Offer.Status.DONE)


def requests_for_coordinator(
    *,
    status: str | None = None,
    help_type: Any = None,
    locality: Any = None,
    campaign: Any = None,
) -> QuerySet[HelpRequest]:
    """Requests for the coordinators' list, filtered, with what a row shows.

    Waiting and matched requests come soonest first (what needs doing next);
    everything else latest first. A fixed number of queries whatever the
    number of rows: help type, locality, campaign and language are joined and
    ``volunteers_found`` (accepted or done offers) is counted in the same query.
    """
    queryset = HelpRequest.objects.select_related("help_type", "locality", "campaign", "language")
    if status:
        queryset = queryset.filter(status=status)
    if help_type is not None:
        queryset = queryset.filter(help_type=help_type)
    if locality is not None:
        queryset = queryset.filter(locality=locality)
    if campaign is not None:
        queryset = queryset.filter(campaign=campaign)
    queryset = queryset.annotate(
        volunteers_found=Count("offers", filter=Q(offers__status__in=FOUND))
    )
    if status in (Status.OPEN, Status.MATCHED):
        return queryset.order_by("starts_at", "pk")
    return queryset.order_by("-starts_at", "-pk")


def help_request_for_coordinator(uuid) -> QuerySet[HelpRequest]:
    """One request with everything its detail page shows (filter by uuid)."""
    return (
        HelpRequest.objects.select_related(
            "help_type",
            "locality",
            "campaign",
            "language",
            "created_by",
            "requester",
            "preferred_organization",
        )
        .prefetch_related(
            Prefetch(
                "offers",
                queryset=Offer.objects.select_related("volunteer").order_by("-proposed_at"),
            )
        )
        .filter(uuid=uuid)
    )


def help_request_cancellation(help_request: HelpRequest) -> AuditEntry | None:
    """Who cancelled the request, when and why (from the audit log)."""
    if help_request.status != Status.CANCELLED:
        return None
    return (
        AuditEntry.objects.filter(
            target_type=HelpRequest._meta.label_lower,
            target_id=str(help_request.uuid),
            details__event="help_request_cancel",
        )
        .order_by("-at")
        .first()
    )


def help_requests_of_user(user: User) -> QuerySet[HelpRequest]:
    """The requests a signed-in resident made themselves, newest first."""
    return (
        HelpRequest.objects.filter(requester=user)
        .select_related("help_type", "locality", "campaign")
        .order_by("-created_at")
    )


def organizations_with_volunteers() -> QuerySet[Organization]:
    """Public organisations with at least one active volunteer: those a
    resident may prefer their volunteer to come from."""
    return (
        Organization.objects.public()
        .filter(volunteers__status=VolunteerStatus.ACTIVE)
        .distinct()
        .order_by("name")
    )
