"""The public list of grant decisions at /grants/decisions/ and its CSV."""

import csv
import datetime
import io
from types import SimpleNamespace

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.translation import gettext

from tests.factories import AreaFactory, UserFactory
from tests.grants.factories import (
    ApplicationFactory,
    GrantedDecisionFactory,
    ProgrammeBudgetFactory,
    ProgrammeFactory,
    VerifiedOrganizationFactory,
)
from tillsammans.core.money import format_kronor
from tillsammans.grants.models import Decision, ProgrammeKind
from tillsammans.grants.views.transparency import UNKNOWN_CHOICE
from tillsammans.organizations.models import LegalForm, OrganizationStatus

pytestmark = pytest.mark.django_db

URL = "/grants/decisions/"
CSV_URL = "/grants/decisions/decisions.csv"
# Names of private individuals who were granted money: they must never be published.
PRIVATE_NAMES = ["Ingrid", "Sjöberg", "Omar", "Haddad", "ingrid.sjoberg", "omar.h"]


def make_decisions():
    """Granted decisions of every kind of recipient, and one rejection."""
    elderly = AreaFactory(slug="aldre", name_sv="Äldre", name_en="Older people")
    culture = AreaFactory(slug="kultur", name_sv="Kultur", name_en="Culture")
    operating = ProgrammeFactory(
        slug="verksamhetsstod", title="Verksamhetsstöd", kind=ProgrammeKind.OPERATING
    )
    network_grant = ProgrammeFactory(
        slug="natverksbidrag", title="Nätverksbidrag", kind=ProgrammeKind.NETWORK
    )
    start_up = ProgrammeFactory(
        slug="startbidrag", title="Startbidrag", kind=ProgrammeKind.START_UP
    )

    pro = VerifiedOrganizationFactory(slug="pro-ekero", name="PRO Ekerö")
    pro.areas.set([elderly, culture])
    pro_grant = GrantedDecisionFactory(
        application__programme=operating,
        application__organization=pro,
        application__title="Veckoträffar för seniorer",
        amount_ore=12_345_50,
        decided_on=datetime.date(2025, 6, 10),
    )
    neighbours = VerifiedOrganizationFactory(
        slug="grannar-stenhamra",
        name="Grannar i Stenhamra",
        legal_form=LegalForm.NETWORK,
        organisation_number="",
    )
    neighbours.areas.set([elderly])
    network_grant_decision = GrantedDecisionFactory(
        application__programme=network_grant,
        application__organization=neighbours,
        application__title="Grannträffar",
        amount_ore=3_000_00,
        decided_on=datetime.date(2026, 3, 1),
    )
    hidden_network = VerifiedOrganizationFactory(
        slug="annas-vanner",
        name="Annas vänner",
        legal_form=LegalForm.NETWORK,
        organisation_number="",
        status=OrganizationStatus.PENDING,
    )
    hidden_network_grant = GrantedDecisionFactory(
        application__programme=network_grant,
        application__organization=hidden_network,
        application__title="Promenader",
        amount_ore=1_500_00,
        decided_on=datetime.date(2026, 3, 1),
    )
    pending = VerifiedOrganizationFactory(
        slug="vantande", name="Väntande förening", status=OrganizationStatus.NEEDS_UPDATE
    )
    pending_grant = GrantedDecisionFactory(
        application__programme=operating,
        application__organization=pending,
        application__title="Sommarläger",
        amount_ore=20_000_00,
        decided_on=datetime.date(2026, 6, 12),
    )
    ingrid = UserFactory(full_name="Ingrid Sjöberg", email="ingrid.sjoberg@example.se")
    individual_grant = GrantedDecisionFactory(
        application__programme=start_up,
        application__organization=None,
        application__applicant=ingrid,
        application__title="Cykelverkstad för unga",
        amount_ore=2_000_01,
        decided_on=datetime.date(2026, 4, 2),
    )
    omar = UserFactory(full_name="Omar Haddad", email="omar.h@example.se")
    named_individual_grant = GrantedDecisionFactory(
        application__programme=start_up,
        application__organization=None,
        application__applicant=omar,
        application__title="Fotoutställning av Omar",
        amount_ore=4_000_00,
        decided_on=datetime.date(2026, 4, 3),
    )
    rejected_org = VerifiedOrganizationFactory(slug="avslagen", name="Avslagen förening")
    rejected = Decision.objects.create(
        application=ApplicationFactory(
            programme=operating,
            organization=rejected_org,
            status="rejected",
            title="Avslagen ansökan",
        ),
        outcome="rejected",
        amount_ore=0,
        reason="Utanför ramen.",
        decided_on=datetime.date(2026, 6, 12),
        budget=ProgrammeBudgetFactory(programme=operating, year=2026),
        recorded_by=UserFactory(),
    )
    return SimpleNamespace(**locals())


