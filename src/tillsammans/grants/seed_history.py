"""Demo history for the grants: last year's award winner and this year's
nominations, and the victim-support agreement that reserves 84 000 kr a
year of Verksamhetsstöd. Runs after the programmes step, through the
services (so the budgets' ledgers add up). Idempotent."""

from __future__ import annotations

import datetime
from typing import TextIO

from django.db import transaction
from django.utils import timezone

from tillsammans.grants.models import (
    Agreement,
    AwardWinner,
    Nomination,
    Programme,
    ProgrammeBudget,
)
from tillsammans.grants.seed import _grant_officer
from tillsammans.grants.services.agreements import agreement_create
from tillsammans.organizations.models import Organization

AWARD = "civilsamhallets-utmarkelse"
OPERATING = "verksamhetsstod"
VICTIM_SUPPORT = "brottsofferjouren-malaren"

NOMINATIONS = [
    (
        "ekero-handikappsegling",
        "De seglar med alla: varje tisdag kan den som har en "
        "funktionsnedsättning följa med ut på Mälaren.",
    ),
    ("rsmh-ekero", "Samtalsträffarna har varit en räddning för många under en svår tid."),
    ("pro-ekero", "Fikat och promenaderna håller ihop hela Stenhamra."),
    ("ekero-handikappsegling", "Ledarna lägger hundratals timmar ideellt varje sommar."),
]


def build_history(stdout: TextIO) -> None:
    officer = _grant_officer()
    programmes = {p.slug: p for p in Programme.objects.filter(slug__in=[AWARD, OPERATING])}
    organizations = {o.slug: o for o in Organization.objects.public()}
    if officer is None or len(programmes) < 2 or not organizations:
        stdout.write("  grants history: skipped (programmes or organisations missing)\n")
        return
    year = timezone.localdate().year
    _award(programmes[AWARD], organizations, officer, year)
    _agreement(programmes[OPERATING], organizations, officer, year)
    stdout.write("  grants history: last year's award winner, nominations, an agreement\n")


def _award(award: Programme, organizations: dict, officer, year: int) -> None:
    winner = organizations.get("pro-ekero") or next(iter(organizations.values()))
    with transaction.atomic():
        AwardWinner.objects.get_or_create(
            programme=award,
            year=year - 1,
            defaults={
                "organization": winner,
                "motivation": "För veckoträffar, promenader och telefonkedjor som gör att "
                "ingen blir ensam.",
                "decided_on": datetime.date(year - 1, 11, 18),
                "recorded_by": officer,
            },
        )
        if not Nomination.objects.filter(programme=award, year=year).exists():
            Nomination.objects.bulk_create(
                Nomination(
                    programme=award,
                    organization=organizations[slug],
                    year=year,
                    motivation=motivation,
                )
                for slug, motivation in NOMINATIONS
                if slug in organizations
            )


def _agreement(programme: Programme, organizations: dict, officer, year: int) -> None:
    organization = organizations.get(VICTIM_SUPPORT)
    if organization is None or Agreement.objects.filter(programme=programme).exists():
        return
    for budget_year in (year - 1, year, year + 1):
        ProgrammeBudget.objects.get_or_create(
            programme=programme, year=budget_year, defaults={"amount_ore": 135_000_00}
        )
    agreement_create(
        actor=officer,
        programme=programme,
        organization=organization,
        title="Stöd till brottsutsatta, vittnen och anhöriga på Mälaröarna",
        first_year=year - 1,
        last_year=year + 1,
        yearly_ore=84_000_00,
        decided_on=datetime.date(year - 1, 1, 20),
    )
