"""The register's forms and lists in a real browser, checked with axe-core."""

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.test import Client

from tests.browser_support import axe_violations
from tests.factories import AreaFactory, LanguageFactory, LocalityFactory, UserFactory
from tests.organizations.conftest import PDF
from tests.organizations.factories import OrganizationFactory, RepresentativeFactory
from tillsammans.organizations.models import (
    JoinRequest,
    OrganizationDocument,
    OrganizationStatus,
)

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def sign_in(page, live_server, user):
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )


def test_registration_form_with_errors_and_manage_pages(page, live_server):
    AreaFactory(), LocalityFactory(), LanguageFactory()
    person = UserFactory(email="sara@example.se", verified=True)
    sign_in(page, live_server, person)

    page.goto("/organisations/register/")
    assert axe_violations(page) == []
    page.get_by_label("Namn", exact=False).first.fill("Ekerö Seniorer")
    page.locator("#id_organisation_number").fill("802000-0001")
    page.locator("button[type=submit]").last.click()
    page.wait_for_load_state()
    assert page.locator(".error-summary").count() == 1
    assert page.locator("#id_name").input_value() == "Ekerö Seniorer"
    assert axe_violations(page) == []

    representative = RepresentativeFactory(
        user=person, organization__status=OrganizationStatus.NEEDS_UPDATE
    )
    JoinRequest.objects.create(organization=representative.organization, user=UserFactory())
    RepresentativeFactory(organization=representative.organization, role="editor")
    OrganizationDocument.objects.create(
        organization=representative.organization,
        kind="statutes",
        file=ContentFile(PDF, name="stadgar.pdf"),
        original_name="stadgar.pdf",
        size=len(PDF),
    )
    for path in (
        "/organisations/manage/",
        f"/organisations/manage/{representative.organization.uuid}/",
        f"/organisations/manage/{representative.organization.uuid}/edit/",
        f"/organisations/manage/{representative.organization.uuid}/invite/",
        f"/organisations/manage/{representative.organization.uuid}/leave/",
        f"/organisations/join/{representative.organization.uuid}/",
    ):
        page.goto(path)
        assert page.url.endswith(path)
        assert axe_violations(page) == [], path


def test_staff_pages(page, live_server):
    from tests.roles import staff

    officer = staff("register_officer")()
    pending = OrganizationFactory(status=OrganizationStatus.PENDING)
    OrganizationDocument.objects.create(
        organization=pending,
        kind="annual_report",
        file=ContentFile(PDF, name="berattelse.pdf"),
        original_name="berattelse.pdf",
        size=len(PDF),
    )
    OrganizationFactory()
    sign_in(page, live_server, officer)
    for path in (
        "/staff/register/",
        f"/staff/register/{pending.uuid}/",
        "/staff/register/organisations/",
        "/staff/register/import/",
    ):
        page.goto(path)
        assert page.url.endswith(path)
        assert page.locator("h1").count() == 1, path
        assert axe_violations(page) == [], path
