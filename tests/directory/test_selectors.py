"""What the directory finds: every filter, words ANDed, only public records."""

import datetime

import pytest

from tests.activities.factories import ActivityFactory
from tests.factories import (
    AreaFactory,
    DepartmentFactory,
    LanguageFactory,
    LocalityFactory,
    TargetGroupFactory,
)
from tests.organizations.factories import OrganizationFactory
from tillsammans.activities.models import ActivityStatus
from tillsammans.directory.selectors import (
    DirectoryFilters,
    catalogue_activities,
    search_activities,
    search_organizations,
)
from tillsammans.organizations.models import OrganizationStatus

pytestmark = pytest.mark.django_db


def titles(queryset) -> list[str]:
    return [activity.title for activity in queryset]


def names(queryset) -> list[str]:
    return [organization.name for organization in queryset]


def test_only_public_activities_are_found():
    ActivityFactory(title="Öppen fika")
    ActivityFactory(title="Inaktiv", status=ActivityStatus.INACTIVE)
    ActivityFactory(
        title="Hos väntande förening",
        organization=OrganizationFactory(status=OrganizationStatus.PENDING),
    )
    ActivityFactory(title="Avslutad", ends_on=datetime.date(2026, 1, 31))
    ActivityFactory(title="Kommunens mötesplats", organization=None, department=DepartmentFactory())

    assert titles(search_activities(DirectoryFilters())) == ["Kommunens mötesplats", "Öppen fika"]


def test_activities_are_ordered_by_title():
    for title in ["Cirkel", "Allsång", "Boule"]:
        ActivityFactory(title=title)
    assert titles(search_activities(DirectoryFilters())) == ["Allsång", "Boule", "Cirkel"]


def test_words_must_all_match_title_or_description():
    ActivityFactory(title="Promenad", description="Vi går runt sjön.")
    ActivityFactory(title="Kör", description="Vi sjunger och går hem.")
    ActivityFactory(title="Fika", description="Kaffe och bulle.")

    assert titles(search_activities(DirectoryFilters(words="går"))) == ["Kör", "Promenad"]
    assert titles(search_activities(DirectoryFilters(words="går sjön"))) == ["Promenad"]
    assert titles(search_activities(DirectoryFilters(words="PROMENAD"))) == ["Promenad"]
    assert titles(search_activities(DirectoryFilters(words="går kaffe"))) == []


def test_filter_by_area_target_group_language():
    area, other_area = AreaFactory(), AreaFactory()
    seniors = TargetGroupFactory()
    arabic = LanguageFactory(code="ar", name_sv="arabiska", name_en="Arabic", native_name="عربي")
    matching = ActivityFactory(title="Träff")
    matching.areas.add(area)
    matching.target_groups.add(seniors)
    matching.languages.add(arabic)
    other = ActivityFactory(title="Annan")
    other.areas.add(other_area)

    assert titles(search_activities(DirectoryFilters(area=area))) == ["Träff"]
    assert titles(search_activities(DirectoryFilters(target_group=seniors))) == ["Träff"]
    assert titles(search_activities(DirectoryFilters(language=arabic))) == ["Träff"]
    assert titles(search_activities(DirectoryFilters(area=other_area, language=arabic))) == []


def test_filter_by_locality_weekday_and_free():
    ekero, stenhamra = LocalityFactory(), LocalityFactory()
    ActivityFactory(title="Onsdagsfika", locality=ekero, weekdays="2")
    ActivityFactory(title="Måndag och fredag", locality=stenhamra, weekdays="04", is_free=False)

    assert titles(search_activities(DirectoryFilters(locality=ekero))) == ["Onsdagsfika"]
    assert titles(search_activities(DirectoryFilters(weekday=4))) == ["Måndag och fredag"]
    assert titles(search_activities(DirectoryFilters(weekday=0))) == ["Måndag och fredag"]
    assert titles(search_activities(DirectoryFilters(weekday=6))) == []
    assert titles(search_activities(DirectoryFilters(free_only=True))) == ["Onsdagsfika"]


def test_activity_with_several_languages_is_listed_once():
    activity = ActivityFactory()
    swedish = LanguageFactory()
    activity.languages.add(swedish, LanguageFactory(code="en", name_sv="engelska"))
    area = AreaFactory()
    activity.areas.add(area)
    assert search_activities(DirectoryFilters(language=swedish, area=area)).count() == 1
    assert search_activities(DirectoryFilters()).count() == 1


