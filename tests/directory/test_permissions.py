"""Who sees which directory page: public pages for everyone, previews of a
non-public organisation only for its representatives and the register."""

import pytest
from django.urls import reverse

from tests.activities.factories import ActivityFactory
from tests.organizations.factories import OrganizationFactory, RepresentativeFactory
from tests.roles import ROLES
from tillsammans.activities.models import ActivityStatus
from tillsammans.organizations.models import OrganizationStatus

pytestmark = pytest.mark.django_db

EVERYONE = dict.fromkeys(ROLES, 200)


def test_public_pages_are_open_to_everyone(roles):
    activity = ActivityFactory(organization=OrganizationFactory(slug="rotary"))
    roles.assert_access(reverse("directory:search"), EVERYONE)
    roles.assert_access(reverse("directory:search") + "?show=organisations", EVERYONE)
    roles.assert_access(reverse("directory:print"), EVERYONE)
    roles.assert_access(reverse("directory:organization", args=["rotary"]), EVERYONE)
    roles.assert_access(reverse("directory:activity", args=[activity.slug]), EVERYONE)


@pytest.mark.parametrize(
    "status",
    [OrganizationStatus.PENDING, OrganizationStatus.RETURNED, OrganizationStatus.INACTIVE],
)
def test_a_non_public_organisation_is_previewed_only_by_its_people(roles, status):
    # The representative persona represents the organisation "pro-test".
    OrganizationFactory(slug="pro-test", status=status)
    roles.assert_access(
        reverse("directory:organization", args=["pro-test"]),
        {"organisation_representative": 200, "staff_register_officer": 200, "site_admin": 200},
        default=404,
    )


def test_the_preview_says_it_is_not_public(roles):
    organization = OrganizationFactory(status=OrganizationStatus.PENDING)
    representative = RepresentativeFactory(organization=organization).user
    client = roles.client("anonymous")
    client.cookies["tillsammans_language"] = "en"
    client.force_login(representative)
    html = client.get(reverse("directory:organization", args=[organization.slug])).content.decode()
    assert "Not public yet." in html


def test_a_representative_of_another_organisation_gets_404(client):
    hidden = OrganizationFactory(status=OrganizationStatus.PENDING)
    client.force_login(RepresentativeFactory().user)
    assert client.get(reverse("directory:organization", args=[hidden.slug])).status_code == 404


@pytest.mark.parametrize(
    "make",
    [
        lambda: ActivityFactory(status=ActivityStatus.INACTIVE),
        lambda: ActivityFactory(organization=OrganizationFactory(status="pending")),
        lambda: ActivityFactory(ends_on="2026-01-31"),
    ],
    ids=["inactive", "organiser-not-public", "over"],
)
def test_a_non_public_activity_answers_404_to_everyone(roles, make):
    activity = make()
    roles.assert_access(reverse("directory:activity", args=[activity.slug]), {}, default=404)


def test_unknown_slugs_answer_404(client):
    assert client.get(reverse("directory:organization", args=["finns-inte"])).status_code == 404
    assert client.get(reverse("directory:activity", args=["finns-inte"])).status_code == 404


def test_fixed_paths_of_other_apps_win_over_the_slugs():
    from django.urls import resolve

    assert resolve("/organisations/register/").namespace == "organizations"
    assert resolve("/organisations/manage/").namespace == "organizations"
    assert resolve("/activities/manage/").namespace == "activities"
    assert resolve("/organisations/pro-ekero/").view_name == "directory:organization"
    assert resolve("/activities/boule/").view_name == "directory:activity"
