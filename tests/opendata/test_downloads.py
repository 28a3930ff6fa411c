import csv
import datetime
import io

import pytest
from dateutil.rrule import rrulestr
from django.urls import reverse
from icalendar import Calendar

from tests.activities.factories import ActivityFactory
from tests.organizations.factories import OrganizationFactory

pytestmark = pytest.mark.django_db

DOWNLOADS = [
    "opendata:organisations_csv",
    "opendata:organisations_json",
    "opendata:activities_csv",
    "opendata:activities_json",
    "opendata:activities_ics",
]


def _csv_rows(response):
    content = response.content.decode("utf-8")
    assert content.startswith("\ufeff"), "Excel needs the byte order mark to read åäö"
    return list(csv.DictReader(io.StringIO(content.removeprefix("\ufeff"))))


def test_organisations_csv_has_a_header_and_only_public_rows(client, directory):
    response = client.get(reverse("opendata:organisations_csv"))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "organisations.csv" in response["Content-Disposition"]
    rows = _csv_rows(response)
    assert [row["name"] for row in rows] == ["PRO Ekerö"]
    row = rows[0]
    assert row["id"] == str(directory["pro"].uuid)
    assert row["organisation_number"] == directory["pro"].organisation_number_display
    assert row["languages"] == "sv"
    assert row["founding_year"] == "1968"


def test_activities_csv_lists_public_activities_with_their_schedule(client, directory):
    rows = _csv_rows(client.get(reverse("opendata:activities_csv")))
    by_slug = {row["slug"]: row for row in rows}
    assert set(by_slug) == {"sprakcafe", "kajutan", "vandring"}
    weekly = by_slug["sprakcafe"]
    assert weekly["title"] == "Språkcafé"
    assert weekly["organiser"] == "PRO Ekerö"
    assert weekly["weekdays"] == "TU;TH"
    assert weekly["languages"] == "ar;sv"
    assert weekly["cancelled_dates"] == "2026-01-08"
    assert weekly["locality"] == "stenhamra"
    assert weekly["is_free"] == "true"
    assert by_slug["kajutan"]["organiser"] == "Socialförvaltningen"
    assert by_slug["kajutan"]["cost"] == "40 kr"


def test_json_exports_have_the_same_records(client, directory):
    organisations = client.get(reverse("opendata:organisations_json")).json()
    assert organisations["count"] == 1
    assert organisations["items"][0]["name"] == "PRO Ekerö"
    activities = client.get(reverse("opendata:activities_json")).json()
    assert {item["slug"] for item in activities["items"]} == {"sprakcafe", "kajutan", "vandring"}
    weekly = next(item for item in activities["items"] if item["slug"] == "sprakcafe")
    assert weekly["weekdays"] == ["TU", "TH"]
    assert weekly["url"].endswith("/activities/sprakcafe/")


def test_no_payment_details_or_hidden_records_in_any_download(client, directory):
    for name in DOWNLOADS:
        body = client.get(reverse(name)).content.decode("utf-8")
        for secret in ("56781234", "5678-1234", "bankgiro", "plusgiro", "Väntande förening"):
            assert secret not in body, (name, secret)
        assert "Inaktiv aktivitet" not in body
        assert "Dold aktivitet" not in body


def _calendar(client, query=""):
    response = client.get(reverse("opendata:activities_ics") + query)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return Calendar.from_ical(response.content)


def _events(calendar):
    return {str(event["SUMMARY"]): event for event in calendar.walk("VEVENT")}


