"""The admin shows campaigns and requests, never a resident's details."""

import pytest
from django.urls import reverse

from tests.volunteering.factories import CampaignFactory, HelpRequestFactory

pytestmark = pytest.mark.django_db


def test_the_admin_lists_without_personal_details(roles):
    help_request = HelpRequestFactory(resident_name="Gunnel Andersson")
    campaign = CampaignFactory(title="Vinterhjälp 2026")
    client = roles.client("site_admin")

    listing = client.get(reverse("admin:volunteering_helprequest_changelist"))
    assert listing.status_code == 200 and help_request.reference in listing.text
    page = client.get(reverse("admin:volunteering_helprequest_change", args=[help_request.pk]))
    assert page.status_code == 200
    assert "Gunnel" not in page.text and "Bryggvägen" not in page.text
    assert reverse("volunteering:staff_help_request", args=[help_request.uuid]) in page.text
    assert client.get(reverse("admin:volunteering_helprequest_add")).status_code == 403

    campaign_page = client.get(reverse("admin:volunteering_campaign_change", args=[campaign.pk]))
    assert "Vinterhjälp 2026" in campaign_page.text