@pytest.fixture
def data(db):
    return make_decisions()


def rows_of(response) -> list[dict[str, str]]:
    content = response.content.decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(content)))


# --- What the list shows -------------------------------------------------------


def test_the_list_shows_recipient_programme_amount_date_and_purpose(client, data):
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert '<a href="/organisations/pro-ekero/">PRO Ekerö</a>' in html
    assert "Verksamhetsstöd" in html
    assert format_kronor(12_345_50) in html
    assert 'datetime="2025-06-10"' in html
    assert "Veckoträffar för seniorer" in html
    assert response.context["page"].paginator.count == 6


def test_only_granted_decisions_are_listed(client, data):
    html = client.get(URL).content.decode()
    assert "Avslagen förening" not in html
    assert "Avslagen ansökan" not in html
    uuids = {row.uuid for row in client.get(URL).context["rows"]}
    assert str(data.rejected.uuid) not in uuids
    assert str(data.pro_grant.uuid) in uuids


def test_recipients_outside_the_directory_are_not_linked(client, data):
    html = client.get(URL).content.decode()
    # A verified network is named and linked, like any public organisation.
    assert '<a href="/organisations/grannar-stenhamra/">Grannar i Stenhamra</a>' in html
    # An organisation that is not public is named (it is a legal person) but not linked.
    assert "Väntande förening" in html
    assert "/organisations/vantande/" not in html
    # A loose network outside the directory may carry a person's name: not shown.
    assert "Annas vänner" not in html
    assert gettext("A local network") in html


def test_no_private_individual_is_ever_named(client, data):
    html = client.get(URL).content.decode()
    for name in PRIVATE_NAMES:
        assert name not in html
    assert html.count(gettext("Private individual")) == 2
    # A purpose of their own is shown, unless it contains their name.
    assert "Cykelverkstad för unga" in html
    assert gettext("Grant to a private individual") in html


# --- Filters ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"programme": "natverksbidrag"}, {"network_grant_decision", "hidden_network_grant"}),
        ({"year": "2025"}, {"pro_grant"}),
        ({"area": "aldre"}, {"pro_grant", "network_grant_decision"}),
        ({"area": "kultur"}, {"pro_grant"}),
        ({"kind": "start_up"}, {"individual_grant", "named_individual_grant"}),
        ({"programme": "verksamhetsstod", "year": "2026"}, {"pending_grant"}),
        ({"kind": "award"}, set()),
    ],
)
def test_filters(client, data, query, expected):
    response = client.get(URL, query)
    assert response.status_code == 200
    assert not response.context["form"].errors
    shown = {row.uuid for row in response.context["rows"]}
    assert shown == {str(getattr(data, name).uuid) for name in expected}


@pytest.mark.parametrize(
    "query",
    [
        {"programme": "finns-inte"},
        {"year": "1999"},
        {"year": "tjugohundra"},
        {"area": "okant-omrade"},
        {"kind": "lottery"},
    ],
)
def test_an_unknown_filter_value_is_left_out_with_a_message(client, data, query):
    response = client.get(URL, query)
    assert response.status_code == 200
    html = response.content.decode()
    (name,) = query
    assert response.context["form"].errors[name] == [str(UNKNOWN_CHOICE)]
    assert 'class="error-summary"' in html
    assert f'href="#id_{name}"' in html
    # The filter that could not be used is ignored: everything is listed, and
    # the download link leaves it out too.
    assert response.context["page"].paginator.count == 6
    assert f'href="{CSV_URL}" download' in html


def test_the_download_link_keeps_the_filters_used(client, data):
    html = client.get(URL, {"year": "2026", "area": "aldre", "page": "1"}).content.decode()
    assert f'href="{CSV_URL}?year=2026&amp;area=aldre" download' in html


def test_the_filter_choices_list_only_what_has_decisions(client, data):
    form = client.get(URL).context["form"]
    assert [value for value, _label in form.fields["year"].choices] == ["", "2026", "2025"]
    assert {value for value, _label in form.fields["programme"].choices} == {
        "",
        "verksamhetsstod",
        "natverksbidrag",
        "startbidrag",
    }


# --- Paging and query count -----------------------------------------------------------


def _many_decisions(count):
    programme = ProgrammeFactory(slug="manga", title="Många bidrag")
    area = AreaFactory(slug="idrott")
    for n in range(count):
        organisation = VerifiedOrganizationFactory()
        organisation.areas.set([area])
        GrantedDecisionFactory(
            application__programme=programme,
            application__organization=organisation,
            amount_ore=1_000_00 + n,
            decided_on=datetime.date(2026, 1, 1) + datetime.timedelta(days=n),
        )


