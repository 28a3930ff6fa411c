"""Query budgets: the same number of queries for 3 and 30 organisations."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import AreaFactory, LocalityFactory
from tests.organizations.factories import OrganizationFactory, RepresentativeFactory
from tillsammans.organizations.models import OrganizationStatus

pytestmark = pytest.mark.django_db


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context.captured_queries)


def make(n, **kwargs):
    area, locality = AreaFactory(), LocalityFactory()
    for _ in range(n):
        organization = OrganizationFactory(**kwargs)
        organization.areas.add(area)
        organization.localities.add(locality)


@pytest.mark.parametrize(
    ("url_name", "role", "kwargs"),
    [
        ("organizations:register_list", "staff_register_officer", {}),
        ("organizations:queue", "staff_register_officer", {"status": OrganizationStatus.PENDING}),
    ],
)
def test_staff_pages_have_a_fixed_budget(roles, url_name, role, kwargs):
    client = roles.client(role)
    url = reverse(url_name)
    make(3, **kwargs)
    few = count_queries(client, url)
    make(27, **kwargs)
    many = count_queries(client, url)
    assert few == many


def test_my_organisations_has_a_fixed_budget(client):
    first = RepresentativeFactory()
    client.force_login(first.user)
    url = reverse("organizations:manage")
    few = count_queries(client, url)
    for _ in range(10):
        RepresentativeFactory(user=first.user)
    assert count_queries(client, url) == few


def test_exports_have_a_fixed_budget(roles, django_assert_num_queries):
    client = roles.client("staff_grant_officer")
    url = reverse("organizations:export_csv")
    make(3)
    few = count_queries(client, url)
    make(27)
    assert count_queries(client, url) == few


def add_documents_and_people(organization, n):
    from django.core.files.base import ContentFile

    from tests.organizations.conftest import PDF
    from tillsammans.organizations.models import OrganizationDocument

    for i in range(n):
        OrganizationDocument.objects.create(
            organization=organization,
            kind="statutes",
            file=ContentFile(PDF, name=f"stadgar-{i}.pdf"),
            original_name=f"stadgar-{i}.pdf",
            size=len(PDF),
        )
        RepresentativeFactory(organization=organization, role="editor")


@pytest.mark.parametrize(
    ("url_name", "role"),
    [
        ("organizations:manage_detail", "organisation_representative"),
        ("organizations:review", "staff_register_officer"),
    ],
)
def test_organisation_pages_with_documents_have_a_fixed_budget(roles, url_name, role):
    client = roles.client(role)
    own = OrganizationFactory(slug="pro-test", status=OrganizationStatus.PENDING)
    roles.user("organisation_representative")
    url = reverse(url_name, args=[own.uuid])
    add_documents_and_people(own, 1)
    few = count_queries(client, url)
    add_documents_and_people(own, 5)
    assert count_queries(client, url) == few
