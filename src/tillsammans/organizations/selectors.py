"""Reads of the organisation register, with what each page needs prefetched."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Count, Prefetch, Q, QuerySet

from tillsammans.core.models import Area, Language, Locality
from tillsammans.organizations.models import (
    Invitation,
    JoinRequest,
    Organization,
    OrganizationStatus,
    Representative,
)

if TYPE_CHECKING:
    from tillsammans.accounts.models import User


def organizations_of_user(user: User) -> QuerySet[Representative]:
    """The user's representations, with the organisation and its open
    requests to join (for "what to do next")."""
    return (
        Representative.objects.filter(user=user)
        .select_related("organization")
        .annotate(
            pending_join_requests=Count(
                "organization__join_requests",
                filter=Q(organization__join_requests__status=JoinRequest.Status.PENDING),
            )
        )
        .order_by("organization__name")
    )


def join_requests_of_user(user: User) -> QuerySet[JoinRequest]:
    return JoinRequest.objects.filter(user=user, status=JoinRequest.Status.PENDING).select_related(
        "organization"
    )


def organization_for_manage(uuid) -> QuerySet[Organization]:
    return Organization.objects.prefetch_related(
        "areas", "localities", "languages", "documents"
    ).filter(uuid=uuid)


def representatives_of(organization: Organization) -> QuerySet[Representative]:
    return organization.representatives.select_related("user").order_by("role", "user__email")


def is_only_admin(representative: Representative) -> bool:
    """Whether this is the organisation's one administrator (who cannot leave)."""
    return (
        representative.role == Representative.Role.ADMIN
        and not Representative.objects.filter(
            organization_id=representative.organization_id, role=Representative.Role.ADMIN
        )
        .exclude(pk=representative.pk)
        .exists()
    )


def open_invitations_of(organization: Organization) -> QuerySet[Invitation]:
    return organization.invitations.filter(accepted_at__isnull=True).select_related("invited_by")


def pending_join_requests_of(organization: Organization) -> QuerySet[JoinRequest]:
    return organization.join_requests.filter(status=JoinRequest.Status.PENDING).select_related(
        "user"
    )


def review_queue() -> QuerySet[Organization]:
    """Pending organisations, oldest change first. ``verified_at`` tells a
    changed organisation from a new one."""
    return Organization.objects.filter(status=OrganizationStatus.PENDING).order_by("updated_at")


def organization_for_review(uuid) -> QuerySet[Organization]:
    return Organization.objects.prefetch_related(
        "areas",
        "localities",
        "languages",
        "documents",
        Prefetch("representatives", queryset=Representative.objects.select_related("user")),
    ).filter(uuid=uuid)


def register_list(filters: dict[str, Any] | None = None) -> QuerySet[Organization]:
    """The whole register for staff, filtered by status, area, locality,
    legal form and free text (name, organisationsnummer, e-mail, purpose)."""
    filters = filters or {}
    queryset = Organization.objects.prefetch_related(
        Prefetch("areas", queryset=Area.objects.all()),
        Prefetch("localities", queryset=Locality.objects.all()),
    ).order_by("name")
    if filters.get("status"):
        queryset = queryset.filter(status=filters["status"])
    if filters.get("legal_form"):
        queryset = queryset.filter(legal_form=filters["legal_form"])
    if filters.get("area"):
        queryset = queryset.filter(areas=filters["area"])
    if filters.get("locality"):
        queryset = queryset.filter(localities=filters["locality"])
    text = (filters.get("q") or "").strip()
    if text:
        digits = "".join(ch for ch in text if ch.isdigit())
        condition = Q(name__icontains=text) | Q(email__icontains=text) | Q(purpose__icontains=text)
        if len(digits) >= 4:
            condition |= Q(organisation_number__contains=digits)
        queryset = queryset.filter(condition)
    return queryset.distinct()


def taxonomy_choices() -> dict[str, QuerySet]:
    return {
        "areas": Area.objects.all(),
        "localities": Locality.objects.all(),
        "languages": Language.objects.all(),
    }
