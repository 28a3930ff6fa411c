"""Every URL of activity management against every role.

The "organisation_representative" persona represents PRO Test. An
organisation's activities: its representatives (and site administrators,
who hold every permission). Others get 403 when the activity is public and
404 when they may not know it exists. The municipality's activities: staff
with the editor capability.
"""

import pytest
from django.urls import reverse

from tests.activities.conftest import next_weekday
from tests.activities.factories import ActivityFactory
from tests.organizations.factories import OrganizationFactory, RepresentativeFactory
from tests.roles import ROLES
from tillsammans.activities.models import ActivityStatus
from tillsammans.organizations.models import OrganizationStatus

pytestmark = pytest.mark.django_db


def table(default: int, **overrides: int) -> dict[str, int]:
    return {**dict.fromkeys(ROLES, default), "anonymous": 302, **overrides}


MY_ACTIVITIES = table(403, organisation_representative=200, staff_editor=200, site_admin=200)
ADD_FOR_ORGANISATION = table(403, organisation_representative=200, site_admin=200)
OWN_PUBLIC = table(403, organisation_representative=200, site_admin=200)
OWN_HIDDEN = table(404, organisation_representative=200, site_admin=200)
MUNICIPAL = table(403, staff_editor=200, site_admin=200)
# Someone else's organisation's public activity: nobody here but the admin.
OTHERS_PUBLIC = table(403, site_admin=200)


@pytest.fixture
def own():
    """The organisation the "organisation_representative" persona represents."""
    return OrganizationFactory(slug="pro-test", name="PRO Test")


def test_my_activities_and_new_activity(roles, own):
    roles.assert_access(reverse("activities:manage"), MY_ACTIVITIES)
    roles.assert_access(reverse("activities:create"), ADD_FOR_ORGANISATION)


def test_new_activity_for_an_organisation(roles, own):
    url = reverse("activities:create") + "?organization="
    roles.assert_access(url + str(own.uuid), ADD_FOR_ORGANISATION)
    # Another organisation's: public, so 403; not public, so 404 for a
    # representative. Whoever represents no organisation may not open the
    # page at all (403), whatever the organisation.
    roles.assert_access(url + str(OrganizationFactory().uuid), OTHERS_PUBLIC)
    pending = OrganizationFactory(status=OrganizationStatus.PENDING)
    roles.assert_access(
        url + str(pending.uuid), table(403, organisation_representative=404, site_admin=200)
    )
    roles.assert_access(
        url + "not-a-uuid", table(403, organisation_representative=404, site_admin=404)
    )


def test_inactive_organisation_gets_no_new_activity(roles):
    own = OrganizationFactory(slug="pro-test", status=OrganizationStatus.INACTIVE)
    roles.assert_access(
        reverse("activities:create") + f"?organization={own.uuid}",
        table(403),
    )


@pytest.mark.parametrize("name", ["edit", "cancellations"])
def test_own_activity_pages(roles, own, name):
    public = ActivityFactory(organization=own)
    roles.assert_access(reverse(f"activities:{name}", args=[public.uuid]), OWN_PUBLIC)
    hidden = ActivityFactory(organization=own, status=ActivityStatus.INACTIVE)
    roles.assert_access(reverse(f"activities:{name}", args=[hidden.uuid]), OWN_HIDDEN)


@pytest.mark.parametrize("name", ["edit", "cancellations"])
def test_representative_of_another_organisation(roles, own, name):
    # PRO Test's representative may not touch another organisation's activity,
    # nor may an editor: 403 while it is public, 404 when it is not.
    others = ActivityFactory(organization=OrganizationFactory())
    roles.assert_access(reverse(f"activities:{name}", args=[others.uuid]), OTHERS_PUBLIC)
    hidden = ActivityFactory(organization=OrganizationFactory(status=OrganizationStatus.PENDING))
    roles.assert_access(
        reverse(f"activities:{name}", args=[hidden.uuid]), table(404, site_admin=200)
    )


@pytest.mark.parametrize("name", ["edit", "cancellations"])
def test_municipal_activity_pages(roles, own, name):
    activity = ActivityFactory(organization=None, department=_department())
    roles.assert_access(reverse(f"activities:{name}", args=[activity.uuid]), MUNICIPAL)


def test_municipal_list_and_create(roles):
    roles.assert_access(reverse("activities:staff_list"), MUNICIPAL)
    roles.assert_access(reverse("activities:staff_create"), MUNICIPAL)


def test_status_and_uncancel_posts(roles, own):
    # Requests that change nothing (already in that state, a date not
    # cancelled), so every role meets the same activity.
    active = ActivityFactory(organization=own)
    after_post = table(403, organisation_representative=302, site_admin=302)
    roles.assert_access(
        reverse("activities:reactivate", args=[active.uuid]), after_post, method="post"
    )
    roles.assert_access(
        reverse("activities:uncancel", args=[active.uuid]),
        after_post,
        method="post",
        data={"date": next_weekday(2).isoformat()},
    )
    inactive = ActivityFactory(organization=own, status=ActivityStatus.INACTIVE)
    roles.assert_access(
        reverse("activities:deactivate", args=[inactive.uuid]),
        table(404, organisation_representative=302, site_admin=302),
        method="post",
    )
    municipal = ActivityFactory(organization=None, department=_department())
    roles.assert_access(
        reverse("activities:reactivate", args=[municipal.uuid]),
        table(403, staff_editor=302, site_admin=302),
        method="post",
    )


def test_an_editor_of_an_organisation_may_manage_its_activities(client, own):
    """Representatives in the organisation's "editor" role count as well."""
    editor_role = RepresentativeFactory(organization=own, role="editor").user
    client.force_login(editor_role)
    activity = ActivityFactory(organization=own)
    assert client.get(reverse("activities:edit", args=[activity.uuid])).status_code == 200


def _department():
    from tests.factories import DepartmentFactory

    return DepartmentFactory(slug="kultur")
