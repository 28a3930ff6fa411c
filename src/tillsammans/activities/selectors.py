"""Reads for managing activities: "My activities", the staff list, one
activity with what its forms need, and its coming dates."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from tillsammans.accounts.models import Capability, Department
from tillsammans.activities.models import Activity, Cancellation
from tillsammans.organizations.models import Organization, OrganizationStatus, Representative

if TYPE_CHECKING:
    from tillsammans.accounts.models import User

# How far ahead the cancellations page lists dates.
UPCOMING_WEEKS = 16


def representations_with_activities(user: User) -> QuerySet[Representative]:
    """The user's organisations (as representations, by name), each with its
    activities as ``organization.managed_activities``, in two queries."""
    return (
        Representative.objects.filter(user=user)
        .select_related("organization")
        .prefetch_related(
            Prefetch(
                "organization__activities",
                queryset=Activity.objects.select_related("locality").order_by("title", "pk"),
                to_attr="managed_activities",
            )
        )
        .order_by("organization__name", "organization__pk")
    )


def municipal_activities() -> QuerySet[Activity]:
    """Activities the municipality organises itself, by department and title."""
    return (
        Activity.objects.filter(organization__isnull=True)
        .select_related("department", "locality")
        .order_by("department__name_sv", "title", "pk")
    )


def activity_for_manage(uuid) -> QuerySet[Activity]:
    """One activity with its organiser and tags (for the edit form)."""
    return (
        Activity.objects.filter(uuid=uuid)
        .select_related("organization", "department", "locality")
        .prefetch_related("areas", "target_groups", "languages")
    )


def organizations_for_new_activity(user: User) -> QuerySet[Organization]:
    """The organisations the user may add activities for: those they represent
    (site administrators: all) that are not inactive."""
    queryset = Organization.objects.exclude(status=OrganizationStatus.INACTIVE)
    if not user.is_superuser:
        queryset = queryset.filter(representatives__user=user)
    return queryset.order_by("name").distinct()


def departments_for_new_activity(user: User) -> QuerySet[Department]:
    """The departments the user is editor in (site administrators: all)."""
    queryset = Department.objects.all()
    if not user.is_superuser:
        queryset = queryset.filter(
            staff_memberships__user=user, staff_memberships__capability=Capability.EDITOR
        )
    return queryset.order_by("name_sv").distinct()


@dataclass(frozen=True)
class Dates:
    upcoming: list[date]
    cancelled: list[Cancellation]


def dates_of(activity: Activity, *, today: date | None = None) -> Dates:
    """The activity's dates from today over the next ``UPCOMING_WEEKS`` weeks
    that are not cancelled, and its cancelled dates from today on."""
    today = today or timezone.localdate()
    cancelled = list(activity.cancellations.filter(date__gte=today).order_by("date"))
    upcoming = activity.occurrences(
        today,
        today + timedelta(weeks=UPCOMING_WEEKS),
        cancelled={cancellation.date for cancellation in cancelled},
    )
    return Dates(upcoming=upcoming, cancelled=cancelled)
