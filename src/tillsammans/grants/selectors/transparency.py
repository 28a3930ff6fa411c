"""Public reads for the grants' transparency pages and the 360Giving export.

Only granted decisions are public. An individual's name never leaves this
module: an individual recipient is shown as "Private individual" with an
identifier that cannot be traced back, and a purpose that contains the
person's name is replaced by a neutral text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.conf import settings
from django.db.models import Count, F, QuerySet, Sum
from django.db.models.functions import ExtractYear
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from tillsammans.core.money import ORE_PER_KRONA, format_kronor
from tillsammans.grants.models import Decision, DecisionOutcome, Programme, ProgrammeKind
from tillsammans.organizations.models import LegalForm, Organization

RECIPIENT_ORGANISATION = "organisation"
RECIPIENT_NETWORK = "network"
RECIPIENT_INDIVIDUAL = "individual"


def threesixtygiving_prefix() -> str:
    """The publisher's registered 360Giving prefix (without ``360G-``)."""
    return settings.GRANTS_360GIVING_PREFIX


def municipality_identifier() -> str:
    return f"SE-ON-{settings.MUNICIPALITY_ORGANISATION_NUMBER.replace('-', '')}"


def kronor_number(ore: int) -> int | float:
    """Öre as a JSON number of kronor, exactly: 1234550 → 12345.5, 500000 → 5000.

    Whole kronor are an int; otherwise the float whose shortest text (which
    JSON writes) is the exact two-decimal amount.
    """
    if ore % ORE_PER_KRONA == 0:
        return ore // ORE_PER_KRONA
    return float(Decimal(ore) / ORE_PER_KRONA)


def kronor_text(ore: int) -> str:
    """Öre as plain decimal text for a CSV file: 1234550 → "12345.50"."""
    return str((Decimal(ore) / ORE_PER_KRONA).quantize(Decimal("0.01")))


# --- The list of decisions -------------------------------------------------


@dataclass(frozen=True)
class DecisionFilters:
    programme: str = ""  # a programme's slug
    year: int | None = None
    area: str = ""  # an area's slug
    kind: str = ""  # a ``ProgrammeKind`` value


def granted_decisions(filters: DecisionFilters | None = None) -> QuerySet[Decision]:
    """Granted decisions, newest first, with what a public row shows (one query)."""
    filters = filters or DecisionFilters()
    decisions = Decision.objects.filter(outcome=DecisionOutcome.GRANTED).select_related(
        "application__programme", "application__organization", "application__applicant"
    )
    if filters.programme:
        decisions = decisions.filter(application__programme__slug=filters.programme)
    if filters.year is not None:
        decisions = decisions.filter(decided_on__year=filters.year)
    if filters.area:
        # An organisation has an area at most once, so this join adds no duplicates.
        decisions = decisions.filter(application__organization__areas__slug=filters.area)
    if filters.kind:
        decisions = decisions.filter(application__programme__kind=filters.kind)
    return decisions.order_by("-decided_on", "-recorded_at", "-pk")


def decision_years() -> list[int]:
    """The years that have a granted decision, newest first."""
    return [
        day.year
        for day in Decision.objects.filter(outcome=DecisionOutcome.GRANTED)
        .order_by()
        .dates("decided_on", "year", order="DESC")
    ]


def programmes_with_decisions() -> list[tuple[str, str]]:
    """``(slug, title)`` of the programmes that have granted something."""
    return list(
        Programme.objects.filter(applications__decision__outcome=DecisionOutcome.GRANTED)
        .order_by("title")
        .values_list("slug", "title")
        .distinct()
    )


@dataclass(frozen=True)
class PublicDecision:
    """One granted decision as the public sees it."""

    uuid: str
    recipient_kind: str
    recipient_name: str
    recipient_url: str | None
    # ``SE-ON-<orgnr>``, or a local identifier under the 360Giving prefix.
    recipient_identifier: str
    programme_slug: str
    programme_title: str
    programme_kind: str
    deciding_body: str
    amount_ore: int
    decided_on: date
    recorded_at: datetime
    purpose: str

    @property
    def amount(self) -> str:
        return format_kronor(self.amount_ore)


