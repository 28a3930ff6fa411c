"""Reads for awards: who may be nominated, the year's nominations, the winners."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from tillsammans.grants.models import AwardWinner, Nomination, Programme
from tillsammans.organizations.models import LegalForm, Organization


def nominable_organizations(programme: Programme) -> QuerySet[Organization]:
    """Verified, current organisations of the legal forms the award admits,
    by name (the service checks the rest, e.g. required documents)."""
    organizations = Organization.objects.public().order_by("name")
    if programme.allowed_legal_forms:
        organizations = organizations.filter(legal_form__in=programme.allowed_legal_forms)
    if not programme.allows_networks:
        organizations = organizations.exclude(legal_form=LegalForm.NETWORK)
    return organizations.only("pk", "name", "legal_form")


@dataclass(frozen=True)
class NominatedOrganization:
    organization: Organization
    nominations: list[Nomination]


def nominations_by_organization(programme: Programme, year: int) -> list[NominatedOrganization]:
    """The year's nominations grouped by organisation, most nominated first
    (one query)."""
    grouped: dict[int, NominatedOrganization] = {}
    for nomination in (
        Nomination.objects.filter(programme=programme, year=year)
        .select_related("organization")
        .order_by("created_at")
    ):
        entry = grouped.setdefault(
            nomination.organization_id, NominatedOrganization(nomination.organization, [])
        )
        entry.nominations.append(nomination)
    return sorted(grouped.values(), key=lambda e: (-len(e.nominations), e.organization.name))


def award_winners(programme: Programme) -> QuerySet[AwardWinner]:
    return AwardWinner.objects.filter(programme=programme).select_related("organization")
