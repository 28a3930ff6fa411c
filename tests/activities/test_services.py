"""Creating, editing and cancelling activities through the services."""

import datetime

import pytest
from django.utils import translation

from tests.activities.conftest import next_weekday
from tests.activities.factories import ActivityFactory
from tests.factories import DepartmentFactory, StaffMembershipFactory, UserFactory
from tests.organizations.factories import OrganizationFactory, RepresentativeFactory
from tillsammans.accounts.models import Capability
from tillsammans.activities import services
from tillsammans.activities.models import Activity, ActivityStatus, Cancellation
from tillsammans.core.errors import NotPermitted
from tillsammans.organizations.models import OrganizationStatus

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def test_representative_creates_an_activity(representative, organization, activity_fields):
    activity = services.activity_create(
        actor=representative, organization=organization, **activity_fields()
    )
    activity.refresh_from_db()
    assert activity.organization == organization
    assert activity.department is None
    assert activity.slug == "sprakcafe"
    assert activity.created_by == representative
    assert activity.weekdays == "2"
    assert activity.areas.count() == 1
    assert activity.languages.get().code == "sv"


def test_slug_is_unique(representative, organization, activity_fields):
    first = services.activity_create(
        actor=representative, organization=organization, **activity_fields()
    )
    second = services.activity_create(
        actor=representative, organization=organization, **activity_fields()
    )
    assert (first.slug, second.slug) == ("sprakcafe", "sprakcafe-2")


def test_weekdays_are_sorted_and_deduplicated(representative, organization, activity_fields):
    activity = services.activity_create(
        actor=representative, organization=organization, **activity_fields(weekdays=[4, 0, 4])
    )
    assert activity.weekdays == "04"


def test_one_off_gets_the_weekday_of_its_date_and_ends_on_it(
    representative, organization, activity_fields
):
    saturday = datetime.date(2026, 12, 5)
    activity = services.activity_create(
        actor=representative,
        organization=organization,
        **activity_fields(recurrence="once", weekdays="", starts_on=saturday, ends_on=None),
    )
    activity.refresh_from_db()
    assert activity.weekdays == "5"
    assert activity.ends_on == saturday


def test_one_off_weekday_follows_its_date_when_edited(
    representative, organization, activity_fields
):
    activity = services.activity_create(
        actor=representative,
        organization=organization,
        **activity_fields(recurrence="once", weekdays="0", starts_on=datetime.date(2026, 12, 5)),
    )
    updated = services.activity_update(
        actor=representative, activity=activity, starts_on=datetime.date(2026, 12, 8)
    )
    assert (updated.weekdays, updated.ends_on) == ("1", datetime.date(2026, 12, 8))


def test_cost_is_cleared_when_free(representative, organization, activity_fields):
    activity = services.activity_create(
        actor=representative, organization=organization, **activity_fields(cost="20 kr")
    )
    assert activity.cost == ""


def test_editor_creates_a_municipal_activity(editor, department, activity_fields):
    activity = services.activity_create(
        actor=editor, department=department, **activity_fields(title="Kajutan")
    )
    assert activity.organization is None
    assert activity.department == department
    assert activity.created_by == editor


INVALID = [
    (
        {"start_time": datetime.time(16, 0), "end_time": datetime.time(14, 0)},
        "end_time",
        "The activity must end after it starts: choose an end time after the start.",
    ),
    (
        {"start_time": datetime.time(14, 0), "end_time": datetime.time(14, 0)},
        "end_time",
        "The activity must end after it starts: choose an end time after the start.",
    ),
    (
        {"starts_on": datetime.date(2026, 3, 1), "ends_on": datetime.date(2026, 2, 1)},
        "ends_on",
        "The last date cannot be before the first date.",
    ),
    (
        {"recurrence": "weekly", "weekdays": ""},
        "weekdays",
        "Choose at least one weekday for an activity that recurs.",
    ),
    (
        {"recurrence": "biweekly", "weekdays": []},
        "weekdays",
        "Choose at least one weekday for an activity that recurs.",
    ),
    ({"weekdays": "7"}, "weekdays", "Choose weekdays from Monday to Sunday."),
    (
        # Wednesday 7 January only, but on Mondays.
        {
            "starts_on": datetime.date(2026, 1, 7),
            "ends_on": datetime.date(2026, 1, 7),
            "weekdays": "0",
        },
        "weekdays",
        "With these weekdays and dates the activity never takes place. Check the weekdays "
        "and the first and last date.",
    ),
    ({"is_free": False, "cost": "  "}, "cost", "Say what it costs, or tick “free of charge”."),
    ({"title": ""}, "title", "This field cannot be blank."),
    ({"contact_email": "not an address"}, "contact_email", "Enter a valid email address."),
]


