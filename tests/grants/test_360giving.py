"""The 360Giving export at /api/v1/grants/360giving.json and .csv."""

import copy
import csv
import datetime
import io
import json
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from jsonschema import Draft4Validator, FormatChecker
from referencing import Registry, Resource

from tests.grants.factories import GrantedDecisionFactory, ProgrammeFactory
from tests.grants.test_transparency_decisions import PRIVATE_NAMES, make_decisions
from tillsammans.grants.selectors.transparency import kronor_number

pytestmark = pytest.mark.django_db

JSON_URL = "/api/v1/grants/360giving.json"
CSV_URL = "/api/v1/grants/360giving.csv"

FIXTURES = Path(__file__).resolve().parent / "fixtures"
GRANT_SCHEMA_URL = (
    "https://raw.githubusercontent.com/ThreeSixtyGiving/standard/1.4/schema/360-giving-schema.json"
)


def _load(name):
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


PACKAGE_SCHEMA = _load("360-giving-package-schema.json")
REGISTRY = Registry().with_resource(
    GRANT_SCHEMA_URL, Resource.from_contents(_load("360-giving-schema.json"))
)


# jsonschema checks "date-time" only with an optional package; the standard's
# dates are "date-time or YYYY-MM-DD" (a oneOf), which needs the check, so here
# is RFC 3339's full date-time.
FORMATS = FormatChecker()
RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$")


@FORMATS.checks("date-time", raises=ValueError)
def _date_time(value) -> bool:
    if not isinstance(value, str):
        return True
    if not RFC3339.match(value):
        return False
    datetime.datetime.fromisoformat(value.replace("z", "Z").replace("t", "T"))
    return True


def schema_errors(package) -> list[str]:
    validator = Draft4Validator(PACKAGE_SCHEMA, registry=REGISTRY, format_checker=FORMATS)
    return [
        f"{list(error.absolute_path)}: {error.message}"
        for error in sorted(validator.iter_errors(package), key=lambda e: list(e.absolute_path))
    ]


@pytest.fixture
def data(db):
    return make_decisions()


def grants_by_id(client):
    return {grant["id"]: grant for grant in client.get(JSON_URL).json()["grants"]}


# --- The JSON package --------------------------------------------------------------


def test_the_export_validates_against_the_360giving_schema(client, data):
    response = client.get(JSON_URL)
    assert response.status_code == 200
    package = response.json()
    assert schema_errors(package) == []
    assert package["version"] == "1.4"
    assert len(package["grants"]) == 6


def test_the_schema_check_can_fail(client, data):
    """The validation above would notice a grant that breaks the standard."""
    package = client.get(JSON_URL).json()
    broken = copy.deepcopy(package)
    del broken["grants"][0]["awardDate"]
    broken["grants"][1]["currency"] = "kronor"
    broken["grants"][2]["amountAwarded"] = "12 345,50 kr"
    broken["grants"][3].pop("recipientOrganization", None)
    broken["grants"][3].pop("recipientIndividual", None)
    errors = schema_errors(broken)
    assert len(errors) == 4
    assert schema_errors({"grants": []})  # a package needs at least one grant


def test_a_grant_to_an_organisation(client, data, settings):
    settings.GRANTS_360GIVING_PREFIX = "ekerokommun"
    settings.MUNICIPALITY_ORGANISATION_NUMBER = "212000-0043"
    settings.MUNICIPALITY_NAME = "Ekerö kommun"
    grant = grants_by_id(client)[f"360G-ekerokommun-{data.pro_grant.uuid}"]
    assert grant["title"] == "Veckoträffar för seniorer"
    assert grant["description"] == "Verksamhetsstöd: Veckoträffar för seniorer"
    assert grant["currency"] == "SEK"
    assert grant["amountAwarded"] == 12345.5
    assert grant["awardDate"] == "2025-06-10"
    assert grant["recipientOrganization"] == [
        {"id": f"SE-ON-{data.pro.organisation_number}", "name": "PRO Ekerö"}
    ]
    assert "recipientIndividual" not in grant
    assert grant["fundingOrganization"] == [
        {"id": "SE-ON-2120000043", "name": "Ekerö kommun", "department": "Socialnämnden"}
    ]
    assert grant["grantProgramme"] == [{"code": "verksamhetsstod", "title": "Verksamhetsstöd"}]


def test_the_prefix_and_the_municipality_come_from_the_settings(client, data, settings):
    settings.GRANTS_360GIVING_PREFIX = "tillsammans-ekero"
    settings.MUNICIPALITY_ORGANISATION_NUMBER = "212000-0043"
    grant = grants_by_id(client)[f"360G-tillsammans-ekero-{data.pro_grant.uuid}"]
    assert grant["fundingOrganization"][0]["id"] == "SE-ON-2120000043"


