"""The register's pages: what a person types is kept, and the flows work."""

import pytest
from django.urls import reverse

from tests.factories import AreaFactory, LocalityFactory, UserFactory
from tests.organizations.conftest import PDF, PNG, upload
from tests.organizations.factories import (
    OrganizationFactory,
    RepresentativeFactory,
    valid_organisation_number,
)
from tillsammans.notifications.models import OutboxMessage
from tillsammans.organizations.models import (
    Invitation,
    JoinRequest,
    Organization,
    OrganizationDocument,
    OrganizationStatus,
    Representative,
)

pytestmark = pytest.mark.django_db

REGISTER = reverse("organizations:register")


@pytest.fixture
def person_client(client):
    person = UserFactory(email="sara@example.se", verified=True)
    client.force_login(person)
    client.cookies["tillsammans_language"] = "en"
    client.person = person
    return client


def form_data(**overrides):
    return {
        "name": "Ekerö Seniorer",
        "legal_form": "ideell_forening",
        "organisation_number": valid_organisation_number(500),
        "purpose": "Träffar för äldre på öarna.",
        "email": "info@example.se",
        **overrides,
    }


def test_registration_page_groups_checkboxes_in_fieldsets(person_client):
    AreaFactory(name_en="Elderly")
    response = person_client.get(REGISTER)
    page = response.content.decode()
    assert '<fieldset class="field choices' in page
    assert "<legend>Areas the organisation works in" in page
    assert 'enctype="multipart/form-data"' in page


def test_registration_creates_a_pending_organisation(person_client):
    area, locality = AreaFactory(), LocalityFactory()
    data = form_data(
        areas=[area.pk],
        localities=[locality.pk],
        bankgiro="5050-1055",
        logo=upload("logo.png", PNG),
        statutes=upload("stadgar.pdf", PDF),
    )
    response = person_client.post(REGISTER, data)
    organization = Organization.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("organizations:manage_detail", args=[organization.uuid])
    assert organization.status == OrganizationStatus.PENDING
    assert organization.bankgiro == "50501055"
    assert OrganizationDocument.objects.filter(organization=organization).count() == 1
    assert Representative.objects.get().user == person_client.person


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"organisation_number": "802000-0001"}, "its last digit does not match"),
        ({"organisation_number": ""}, "Write the organisation number"),
        ({"legal_form": "natverk"}, "must leave this field empty"),
        ({"bankgiro": "123"}, "A bankgiro number has 7 to 8 digits."),
        ({"logo": upload("logo.png", b"GIF89a")}, "is not a PNG image"),
        ({"logo": upload("logo.png", b"\x89PNG\r\n\x1a\n" + b"0" * 1100000)}, "too large"),
        ({"statutes": upload("stadgar.doc", PDF)}, "A document must be a PDF"),
        ({"annual_report": upload("report.pdf", PNG)}, "not a PDF document"),
    ],
)
def test_bad_input_keeps_what_was_typed(person_client, overrides, message):
    response = person_client.post(REGISTER, form_data(purpose="Vi fikar ihop.", **overrides))
    page = response.content.decode()
    assert response.status_code == 200
    assert message in page
    assert 'class="error-summary"' in page
    assert 'value="Ekerö Seniorer"' in page
    assert "Vi fikar ihop." in page
    assert not Organization.objects.exists()


def test_large_documents_are_refused(person_client, monkeypatch):
    from tillsammans.organizations import uploads

    monkeypatch.setattr(uploads, "DOCUMENT_MAX_BYTES", 100)
    response = person_client.post(REGISTER, form_data(statutes=upload("s.pdf", PDF + b"0" * 200)))
    assert "The file is too large" in response.content.decode()
    assert not Organization.objects.exists()


def test_already_registered_offers_to_ask_to_join(person_client):
    existing = RepresentativeFactory(
        organization__name="PRO Ekerö",
        organization__organisation_number=valid_organisation_number(500),
    )
    response = person_client.post(REGISTER, form_data())
    page = response.content.decode()
    assert "This organisation is already registered" in page
    join_url = reverse("organizations:join", args=[existing.organization.uuid])
    assert join_url in page
    assert Organization.objects.count() == 1

    assert person_client.get(join_url).status_code == 200
    response = person_client.post(join_url, {"message": "Jag är kassör."})
    assert response.status_code == 302
    join_request = JoinRequest.objects.get()
    assert join_request.user == person_client.person
    assert OutboxMessage.objects.filter(address=existing.user.email).exists()

    # A second request says so and keeps the message.
    response = person_client.post(join_url, {"message": "Igen"})
    assert "You have already asked to join" in response.content.decode()
    assert JoinRequest.objects.count() == 1


