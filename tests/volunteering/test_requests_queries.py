"""Query budgets: the same number of queries for 3 and 30 rows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import LanguageFactory, LocalityFactory
from tests.volunteering.factories import (
    CampaignFactory,
    CampaignSignupFactory,
    HelpRequestFactory,
    HelpTypeFactory,
    OfferFactory,
    VolunteerFactory,
)
from tillsammans.volunteering.models import Campaign

pytestmark = pytest.mark.django_db


def count_queries(client, url, **params) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(context.captured_queries)


def requests(n, **kwargs):
    locality, visit = LocalityFactory(slug="stenhamra"), HelpTypeFactory(slug="besok")
    campaign = Campaign.objects.filter(slug="vinter").first() or CampaignFactory(slug="vinter")
    finnish = LanguageFactory(code="fi", name_sv="finska", name_en="Finnish", native_name="suomi")
    for _ in range(n):
        request = HelpRequestFactory(
            locality=locality, help_type=visit, campaign=campaign, language=finnish, **kwargs
        )
        OfferFactory(request=request, status="accepted")


@pytest.mark.parametrize(
    "params", [{}, {"status": "open", "help_type": "besok", "campaign": "vinter"}]
)
def test_coordinator_list(roles, params):
    client = roles.client("staff_coordinator")
    url = reverse("volunteering:staff_help_requests")
    requests(3)
    few = count_queries(client, url, **params)
    requests(27)
    assert count_queries(client, url, **params) == few


def test_my_help_requests(roles):
    client = roles.client("resident")
    url = reverse("volunteering:my_help_requests")
    requests(3, requester=roles.user("resident"))
    few = count_queries(client, url)
    requests(27, requester=roles.user("resident"))
    assert count_queries(client, url) == few


def test_detail_page_with_offers(roles):
    client = roles.client("staff_coordinator")
    request = HelpRequestFactory(campaign=CampaignFactory(), status="cancelled")
    url = reverse("volunteering:staff_help_request", args=[request.uuid])
    OfferFactory.create_batch(2, request=request)
    few = count_queries(client, url)
    OfferFactory.create_batch(20, request=request)
    assert count_queries(client, url) == few


def test_campaign_pages(roles):
    client = roles.client("staff_coordinator")
    campaign = CampaignFactory(slug="vinter")
    pages = [
        reverse("volunteering:staff_campaigns"),
        reverse("volunteering:staff_campaign", args=["vinter"]),
        reverse("volunteering:campaign", args=["vinter"]),
    ]

    def grow(n):
        for _ in range(n):
            CampaignFactory()
            CampaignSignupFactory(campaign=campaign)
            HelpRequestFactory(campaign=campaign)

    grow(3)
    few = [count_queries(client, url) for url in pages]
    grow(27)
    assert [count_queries(client, url) for url in pages] == few


def test_statistics(roles):
    client = roles.client("staff_coordinator")
    url = reverse("volunteering:statistics")
    csv_url = reverse("volunteering:statistics_csv", args=["help-types"])

    def grow(n):
        for index in range(n):
            volunteer = VolunteerFactory(locality=LocalityFactory(slug=f"ort-q{index}-{n}"))
            request = HelpRequestFactory(status="done")
            OfferFactory(request=request, volunteer=volunteer, status="done", minutes_spent=30)

    grow(3)
    few = count_queries(client, url), count_queries(client, url, campaign="")
    few_csv = count_queries(client, csv_url)
    grow(27)
    assert (count_queries(client, url), count_queries(client, url, campaign="")) == few
    assert count_queries(client, csv_url) == few_csv
