"""Each directory page runs the same number of queries for 3 or 40 rows."""

import datetime

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.activities.factories import ActivityFactory
from tests.factories import AreaFactory, LanguageFactory, LocalityFactory, TargetGroupFactory
from tests.organizations.factories import OrganizationFactory
from tillsammans.activities.models import Cancellation

pytestmark = pytest.mark.django_db


def _taxonomy():
    return {
        "area": AreaFactory(slug="fritid"),
        "group": TargetGroupFactory(slug="seniorer"),
        "locality": LocalityFactory(slug="ekero"),
        "language": LanguageFactory(),
    }


def _activities(count, organization=None, *, terms):
    for _number in range(count):
        activity = ActivityFactory(
            locality=terms["locality"], **({"organization": organization} if organization else {})
        )
        activity.areas.add(terms["area"])
        activity.target_groups.add(terms["group"])
        activity.languages.add(terms["language"])
        Cancellation.objects.create(activity=activity, date="2099-01-07")


def _organizations(count, *, terms):
    for _number in range(count):
        organization = OrganizationFactory()
        organization.areas.add(terms["area"])
        organization.localities.add(terms["locality"])
        organization.languages.add(terms["language"])


def _count(client, url, data=None) -> int:
    cache.clear()  # count with the taxonomy's choices not yet cached (the worst case)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, data or {})
    assert response.status_code == 200
    return len(queries)


FILTERS = {"q": "fika", "area": "fritid", "locality": "ekero", "language": "sv", "free": "on"}


@pytest.mark.parametrize(
    "data",
    [{}, FILTERS, {**FILTERS, "show": "organisations"}, {"show": "organisations"}],
    ids=["activities", "activities-filtered", "organisations-filtered", "organisations"],
)
def test_search_page_query_count_is_fixed(client, django_assert_num_queries, data):
    terms = _taxonomy()
    _activities(3, terms=terms)
    _organizations(3, terms=terms)
    few = _count(client, reverse("directory:search"), data)
    _activities(37, terms=terms)
    _organizations(37, terms=terms)
    cache.clear()
    with django_assert_num_queries(few):
        client.get(reverse("directory:search"), data)


def test_search_page_lists_the_terms_from_the_cache(client, django_assert_num_queries):
    """The four filter lists cost one query each the first time, none after."""
    terms = _taxonomy()
    _activities(3, terms=terms)
    cold = _count(client, reverse("directory:search"))
    with CaptureQueriesContext(connection) as warm:
        response = client.get(reverse("directory:search"))
    assert len(warm) == cold - 4
    page = response.content.decode()
    for term in terms.values():
        assert f">{term.name}</option>" in page


def test_print_page_query_count_is_fixed(client, django_assert_num_queries):
    terms = _taxonomy()
    _activities(3, terms=terms)
    few = _count(client, reverse("directory:print"))
    _activities(37, terms=terms)
    with django_assert_num_queries(few):
        client.get(reverse("directory:print"))


def test_organisation_page_query_count_is_fixed(client, django_assert_num_queries):
    terms = _taxonomy()
    small, large = OrganizationFactory(), OrganizationFactory()
    for organization in (small, large):
        organization.areas.add(terms["area"])
        organization.localities.add(terms["locality"])
        organization.languages.add(terms["language"])
    _activities(3, small, terms=terms)
    _activities(40, large, terms=terms)
    few = _count(client, reverse("directory:organization", args=[small.slug]))
    with django_assert_num_queries(few):
        client.get(reverse("directory:organization", args=[large.slug]))


def test_activity_page_query_count_is_fixed(client, django_assert_num_queries):
    terms = _taxonomy()
    few_tags = ActivityFactory()
    many_tags = ActivityFactory()
    for number in range(40):
        many_tags.areas.add(AreaFactory())
        many_tags.target_groups.add(TargetGroupFactory())
        many_tags.languages.add(LanguageFactory(code=f"x{number:02d}"))
        Cancellation.objects.create(
            activity=many_tags, date=datetime.date(2099, 1, 1) + datetime.timedelta(days=number)
        )
    few_tags.areas.add(terms["area"])
    few = _count(client, reverse("directory:activity", args=[few_tags.slug]))
    with django_assert_num_queries(few):
        client.get(reverse("directory:activity", args=[many_tags.slug]))