@pytest.mark.parametrize("rest_of_the_form", [{}, {"name": "", "purpose": "Vi fikar ihop."}])
def test_registering_your_own_organisation_again_leads_to_it(person_client, rest_of_the_form):
    mine = RepresentativeFactory(
        user=person_client.person,
        role="editor",
        organization__name="PRO Ekerö",
        organization__organisation_number=valid_organisation_number(500),
    ).organization
    response = person_client.post(REGISTER, form_data(**rest_of_the_form))
    page = response.content.decode()
    assert response.status_code == 200
    assert "You already represent this organisation" in page
    number = mine.organisation_number_display
    assert f"You already represent PRO Ekerö (organisation number {number})" in page
    assert reverse("organizations:manage_detail", args=[mine.uuid]) in page
    assert reverse("organizations:join", args=[mine.uuid]) not in page
    assert "Ask to join" not in page
    assert Organization.objects.count() == 1
    assert not JoinRequest.objects.exists()


def test_the_join_page_tells_a_representative_they_already_are_one(person_client):
    mine = RepresentativeFactory(user=person_client.person, organization__name="PRO Ekerö")
    url = reverse("organizations:join", args=[mine.organization.uuid])
    for response in (person_client.get(url), person_client.post(url, {"message": "Hej"})):
        page = response.content.decode()
        assert response.status_code == 200
        assert "You already represent PRO Ekerö" in page
        assert reverse("organizations:manage_detail", args=[mine.organization.uuid]) in page
        assert "Send the request" not in page
    assert not JoinRequest.objects.exists()
    assert not OutboxMessage.objects.exists()


def test_my_organisations_lists_status_and_next_step(person_client):
    RepresentativeFactory(
        user=person_client.person,
        organization__name="Ekerö Seniorer",
        organization__status=OrganizationStatus.NEEDS_UPDATE,
    )
    page = person_client.get(reverse("organizations:manage")).content.decode()
    assert "Ekerö Seniorer" in page
    assert "Needs yearly update" in page
    assert "Confirm that the details are still correct" in page


def test_edit_of_a_key_field_warns_and_unpublishes(person_client):
    representative = RepresentativeFactory(user=person_client.person)
    organization = representative.organization
    url = reverse("organizations:edit", args=[organization.uuid])
    page = person_client.get(url).content.decode()
    assert organization.organisation_number_display in page
    response = person_client.post(
        url,
        form_data(
            name="Nytt namn",
            organisation_number=organization.organisation_number_display,
            purpose=organization.purpose,
        ),
        follow=True,
    )
    assert "the register officers will check them again" in response.content.decode()
    organization.refresh_from_db()
    assert organization.status == OrganizationStatus.PENDING


def test_confirm_button(person_client):
    representative = RepresentativeFactory(
        user=person_client.person, organization__status=OrganizationStatus.NEEDS_UPDATE
    )
    organization = representative.organization
    detail = person_client.get(reverse("organizations:manage_detail", args=[organization.uuid]))
    assert "Our details are still correct" in detail.content.decode()
    person_client.post(reverse("organizations:confirm", args=[organization.uuid]))
    organization.refresh_from_db()
    assert organization.status == OrganizationStatus.VERIFIED
    assert organization.confirmed_at is not None


def test_payment_details_are_shown_to_representatives(person_client):
    representative = RepresentativeFactory(
        user=person_client.person, organization__bankgiro="50501055"
    )
    page = person_client.get(
        reverse("organizations:manage_detail", args=[representative.organization.uuid])
    ).content.decode()
    assert "5050-1055" in page


def test_invite_and_accept(person_client, client):
    representative = RepresentativeFactory(user=person_client.person)
    organization = representative.organization
    url = reverse("organizations:invite", args=[organization.uuid])
    response = person_client.post(url, {"email": "not-an-address", "role": "editor"})
    assert 'value="not-an-address"' in response.content.decode()
    response = person_client.post(url, {"email": "omar@example.se", "role": "editor"})
    assert response.status_code == 302
    invitation = Invitation.objects.get()

    omar = UserFactory(email="omar@example.se", verified=True)
    from django.test import Client

    other = Client()
    other.cookies["tillsammans_language"] = "en"
    other.force_login(omar)
    invitation_url = reverse("organizations:invitation", args=[invitation.uuid])
    assert "Accept the invitation" in other.get(invitation_url).content.decode()
    assert other.post(invitation_url).status_code == 302
    assert Representative.objects.filter(organization=organization, user=omar).exists()


