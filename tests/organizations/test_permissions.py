"""Every URL of the register against every role."""

import pytest
from django.urls import reverse

from tests.factories import UserFactory
from tests.organizations.factories import OrganizationFactory
from tests.roles import ROLES, STAFF_ROLES
from tillsammans.organizations.models import JoinRequest, OrganizationStatus

pytestmark = pytest.mark.django_db

SIGNED_IN = dict.fromkeys(ROLES, 200) | {"anonymous": 302}
REGISTER_STAFF = {
    "anonymous": 302,
    **dict.fromkeys(ROLES[1:], 403),
    "staff_register_officer": 200,
    "site_admin": 200,
}
REGISTER_LIST = {**REGISTER_STAFF, "staff_grant_officer": 200}
# Pages of one organisation: its representative only. Others see 403 when
# the organisation is public, 404 when they may not even know it exists.
# Site administrators hold every permission (Django superusers) and may act
# on an organisation's behalf.
OWN_PUBLIC = {
    **dict.fromkeys(ROLES, 403),
    "anonymous": 302,
    "organisation_representative": 200,
    "site_admin": 200,
}
OWN_PENDING = {
    **dict.fromkeys(ROLES, 404),
    "anonymous": 302,
    "organisation_representative": 200,
    "staff_register_officer": 403,
    "staff_grant_officer": 403,
    "site_admin": 200,
}


@pytest.fixture
def own():
    """The organisation the "organisation_representative" persona administers."""
    return OrganizationFactory(slug="pro-test", name="PRO Test")


def test_everyone_signed_in_may_register_and_see_their_organisations(roles):
    roles.assert_access(reverse("organizations:register"), SIGNED_IN)
    roles.assert_access(reverse("organizations:manage"), SIGNED_IN)
    other = OrganizationFactory()
    roles.assert_access(reverse("organizations:join", args=[other.uuid]), SIGNED_IN)


def test_the_join_page_of_your_own_organisation_says_you_represent_it(roles, own):
    # 200 for everyone signed in: the representative is told they already are one.
    roles.assert_access(reverse("organizations:join", args=[own.uuid]), SIGNED_IN)


def test_own_organisation_pages(roles, own):
    for name in ("manage_detail", "edit", "invite"):
        roles.assert_access(reverse(f"organizations:{name}", args=[own.uuid]), OWN_PUBLIC)


def test_own_pending_organisation_pages_hide_it_from_others(roles):
    own = OrganizationFactory(slug="pro-test", status=OrganizationStatus.PENDING)
    for name in ("manage_detail", "edit", "invite"):
        roles.assert_access(reverse(f"organizations:{name}", args=[own.uuid]), OWN_PENDING)


def test_actions_on_own_organisation(roles, own):
    rep = roles.user("organisation_representative")
    posted = {**OWN_PUBLIC, "organisation_representative": 302, "site_admin": 302}
    roles.assert_access(reverse("organizations:confirm", args=[own.uuid]), posted, method="post")
    for name in ("representative_role", "representative_remove"):
        roles.assert_access(
            reverse(f"organizations:{name}", args=[own.uuid, rep.uuid]),
            posted,
            method="post",
            data={"role": "admin"},
        )
    join_request = JoinRequest.objects.create(organization=own, user=UserFactory())
    roles.assert_access(
        reverse("organizations:join_request_decide", args=[own.uuid, join_request.uuid]),
        posted,
        method="post",
        data={"decision": "decline"},
    )


def test_leave_page(roles, own):
    # Only a representative has something to leave; a site administrator who
    # does not represent the organisation finds nothing (404).
    url = reverse("organizations:leave", args=[own.uuid])
    roles.assert_access(url, {**OWN_PUBLIC, "site_admin": 404})
    # The persona is the only administrator: the POST answers with the page
    # that says so, and nothing changes.
    roles.assert_access(url, {**OWN_PUBLIC, "site_admin": 404}, method="post")
    assert own.representatives.filter(user=roles.user("organisation_representative")).exists()


def test_leave_page_of_a_pending_organisation_is_hidden_from_others(roles):
    own = OrganizationFactory(slug="pro-test", status=OrganizationStatus.PENDING)
    url = reverse("organizations:leave", args=[own.uuid])
    roles.assert_access(url, {**OWN_PENDING, "site_admin": 404})


def test_invitation_page_needs_sign_in(roles, own):
    from tillsammans.organizations import services

    invitation = services.invitation_create(
        organization=own, actor=roles.user("organisation_representative"), email="x@example.se"
    )
    roles.assert_access(reverse("organizations:invitation", args=[invitation.uuid]), SIGNED_IN)


def test_register_officer_pages(roles):
    pending = OrganizationFactory(status=OrganizationStatus.PENDING)
    roles.assert_access(reverse("organizations:queue"), REGISTER_STAFF)
    roles.assert_access(reverse("organizations:review", args=[pending.uuid]), REGISTER_STAFF)
    roles.assert_access(reverse("organizations:import"), REGISTER_STAFF)
    roles.assert_access(
        reverse("organizations:import_accept"),
        {**REGISTER_STAFF, "staff_register_officer": 302, "site_admin": 302},
        method="post",
    )


def test_staff_list_and_exports(roles):
    OrganizationFactory()
    for name in ("register_list", "export_csv", "export_xlsx"):
        roles.assert_access(reverse(f"organizations:{name}"), REGISTER_LIST)


def test_payment_details_rule():
    from tests.organizations.factories import RepresentativeFactory
    from tests.roles import staff

    representative = RepresentativeFactory()
    organization = representative.organization
    assert representative.user.has_perm("organizations.view_payment_details", organization)
    assert staff("grant_officer")().has_perm("organizations.view_payment_details", organization)
    for capability in ("register_officer", "coordinator"):
        user = staff(capability)()
        assert not user.has_perm("organizations.view_payment_details", organization)
    assert not UserFactory().has_perm("organizations.view_payment_details", organization)


def test_staff_roles_are_named():
    assert "staff_register_officer" in STAFF_ROLES