@pytest.mark.parametrize(("overrides", "field", "message"), INVALID)
def test_invalid_activity_is_refused_with_a_message(
    representative, organization, activity_fields, overrides, field, message
):
    with pytest.raises(services.InvalidActivity) as caught:
        services.activity_create(
            actor=representative, organization=organization, **activity_fields(**overrides)
        )
    assert caught.value.errors[field] == [message]
    assert not Activity.objects.exists()


@pytest.mark.parametrize(("overrides", "field", "message"), INVALID)
def test_invalid_update_changes_nothing(
    representative, organization, activity_fields, overrides, field, message
):
    activity = services.activity_create(
        actor=representative, organization=organization, **activity_fields()
    )
    before = Activity.objects.filter(pk=activity.pk).values().get()
    with pytest.raises(services.InvalidActivity) as caught:
        services.activity_update(actor=representative, activity=activity, **overrides)
    assert caught.value.errors[field] == [message]
    assert Activity.objects.filter(pk=activity.pk).values().get() == before


def test_several_errors_are_reported_together(representative, organization, activity_fields):
    with pytest.raises(services.InvalidActivity) as caught:
        services.activity_create(
            actor=representative,
            organization=organization,
            **activity_fields(end_time=datetime.time(9, 0), weekdays="", is_free=False, cost=""),
        )
    assert set(caught.value.errors) == {"end_time", "weekdays", "cost"}


@pytest.mark.parametrize("organisers", ["none", "both"])
def test_exactly_one_organiser(
    representative, organization, department, activity_fields, organisers
):
    kwargs = (
        {} if organisers == "none" else {"organization": organization, "department": department}
    )
    with pytest.raises(services.InvalidActivity) as caught:
        services.activity_create(actor=representative, **kwargs, **activity_fields())
    assert caught.value.errors[None] == [
        "An activity has exactly one organiser: an organisation or a department of the "
        "municipality."
    ]
    assert not Activity.objects.exists()


def test_inactive_organisation_gets_no_new_activity(representative, organization, activity_fields):
    organization.status = OrganizationStatus.INACTIVE
    organization.save()
    with pytest.raises(services.OrganizationInactive) as caught:
        services.activity_create(
            actor=representative, organization=organization, **activity_fields()
        )
    assert "PRO Ekerö is inactive in the register" in str(caught.value)
    assert not Activity.objects.exists()


def test_representative_of_another_organisation_may_not_create(organization, activity_fields):
    other = RepresentativeFactory(organization=OrganizationFactory()).user
    with pytest.raises(NotPermitted):
        services.activity_create(actor=other, organization=organization, **activity_fields())
    assert not Activity.objects.exists()


def test_editor_only_in_their_own_departments(editor, activity_fields):
    other_department = DepartmentFactory()
    with pytest.raises(NotPermitted):
        services.activity_create(actor=editor, department=other_department, **activity_fields())
    assert not Activity.objects.exists()


def test_coordinator_may_not_create_municipal_activities(department, activity_fields):
    coordinator = StaffMembershipFactory(
        department=department, capability=Capability.COORDINATOR
    ).user
    with pytest.raises(NotPermitted):
        services.activity_create(actor=coordinator, department=department, **activity_fields())


def test_editor_may_not_change_an_organisations_activity(editor):
    activity = ActivityFactory()
    with pytest.raises(NotPermitted):
        services.activity_update(actor=editor, activity=activity, title="Nytt")
    activity.refresh_from_db()
    assert activity.title != "Nytt"


def test_any_editor_changes_municipal_activities(department):
    activity = ActivityFactory(organization=None, department=department)
    other_editor = StaffMembershipFactory(capability=Capability.EDITOR).user
    services.activity_update(actor=other_editor, activity=activity, title="Stockbygården")
    activity.refresh_from_db()
    assert activity.title == "Stockbygården"


def test_update_keeps_the_slug(representative, organization):
    activity = ActivityFactory(organization=organization, slug="promenad")
    services.activity_update(actor=representative, activity=activity, title="Långpromenad")
    activity.refresh_from_db()
    assert (activity.title, activity.slug) == ("Långpromenad", "promenad")


def test_deactivate_and_reactivate(representative, organization):
    activity = ActivityFactory(organization=organization)
    services.activity_deactivate(actor=representative, activity=activity)
    activity.refresh_from_db()
    assert activity.status == ActivityStatus.INACTIVE
    assert not Activity.objects.public().filter(pk=activity.pk).exists()
    services.activity_reactivate(actor=representative, activity=activity)
    activity.refresh_from_db()
    assert activity.status == ActivityStatus.ACTIVE