def test_ical_feed_has_recurrence_exceptions_and_a_timezone(client, directory):
    calendar = _calendar(client)
    timezones = calendar.walk("VTIMEZONE")
    assert [str(tz["TZID"]) for tz in timezones] == ["Europe/Stockholm"]
    events = _events(calendar)
    assert set(events) == {"Språkcafé", "Kajutan", "Vandring"}

    weekly = events["Språkcafé"]
    assert str(weekly["UID"]) == f"{directory['weekly'].uuid}@tillsammans"
    start = weekly["DTSTART"]
    assert start.params["TZID"] == "Europe/Stockholm"
    # Starts on Monday 5 January but meets on Tuesdays and Thursdays: first is the 6th.
    assert start.dt == datetime.datetime(2026, 1, 6, 14, 0, tzinfo=start.dt.tzinfo)
    assert weekly["DTEND"].dt.hour == 16
    rule = weekly["RRULE"]
    assert rule["FREQ"] == ["WEEKLY"]
    assert rule["BYDAY"] == ["TU", "TH"]
    assert "INTERVAL" not in rule
    exdates = [value.dt for value in weekly["EXDATE"].dts]
    assert [(day.date(), day.hour) for day in exdates] == [(datetime.date(2026, 1, 8), 14)]
    assert "Stenhamra bibliotek" in str(weekly["LOCATION"])
    assert str(weekly["URL"]).endswith("/activities/sprakcafe/")
    assert str(weekly["DESCRIPTION"])

    biweekly = events["Kajutan"]["RRULE"]
    assert biweekly["INTERVAL"] == [2]
    assert biweekly["BYDAY"] == ["MO"]
    assert biweekly["UNTIL"][0].date() == datetime.date(2099, 6, 1)
    assert "RRULE" not in events["Vandring"]


def test_ical_biweekly_rule_matches_the_activity_occurrences(client):
    activity = ActivityFactory(
        recurrence="biweekly", weekdays="04", starts_on=datetime.date(2026, 1, 7)
    )
    event = _events(_calendar(client))[activity.title]
    rule = event["RRULE"]
    # Weeks are counted from the first date (a Wednesday), like Activity.occurrences().
    assert rule["WKST"] == ["WE"]
    start = event["DTSTART"].dt
    dates = rrulestr(event["RRULE"].to_ical().decode(), dtstart=start)
    expected = activity.occurrences(datetime.date(2026, 1, 7), datetime.date(2026, 3, 31))
    window = (start.replace(day=1), start.replace(month=3, day=31, hour=23))
    assert [day.date() for day in dates.between(*window, inc=True)] == expected


def test_ical_filters_by_area_and_locality(client, directory):
    other = ActivityFactory(title="Någon annanstans")
    by_area = _events(_calendar(client, "?area=aldre"))
    assert set(by_area) == {"Språkcafé"}
    by_locality = _events(_calendar(client, "?locality=stenhamra"))
    assert "Någon annanstans" not in by_locality
    assert len(by_locality) == 3
    assert other.title in _events(_calendar(client))


@pytest.mark.parametrize("query", ["?area=finns-inte", "?locality=atlantis"])
def test_ical_unknown_filter_answers_400_with_a_message(client, directory, query):
    client.cookies["tillsammans_language"] = "en"
    response = client.get(reverse("opendata:activities_ics") + query)
    assert response.status_code == 400
    assert "There is no" in response.content.decode()


def test_open_data_page_links_every_format(client):
    client.cookies["tillsammans_language"] = "en"
    response = client.get(reverse("opendata:index"))
    assert response.status_code == 200
    html = response.content.decode()
    for name in DOWNLOADS:
        assert reverse(name) in html
    for text in ("/api/v1/hsds/", "/api/v1/openapi.json", "HSDS", "iCalendar"):
        assert text in html


def test_start_page_links_to_open_data(client):
    assert reverse("opendata:index") in client.get("/").content.decode()


@pytest.mark.parametrize("rows", [3, 30])
@pytest.mark.parametrize(
    ("name", "queries"),
    [
        ("opendata:organisations_csv", 4),
        ("opendata:organisations_json", 4),
        ("opendata:activities_csv", 6),
        ("opendata:activities_json", 6),
        ("opendata:activities_ics", 6),
        ("opendata:index", 2),
    ],
)
def test_download_query_count_is_fixed(client, django_assert_num_queries, rows, name, queries):
    for _ in range(rows):
        ActivityFactory(organization=OrganizationFactory())
    with django_assert_num_queries(queries):
        assert client.get(reverse(name)).status_code == 200


@pytest.mark.parametrize("name", [*DOWNLOADS, "opendata:index"])
def test_every_role_may_download_open_data(roles, directory, name):
    roles.assert_access(reverse(name), {}, default=200)
