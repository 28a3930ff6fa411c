"""Who may open every volunteer and police-record page: the table reads like the spec.

Volunteer pages serve the current volunteer (no rule on the account): everyone
else is led to the page that sends the personal link. Coordinators' pages are
for coordinators and site admins; other staff get 403, visitors sign in.
"""

import uuid

import pytest
from django.urls import reverse

from tests.volunteering.factories import CampaignFactory, SafeguardingCheckFactory, VolunteerFactory

pytestmark = pytest.mark.django_db

EVERYONE = 200
COORDINATORS = {"anonymous": 302, "staff_coordinator": 200, "site_admin": 200}
VOLUNTEER_ONLY = {"volunteer": 200}


def test_public_pages(roles):
    for name in ("volunteer_signup_sent", "volunteer_link_request"):
        roles.assert_access(reverse(f"volunteering:{name}"), {}, default=EVERYONE)
    # A volunteer who is already signed up is led to their page.
    roles.assert_access(
        reverse("volunteering:volunteer_signup"), {"volunteer": 302}, default=EVERYONE
    )
    roles.assert_access(
        reverse("volunteering:volunteer_link", args=["no-such-link"]), {}, default=404
    )


def test_campaign_sign_up_is_public_open_or_closed(roles):
    open_campaign = CampaignFactory()
    closed = CampaignFactory(status="closed")
    for campaign in (open_campaign, closed):
        url = reverse("volunteering:campaign_signup", args=[campaign.slug])
        roles.assert_access(url, {}, default=EVERYONE)
    roles.assert_access(
        reverse("volunteering:campaign_signup", args=["finns-inte"]), {}, default=404
    )


@pytest.mark.parametrize(
    "name", ["volunteer_profile", "volunteer_edit", "volunteer_pause", "volunteer_leave"]
)
def test_own_pages_are_for_the_volunteer_only(roles, name):
    roles.assert_access(reverse(f"volunteering:{name}"), VOLUNTEER_ONLY, default=302)


def test_own_actions_are_posts_for_the_volunteer_only(roles):
    export = reverse("volunteering:volunteer_export")
    roles.assert_access(export, VOLUNTEER_ONLY, method="post", default=302)
    roles.assert_access(export, {}, default=405)
    resume = reverse("volunteering:volunteer_resume")
    roles.assert_access(resume, {}, method="post", default=302)
    roles.assert_access(resume, {}, default=405)


def test_coordinators_pages(roles):
    volunteer = VolunteerFactory()
    check = SafeguardingCheckFactory(volunteer=volunteer)
    urls = [
        reverse("volunteering:volunteer_list"),
        reverse("volunteering:volunteer_detail", args=[volunteer.uuid]),
        reverse("volunteering:safeguarding_expiring"),
        reverse("volunteering:safeguarding_record", args=[volunteer.uuid]),
        reverse("volunteering:safeguarding_revoke", args=[volunteer.uuid, check.pk]),
    ]
    for url in urls:
        roles.assert_access(url, COORDINATORS, default=403)


def test_unknown_volunteers_and_checks_are_404_for_coordinators(roles):
    client = roles.client("staff_coordinator")
    check = SafeguardingCheckFactory()
    other = VolunteerFactory()
    for url in (
        reverse("volunteering:volunteer_detail", args=[uuid.uuid4()]),
        reverse("volunteering:safeguarding_record", args=[uuid.uuid4()]),
        # The check exists, but not under this volunteer.
        reverse("volunteering:safeguarding_revoke", args=[other.uuid, check.pk]),
    ):
        assert client.get(url).status_code == 404, url


def test_coordinators_posts_are_refused_to_others(roles):
    volunteer = VolunteerFactory()
    check = SafeguardingCheckFactory(volunteer=volunteer)
    record = reverse("volunteering:safeguarding_record", args=[volunteer.uuid])
    revoke = reverse("volunteering:safeguarding_revoke", args=[volunteer.uuid, check.pk])
    # Coordinators get the form back with the error (too old, no reason); others nothing.
    refused = {"anonymous": 302, "staff_coordinator": 200, "site_admin": 200}
    roles.assert_access(
        record, refused, method="post", data={"extract_issued_on": "2000-01-01"}, default=403
    )
    roles.assert_access(revoke, refused, method="post", data={"reason": ""}, default=403)
    check.refresh_from_db()
    assert check.revoked_at is None


def test_the_admin_shows_volunteers_without_contact_details(roles):
    volunteer = VolunteerFactory(email="hemlig@example.se", phone="+46701112233")
    SafeguardingCheckFactory(volunteer=volunteer)
    client = roles.client("site_admin")
    for url in (
        "/admin/volunteering/volunteer/",
        f"/admin/volunteering/volunteer/{volunteer.pk}/change/",
        "/admin/volunteering/safeguardingcheck/",
        "/admin/volunteering/helptype/",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert "hemlig@example.se" not in html and "+46701112233" not in html
