"""The campaign pages: opening one (with question rows, no JavaScript needed),
the staff page with live counters, closing, standing down, the public page
and the start page banner."""

import pytest
from django.urls import reverse

from tests.volunteering.factories import (
    CampaignFactory,
    CampaignQuestionFactory,
    CampaignSignupFactory,
    HelpRequestFactory,
    HelpTypeFactory,
    VolunteerFactory,
)
from tillsammans.notifications.models import OutboxMessage
from tillsammans.volunteering.models import Campaign, HelpRequest, VolunteerStatus

pytestmark = pytest.mark.django_db

NEW = reverse("volunteering:staff_campaign_new")


def english(client):
    client.cookies["tillsammans_language"] = "en"
    return client


@pytest.fixture
def coordinator_client(roles):
    return english(roles.client("staff_coordinator"))


def management(total=4, prefix="questions"):
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "10",
    }


def test_open_a_campaign_with_questions(coordinator_client, django_capture_on_commit_callbacks):
    shopping, snow = HelpTypeFactory(slug="handla"), HelpTypeFactory(slug="annat")
    form = coordinator_client.get(NEW)
    assert form.status_code == 200
    assert 'name="questions-0-text"' in form.text and 'name="questions-3-text"' in form.text

    data = {
        "title": "Vinterhjälp 2026",
        "description": "Snöskottning och handling.",
        "help_types": [shopping.pk, snow.pk],
        "show_banner": "on",
        **management(),
        "questions-0-text": "Har du egen snöskyffel?",
        "questions-0-kind": "yes_no",
        "questions-0-required": "on",
        "questions-1-text": "",
        "questions-1-kind": "text",
        "questions-2-kind": "text",
        "questions-3-kind": "text",
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = coordinator_client.post(NEW, data)

    campaign = Campaign.objects.get()
    assert response.url == reverse("volunteering:staff_campaign", args=["vinterhjalp-2026"])
    assert [q.text for q in campaign.questions.all()] == ["Har du egen snöskyffel?"]
    page = coordinator_client.get(response.url)
    assert "The campaign “Vinterhjälp 2026” is open" in page.text
    assert "/volunteer/campaigns/vinterhjalp-2026/" in page.text
    # The banner is on the start page at once.
    start = english(coordinator_client).get(reverse("core:home"))
    assert "Vinterhjälp 2026" in start.text
    assert reverse("volunteering:campaign", args=[campaign.slug]) in start.text


def test_errors_keep_the_form_and_the_questions(coordinator_client):
    data = {
        "title": "Vinterhjälp",
        "description": "",
        **management(),
        "questions-0-text": "Har du bil?",
        "questions-0-kind": "yes_no",
        **{f"questions-{n}-kind": "text" for n in range(1, 4)},
    }
    response = coordinator_client.post(NEW, data)
    assert response.status_code == 200
    assert 'class="error-summary"' in response.text
    assert 'value="Vinterhjälp"' in response.text
    assert 'value="Har du bil?"' in response.text
    assert not Campaign.objects.exists()


def test_the_staff_page_counts_live(coordinator_client):
    campaign = CampaignFactory()
    CampaignSignupFactory.create_batch(3, campaign=campaign)
    CampaignSignupFactory(
        campaign=campaign,
        volunteer=VolunteerFactory(status=VolunteerStatus.LEFT, email="", full_name=""),
    )
    CampaignSignupFactory()  # another campaign
    for status, count in (("open", 2), ("matched", 1), ("done", 4), ("cancelled", 1)):
        HelpRequestFactory.create_batch(count, campaign=campaign, status=status)
    HelpRequestFactory()  # not in the campaign

    url = reverse("volunteering:staff_campaign", args=[campaign.slug])
    page = coordinator_client.get(url)
    counters = page.context["campaign"]
    assert (
        counters.volunteers_count,
        counters.open_count,
        counters.matched_count,
        counters.done_count,
    ) == (3, 2, 1, 4)

    partial = coordinator_client.get(url, headers={"HX-Request": "true"})
    assert "<h1>" not in partial.text
    assert "Volunteers signed up" in partial.text
    assert "HX-Request" in partial["Vary"]


def test_the_counters_cost_one_query(django_assert_num_queries):
    from tillsammans.volunteering.selectors.campaigns import campaigns_for_staff

    CampaignFactory.create_batch(3)
    with django_assert_num_queries(1):
        assert len(list(campaigns_for_staff())) == 3


def test_close_then_stand_down(coordinator_client, django_capture_on_commit_callbacks):
    campaign = CampaignFactory(title="Handlingshjälp covid-19")
    CampaignSignupFactory.create_batch(2, campaign=campaign)
    close = reverse("volunteering:staff_campaign_close", args=[campaign.slug])
    stand_down = reverse("volunteering:staff_campaign_stand_down", args=[campaign.slug])

    early = coordinator_client.post(stand_down, {"message": "Tack!"})
    assert "Close “Handlingshjälp covid-19” first" in early.text
    assert not OutboxMessage.objects.exists()

    assert "Closing stops new sign-ups" in coordinator_client.get(close).text
    with django_capture_on_commit_callbacks(execute=True):
        closed = coordinator_client.post(close, follow=True)
    assert "the banner is gone" in closed.text
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.CLOSED
    assert "Handlingshjälp covid-19" not in coordinator_client.get(reverse("core:home")).text

    response = coordinator_client.post(stand_down, {"message": "Tack för er insats!"})
    assert response.status_code == 302
    assert "on its way to 2 volunteers" in coordinator_client.get(response.url).text
    again = coordinator_client.post(stand_down, {"message": "Tack igen!"}, follow=True)
    assert "2 had already been stood down" in again.text
    assert OutboxMessage.objects.count() == 2

    closing_again = coordinator_client.post(close, follow=True)
    assert "is closed" in closing_again.text


def test_a_closed_campaign_takes_no_requests_through_its_page(client):
    campaign = CampaignFactory(status=Campaign.Status.CLOSED)
    page = english(client).get(reverse("volunteering:campaign", args=[campaign.slug]))
    assert "The campaign ended" in page.text
    assert f"/volunteer/campaigns/{campaign.slug}/" not in page.text
    assert not HelpRequest.objects.exists()


def test_the_public_page_links_to_sign_up_and_asking(client):
    campaign = CampaignFactory(title="Vinterhjälp 2026", description="Vi skottar snö.")
    CampaignQuestionFactory(campaign=campaign)
    page = english(client).get(reverse("volunteering:campaign", args=[campaign.slug]))
    assert "Vi skottar snö." in page.text
    assert f"/volunteer/campaigns/{campaign.slug}/" in page.text
    assert f"/help/?campaign={campaign.slug}" in page.text


def test_the_banner_costs_no_query_once_cached(client, django_assert_num_queries):
    CampaignFactory(title="Vinterhjälp 2026")
    CampaignFactory(title="Utan banner", show_banner=False)
    home = reverse("core:home")
    first = client.get(home)
    assert "Vinterhjälp 2026" in first.text and "Utan banner" not in first.text

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as context:
        client.get(home)
    assert not [q for q in context.captured_queries if "volunteering_campaign" in q["sql"]]