def test_organizations_only_public_and_by_name_and_words():
    OrganizationFactory(name="Röda Korset", purpose="Vi hjälper människor i kris.")
    OrganizationFactory(name="PRO Ekerö", purpose="Pensionärer som träffas.")
    OrganizationFactory(name="Väntar", purpose="Pensionärer.", status=OrganizationStatus.PENDING)
    OrganizationFactory(name="Vilande", purpose="Pensionärer.", status=OrganizationStatus.INACTIVE)

    assert names(search_organizations(DirectoryFilters())) == ["PRO Ekerö", "Röda Korset"]
    assert names(search_organizations(DirectoryFilters(words="pensionärer"))) == ["PRO Ekerö"]
    assert names(search_organizations(DirectoryFilters(words="kris röda"))) == ["Röda Korset"]


def test_organizations_by_their_tags_and_by_their_activities():
    area, locality = AreaFactory(), LocalityFactory()
    seniors = TargetGroupFactory()
    swedish = LanguageFactory()
    tagged = OrganizationFactory(name="Taggad")
    tagged.areas.add(area)
    tagged.localities.add(locality)
    tagged.languages.add(swedish)
    active = OrganizationFactory(name="Med aktivitet")
    activity = ActivityFactory(organization=active, weekdays="5", is_free=True)
    activity.target_groups.add(seniors)
    ActivityFactory(organization=tagged, weekdays="1", is_free=False)

    assert names(search_organizations(DirectoryFilters(area=area))) == ["Taggad"]
    assert names(search_organizations(DirectoryFilters(locality=locality))) == ["Taggad"]
    assert names(search_organizations(DirectoryFilters(language=swedish))) == ["Taggad"]
    assert names(search_organizations(DirectoryFilters(target_group=seniors))) == ["Med aktivitet"]
    assert names(search_organizations(DirectoryFilters(weekday=5))) == ["Med aktivitet"]
    assert names(search_organizations(DirectoryFilters(free_only=True))) == ["Med aktivitet"]


def test_catalogue_is_grouped_by_locality_and_capped(monkeypatch):
    from tillsammans.directory import selectors

    first = LocalityFactory(name_sv="Adelsö", sort_order=1)
    second = LocalityFactory(name_sv="Ekerö", sort_order=2)
    ActivityFactory(title="B", locality=second)
    ActivityFactory(title="C", locality=first)
    ActivityFactory(title="A", locality=second)

    activities, truncated = catalogue_activities(DirectoryFilters())
    assert [(a.locality.name_sv, a.title) for a in activities] == [
        ("Adelsö", "C"),
        ("Ekerö", "A"),
        ("Ekerö", "B"),
    ]
    assert truncated is False

    monkeypatch.setattr(selectors, "PRINT_LIMIT", 2)
    activities, truncated = catalogue_activities(DirectoryFilters())
    assert len(activities) == 2
    assert truncated is True


def test_upcoming_dates_skip_cancellations_and_follow_the_schedule():
    from tillsammans.activities.models import Cancellation, Recurrence
    from tillsammans.directory.selectors import activity_page, upcoming_dates

    activity = ActivityFactory(
        recurrence=Recurrence.BIWEEKLY, weekdays="2", starts_on=datetime.date(2026, 1, 7)
    )
    Cancellation.objects.create(activity=activity, date=datetime.date(2099, 1, 21))
    activity = activity_page(activity.slug).get()
    # Cancellations are prefetched from the real today; pretend today is
    # 2099-01-01 (a Thursday): every other Wednesday, from 2099-01-07.
    activity.upcoming_cancellations = list(activity.cancellations.all())
    dates = upcoming_dates(activity, today=datetime.date(2099, 1, 1))
    assert dates[0] == datetime.date(2099, 1, 7) or dates[0] == datetime.date(2099, 1, 14)
    assert datetime.date(2099, 1, 21) not in dates
    assert len(dates) == 5
    assert all((day - dates[0]).days % 14 == 0 and day.weekday() == 2 for day in dates)


@pytest.mark.parametrize(
    ("recurrence", "weekdays", "expected"),
    [
        ("weekly", "2", "Wednesdays 14:00–16:00"),
        ("weekly", "024", "Mondays, Wednesdays and Fridays 14:00–16:00"),
        ("biweekly", "13", "Every other Tuesday and Thursday 14:00–16:00"),
        ("once", "2", "Wednesday 7 January 2026 14:00–16:00"),
    ],
)
def test_schedule_in_words(english, recurrence, weekdays, expected):
    from tillsammans.directory.schedule import schedule_in_words

    activity = ActivityFactory.build(recurrence=recurrence, weekdays=weekdays)
    assert schedule_in_words(activity) == expected
