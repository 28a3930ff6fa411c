"""The demo grants history of seed_demo: last year's award winner, this
year's nominations and the victim-support agreement, through the services."""

import io

import pytest
from django.utils import timezone

from tillsammans.accounts.seed import build_municipality
from tillsammans.core.seed import build_taxonomy
from tillsammans.grants.models import Agreement, AwardWinner, Nomination, ProgrammeBudget
from tillsammans.grants.seed import build_programmes
from tillsammans.grants.seed_history import build_history
from tillsammans.organizations.seed import build_organizations

pytestmark = pytest.mark.django_db


def build():
    for step in (build_taxonomy, build_municipality, build_organizations, build_programmes):
        step(io.StringIO())
    build_history(io.StringIO())


def test_the_demo_history_adds_up_and_a_second_run_changes_nothing():
    build()
    year = timezone.localdate().year

    winner = AwardWinner.objects.get()
    assert winner.year == year - 1 and winner.organization.slug == "pro-ekero"
    assert Nomination.objects.filter(year=year).count() == 4
    agreement = Agreement.objects.get()
    assert (agreement.first_year, agreement.last_year) == (year - 1, year + 1)
    committed = dict(
        ProgrammeBudget.objects.filter(programme__slug="verksamhetsstod").values_list(
            "year", "committed_ore"
        )
    )
    assert committed == {year - 1: 84_000_00, year: 84_000_00, year + 1: 84_000_00}

    build_history(io.StringIO())

    assert AwardWinner.objects.count() == 1 and Agreement.objects.count() == 1
    assert Nomination.objects.count() == 4
    assert ProgrammeBudget.objects.get(
        programme__slug="verksamhetsstod", year=year
    ).committed_ore == (84_000_00)
