"""Uploaded documents: kept out of the public media folder, read only through
the download view by those who may, and every read in the audit log."""

import importlib
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse

from tests.factories import UserFactory
from tests.organizations.conftest import PDF, PNG, docx_bytes, upload
from tests.organizations.factories import OrganizationFactory, RepresentativeFactory
from tests.roles import ROLES
from tillsammans.audit.models import AuditEntry
from tillsammans.organizations import services
from tillsammans.organizations.models import (
    DocumentKind,
    Organization,
    OrganizationDocument,
    OrganizationStatus,
)
from tillsammans.organizations.storage import check_private_storage, private_media_root

pytestmark = pytest.mark.django_db


def document_of(organization, *, name="stadgar.pdf", content=PDF, kind=DocumentKind.STATUTES):
    return OrganizationDocument.objects.create(
        organization=organization,
        kind=kind,
        file=ContentFile(content, name=name),
        original_name=name,
        size=len(content),
    )


# Who may download: the organisation's representatives, register officers,
# grant officers and site administrators. Everyone else gets 404, as if the
# document did not exist, also when the organisation itself is public.
DOWNLOAD = {
    **dict.fromkeys(ROLES, 404),
    "anonymous": 302,
    "organisation_representative": 200,
    "staff_register_officer": 200,
    "staff_grant_officer": 200,
    "site_admin": 200,
}


@pytest.mark.parametrize("status", [OrganizationStatus.VERIFIED, OrganizationStatus.PENDING])
def test_who_may_download(roles, status):
    own = OrganizationFactory(slug="pro-test", name="PRO Test", status=status)
    url = reverse("organizations:document", args=[document_of(own).uuid])
    roles.assert_access(url, DOWNLOAD)


def test_a_representative_of_another_organisation_gets_404(roles):
    other = document_of(OrganizationFactory())
    url = reverse("organizations:document", args=[other.uuid])
    roles.assert_access(url, {**DOWNLOAD, "organisation_representative": 404})


def test_an_unknown_document_is_404_for_everyone(roles):
    url = reverse("organizations:document", args=["00000000-0000-4000-8000-000000000000"])
    roles.assert_access(url, {**dict.fromkeys(ROLES, 404), "anonymous": 302})


def test_download_is_an_attachment_with_a_safe_name_and_is_audited(client):
    representative = RepresentativeFactory()
    document = document_of(representative.organization, name="Årsmöte 2025.pdf")
    client.force_login(representative.user)

    response = client.get(reverse("organizations:document", args=[document.uuid]))

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"] == (
        "attachment; filename*=utf-8''%C3%85rsm%C3%B6te%202025.pdf"
    )
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]
    entry = AuditEntry.objects.get(action=AuditEntry.Action.READ)
    assert entry.actor == representative.user
    assert entry.target_id == str(document.uuid)
    assert entry.details == {
        "event": "organization_document_download",
        "organization": str(representative.organization.uuid),
        "kind": "statutes",
    }


def test_refused_and_unknown_downloads_are_not_audited(client):
    document = document_of(OrganizationFactory())
    client.force_login(UserFactory())
    assert client.get(reverse("organizations:document", args=[document.uuid])).status_code == 404
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.READ).exists()


def test_a_missing_file_is_404_and_not_audited(client):
    representative = RepresentativeFactory()
    document = document_of(representative.organization)
    document.file.storage.delete(document.file.name)
    client.force_login(representative.user)
    assert client.get(reverse("organizations:document", args=[document.uuid])).status_code == 404
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.READ).exists()


