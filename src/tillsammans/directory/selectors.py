"""Reads for the public directory: search, the organisation and activity pages.

Full-text search uses PostgreSQL's Swedish configuration (stemming: "promenad"
finds "promenader") over exactly the expressions the GIN indexes of
``directory/migrations/0001`` are built on, so the planner can use them. On
SQLite every word must occur in one of the same fields (case-insensitive
substring match), which is good enough for the embedded default.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from django.contrib.postgres.search import SearchQuery, SearchVector
from django.db import connection
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.db.models.functions import Lower
from django.utils.translation import get_language

from tillsammans.activities.models import Activity, Cancellation
from tillsammans.core.models import Area, Language, Locality, TargetGroup
from tillsammans.organizations.models import Organization

SEARCH_CONFIG = "swedish"
ACTIVITY_SEARCH_FIELDS = ("title", "description")
ORGANIZATION_SEARCH_FIELDS = ("name", "purpose")
WORD = re.compile(r"[^\W_]+")
PRINT_LIMIT = 200
UPCOMING_DATES = 5
# How far ahead the activity page looks for its next dates.
UPCOMING_HORIZON = timedelta(days=366)


@dataclass(frozen=True)
class DirectoryFilters:
    """What a visitor asked for; ``None``/empty means "any"."""

    words: str = ""
    area: Area | None = None
    target_group: TargetGroup | None = None
    locality: Locality | None = None
    language: Language | None = None
    weekday: int | None = None
    free_only: bool = False


def activity_search_vector() -> SearchVector:
    """The expression the activities GIN index is built on (keep them identical)."""
    return SearchVector(*ACTIVITY_SEARCH_FIELDS, config=SEARCH_CONFIG)


def organization_search_vector() -> SearchVector:
    """The expression the organisations GIN index is built on (keep them identical)."""
    return SearchVector(*ORGANIZATION_SEARCH_FIELDS, config=SEARCH_CONFIG)


def _uses_full_text_search() -> bool:
    return connection.vendor == "postgresql"


def _words(text: str) -> list[str]:
    """Letters and digits only: nothing a visitor types can break the query."""
    return WORD.findall(text)


def _prefix_query(words: list[str]) -> str:
    """Every word, stemmed, as a prefix: "promenad:* & fika:*".

    Plain stemming is not enough in Swedish: Snowball stems "promenad" to
    "promen" but "promenader" to "promenad", so the stem of what was typed
    must match the start of the stored one.
    """
    return " & ".join(f"{word}:*" for word in words)


def _match_words(queryset: QuerySet, text: str, fields: tuple[str, ...], vector) -> QuerySet:
    """Rows matching every word of ``text``."""
    words = _words(text)
    if not words:
        return queryset
    if _uses_full_text_search():
        query = SearchQuery(_prefix_query(words), config=SEARCH_CONFIG, search_type="raw")
        # No ranking: ts_rank recomputes every matching row's vector (the
        # index holds no vectors), which cost 40 ms on 45,000 activities.
        # Matches come alphabetically, which is also easier to scan.
        return queryset.alias(search=vector).filter(search=query)
    for word in words:
        any_field = Q()
        for field in fields:
            any_field |= Q(**{f"{field}__icontains": word})
        queryset = queryset.filter(any_field)
    return queryset


def _filter_activities(queryset: QuerySet[Activity], filters: DirectoryFilters) -> QuerySet:
    if filters.area is not None:
        queryset = queryset.filter(areas=filters.area)
    if filters.target_group is not None:
        queryset = queryset.filter(target_groups=filters.target_group)
    if filters.locality is not None:
        queryset = queryset.filter(locality=filters.locality)
    if filters.language is not None:
        queryset = queryset.filter(languages=filters.language)
    if filters.weekday is not None:
        queryset = queryset.filter(weekdays__contains=str(filters.weekday))
    if filters.free_only:
        queryset = queryset.filter(is_free=True)
    return queryset


def _ordered(queryset: QuerySet, text: str, name: str) -> QuerySet:
    """Alphabetical. With search words on PostgreSQL the sort key is
    ``lower(name)``: no index offers that order, so the planner finds the
    matches through the GIN index and sorts those few, instead of walking the
    whole name index testing every row's text (250 ms on 45,000 activities)."""
    if _words(text) and _uses_full_text_search():
        return queryset.order_by(Lower(name), "slug")
    return queryset.order_by(name, "slug")


def search_activities(filters: DirectoryFilters) -> QuerySet[Activity]:
    """Public activities matching every filter, alphabetically.

    Only the matches: a page of results picks its ids from this and loads
    the cards with ``activity_cards`` (sorting narrow rows and loading 20
    wide ones is what keeps a search over 45,000 activities fast)."""
    queryset = _filter_activities(Activity.objects.public(), filters)
    queryset = _match_words(
        queryset, filters.words, ACTIVITY_SEARCH_FIELDS, activity_search_vector()
    )
    return _ordered(queryset, filters.words, "title")


def _in_order(queryset: QuerySet, ids: list[int]) -> list:
    rows = {row.pk: row for row in queryset.filter(pk__in=ids)}
    return [rows[pk] for pk in ids if pk in rows]