def test_inactive_organisation_cannot_reactivate(representative, organization):
    activity = ActivityFactory(organization=organization, status=ActivityStatus.INACTIVE)
    organization.status = OrganizationStatus.INACTIVE
    organization.save()
    with pytest.raises(services.OrganizationInactive):
        services.activity_reactivate(actor=representative, activity=activity)
    activity.refresh_from_db()
    assert activity.status == ActivityStatus.INACTIVE


def test_stranger_may_not_deactivate(organization):
    activity = ActivityFactory(organization=organization)
    with pytest.raises(NotPermitted):
        services.activity_deactivate(actor=UserFactory(), activity=activity)
    activity.refresh_from_db()
    assert activity.status == ActivityStatus.ACTIVE


# --- Cancelled dates ---------------------------------------------------------------


@pytest.fixture
def wednesdays(organization):
    """Every Wednesday from 7 January 2026, until further notice."""
    return ActivityFactory(organization=organization, weekdays="2")


def test_cancel_a_date_and_undo(representative, wednesdays):
    day = next_weekday(2)
    cancellation = services.activity_cancel_date(
        actor=representative, activity=wednesdays, date=day, reason=" Jul "
    )
    assert (cancellation.date, cancellation.reason) == (day, "Jul")
    assert day not in wednesdays.occurrences(day, day, {day})
    services.activity_uncancel_date(actor=representative, activity=wednesdays, date=day)
    assert not Cancellation.objects.exists()


def test_cancelled_date_must_be_a_date_it_takes_place(representative, wednesdays):
    thursday = next_weekday(3)
    with pytest.raises(services.DateNotScheduled) as caught:
        services.activity_cancel_date(
            actor=representative, activity=wednesdays, date=thursday, reason=""
        )
    assert str(caught.value).startswith("The activity does not take place on ")
    assert not Cancellation.objects.exists()


def test_biweekly_off_week_cannot_be_cancelled(representative, organization):
    first = next_weekday(2)
    activity = ActivityFactory(
        organization=organization, recurrence="biweekly", weekdays="2", starts_on=first
    )
    with pytest.raises(services.DateNotScheduled):
        services.activity_cancel_date(
            actor=representative,
            activity=activity,
            date=first + datetime.timedelta(weeks=1),
            reason="",
        )
    services.activity_cancel_date(
        actor=representative, activity=activity, date=first + datetime.timedelta(weeks=2)
    )
    assert Cancellation.objects.count() == 1


def test_date_after_the_last_date_cannot_be_cancelled(representative, organization):
    first = next_weekday(2)
    activity = ActivityFactory(organization=organization, starts_on=first, ends_on=first)
    with pytest.raises(services.DateNotScheduled):
        services.activity_cancel_date(
            actor=representative, activity=activity, date=first + datetime.timedelta(weeks=1)
        )


def test_past_date_cannot_be_cancelled(representative, wednesdays):
    last_wednesday = next_weekday(2) - datetime.timedelta(weeks=1, days=7)
    with pytest.raises(services.DateInPast) as caught:
        services.activity_cancel_date(
            actor=representative, activity=wednesdays, date=last_wednesday
        )
    assert "has passed. Only today's and later dates can be cancelled." in str(caught.value)
    assert not Cancellation.objects.exists()


def test_date_cannot_be_cancelled_twice(representative, wednesdays):
    day = next_weekday(2)
    services.activity_cancel_date(actor=representative, activity=wednesdays, date=day)
    with pytest.raises(services.DateAlreadyCancelled) as caught:
        services.activity_cancel_date(actor=representative, activity=wednesdays, date=day)
    assert str(caught.value).endswith("is already cancelled.")
    assert Cancellation.objects.count() == 1


def test_uncancel_a_date_that_is_not_cancelled(representative, wednesdays):
    with pytest.raises(services.DateNotCancelled) as caught:
        services.activity_uncancel_date(
            actor=representative, activity=wednesdays, date=next_weekday(2)
        )
    assert str(caught.value).endswith("is not cancelled.")


def test_stranger_may_not_cancel(wednesdays):
    with pytest.raises(NotPermitted):
        services.activity_cancel_date(
            actor=UserFactory(), activity=wednesdays, date=next_weekday(2)
        )
    assert not Cancellation.objects.exists()


def test_an_activity_slug_never_shadows_the_manage_path():
    from tillsammans.activities.services import _unique_slug

    assert _unique_slug("Manage") == "manage-2"
