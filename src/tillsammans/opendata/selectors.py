"""Reads behind the open-data formats: only public records, fixed query counts."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from django.core.cache import cache
from django.db.models import Exists, OuterRef, Prefetch, QuerySet

from tillsammans.accounts.models import Department
from tillsammans.activities.models import Activity, Cancellation
from tillsammans.core.models import Area, Locality, PostalCode
from tillsammans.organizations.models import Organization


def public_organizations() -> QuerySet[Organization]:
    return (
        Organization.objects.public()
        .prefetch_related("areas", "localities", "languages")
        .order_by("name", "pk")
    )


def organizing_departments() -> QuerySet[Department]:
    """Departments that organise at least one public activity (HSDS organisations)."""
    return Department.objects.filter(
        Exists(Activity.objects.public().filter(department=OuterRef("pk")))
    ).order_by("name_sv", "pk")


def public_activities(*, area: Area | None = None, locality: Locality | None = None):
    activities = (
        Activity.objects.public()
        .select_related("organization", "department", "locality")
        .prefetch_related(
            "languages",
            "areas",
            "target_groups",
            Prefetch("locality__postal_codes", queryset=PostalCode.objects.order_by("code")),
            Prefetch("cancellations", queryset=Cancellation.objects.order_by("date")),
        )
        .order_by("title", "pk")
    )
    if area is not None:
        activities = activities.filter(areas=area)
    if locality is not None:
        activities = activities.filter(locality=locality)
    return activities


# Harvesters page through tens of thousands of activities; counting them is a
# full scan per page, so the total may be up to a minute old.
COUNT_CACHE_SECONDS = 60


def public_activity_count() -> int:
    return cache.get_or_set(
        "opendata:public-activity-count", Activity.objects.public().count, COUNT_CACHE_SECONDS
    )


def public_activity_page(offset: int, limit: int) -> list[Activity]:
    """One page in creation order, which keeps pages stable while new activities
    are added. The page's ids come from a narrow query first, so a deep offset
    does not sort whole rows."""
    ids = list(
        Activity.objects.public()
        .order_by("pk")
        .values_list("pk", flat=True)[offset : offset + limit]
    )
    if not ids:
        return []
    # Only what the HSDS mapping reads (no areas, no cancellations).
    return list(
        Activity.objects.filter(pk__in=ids)
        .select_related("organization", "department", "locality")
        .prefetch_related(
            "languages",
            "target_groups",
            Prefetch("locality__postal_codes", queryset=PostalCode.objects.order_by("code")),
        )
        .order_by("pk")
    )


def public_activity(activity_uuid: UUID) -> Activity | None:
    return public_activities().filter(uuid=activity_uuid).first()


@dataclass(frozen=True)
class Place:
    """A distinct (locality, place, address) where public activities happen."""

    locality: Locality
    place_name: str
    street_address: str


def _place_keys():
    return (
        Activity.objects.public()
        .order_by("locality_id", "place_name", "street_address")
        .values_list("locality_id", "place_name", "street_address")
        .distinct()
    )


def place_count() -> int:
    return _place_keys().count()


def places(offset: int = 0, limit: int | None = None) -> list[Place]:
    keys = list(_place_keys()[offset : None if limit is None else offset + limit])
    localities = Locality.objects.filter(pk__in={key[0] for key in keys}).prefetch_related(
        Prefetch("postal_codes", queryset=PostalCode.objects.order_by("code"))
    )
    by_pk = {locality.pk: locality for locality in localities}
    return [Place(by_pk[pk], place_name, address) for pk, place_name, address in keys]