# What a result card shows (directory/includes/activity_card.html).
ACTIVITY_CARD_FIELDS = (
    "slug",
    "title",
    "recurrence",
    "weekdays",
    "starts_on",
    "ends_on",
    "start_time",
    "end_time",
    "place_name",
    "is_free",
    "cost",
    "organization__name",
    "department__name_sv",
    "department__name_en",
    "locality__name_sv",
    "locality__name_en",
)


def activity_cards(ids: list[int]) -> list[Activity]:
    """The activities with these ids, in this order, with what a result card
    shows: organiser, locality and, as ``language_names``, the names of its
    languages in the active language (two queries; the names are read as
    values, which costs a fraction of building Language objects)."""
    activities = _in_order(
        Activity.objects.select_related("organization", "department", "locality").only(
            *ACTIVITY_CARD_FIELDS
        ),
        ids,
    )
    english = (get_language() or "sv").split("-")[0] != "sv"
    names: dict[int, list[str]] = {}
    rows = (
        Activity.languages.through.objects.filter(activity_id__in=ids)
        .order_by("language__name_sv")
        .values_list("activity_id", "language__name_sv", "language__name_en")
    )
    for activity_id, name_sv, name_en in rows:
        names.setdefault(activity_id, []).append(name_en if english else name_sv)
    for activity in activities:
        activity.language_names = names.get(activity.pk, [])
    return activities


def search_organizations(filters: DirectoryFilters) -> QuerySet[Organization]:
    """Public organisations matching every filter. Area, locality and language
    match the organisation's own tags; target group, weekday and "free of
    charge" match organisations with at least one such public activity."""
    queryset = Organization.objects.public()
    if filters.area is not None:
        queryset = queryset.filter(areas=filters.area)
    if filters.locality is not None:
        queryset = queryset.filter(localities=filters.locality)
    if filters.language is not None:
        queryset = queryset.filter(languages=filters.language)
    if filters.target_group is not None or filters.weekday is not None or filters.free_only:
        activity_filters = DirectoryFilters(
            target_group=filters.target_group,
            weekday=filters.weekday,
            free_only=filters.free_only,
        )
        # The organisation is public already, so its current activities are.
        activities = _filter_activities(Activity.objects.current(), activity_filters)
        queryset = queryset.filter(Exists(activities.filter(organization=OuterRef("pk"))))
    queryset = _match_words(
        queryset, filters.words, ORGANIZATION_SEARCH_FIELDS, organization_search_vector()
    )
    return _ordered(queryset, filters.words, "name")


def organization_cards(ids: list[int]) -> list[Organization]:
    """The organisations with these ids, in this order, with what a result card shows."""
    return _in_order(
        Organization.objects.only("slug", "name", "purpose").prefetch_related("localities"), ids
    )


def catalogue_activities(filters: DirectoryFilters) -> tuple[list[Activity], bool]:
    """The printable catalogue: matching activities grouped by locality (the
    list is sorted so ``{% regroup %}`` works), at most ``PRINT_LIMIT``.
    Returns the activities and whether more matched than are listed."""
    queryset = (
        search_activities(filters)
        .select_related("organization", "department", "locality")
        .prefetch_related("languages")
        .order_by("locality__sort_order", "locality__name_sv", "locality_id", "title", "slug")
    )
    rows = list(queryset[: PRINT_LIMIT + 1])
    return rows[:PRINT_LIMIT], len(rows) > PRINT_LIMIT


def organization_page(slug: str) -> QuerySet[Organization]:
    """One organisation (any status: the view decides who may see it) with
    its tags and its current activities as ``current_activities``."""
    return Organization.objects.filter(slug=slug).prefetch_related(
        "areas",
        "localities",
        "languages",
        Prefetch(
            "activities",
            queryset=(
                Activity.objects.current().select_related("locality").order_by("title", "slug")
            ),
            to_attr="current_activities",
        ),
    )


def activity_page(slug: str) -> QuerySet[Activity]:
    """One public activity with everything its page shows; cancellations from
    today on are prefetched as ``upcoming_cancellations``."""
    today = date.today()  # noqa: DTZ011 - compared with local dates only
    return (
        Activity.objects.public()
        .filter(slug=slug)
        .select_related("organization", "department", "locality")
        .prefetch_related(
            "areas",
            "target_groups",
            "languages",
            Prefetch(
                "cancellations",
                queryset=Cancellation.objects.filter(date__gte=today).order_by("date"),
                to_attr="upcoming_cancellations",
            ),
        )
    )


def upcoming_dates(activity: Activity, *, today: date | None = None) -> list[date]:
    """The next ``UPCOMING_DATES`` dates it takes place, cancelled dates
    skipped. Uses the prefetched ``upcoming_cancellations``."""
    today = today or date.today()  # noqa: DTZ011 - compared with local dates only
    cancelled = {cancellation.date for cancellation in activity.upcoming_cancellations}
    dates = activity.occurrences(today, today + UPCOMING_HORIZON, cancelled)
    return dates[:UPCOMING_DATES]
