"""Statistics: the figures, per campaign, as CSV, and never a person."""

import csv
import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from tests.factories import LanguageFactory, LocalityFactory
from tests.volunteering.factories import (
    CampaignFactory,
    HelpRequestFactory,
    HelpTypeFactory,
    OfferFactory,
    VolunteerFactory,
)
from tillsammans.volunteering.models import HelpRequest, Volunteer, VolunteerStatus
from tillsammans.volunteering.selectors.statistics import volunteering_statistics

pytestmark = pytest.mark.django_db

PAGE = reverse("volunteering:statistics")


@pytest.fixture
def world():
    stenhamra = LocalityFactory(slug="stenhamra", name_sv="Stenhamra", name_en="Stenhamra")
    adelso = LocalityFactory(slug="adelso", name_sv="Adelsö", name_en="Adelsö")
    swedish = LanguageFactory()
    arabic = LanguageFactory(code="ar", name_sv="arabiska", name_en="Arabic", native_name="ar")
    shopping, visit = HelpTypeFactory(slug="handla"), HelpTypeFactory(slug="besok")
    VolunteerFactory(
        full_name="Omar Volontär",
        locality=stenhamra,
        languages=[swedish, arabic],
        help_types=[shopping, visit],
    )
    VolunteerFactory(locality=stenhamra, languages=[swedish], help_types=[shopping])
    VolunteerFactory(locality=adelso, languages=[swedish], help_types=[visit])
    # Not active: not counted.
    VolunteerFactory(locality=adelso, status=VolunteerStatus.PAUSED, help_types=[visit])
    VolunteerFactory(locality=adelso, status=VolunteerStatus.UNVERIFIED, help_types=[visit])

    campaign = CampaignFactory(slug="vinter", help_types=[shopping])
    now = timezone.now()

    def matched(hours, **kwargs):
        request = HelpRequestFactory(resident_name="Gunnel Andersson", **kwargs)
        HelpRequest.objects.filter(pk=request.pk).update(
            created_at=now - datetime.timedelta(days=3),
            matched_at=now - datetime.timedelta(days=3) + datetime.timedelta(hours=hours),
        )
        return request

    done_in_campaign = matched(2, status="done", campaign=campaign)
    matched(4, status="done", campaign=campaign)
    matched(30, status="matched")
    HelpRequestFactory(status="open", campaign=campaign)
    HelpRequestFactory(status="open")
    OfferFactory(request=done_in_campaign, status="done", minutes_spent=90)
    OfferFactory(request=done_in_campaign, status="done", minutes_spent=45)
    OfferFactory(status="accepted", minutes_spent=600)  # not done: not counted
    return campaign


def rows(overview, key):
    return {row.label: row.count for row in overview.table(key).rows}


def test_the_figures(world):
    with translation.override("en"):
        overview = volunteering_statistics()
        requests = rows(overview, "requests")
    localities = rows(overview, "localities")
    assert (localities["Stenhamra"], localities["Adelsö"]) == (2, 1)
    # Every active volunteer once (the offers' volunteers live elsewhere).
    active = Volunteer.objects.filter(status=VolunteerStatus.ACTIVE).count()
    assert sum(localities.values()) == active
    assert rows(overview, "languages")["Arabic"] == 1
    assert rows(overview, "help-types")["Grocery shopping"] >= 2
    assert rows(overview, "help-types")["Home visit"] == 2
    assert requests == {
        "Waiting for a volunteer": 3,  # one is the accepted offer's request
        "Volunteer found": 1,
        "Done": 2,
        "Cancelled": 0,
    }
    assert overview.matched_count == 3
    assert overview.median_time_to_match == datetime.timedelta(hours=4)
    assert overview.minutes_given == 135
    assert str(overview.hours_given) == "2.3"


def test_per_campaign(world):
    overview = volunteering_statistics(campaign=world)
    assert overview.matched_count == 2
    assert overview.median_time_to_match == datetime.timedelta(hours=3)
    assert overview.minutes_given == 135
    assert sum(row.count for row in overview.table("requests").rows) == 3


def test_empty():
    overview = volunteering_statistics()
    assert overview.median_time_to_match is None and overview.median_hours is None
    assert overview.hours_given == 0


def test_the_page_and_csv_show_no_person(roles, world):
    client = roles.client("staff_coordinator")
    client.cookies["tillsammans_language"] = "en"
    page = client.get(PAGE, {"campaign": "vinter"})
    assert page.status_code == 200
    assert "4.0 hours" in page.text or "3.0 hours" in page.text
    assert "Omar" not in page.text and "Gunnel" not in page.text

    for table in ("localities", "languages", "help-types", "requests", "summary"):
        response = client.get(reverse("volunteering:statistics_csv", args=[table]))
        assert response["Content-Type"] == "text/csv; charset=utf-8"
        assert "attachment" in response["Content-Disposition"]
        text = response.content.decode("utf-8-sig")
        assert "Omar" not in text and "Gunnel" not in text
        parsed = list(csv.reader(io.StringIO(text)))
        assert len(parsed[0]) == 2
    localities = client.get(reverse("volunteering:statistics_csv", args=["localities"]))
    assert ["Stenhamra", "2"] in list(
        csv.reader(io.StringIO(localities.content.decode("utf-8-sig")))
    )
    summary = client.get(
        reverse("volunteering:statistics_csv", args=["summary"]), {"campaign": "vinter"}
    )
    assert "vinter" in summary["Content-Disposition"]
    assert ["Hours given", "2.3"] in list(
        csv.reader(io.StringIO(summary.content.decode("utf-8-sig")))
    )


def test_an_unknown_campaign_filter_shows_everything(roles, world):
    client = roles.client("staff_coordinator")
    response = client.get(PAGE, {"campaign": "finns-inte"})
    assert response.status_code == 200
    assert response.context["overview"].campaign is None
