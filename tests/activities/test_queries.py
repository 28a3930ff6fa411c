"""List pages read a fixed number of queries, however many activities there are."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.activities.factories import ActivityFactory
from tests.organizations.factories import OrganizationFactory, RepresentativeFactory

pytestmark = pytest.mark.django_db


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context.captured_queries)


def _add_activities(organizations, department, n: int) -> None:
    for i in range(n):
        if i % 3 == 2:
            ActivityFactory(organization=None, department=department)
        else:
            ActivityFactory(organization=organizations[i % 2])


@pytest.fixture
def setup(representative, organization, editor, department):
    other = OrganizationFactory(name="Röda Korset Ekerö")
    RepresentativeFactory(organization=other, user=representative)
    return representative, editor, [organization, other], department


def test_my_activities_3_vs_30(setup, client, django_assert_num_queries):
    representative, _editor, organizations, department = setup
    client.force_login(representative)
    url = reverse("activities:manage")
    _add_activities(organizations, department, 3)
    few = _queries(client, url)
    _add_activities(organizations, department, 30)
    with django_assert_num_queries(few):
        client.get(url)
    assert few <= 10, few


def test_municipal_list_3_vs_30(setup, client, django_assert_num_queries):
    _representative, editor, organizations, department = setup
    client.force_login(editor)
    url = reverse("activities:staff_list")
    _add_activities(organizations, department, 9)
    few = _queries(client, url)
    _add_activities(organizations, department, 90)
    with django_assert_num_queries(few):
        client.get(url)
    assert few <= 12, few
