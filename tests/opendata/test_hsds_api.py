import uuid

import pytest

from tests.activities.factories import ActivityFactory
from tests.opendata.conftest import validate
from tests.organizations.factories import OrganizationFactory
from tillsammans.opendata import hsds

pytestmark = pytest.mark.django_db

LISTS = {
    "/api/v1/hsds/organizations": "organization",
    "/api/v1/hsds/services": "service",
    "/api/v1/hsds/locations": "location",
    "/api/v1/hsds/service_at_locations": "service_at_location",
}


def test_api_metadata_follows_hsds(client):
    data = client.get("/api/v1/hsds/").json()
    validate(data, "api_metadata")
    assert data["version"].startswith("3.1")
    assert data["openapi_url"].endswith("/api/v1/openapi.json")


@pytest.mark.parametrize(("url", "schema"), LISTS.items())
def test_every_list_validates_against_the_hsds_schemas(client, directory, url, schema):
    data = client.get(url).json()
    validate(data, "page")
    assert data["contents"]
    for item in data["contents"]:
        validate(item, schema)


def test_every_detail_validates_and_matches_its_list_item(client, directory):
    for url, schema in LISTS.items():
        for item in client.get(url).json()["contents"]:
            response = client.get(f"{url}/{item['id']}")
            assert response.status_code == 200, (url, item["id"])
            validate(response.json(), schema)
            assert response.json() == item


def test_organisations_map_to_hsds_organizations(client, directory):
    contents = client.get("/api/v1/hsds/organizations").json()["contents"]
    by_name = {item["name"]: item for item in contents}
    pro = by_name["PRO Ekerö"]
    assert pro["id"] == str(directory["pro"].uuid)
    assert pro["description"] == directory["pro"].purpose
    assert pro["year_incorporated"] == 1968
    assert pro["website"] == "https://pro.example/"
    assert pro["organization_identifiers"][0]["identifier_scheme"] == "SE-ON"
    assert pro["organization_identifiers"][0]["identifier"] == directory["pro"].organisation_number
    assert pro["phones"][0]["number"] == "08-560 300 10"
    # The department that organises Kajutan is a synthetic organisation.
    department = [item for item in contents if item["id"] == str(directory["department"].uuid)]
    assert len(department) == 1
    assert "Socialförvaltningen" in department[0]["name"]
    assert department[0]["organization_identifiers"] == []


def test_activities_map_to_hsds_services(client, directory):
    weekly = client.get(f"/api/v1/hsds/services/{directory['weekly'].uuid}").json()
    assert weekly["organization_id"] == str(directory["pro"].uuid)
    assert weekly["status"] == "active"
    assert weekly["url"].endswith("/activities/sprakcafe/")
    assert {language["code"] for language in weekly["languages"]} == {"sv", "ar"}
    schedule = weekly["schedules"][0]
    assert schedule["freq"] == "WEEKLY"
    assert schedule["interval"] == 1
    assert schedule["byday"] == "TU,TH"
    assert schedule["opens_at"] == "14:00"
    assert schedule["closes_at"] == "16:00"
    assert schedule["valid_from"] == "2026-01-05"
    assert weekly["contacts"][0]["name"] == "Birgitta Lind"
    assert weekly["phones"][0]["number"] == "070-000 00 00"
    location = weekly["service_at_locations"][0]["location"]
    assert location["latitude"] == pytest.approx(59.29)
    address = location["addresses"][0]
    assert address["city"] == "Stenhamra"
    assert address["country"] == "SE"
    assert address["postal_code"] == "17890"
    assert address["address_1"] == "Stenhamravägen 70"

    biweekly = client.get(f"/api/v1/hsds/services/{directory['biweekly'].uuid}").json()
    assert biweekly["organization_id"] == str(directory["department"].uuid)
    assert biweekly["fees_description"] == "40 kr"
    assert biweekly["schedules"][0]["interval"] == 2
    assert biweekly["schedules"][0]["valid_to"] == "2099-06-01"
    once = client.get(f"/api/v1/hsds/services/{directory['once'].uuid}").json()
    assert "freq" not in once["schedules"][0]
    assert once["schedules"][0]["valid_to"] == "2099-05-02"


def test_locations_are_distinct_places_with_stable_ids(client, directory):
    contents = client.get("/api/v1/hsds/locations").json()["contents"]
    # Språkcafé has its own place; the others share the locality with no place name.
    assert len(contents) == 2
    assert len({item["id"] for item in contents}) == 2
    again = client.get("/api/v1/hsds/locations").json()["contents"]
    assert [item["id"] for item in again] == [item["id"] for item in contents]
    links = client.get("/api/v1/hsds/service_at_locations?per_page=100").json()["contents"]
    assert {link["location_id"] for link in links} == {item["id"] for item in contents}