@pytest.mark.parametrize(
    ("original_name", "stored_name", "expected"),
    [
        ("stadgar.pdf", "stadgar.pdf", "stadgar.pdf"),
        ("Årsmöte protokoll.odt", "a.odt", "Årsmöte protokoll.odt"),
        ("../../etc/passwd.pdf", "passwd.pdf", "passwd.pdf"),
        ("C:\\Users\\kassor\\berättelse.docx", "b.docx", "berättelse.docx"),
        ('a"b\r\nSet-Cookie: x=1.pdf', "x.pdf", "a_b_Set-Cookie_ x_1.pdf"),
        # The extension is the one the upload check tied to the content.
        ("stadgar.html", "stadgar.pdf", "stadgar.pdf"),
        ("...", "x.pdf", "statutes.pdf"),
        ("", "x.pdf", "statutes.pdf"),
    ],
)
def test_download_names_are_safe(original_name, stored_name, expected):
    document = OrganizationDocument(kind=DocumentKind.STATUTES, original_name=original_name)
    document.file.name = f"organizations/documents/2025/{stored_name}"
    assert services.document_download_name(document) == expected


def test_docx_has_its_content_type(client):
    representative = RepresentativeFactory()
    document = document_of(representative.organization, name="berattelse.docx", content=b"PK")
    client.force_login(representative.user)
    response = client.get(reverse("organizations:document", args=[document.uuid]))
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )


# --- Storage: documents are not under MEDIA_ROOT, logos are ---------------------------


def test_uploaded_documents_are_not_in_the_public_media_folder(settings):
    organization = services.organization_register(
        actor=UserFactory(),
        fields={"name": "Öarnas nätverk", "legal_form": "natverk", "purpose": "Träffar."},
        logo=upload("logo.png", PNG),
        documents={"annual_report": upload("berattelse.docx", docx_bytes())},
    )
    document = organization.documents.get()
    media_root = Path(settings.MEDIA_ROOT).resolve()
    stored = Path(document.file.path).resolve()
    assert stored.is_file()
    assert media_root not in stored.parents
    assert stored.is_relative_to(private_media_root().resolve())
    with pytest.raises(ValueError, match="not accessible via a URL"):
        document.file.url  # noqa: B018
    # The logo stays public.
    assert Path(organization.logo.path).resolve().is_relative_to(media_root)
    assert organization.logo.url.startswith(settings.MEDIA_URL)


def test_the_private_folder_follows_the_settings(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "elsewhere"
    document = document_of(OrganizationFactory())
    assert Path(document.file.path).is_relative_to(tmp_path / "elsewhere")


def test_system_check_refuses_a_private_folder_inside_media_root(settings):
    assert check_private_storage() == []
    settings.PRIVATE_MEDIA_ROOT = Path(settings.MEDIA_ROOT) / "private"
    errors = check_private_storage()
    assert [error.id for error in errors] == ["organizations.E001"]


def test_migration_moves_old_documents_out_of_media_root(settings):
    from django.apps import apps

    migration = importlib.import_module(
        "tillsammans.organizations.migrations.0002_documents_private_storage"
    )
    document = document_of(OrganizationFactory())
    name = document.file.name
    document.file.storage.delete(name)
    default_storage.save(name, ContentFile(PDF))  # where it lay before the migration

    migration.documents_to_private(apps, None)
    assert not default_storage.exists(name)
    assert document.file.storage.open(name).read() == PDF

    migration.documents_to_media(apps, None)
    assert default_storage.exists(name)
    assert not document.file.storage.exists(name)


# --- Links on the pages -----------------------------------------------------------------


def test_manage_and_review_pages_link_the_documents(roles):
    own = OrganizationFactory(slug="pro-test", name="PRO Test", status=OrganizationStatus.PENDING)
    document = document_of(own)
    link = reverse("organizations:document", args=[document.uuid])
    pages = [
        ("organisation_representative", reverse("organizations:manage_detail", args=[own.uuid])),
        ("staff_register_officer", reverse("organizations:review", args=[own.uuid])),
    ]
    for role, url in pages:
        page = roles.client(role).get(url).content.decode()
        assert f'href="{link}"' in page, role
        assert "stadgar.pdf" in page


def test_the_admin_links_the_download_view(roles):
    own = Organization.objects.get_or_create(slug="pro-test", defaults={"name": "PRO Test"})[0]
    document = document_of(own)
    response = roles.client("site_admin").get(
        reverse("admin:organizations_organization_change", args=[own.pk])
    )
    assert response.status_code == 200
    assert reverse("organizations:document", args=[document.uuid]) in response.content.decode()