def test_the_last_admin_is_protected_in_the_page(person_client):
    representative = RepresentativeFactory(user=person_client.person)
    url = reverse(
        "organizations:representative_remove",
        args=[representative.organization.uuid, person_client.person.uuid],
    )
    response = person_client.post(url, follow=True)
    assert "at least one administrator" in response.content.decode()
    assert Representative.objects.filter(pk=representative.pk).exists()


def test_join_request_approval_in_the_page(person_client):
    representative = RepresentativeFactory(user=person_client.person)
    organization = representative.organization
    join_request = JoinRequest.objects.create(organization=organization, user=UserFactory())
    page = person_client.get(
        reverse("organizations:manage_detail", args=[organization.uuid])
    ).content.decode()
    assert "Requests to join" in page
    person_client.post(
        reverse("organizations:join_request_decide", args=[organization.uuid, join_request.uuid]),
        {"decision": "approve"},
    )
    assert Representative.objects.filter(organization=organization, user=join_request.user).exists()


# --- Register officers --------------------------------------------------------------


@pytest.fixture
def officer_client(roles):
    client = roles.client("staff_register_officer")
    client.cookies["tillsammans_language"] = "en"
    return client


def test_queue_shows_new_and_changed(officer_client):
    from django.utils import timezone

    OrganizationFactory(name="Ny förening", status=OrganizationStatus.PENDING)
    OrganizationFactory(
        name="Ändrad förening", status=OrganizationStatus.PENDING, verified_at=timezone.now()
    )
    OrganizationFactory(name="Klar förening")
    page = officer_client.get(reverse("organizations:queue")).content.decode()
    assert "Ny förening" in page and "Ändrad förening" in page
    assert "Klar förening" not in page
    assert "<td>New</td>" in page and "<td>Changed</td>" in page


def test_verify_and_return(officer_client):
    first = RepresentativeFactory(organization__status=OrganizationStatus.PENDING)
    second = RepresentativeFactory(organization__status=OrganizationStatus.PENDING)
    url = reverse("organizations:review", args=[first.organization.uuid])
    page = officer_client.get(url).content.decode()
    assert first.organization.name in page
    assert officer_client.post(url, {"action": "verify"}).status_code == 302
    first.organization.refresh_from_db()
    assert first.organization.status == OrganizationStatus.VERIFIED

    url = reverse("organizations:review", args=[second.organization.uuid])
    response = officer_client.post(url, {"action": "return", "message": ""})
    assert "This field is required" in response.content.decode()
    response = officer_client.post(url, {"action": "return", "message": "Bifoga stadgar."})
    assert response.status_code == 302
    second.organization.refresh_from_db()
    assert second.organization.status == OrganizationStatus.RETURNED


def test_register_officers_do_not_see_payment_details(officer_client):
    organization = OrganizationFactory(status=OrganizationStatus.PENDING, bankgiro="50501055")
    page = officer_client.get(
        reverse("organizations:review", args=[organization.uuid])
    ).content.decode()
    assert "5050-1055" not in page


@pytest.mark.parametrize(
    ("role", "url_name", "linked"),
    [
        ("staff_register_officer", "organizations:queue", True),
        ("staff_register_officer", "organizations:register_list", True),
        ("staff_grant_officer", "organizations:register_list", False),
    ],
)
def test_staff_tables_name_the_organisation_the_same_way(roles, role, url_name, linked):
    import re

    organization = OrganizationFactory(name="Ny förening", status=OrganizationStatus.PENDING)
    client = roles.client(role)
    client.cookies["tillsammans_language"] = "en"
    page = client.get(reverse(url_name)).content.decode()
    review = reverse("organizations:review", args=[organization.uuid])
    assert (f'<a href="{review}">Ny förening</a></th>' in page) is linked
    assert f"<td>{organization.organisation_number_display}</td>" in page
    assert "<td>Non-profit association (ideell förening)</td>" in page
    # As many column headers as cells in a row.
    head = page.split("<thead>")[1].split("</thead>")[0]
    row = page.split("<tbody>")[1].split("</tr>")[0]
    assert head.count('<th scope="col">') == len(re.findall(r"<t[dh][ >]", row))
