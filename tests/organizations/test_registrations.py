"""What the app registers: personal data, start-page entries, admin pages."""

import json

import pytest
from django.urls import reverse

from tests.factories import UserFactory
from tests.organizations.factories import OrganizationFactory, RepresentativeFactory
from tillsammans.organizations import services
from tillsammans.organizations.models import Invitation, JoinRequest, Representative

pytestmark = pytest.mark.django_db


def test_export_and_erase_of_join_requests_and_invitations(client):
    person = UserFactory(email="omar@example.se", verified=True)
    admin = RepresentativeFactory()
    services.join_request_create(organization=admin.organization, actor=person, message="Hej")
    other = RepresentativeFactory()
    services.invitation_create(
        organization=other.organization, actor=other.user, email="OMAR@example.se"
    )
    client.force_login(person)
    data = json.loads(client.post(reverse("accounts:export")).content)
    requests = data["organization_requests"]
    assert requests["join_requests"][0]["message"] == "Hej"
    assert requests["invitations_received"][0]["organization"] == other.organization.name

    from tillsammans.organizations.personal_data import erase_requests

    erase_requests(person)
    assert not JoinRequest.objects.filter(user=person).exists()
    assert not Invitation.objects.exists()


def test_start_page_entries(roles):
    anonymous = roles.client("anonymous").get("/").content.decode()
    assert reverse("organizations:register") in anonymous
    assert reverse("organizations:queue") not in anonymous
    assert reverse("organizations:register") in roles.client("resident").get("/").content.decode()
    officer = roles.client("staff_register_officer").get("/").content.decode()
    assert reverse("organizations:queue") in officer
    coordinator = roles.client("staff_coordinator").get("/").content.decode()
    assert reverse("organizations:queue") not in coordinator
    # Anonymous people are sent to sign in first.
    response = roles.client("anonymous").get(reverse("organizations:register"))
    assert response.url.startswith(reverse("account_login"))


def test_admin_pages(roles):
    client = roles.client("site_admin")
    representative = RepresentativeFactory()
    JoinRequest.objects.create(organization=OrganizationFactory(), user=UserFactory())
    services.invitation_create(
        organization=representative.organization,
        actor=representative.user,
        email="x@example.se",
    )
    for name in ("organization", "invitation", "joinrequest"):
        assert client.get(reverse(f"admin:organizations_{name}_changelist")).status_code == 200
    url = reverse("admin:organizations_organization_change", args=[representative.organization.pk])
    page = client.get(url).content.decode()
    assert client.get(url).status_code == 200
    assert "Documents" in page or "Dokument" in page
    assert Representative.objects.count() == 1