def _recipient(decision: Decision) -> tuple[str, str, str | None, str]:
    """(kind, name, directory address or None, identifier)."""
    organisation: Organization | None = decision.application.organization
    prefix = threesixtygiving_prefix()
    if organisation is None:
        return (
            RECIPIENT_INDIVIDUAL,
            _("Private individual"),
            None,
            # One identifier per grant: it links nothing to the person.
            f"360G-{prefix}-individual-{decision.uuid}",
        )
    url = (
        reverse("directory:organization", args=[organisation.slug])
        if organisation.is_public
        else None
    )
    if organisation.legal_form == LegalForm.NETWORK:
        # A loose network outside the public directory may carry a person's name.
        name = organisation.name if organisation.is_public else _("A local network")
        return (RECIPIENT_NETWORK, name, url, f"360G-{prefix}-network-{organisation.uuid}")
    if organisation.organisation_number:
        identifier = f"SE-ON-{organisation.organisation_number}"
    else:
        identifier = f"360G-{prefix}-organisation-{organisation.uuid}"
    return (RECIPIENT_ORGANISATION, organisation.name, url, identifier)


def _name_parts(decision: Decision) -> list[str]:
    applicant = decision.application.applicant
    words = re.split(r"[\s@._-]+", f"{applicant.full_name} {applicant.email.split('@')[0]}")
    return [word for word in words if len(word) >= 2]


def _purpose(decision: Decision, recipient_kind: str) -> str:
    application = decision.application
    purpose = application.title.strip() or application.programme.title
    if recipient_kind == RECIPIENT_INDIVIDUAL:
        lowered = purpose.casefold()
        for word in _name_parts(decision):
            if re.search(rf"\b{re.escape(word.casefold())}\b", lowered):
                return _("Grant to a private individual")
    return purpose


def public_decision(decision: Decision) -> PublicDecision:
    kind, name, url, identifier = _recipient(decision)
    programme = decision.application.programme
    return PublicDecision(
        uuid=str(decision.uuid),
        recipient_kind=kind,
        recipient_name=name,
        recipient_url=url,
        recipient_identifier=identifier,
        programme_slug=programme.slug,
        programme_title=programme.title,
        programme_kind=str(ProgrammeKind(programme.kind).label),
        deciding_body=programme.deciding_body,
        amount_ore=decision.amount_ore,
        decided_on=decision.decided_on,
        recorded_at=decision.recorded_at,
        purpose=_purpose(decision, kind),
    )


def public_decisions(decisions: Iterable[Decision]) -> Iterator[PublicDecision]:
    for decision in decisions:
        yield public_decision(decision)


# --- Statistics --------------------------------------------------------------


@dataclass
class StatisticsRow:
    label: str
    count: int
    total_ore: int

    @property
    def total(self) -> str:
        return format_kronor(self.total_ore)


@dataclass
class YearTable:
    year: int
    rows: list[StatisticsRow] = field(default_factory=list)
    # The year's grants, each counted once.
    count: int = 0
    total_ore: int = 0

    @property
    def total(self) -> str:
        return format_kronor(self.total_ore)


@dataclass
class GrantStatistics:
    by_programme: list[YearTable]
    by_area: list[YearTable]


def grant_statistics() -> GrantStatistics:
    """Granted totals and counts per year, by programme and by area (two queries).

    An organisation in several areas counts in each of them, so a year's
    area rows add up to more than its total; the totals come from the
    programme rows, where every grant counts once.
    """
    granted = Decision.objects.filter(outcome=DecisionOutcome.GRANTED)
    by_programme: dict[int, YearTable] = {}
    for row in (
        granted.values(year=ExtractYear("decided_on"), title=F("application__programme__title"))
        .annotate(count=Count("pk"), total=Sum("amount_ore"))
        .order_by("-year", "title")
    ):
        table = by_programme.setdefault(row["year"], YearTable(year=row["year"]))
        table.rows.append(StatisticsRow(row["title"], row["count"], row["total"]))
        table.count += row["count"]
        table.total_ore += row["total"]

    language = (get_language() or "sv").split("-")[0]
    by_area: dict[int, YearTable] = {}
    unassigned: dict[int, StatisticsRow] = {}
    for row in (
        granted.values(
            year=ExtractYear("decided_on"),
            area_sv=F("application__organization__areas__name_sv"),
            area_en=F("application__organization__areas__name_en"),
            area_order=F("application__organization__areas__sort_order"),
        )
        .annotate(count=Count("pk"), total=Sum("amount_ore"))
        .order_by("-year", "area_order", "area_sv")
    ):
        year = row["year"]
        table = by_area.setdefault(year, YearTable(year=year))
        if row["area_sv"] is None:
            unassigned[year] = StatisticsRow(
                _("No area (and private individuals)"), row["count"], row["total"]
            )
            continue
        label = row["area_sv"] if language == "sv" else row["area_en"]
        table.rows.append(StatisticsRow(label, row["count"], row["total"]))
    for year, table in by_area.items():
        if year in unassigned:
            table.rows.append(unassigned[year])
        table.count = by_programme[year].count
        table.total_ore = by_programme[year].total_ore
    return GrantStatistics(by_programme=list(by_programme.values()), by_area=list(by_area.values()))
