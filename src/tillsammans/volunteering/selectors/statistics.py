"""Statistics for coordinators: counts only, never a person.

Every table is one grouped query (seven in all, whatever the size of the
data); the median time to a match is computed in Python over one column, so
it is the same on SQLite and PostgreSQL.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q, Sum
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from tillsammans.core.models import Language, Locality
from tillsammans.volunteering.models import (
    Campaign,
    HelpRequest,
    HelpType,
    Offer,
    VolunteerStatus,
)

ACTIVE = VolunteerStatus.ACTIVE


@dataclass(frozen=True)
class Row:
    label: str
    count: int


@dataclass(frozen=True)
class Table:
    key: str
    title: str | Promise
    label_heading: str | Promise
    count_heading: str | Promise
    rows: list[Row]

    @property
    def total(self) -> int:
        return sum(row.count for row in self.rows)


@dataclass(frozen=True)
class Overview:
    campaign: Campaign | None
    tables: list[Table] = field(default_factory=list)
    matched_count: int = 0
    median_time_to_match: timedelta | None = None
    minutes_given: int = 0

    @property
    def hours_given(self) -> Decimal:
        return (Decimal(self.minutes_given) / 60).quantize(Decimal("0.1"), ROUND_HALF_UP)

    @property
    def median_hours(self) -> Decimal | None:
        if self.median_time_to_match is None:
            return None
        seconds = Decimal(self.median_time_to_match.total_seconds())
        return (seconds / 3600).quantize(Decimal("0.1"), ROUND_HALF_UP)

    def table(self, key: str) -> Table:
        return next(table for table in self.tables if table.key == key)


TABLE_KEYS = ("localities", "languages", "help-types", "requests")


def _terms_table(key, title, heading, model, relation: str) -> Table:
    """Active volunteers per taxonomy term, every term in use listed (zeros
    show the gaps: nobody who speaks Somali, nobody on Adelsö)."""
    terms = (
        model.objects.filter(is_active=True)
        .annotate(n=Count(relation, filter=Q(**{f"{relation}__status": ACTIVE}), distinct=True))
        .order_by("-n", *model._meta.ordering)
    )
    return Table(
        key=key,
        title=title,
        label_heading=heading,
        count_heading=_("Active volunteers"),
        rows=[Row(label=term.name, count=term.n) for term in terms],
    )


def volunteering_statistics(*, campaign: Campaign | None = None) -> Overview:
    """The coordinators' figures; requests, matches and hours for one
    campaign when given (volunteer tables are always everyone active)."""
    requests = HelpRequest.objects.all()
    offers = Offer.objects.filter(status=Offer.Status.DONE)
    if campaign is not None:
        requests = requests.filter(campaign=campaign)
        offers = offers.filter(request__campaign=campaign)

    by_status = dict(
        requests.order_by().values("status").annotate(n=Count("pk")).values_list("status", "n")
    )
    request_rows = [
        Row(label=str(label), count=by_status.get(value, 0))
        for value, label in HelpRequest.Status.choices
    ]
    waits = [
        matched - created
        for created, matched in requests.filter(matched_at__isnull=False).values_list(
            "created_at", "matched_at"
        )
        if matched >= created
    ]
    minutes = offers.aggregate(total=Sum("minutes_spent"))["total"] or 0

    tables = [
        _terms_table(
            "localities", _("Volunteers by locality"), _("Locality"), Locality, "volunteers"
        ),
        _terms_table(
            "languages", _("Volunteers by language"), _("Language"), Language, "volunteers"
        ),
        _terms_table(
            "help-types", _("Volunteers by kind of help"), _("Kind of help"), HelpType, "volunteers"
        ),
        Table(
            key="requests",
            title=_("Requests by status"),
            label_heading=_("Status"),
            count_heading=_("Requests"),
            rows=request_rows,
        ),
    ]
    return Overview(
        campaign=campaign,
        tables=tables,
        matched_count=len(waits),
        median_time_to_match=statistics.median(waits) if waits else None,
        minutes_given=minutes,
    )
