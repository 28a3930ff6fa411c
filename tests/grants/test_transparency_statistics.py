"""Grant statistics at /grants/statistics/: by year and programme, by year and area."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.translation import gettext

from tests.factories import AreaFactory
from tests.grants.factories import (
    GrantedDecisionFactory,
    ProgrammeFactory,
    VerifiedOrganizationFactory,
)
from tests.grants.test_transparency_decisions import make_decisions
from tillsammans.core.money import format_kronor
from tillsammans.grants.selectors.transparency import grant_statistics

pytestmark = pytest.mark.django_db

URL = "/grants/statistics/"


def _table(tables, year):
    (table,) = [table for table in tables if table.year == year]
    return {row.label: (row.count, row.total_ore) for row in table.rows}, table


def test_totals_by_year_and_programme(db):
    make_decisions()
    statistics = grant_statistics()
    assert [table.year for table in statistics.by_programme] == [2026, 2025]
    rows, table = _table(statistics.by_programme, 2026)
    assert rows == {
        "Nätverksbidrag": (2, 4_500_00),
        "Startbidrag": (2, 6_000_01),
        "Verksamhetsstöd": (1, 20_000_00),
    }
    assert (table.count, table.total_ore) == (5, 30_500_01)
    rows, table = _table(statistics.by_programme, 2025)
    assert rows == {"Verksamhetsstöd": (1, 12_345_50)}
    # The rejected decision (2026, Verksamhetsstöd) is not counted.


def test_by_area_an_organisation_counts_in_each_of_its_areas(db):
    make_decisions()
    statistics = grant_statistics()
    rows, table = _table(statistics.by_area, 2025)
    # PRO Ekerö works in two areas: its one grant counts in both.
    assert rows == {"Äldre": (1, 12_345_50), "Kultur": (1, 12_345_50)}
    assert (table.count, table.total_ore) == (1, 12_345_50)
    rows, table = _table(statistics.by_area, 2026)
    no_area = gettext("No area (and private individuals)")
    assert rows == {
        "Äldre": (1, 3_000_00),
        # The hidden network, the organisation without areas and the two individuals.
        no_area: (4, 1_500_00 + 20_000_00 + 2_000_01 + 4_000_00),
    }
    assert list(rows)[-1] == no_area
    assert (table.count, table.total_ore) == (5, 30_500_01)


def test_the_page_shows_the_tables_and_explains_the_double_counting(client, db):
    make_decisions()
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("<table>") == 4
    assert '<th scope="row">Verksamhetsstöd</th>' in html
    assert '<th scope="row">Kultur</th>' in html
    assert format_kronor(30_500_01) in html
    assert format_kronor(12_345_50) in html
    assert "<caption" in html
    assert gettext("By year and area") in html


def test_the_page_says_when_nothing_is_granted(client, db):
    response = client.get(URL)
    assert response.status_code == 200
    assert gettext("No grant has been decided yet.") in response.content.decode()


def _many(count, start):
    programme = ProgrammeFactory(slug="manga", title="Många bidrag")
    areas = [AreaFactory(slug="idrott"), AreaFactory(slug="natur")]
    for n in range(start, start + count):
        organisation = VerifiedOrganizationFactory()
        organisation.areas.set(areas)
        GrantedDecisionFactory(
            application__programme=programme,
            application__organization=organisation,
            decided_on=datetime.date(2020 + n % 5, 5, 1),
        )


def test_the_page_has_a_fixed_number_of_queries(client, db, django_assert_num_queries):
    _many(3, 0)
    with CaptureQueriesContext(connection) as few:
        client.get(URL)
    _many(27, 3)
    with django_assert_num_queries(len(few)):
        response = client.get(URL)
    assert len(few) == 2
    assert sum(table.count for table in response.context["statistics"].by_programme) == 30