def _queries(client, url, query=None):
    cache.clear()  # the area choices are cached: count the query that fills the cache
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, query or {})
    assert response.status_code == 200
    return len(captured)


def test_the_list_has_a_fixed_number_of_queries(client, django_assert_num_queries):
    _many_decisions(3)
    few = _queries(client, URL, {"area": "idrott", "programme": "manga"})
    _many_decisions(27)
    many = _queries(client, URL, {"area": "idrott", "programme": "manga"})
    assert few == many
    cache.clear()
    # The programme, year and area choices, the count and the page.
    with django_assert_num_queries(5):
        client.get(URL, {"area": "idrott", "programme": "manga", "year": "2026"})


def test_the_list_is_paged(client):
    _many_decisions(30)
    first = client.get(URL)
    assert len(first.context["rows"]) == 25
    assert 'rel="next"' in first.content.decode()
    second = client.get(URL, {"page": "2"})
    assert len(second.context["rows"]) == 5
    assert not {r.uuid for r in first.context["rows"]} & {r.uuid for r in second.context["rows"]}
    # The newest decision comes first.
    assert first.context["rows"][0].decided_on == datetime.date(2026, 1, 30)
    # A page that is not a number, or is past the end, shows a page rather than an error.
    assert client.get(URL, {"page": "x"}).context["page"].number == 1
    assert client.get(URL, {"page": "99"}).context["page"].number == 2


def test_an_empty_list_says_so(client, db):
    response = client.get(URL)
    assert response.status_code == 200
    assert response.context["page"].paginator.count == 0
    assert gettext("No granted decision matches your choices.") in response.content.decode()


# --- CSV -----------------------------------------------------------------------------


def test_the_csv_has_the_filtered_decisions_with_exact_amounts(client, data):
    response = client.get(CSV_URL, {"year": "2025"})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    (row,) = rows_of(response)
    assert row["id"] == str(data.pro_grant.uuid)
    assert row["recipient"] == "PRO Ekerö"
    assert row["recipient_identifier"] == f"SE-ON-{data.pro.organisation_number}"
    assert row["programme"] == "Verksamhetsstöd"
    assert row["amount_sek"] == "12345.50"
    assert row["decided_on"] == "2025-06-10"
    assert row["purpose"] == "Veckoträffar för seniorer"


def test_the_csv_of_everything_has_every_granted_decision_and_no_names(client, data):
    response = client.get(CSV_URL)
    content = response.content.decode("utf-8-sig")
    rows = rows_of(response)
    assert len(rows) == 6
    assert str(data.rejected.uuid) not in content
    for name in PRIVATE_NAMES:
        assert name not in content
    by_id = {row["id"]: row for row in rows}
    individual = by_id[str(data.individual_grant.uuid)]
    assert individual["recipient"] == gettext("Private individual")
    assert individual["amount_sek"] == "2000.01"
    assert by_id[str(data.hidden_network_grant.uuid)]["recipient"] == gettext("A local network")
    assert sum(int(row["amount_sek"].replace(".", "")) for row in rows) == sum(
        decision.amount_ore for decision in Decision.objects.filter(outcome="granted")
    )


def test_the_csv_refuses_an_unknown_filter_with_a_message(client, data):
    response = client.get(CSV_URL, {"area": "okant-omrade"})
    assert response.status_code == 400
    assert str(UNKNOWN_CHOICE) in response.content.decode()


def test_a_formula_in_a_purpose_is_not_run_by_a_spreadsheet(client, data):
    GrantedDecisionFactory(application__title='=HYPERLINK("http://x")')
    titles = [row["purpose"] for row in rows_of(client.get(CSV_URL))]
    assert '\'=HYPERLINK("http://x")' in titles


def test_the_csv_has_a_fixed_number_of_queries(client):
    _many_decisions(3)
    few = _queries(client, CSV_URL)
    _many_decisions(27)
    assert _queries(client, CSV_URL) == few


# --- Who may see it ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        URL,
        CSV_URL,
        "/grants/statistics/",
        "/api/v1/grants/360giving.json",
        "/api/v1/grants/360giving.csv",
    ],
)
def test_everyone_may_see_the_decisions_and_the_open_data(roles, data, url):
    roles.assert_access(url, {}, default=200)


@pytest.mark.parametrize("url", [URL, CSV_URL, "/grants/statistics/"])
def test_the_pages_only_read(roles, data, url):
    roles.assert_access(url, {}, method="post", default=405)
