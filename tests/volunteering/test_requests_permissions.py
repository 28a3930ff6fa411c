"""Every URL of help requests, campaigns and statistics against every role."""

import pytest
from django.urls import reverse

from tests.roles import ROLES
from tests.volunteering.factories import CampaignFactory, HelpRequestFactory
from tillsammans.volunteering.models import Campaign

pytestmark = pytest.mark.django_db

EVERYONE = dict.fromkeys(ROLES, 200)
SIGNED_IN = {**EVERYONE, "anonymous": 302}
# Coordinators run volunteering; site administrators hold every permission.
COORDINATORS = {
    **dict.fromkeys(ROLES, 403),
    "anonymous": 302,
    "staff_coordinator": 200,
    "site_admin": 200,
}
# A request's cancel page: the resident who asked and coordinators; for
# anyone else the request does not exist.
CANCEL = {
    **dict.fromkeys(ROLES, 404),
    "anonymous": 302,
    "resident": 200,
    "staff_coordinator": 200,
    "site_admin": 200,
}


def test_asking_for_help_is_for_everyone(roles):
    roles.assert_access(reverse("volunteering:help_request_new"), EVERYONE)
    # The receipt belongs to the session that sent a request; others go to the form.
    roles.assert_access(reverse("volunteering:help_request_sent"), dict.fromkeys(ROLES, 302))


def test_own_requests_need_an_account(roles):
    roles.assert_access(reverse("volunteering:my_help_requests"), SIGNED_IN)


def test_cancelling_is_for_the_requester_and_coordinators(roles):
    help_request = HelpRequestFactory(requester=roles.user("resident"))
    url = reverse("volunteering:help_request_cancel", args=[help_request.uuid])
    roles.assert_access(url, CANCEL)
    posted = {**CANCEL, "resident": 302}
    roles.assert_access(url, posted, method="post", data={"reason": "Klart."})
    help_request.refresh_from_db()
    assert help_request.status == "cancelled"


def test_coordinator_pages(roles):
    help_request = HelpRequestFactory()
    campaign = CampaignFactory(slug="vinter")
    for url in (
        reverse("volunteering:staff_help_requests"),
        reverse("volunteering:staff_help_request_new"),
        reverse("volunteering:staff_help_request", args=[help_request.uuid]),
        reverse("volunteering:staff_campaigns"),
        reverse("volunteering:staff_campaign_new"),
        reverse("volunteering:staff_campaign", args=[campaign.slug]),
        reverse("volunteering:staff_campaign_close", args=[campaign.slug]),
        reverse("volunteering:staff_campaign_stand_down", args=[campaign.slug]),
        reverse("volunteering:statistics"),
        reverse("volunteering:statistics_csv", args=["localities"]),
        reverse("volunteering:statistics_csv", args=["summary"]),
    ):
        roles.assert_access(url, COORDINATORS)


def test_closing_a_campaign_is_for_coordinators(roles):
    campaign = CampaignFactory(slug="vinter")
    url = reverse("volunteering:staff_campaign_close", args=[campaign.slug])
    posted = {**COORDINATORS, "staff_coordinator": 302, "site_admin": 302}
    roles.assert_access(url, posted, method="post")
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.CLOSED


def test_the_public_campaign_page_is_for_everyone(roles):
    open_campaign = CampaignFactory()
    closed = CampaignFactory(status=Campaign.Status.CLOSED)
    roles.assert_access(reverse("volunteering:campaign", args=[open_campaign.slug]), EVERYONE)
    roles.assert_access(reverse("volunteering:campaign", args=[closed.slug]), EVERYONE)
    roles.assert_access(
        reverse("volunteering:campaign", args=["finns-inte"]), dict.fromkeys(ROLES, 404)
    )


def test_unknown_objects_are_404_for_coordinators(roles):
    client = roles.client("staff_coordinator")
    assert (
        client.get("/staff/help-requests/00000000-0000-0000-0000-000000000000/").status_code == 404
    )
    assert client.get("/staff/campaigns/finns-inte/").status_code == 404
    assert client.get("/staff/volunteering/statistics/people.csv").status_code == 404
