"""Registration, editing, representatives and verification, through the services."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.factories import AreaFactory, LanguageFactory, LocalityFactory, UserFactory
from tests.organizations.conftest import PDF, PNG, docx_bytes, odt_bytes, upload
from tests.organizations.factories import (
    OrganizationFactory,
    RepresentativeFactory,
    valid_organisation_number,
)
from tillsammans.audit.models import AuditEntry
from tillsammans.core.errors import NotPermitted
from tillsammans.notifications.models import OutboxMessage
from tillsammans.organizations import services
from tillsammans.organizations.models import (
    Invitation,
    JoinRequest,
    LegalForm,
    Organization,
    OrganizationDocument,
    OrganizationStatus,
    Representative,
)

pytestmark = pytest.mark.django_db


def details(**overrides):
    return {
        "name": "Ekerö Seniorer",
        "legal_form": LegalForm.NONPROFIT_ASSOCIATION,
        "organisation_number": valid_organisation_number(900),
        "purpose": "Vi ordnar träffar för äldre.",
        "email": "info@ekeroseniorer.se",
        "bankgiro": "",
        "plusgiro": "",
        **overrides,
    }


def test_register_happy_path():
    person = UserFactory(email="sara@example.se")
    area, locality, language = AreaFactory(), LocalityFactory(), LanguageFactory()
    number = valid_organisation_number(900)

    organization = services.organization_register(
        actor=person,
        fields=details(organisation_number=f"{number[:6]}-{number[6:]}", bankgiro="5050-1055"),
        areas=[area],
        localities=[locality],
        languages=[language],
        logo=upload("logo.png", PNG),
        documents={
            "statutes": upload("stadgar.pdf", PDF),
            "annual_report": upload("berattelse.docx", docx_bytes()),
            "annual_meeting_minutes": upload("protokoll.odt", odt_bytes()),
        },
    )

    organization.refresh_from_db()
    assert organization.status == OrganizationStatus.PENDING
    assert organization.slug == "ekero-seniorer"
    assert organization.organisation_number == number
    assert organization.bankgiro == "50501055"
    assert list(organization.areas.all()) == [area]
    assert list(organization.localities.all()) == [locality]
    assert list(organization.languages.all()) == [language]
    assert organization.logo.name.startswith("organizations/logos/")
    assert Representative.objects.get(organization=organization).user == person
    assert Representative.objects.get(organization=organization).role == "admin"
    kinds = sorted(OrganizationDocument.objects.values_list("kind", flat=True))
    assert kinds == ["annual_meeting_minutes", "annual_report", "statutes"]
    assert AuditEntry.objects.filter(details__event="organization_register").count() == 1
    assert not organization.is_public


def test_slugs_are_unique():
    OrganizationFactory(name="Ekerö Seniorer", slug="ekero-seniorer")
    organization = services.organization_register(actor=UserFactory(), fields=details())
    assert organization.slug == "ekero-seniorer-2"


def test_a_network_needs_no_number():
    organization = services.organization_register(
        actor=UserFactory(),
        fields=details(legal_form=LegalForm.NETWORK, organisation_number=""),
    )
    assert organization.organisation_number == ""


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        (
            {"organisation_number": ""},
            "organisation_number",
            "Write the organisation number. Only networks",
        ),
        (
            {"legal_form": LegalForm.NETWORK},
            "organisation_number",
            "A network without organisation number must leave this field empty.",
        ),
        ({"organisation_number": "80200-0000"}, "organisation_number", "ten digits (you wrote 9)"),
        ({"organisation_number": "8020000001"}, "organisation_number", "last digit does not match"),
        ({"organisation_number": "5501011234"}, "organisation_number", "personal identity number"),
        ({"organisation_number": "80200a0000"}, "organisation_number", "only digits"),
        ({"bankgiro": "5050-1056"}, "bankgiro", "bankgiro number is not correct"),
        ({"plusgiro": "12"}, "plusgiro", "plusgiro number is not correct"),
        ({"name": "  "}, "name", "Write the organisation's name."),
        ({"purpose": ""}, "purpose", "Describe the organisation's purpose."),
        ({"legal_form": "aktiebolag"}, "legal_form", "Choose a legal form"),
        ({"founding_year": 1200}, "founding_year", "1600"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_written(english, overrides, field, message):
    with pytest.raises(services.InvalidDetails) as caught:
        services.organization_register(actor=UserFactory(), fields=details(**overrides))
    assert caught.value.field == field
    assert message in str(caught.value)
    assert not Organization.objects.exists()
    assert not Representative.objects.exists()


@pytest.mark.parametrize(
    ("field", "name", "content", "message"),
    [
        ("logo", "logo.gif", b"GIF89a", "PNG, JPEG or SVG"),
        ("logo", "logo.png", b"GIF89a....", "not a PNG image"),
        ("logo", "logo.png", b"\x89PNG\r\n\x1a\n" + b"0" * (1024 * 1024), "too large"),
        ("logo", "logo.svg", b"<svg><script>alert(1)</script></svg>", "script"),
        ("logo", "logo.svg", b'<svg onload="alert(1)"></svg>', "script"),
        ("statutes", "stadgar.exe", b"MZ", "PDF, an OpenDocument text"),
        ("statutes", "stadgar.pdf", b"PK\x03\x04 not a pdf", "not a PDF document"),
        ("annual_report", "report.docx", b"%PDF-1.4", "not a DOCX document"),
    ],
)
def test_bad_files_are_refused(english, field, name, content, message):
    files = {"logo": upload(name, content)} if field == "logo" else {}
    documents = {field: upload(name, content)} if field != "logo" else None
    with pytest.raises(services.InvalidDetails) as caught:
        services.organization_register(
            actor=UserFactory(), fields=details(), documents=documents, **files
        )
    assert caught.value.field == field
    assert message in str(caught.value)
    assert not Organization.objects.exists()


def test_a_second_registration_of_the_same_number_is_refused(english):
    existing = OrganizationFactory(
        name="PRO Ekerö", organisation_number=valid_organisation_number(900)
    )
    with pytest.raises(services.AlreadyRegistered) as caught:
        services.organization_register(actor=UserFactory(), fields=details())
    assert caught.value.organization == existing
    assert "PRO Ekerö is already registered" in str(caught.value)
    assert Organization.objects.count() == 1


def test_registering_your_own_organisation_again_says_you_represent_it(english):
    mine = RepresentativeFactory(
        role="editor",
        organization__name="PRO Ekerö",
        organization__organisation_number=valid_organisation_number(900),
    )
    with pytest.raises(services.AlreadyYourOrganization) as caught:
        services.organization_register(actor=mine.user, fields=details())
    assert isinstance(caught.value, services.AlreadyRegistered)
    assert caught.value.organization == mine.organization
    assert caught.value.yours
    assert "You already represent PRO Ekerö" in str(caught.value)
    assert "ask to join" not in str(caught.value)
    assert Organization.objects.count() == 1


def test_update_of_a_key_field_sends_a_verified_organisation_back_to_the_queue():
    representative = RepresentativeFactory()
    organization = representative.organization
    fields = details(
        name="Nytt namn",
        organisation_number=organization.organisation_number,
        purpose=organization.purpose,
    )
    updated = services.organization_update(
        organization=organization, actor=representative.user, fields=fields
    )
    assert updated.status == OrganizationStatus.PENDING
    assert not Organization.objects.public().filter(pk=organization.pk).exists()


def test_update_of_other_fields_keeps_the_organisation_verified():
    representative = RepresentativeFactory()
    organization = representative.organization
    fields = details(
        name=organization.name,
        organisation_number=organization.organisation_number,
        purpose=organization.purpose,
        phone="08-123 456",
    )
    updated = services.organization_update(
        organization=organization, actor=representative.user, fields=fields
    )
    assert updated.status == OrganizationStatus.VERIFIED
    assert updated.phone == "08-123 456"


def test_update_cannot_take_another_organisations_number(english):
    other = OrganizationFactory()
    representative = RepresentativeFactory()
    with pytest.raises(services.AlreadyRegistered):
        services.organization_update(
            organization=representative.organization,
            actor=representative.user,
            fields=details(organisation_number=other.organisation_number),
        )


# --- Representatives ----------------------------------------------------------------


def test_invitation_is_sent_and_accepted_with_the_same_address():
    admin = RepresentativeFactory()
    organization = admin.organization
    invitation = services.invitation_create(
        organization=organization, actor=admin.user, email="Omar@Example.se", role="editor"
    )
    assert invitation.email == "omar@example.se"
    assert invitation.expires_at - timezone.now() > timedelta(days=13)
    message = OutboxMessage.objects.get(address="omar@example.se")
    assert f"/organisations/invitations/{invitation.uuid}/" in message.body

    omar = UserFactory(email="omar@example.se")
    representative = services.invitation_accept(invitation=invitation, actor=omar)
    assert representative.role == "editor"
    invitation.refresh_from_db()
    assert invitation.accepted_at is not None


@pytest.mark.parametrize(
    ("email", "days", "accepted", "message"),
    [
        ("other@example.se", 1, False, "another e-mail address"),
        ("omar@example.se", 15, False, "expired"),
        ("omar@example.se", 1, True, "already been used"),
    ],
)
def test_invitation_cannot_be_used_wrongly(english, email, days, accepted, message):
    admin = RepresentativeFactory()
    invitation = services.invitation_create(
        organization=admin.organization, actor=admin.user, email="omar@example.se"
    )
    if accepted:
        services.invitation_accept(
            invitation=invitation, actor=UserFactory(email="omar@example.se")
        )
    with pytest.raises(services.InvitationUnusable) as caught:
        services.invitation_accept(
            invitation=invitation,
            actor=UserFactory(email=email),
            now=timezone.now() + timedelta(days=days),
        )
    assert message in str(caught.value)


def test_only_an_admin_invites():
    editor = RepresentativeFactory(role="editor")
    with pytest.raises(NotPermitted):
        services.invitation_create(
            organization=editor.organization, actor=editor.user, email="x@example.se"
        )
    assert not Invitation.objects.exists()


def test_the_last_admin_cannot_be_removed_or_demoted(english):
    admin = RepresentativeFactory()
    with pytest.raises(services.LastAdmin) as caught:
        services.representative_remove(representative=admin, actor=admin.user)
    assert "at least one administrator" in str(caught.value)
    with pytest.raises(services.LastAdmin):
        services.representative_change_role(representative=admin, role="editor", actor=admin.user)
    admin.refresh_from_db()
    assert admin.role == "admin"


def test_an_admin_removes_and_changes_roles_when_another_admin_remains():
    admin = RepresentativeFactory()
    other = RepresentativeFactory(organization=admin.organization, role="editor")
    services.representative_change_role(representative=other, role="admin", actor=admin.user)
    services.representative_remove(representative=admin, actor=other.user)
    assert list(admin.organization.representatives.values_list("user", flat=True)) == [
        other.user.pk
    ]


def test_join_request_approve_and_decline_notify_the_person():
    admin = RepresentativeFactory()
    organization = admin.organization
    omar, ingrid = UserFactory(), UserFactory()
    first = services.join_request_create(organization=organization, actor=omar, message="Hej")
    second = services.join_request_create(organization=organization, actor=ingrid)
    assert OutboxMessage.objects.filter(address=admin.user.email).count() == 2

    services.join_request_decide(join_request=first, actor=admin.user, approve=True)
    services.join_request_decide(join_request=second, actor=admin.user, approve=False)

    assert Representative.objects.get(organization=organization, user=omar).role == "editor"
    assert not Representative.objects.filter(organization=organization, user=ingrid).exists()
    assert OutboxMessage.objects.filter(address=omar.email).count() == 1
    assert OutboxMessage.objects.filter(address=ingrid.email).count() == 1
    first.refresh_from_db()
    assert first.status == JoinRequest.Status.APPROVED


def test_join_request_twice_or_as_representative_is_refused(english):
    admin = RepresentativeFactory()
    omar = UserFactory()
    services.join_request_create(organization=admin.organization, actor=omar)
    with pytest.raises(services.JoinRequestPending):
        services.join_request_create(organization=admin.organization, actor=omar)
    with pytest.raises(services.AlreadyRepresentative):
        services.join_request_create(organization=admin.organization, actor=admin.user)
    assert JoinRequest.objects.count() == 1


# --- Verification ----------------------------------------------------------------


def test_verify_makes_it_public_audits_and_notifies():
    representative = RepresentativeFactory(organization__status=OrganizationStatus.PENDING)
    officer = UserFactory()
    organization = services.organization_verify(
        organization=representative.organization, actor=officer
    )
    assert organization.status == OrganizationStatus.VERIFIED
    assert organization.verified_at and organization.confirmed_at
    assert Organization.objects.public().filter(pk=organization.pk).exists()
    assert AuditEntry.objects.filter(details__event="organization_verify", actor=officer).exists()
    assert OutboxMessage.objects.filter(address=representative.user.email).exists()


def test_return_needs_a_message_and_sends_it(english):
    representative = RepresentativeFactory(organization__status=OrganizationStatus.PENDING)
    organization = representative.organization
    with pytest.raises(services.InvalidDetails):
        services.organization_return(organization=organization, actor=UserFactory(), message=" ")
    services.organization_return(
        organization=organization, actor=UserFactory(), message="Stadgarna saknas."
    )
    organization.refresh_from_db()
    assert organization.status == OrganizationStatus.RETURNED
    assert organization.review_message == "Stadgarna saknas."
    message = OutboxMessage.objects.get(address=representative.user.email)
    assert "Stadgarna saknas." in message.body
    assert AuditEntry.objects.filter(details__event="organization_return").exists()


def test_verifying_twice_is_refused(english):
    organization = OrganizationFactory()
    with pytest.raises(services.WrongStatus):
        services.organization_verify(organization=organization, actor=UserFactory())


def test_editing_a_returned_organisation_resubmits_it():
    representative = RepresentativeFactory(organization__status=OrganizationStatus.RETURNED)
    organization = representative.organization
    services.organization_update(
        organization=organization,
        actor=representative.user,
        fields=details(
            name=organization.name,
            organisation_number=organization.organisation_number,
            purpose=organization.purpose,
        ),
    )
    organization.refresh_from_db()
    assert organization.status == OrganizationStatus.PENDING


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("logo.svg", b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"/>'),
        ("logo.JPG", b"\xff\xd8\xff\xe0" + b"\x00" * 16),
    ],
)
def test_svg_and_jpeg_logos_are_accepted(name, content):
    organization = services.organization_register(
        actor=UserFactory(), fields=details(), logo=upload(name, content)
    )
    assert organization.logo


def test_a_slug_never_shadows_the_fixed_paths():
    assert services.unique_slug("Register") == "register-2"
    assert services.unique_slug("Manage") == "manage-2"
