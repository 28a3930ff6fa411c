"""Full-text search in Swedish on PostgreSQL, served by the GIN indexes."""

import pytest
from django.db import connection

from tests.activities.factories import ActivityFactory
from tests.organizations.factories import OrganizationFactory
from tillsammans.activities.models import Activity
from tillsammans.directory.selectors import (
    ACTIVITY_SEARCH_FIELDS,
    ORGANIZATION_SEARCH_FIELDS,
    DirectoryFilters,
    _match_words,
    activity_search_vector,
    organization_search_vector,
    search_activities,
    search_organizations,
)
from tillsammans.organizations.models import Organization

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


def titles(queryset) -> list[str]:
    return [activity.title for activity in queryset]


def test_swedish_stemming_finds_other_forms_of_a_word():
    ActivityFactory(title="Söndagspromenad", description="Vi tar långa promenader i skogen.")
    ActivityFactory(title="Kör", description="Vi sjunger tillsammans.")

    assert titles(search_activities(DirectoryFilters(words="promenad"))) == ["Söndagspromenad"]
    assert titles(search_activities(DirectoryFilters(words="skog"))) == ["Söndagspromenad"]
    assert titles(search_activities(DirectoryFilters(words="sjunga"))) == ["Kör"]


def test_every_word_must_match_and_matches_come_alphabetically():
    ActivityFactory(title="Fika", description="Kaffe och promenad.")
    ActivityFactory(title="Promenad", description="Promenad runt sjön, sedan fika.")
    ActivityFactory(title="Boule", description="Vi spelar boule.")

    found = titles(search_activities(DirectoryFilters(words="promenad fika")))
    assert found == ["Fika", "Promenad"]
    assert titles(search_activities(DirectoryFilters(words="promenad boule"))) == []


def test_organisations_are_searched_by_name_and_purpose():
    OrganizationFactory(name="Röda Korset", purpose="Vi hjälper människor i kris.")
    OrganizationFactory(name="Ekerö hembygdsförening", purpose="Hembygdens historia.")

    found = search_organizations(DirectoryFilters(words="hjälp kriser"))
    assert [organization.name for organization in found] == ["Röda Korset"]


def test_the_gin_indexes_exist_and_serve_the_query():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname FROM pg_indexes WHERE indexname LIKE 'directory_%%_fts' "
            "ORDER BY indexname"
        )
        assert [row[0] for row in cursor.fetchall()] == [
            "directory_activity_fts",
            "directory_organization_fts",
        ]
    ActivityFactory(title="Promenad")
    OrganizationFactory(name="Promenadklubben")
    with connection.cursor() as cursor:
        # Tiny tables: forbid sequential scans so the plan shows the index *can*
        # serve the search expression (the other filters have their own indexes).
        cursor.execute("SET LOCAL enable_seqscan = off")
        for queryset, fields, vector, index in [
            (
                Activity.objects.all(),
                ACTIVITY_SEARCH_FIELDS,
                activity_search_vector(),
                "directory_activity_fts",
            ),
            (
                Organization.objects.all(),
                ORGANIZATION_SEARCH_FIELDS,
                organization_search_vector(),
                "directory_organization_fts",
            ),
        ]:
            plan = _match_words(queryset, "promenader", fields, vector).explain()
            assert index in plan, plan


def test_odd_input_never_breaks_the_query():
    ActivityFactory(title="Fika", description="Kaffe & bulle")
    for words in ["&", "fika:*", "'; drop table", "!(", "och", "fika | kaffe", "___"]:
        list(search_activities(DirectoryFilters(words=words)))
    assert titles(search_activities(DirectoryFilters(words="fika & bulle!"))) == ["Fika"]