def test_only_public_records_appear(client, directory):
    body = "".join(client.get(url + "?per_page=100").content.decode() for url in LISTS)
    assert "Väntande förening" not in body
    assert str(directory["pending"].uuid) not in body
    for hidden in ("inactive", "hidden"):
        assert directory[hidden].title not in body
        assert str(directory[hidden].uuid) not in body
        assert client.get(f"/api/v1/hsds/services/{directory[hidden].uuid}").status_code == 404
    assert client.get(f"/api/v1/hsds/organizations/{directory['pending'].uuid}").status_code == 404


def test_no_payment_details_anywhere(client, directory):
    body = "".join(client.get(url + "?per_page=100").content.decode() for url in LISTS)
    body += client.get(f"/api/v1/hsds/organizations/{directory['pro'].uuid}").content.decode()
    for secret in ("56781234", "5678-1234", "bankgiro", "plusgiro", "4711"):
        assert secret not in body


@pytest.mark.parametrize(
    ("total", "page", "per_page", "expected"),
    [
        (5, 1, 2, {"total_pages": 3, "first_page": True, "last_page": False, "items": 2}),
        (5, 2, 2, {"total_pages": 3, "first_page": False, "last_page": False, "items": 2}),
        (5, 3, 2, {"total_pages": 3, "first_page": False, "last_page": True, "items": 1}),
        (5, 4, 2, {"total_pages": 3, "first_page": False, "last_page": True, "items": 0}),
        (5, 1, 100, {"total_pages": 1, "first_page": True, "last_page": True, "items": 5}),
        (0, 1, 10, {"total_pages": 0, "first_page": True, "last_page": True, "items": 0}),
    ],
)
def test_page_wrapper_maths(client, total, page, per_page, expected):
    for n in range(total):
        ActivityFactory(title=f"Aktivitet {n:02d}")
    data = client.get(f"/api/v1/hsds/services?page={page}&per_page={per_page}").json()
    validate(data, "page")
    assert data["total_items"] == total
    assert data["total_pages"] == expected["total_pages"]
    assert data["page_number"] == page
    assert data["size"] == per_page
    assert data["first_page"] is expected["first_page"]
    assert data["last_page"] is expected["last_page"]
    assert len(data["contents"]) == expected["items"]
    assert data["empty"] is (expected["items"] == 0)


def test_organisation_pages_continue_with_departments(client, directory):
    first = client.get("/api/v1/hsds/organizations?per_page=1&page=1").json()
    second = client.get("/api/v1/hsds/organizations?per_page=1&page=2").json()
    assert first["total_items"] == 2
    assert first["contents"][0]["name"] == "PRO Ekerö"
    assert second["contents"][0]["id"] == str(directory["department"].uuid)
    assert client.get("/api/v1/hsds/organizations?per_page=1&page=3").json()["empty"] is True


@pytest.mark.parametrize(
    "query", ["page=0", "page=-1", "page=x", "per_page=0", "per_page=101", "per_page=abc"]
)
def test_bad_page_parameters_answer_422_with_the_error_body(client, query):
    response = client.get(f"/api/v1/hsds/services?{query}", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 422
    body = response.json()
    assert body["detail"]
    assert body["errors"][0]["field"] in {"page", "per_page"}


@pytest.mark.parametrize("url", [*LISTS, "/api/v1/hsds/organizations"])
def test_unknown_uuid_answers_404_with_the_error_body(client, url):
    response = client.get(f"{url}/{uuid.uuid4()}")
    assert response.status_code == 404
    assert set(response.json()) == {"detail", "errors"}


@pytest.mark.parametrize("url", list(LISTS))
def test_malformed_id_is_rejected(client, url):
    response = client.get(f"{url}/not-a-uuid")
    assert response.status_code in {404, 422}
    assert "detail" in response.json()


def test_service_at_location_ids_round_trip():
    value = uuid.uuid4()
    masked = hsds.service_at_location_id(value)
    assert masked != value
    assert masked.version == value.version
    assert hsds.activity_uuid_of_service_at_location(masked) == value


@pytest.mark.parametrize("rows", [3, 30])
@pytest.mark.parametrize(
    ("url", "queries"),
    [
        ("/api/v1/hsds/organizations?per_page=100", 6),
        ("/api/v1/hsds/services?per_page=100", 6),
        ("/api/v1/hsds/locations?per_page=100", 4),
        ("/api/v1/hsds/service_at_locations?per_page=100", 6),
    ],
)
def test_query_count_does_not_grow_with_the_data(
    client, django_assert_num_queries, rows, url, queries
):
    for n in range(rows):
        org = OrganizationFactory()
        ActivityFactory(organization=org, place_name=f"Lokal {n}")
    with django_assert_num_queries(queries):
        assert len(client.get(url).json()["contents"]) >= rows


def test_every_role_may_read_the_hsds_api(roles, directory):
    for url in ["/api/v1/hsds/", *LISTS, f"/api/v1/hsds/services/{directory['weekly'].uuid}"]:
        roles.assert_access(url, {}, default=200)


def test_openapi_describes_the_hsds_endpoints(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for path in ["/api/v1/hsds/", *LISTS, "/api/v1/hsds/services/{service_id}"]:
        assert path in paths