def test_networks_get_a_local_identifier_under_the_prefix(client, data, settings):
    settings.GRANTS_360GIVING_PREFIX = "ekerokommun"
    grants = grants_by_id(client)
    public = grants[f"360G-ekerokommun-{data.network_grant_decision.uuid}"]
    assert public["recipientOrganization"] == [
        {
            "id": f"360G-ekerokommun-network-{data.neighbours.uuid}",
            "name": "Grannar i Stenhamra",
        }
    ]
    hidden = grants[f"360G-ekerokommun-{data.hidden_network_grant.uuid}"]
    assert hidden["recipientOrganization"][0]["id"] == (
        f"360G-ekerokommun-network-{data.hidden_network.uuid}"
    )
    assert "Annas" not in json.dumps(hidden, ensure_ascii=False)


def test_individuals_are_anonymous(client, data, settings):
    settings.GRANTS_360GIVING_PREFIX = "ekerokommun"
    response = client.get(JSON_URL)
    text = response.content.decode()
    for name in PRIVATE_NAMES:
        assert name not in text
    grant = grants_by_id(client)[f"360G-ekerokommun-{data.individual_grant.uuid}"]
    assert "recipientOrganization" not in grant
    assert grant["recipientIndividual"] == {
        "id": f"360G-ekerokommun-individual-{data.individual_grant.uuid}",
        "name": "Individual Recipient",
    }
    assert str(data.ingrid.uuid) not in text
    assert str(data.ingrid.pk) not in grant["recipientIndividual"]["id"].split("-")


def test_only_granted_decisions_are_exported(client, data):
    text = client.get(JSON_URL).content.decode()
    assert str(data.rejected.uuid) not in text
    assert "Avslagen" not in text


@pytest.mark.parametrize("ore", [1, 99, 100, 12_345_50, 2_000_01, 1_234_567_89, 135_000_00])
def test_amounts_are_exact_kronor(client, db, ore):
    GrantedDecisionFactory(amount_ore=ore)
    (grant,) = client.get(JSON_URL).json()["grants"]
    assert Decimal(str(grant["amountAwarded"])) * 100 == ore
    assert kronor_number(ore) == grant["amountAwarded"]


def test_an_empty_export_is_an_empty_list(client, db):
    response = client.get(JSON_URL)
    assert response.status_code == 200
    assert response.json()["grants"] == []


def test_the_export_has_a_fixed_number_of_queries(client, db):
    def many(count, start):
        programme = ProgrammeFactory(slug="manga")
        for n in range(start, start + count):
            GrantedDecisionFactory(
                application__programme=programme,
                decided_on=datetime.date(2026, 1, 1) + datetime.timedelta(days=n),
            )

    many(3, 0)
    with CaptureQueriesContext(connection) as few:
        assert len(client.get(JSON_URL).json()["grants"]) == 3
    many(27, 3)
    with CaptureQueriesContext(connection) as lots:
        assert len(client.get(JSON_URL).json()["grants"]) == 30
    assert len(few) == len(lots) == 1
    with CaptureQueriesContext(connection) as as_csv:
        client.get(CSV_URL)
    assert len(as_csv) == 1


# --- The CSV -----------------------------------------------------------------------------


def csv_rows(response):
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_the_csv_uses_the_standards_column_titles(client, data, settings):
    settings.GRANTS_360GIVING_PREFIX = "ekerokommun"
    response = client.get(CSV_URL)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = csv_rows(response)
    assert len(rows) == 6
    for title in (
        "Identifier",
        "Title",
        "Description",
        "Currency",
        "Amount Awarded",
        "Award Date",
        "Recipient Org:Identifier",
        "Recipient Org:Name",
        "Recipient Ind:Identifier",
        "Funding Org:Identifier",
        "Funding Org:Name",
        "Grant Programme:Code",
    ):
        assert title in rows[0]
    by_id = {row["Identifier"]: row for row in rows}
    pro = by_id[f"360G-ekerokommun-{data.pro_grant.uuid}"]
    assert pro["Amount Awarded"] == "12345.5"
    assert pro["Currency"] == "SEK"
    assert pro["Award Date"] == "2025-06-10"
    assert pro["Recipient Org:Identifier"] == f"SE-ON-{data.pro.organisation_number}"
    assert pro["Recipient Org:Name"] == "PRO Ekerö"
    assert pro["Recipient Ind:Identifier"] == ""
    person = by_id[f"360G-ekerokommun-{data.individual_grant.uuid}"]
    assert person["Recipient Org:Name"] == ""
    assert person["Recipient Ind:Name"] == "Individual Recipient"
    assert person["Amount Awarded"] == "2000.01"


def test_the_csv_names_no_individual_and_no_rejection(client, data):
    text = client.get(CSV_URL).content.decode("utf-8-sig")
    for name in PRIVATE_NAMES:
        assert name not in text
    assert str(data.rejected.uuid) not in text


def test_the_export_is_described_in_the_openapi_document(client, db):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert "/api/v1/grants/360giving.json" in paths
    assert "/api/v1/grants/360giving.csv" in paths
