"""The management pages: forms keep what was typed, errors show where they belong."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from tests.activities.conftest import next_weekday, with_totp
from tests.activities.factories import ActivityFactory
from tests.factories import AreaFactory, DepartmentFactory, UserFactory
from tests.organizations.factories import OrganizationFactory, RepresentativeFactory
from tillsammans.activities.models import Activity, ActivityStatus, Cancellation

pytestmark = pytest.mark.django_db


def english_client(user) -> Client:
    client = Client()
    client.cookies["tillsammans_language"] = "en"
    client.force_login(user)
    return client


@pytest.fixture
def post_data(locality):
    def build(**overrides):
        data = {
            "title": "Språkcafé",
            "description": "Öva svenska över en kopp kaffe.",
            "recurrence": "weekly",
            "weekdays": ["0", "2"],
            "starts_on": "2026-01-05",
            "ends_on": "",
            "start_time": "14:00",
            "end_time": "16:00",
            "locality": str(locality.pk),
            "place_name": "Biblioteket",
            "street_address": "Tappström 1",
            "is_free": "on",
            "cost": "",
            "accessibility": "Ramp vid entrén.",
            "registration_info": "",
            "contact_name": "Sara",
            "contact_email": "sara@example.se",
            "contact_phone": "070-123 45 67",
        }
        data.update(overrides)
        return {key: value for key, value in data.items() if value is not None}

    return build


def test_create_for_an_organisation(representative, organization, post_data):
    area = AreaFactory()
    client = english_client(representative)
    url = reverse("activities:create") + f"?organization={organization.uuid}"
    page = client.get(url)
    assert page.status_code == 200
    assert 'type="date"' in page.text and 'type="time"' in page.text
    assert "<legend>Weekdays" in page.text
    response = client.post(url, post_data(areas=[str(area.pk)]))
    assert response.status_code == 302
    assert response.url == reverse("activities:manage")
    activity = Activity.objects.get()
    assert (activity.organization, activity.weekdays) == (organization, "02")
    assert activity.start_time == datetime.time(14, 0)
    assert list(activity.areas.all()) == [area]
    assert activity.created_by == representative


def test_create_with_a_select_of_the_users_organisations(representative, organization, post_data):
    other = OrganizationFactory(name="Röda Korset Ekerö")
    RepresentativeFactory(organization=other, user=representative)
    stranger = OrganizationFactory(name="Främmande förening")
    client = english_client(representative)
    page = client.get(reverse("activities:create"))
    assert "PRO Ekerö" in page.text and "Röda Korset Ekerö" in page.text
    assert "Främmande förening" not in page.text
    response = client.post(reverse("activities:create"), post_data(organization=str(other.uuid)))
    assert response.status_code == 302
    assert Activity.objects.get().organization == other
    # Someone else's organisation is not a valid choice.
    response = client.post(reverse("activities:create"), post_data(organization=str(stranger.uuid)))
    assert response.status_code == 200
    assert "Select a valid choice." in response.text
    assert Activity.objects.count() == 1


def test_create_keeps_typed_data_and_shows_errors(representative, organization, post_data):
    client = english_client(representative)
    url = reverse("activities:create") + f"?organization={organization.uuid}"
    response = client.post(
        url,
        post_data(
            title="Stickcafé på Kajutan",
            end_time="13:00",
            weekdays=None,
            is_free=None,
            cost="",
            place_name="Kajutan",
        ),
    )
    assert response.status_code == 200
    text = response.text
    for typed in ("Stickcafé på Kajutan", "Kajutan", "Ramp vid entrén.", "070-123 45 67"):
        assert typed in text
    assert 'value="13:00"' in text and 'value="2026-01-05"' in text
    end_time_error = "The activity must end after it starts: choose an end time after the start."
    weekday_error = "Choose at least one weekday for an activity that recurs."
    cost_error = "Say what it costs, or tick “free of charge”."
    for message in (end_time_error, weekday_error, cost_error):
        assert text.count(message) == 2  # in the summary and next to the field
    assert 'href="#id_end_time"' in text and 'href="#id_weekdays"' in text
    assert not Activity.objects.exists()


def test_create_with_bad_syntax_keeps_typed_data(representative, organization, post_data):
    client = english_client(representative)
    url = reverse("activities:create") + f"?organization={organization.uuid}"
    response = client.post(url, post_data(starts_on="31/02/2026", weekdays=["2", "9"]))
    assert response.status_code == 200
    assert 'value="31/02/2026"' in response.text
    assert "Enter a valid date." in response.text
    assert "Select a valid choice. 9 is not one of the available choices." in response.text
    assert not Activity.objects.exists()


def test_edit_keeps_typed_data_on_error(representative, organization, post_data):
    activity = ActivityFactory(organization=organization, title="Promenad")
    client = english_client(representative)
    url = reverse("activities:edit", args=[activity.uuid])
    page = client.get(url)
    assert 'value="Promenad"' in page.text
    assert 'id="id_weekdays_2" checked' in page.text
    response = client.post(
        url, post_data(title="Kvällspromenad", starts_on="2026-03-01", ends_on="2026-02-01")
    )
    assert response.status_code == 200
    assert 'value="Kvällspromenad"' in response.text
    assert response.text.count("The last date cannot be before the first date.") == 2
    activity.refresh_from_db()
    assert activity.title == "Promenad"


def test_edit_saves(representative, organization, post_data):
    activity = ActivityFactory(organization=organization, title="Promenad")
    client = english_client(representative)
    response = client.post(
        reverse("activities:edit", args=[activity.uuid]),
        post_data(title="Kvällspromenad", recurrence="once", starts_on="2026-12-05"),
    )
    assert response.status_code == 302
    activity.refresh_from_db()
    assert (activity.title, activity.weekdays, activity.ends_on) == (
        "Kvällspromenad",
        "5",
        datetime.date(2026, 12, 5),
    )


def test_my_activities_groups_by_organisation(representative, organization, editor):
    other = OrganizationFactory(name="Röda Korset Ekerö")
    RepresentativeFactory(organization=other, user=representative)
    ActivityFactory(organization=organization, title="Boule")
    ActivityFactory(organization=other, title="Second hand")
    ActivityFactory(organization=OrganizationFactory(), title="Någon annans")
    response = english_client(representative).get(reverse("activities:manage"))
    text = response.text
    assert text.index("PRO Ekerö") < text.index("Boule") < text.index("Röda Korset Ekerö")
    assert text.index("Röda Korset Ekerö") < text.index("Second hand")
    assert "Någon annans" not in text
    assert f"?organization={organization.uuid}" in text
    assert "The municipality&#x27;s own activities" not in text
    # Editors get a link to the municipality's list.
    response = english_client(editor).get(reverse("activities:manage"))
    assert reverse("activities:staff_list") in response.text


def test_deactivate_and_reactivate(representative, organization):
    activity = ActivityFactory(organization=organization)
    client = english_client(representative)
    response = client.post(reverse("activities:deactivate", args=[activity.uuid]))
    assert response.status_code == 302
    activity.refresh_from_db()
    assert activity.status == ActivityStatus.INACTIVE
    client.post(reverse("activities:reactivate", args=[activity.uuid]))
    activity.refresh_from_db()
    assert activity.status == ActivityStatus.ACTIVE


def test_cancel_a_date_and_undo(representative, organization):
    activity = ActivityFactory(organization=organization, weekdays="2")
    client = english_client(representative)
    url = reverse("activities:cancellations", args=[activity.uuid])
    day = next_weekday(2)
    page = client.get(url)
    assert f'datetime="{day:%Y-%m-%d}"' in page.text
    response = client.post(url, {"date": day.isoformat(), "reason": "Jullov"})
    assert response.status_code == 302
    page = client.get(url)
    assert "Jullov" in page.text
    assert f'datetime="{day:%Y-%m-%d}"' not in page.text  # no longer among the coming dates
    client.post(reverse("activities:uncancel", args=[activity.uuid]), {"date": day.isoformat()})
    assert not Cancellation.objects.exists()


def test_cancelling_a_date_it_does_not_take_place_shows_an_error(representative, organization):
    activity = ActivityFactory(organization=organization, weekdays="2")
    client = english_client(representative)
    thursday = next_weekday(3)
    response = client.post(
        reverse("activities:cancellations", args=[activity.uuid]),
        {"date": thursday.isoformat(), "reason": "Sjuk"},
    )
    assert response.status_code == 200
    assert response.text.count("The activity does not take place on") == 2
    assert 'value="Sjuk"' in response.text
    assert not Cancellation.objects.exists()


def test_staff_create_offers_only_the_editors_departments(editor, department, post_data):
    other = DepartmentFactory(name_sv="Socialförvaltningen", name_en="Social services")
    client = english_client(editor)
    page = client.get(reverse("activities:staff_create"))
    assert department.name_en in page.text
    assert "Social services" not in page.text
    response = client.post(
        reverse("activities:staff_create"), post_data(department=str(other.uuid))
    )
    assert response.status_code == 200
    assert not Activity.objects.exists()
    response = client.post(
        reverse("activities:staff_create"),
        post_data(department=str(department.uuid), title="Kajutan"),
    )
    assert response.status_code == 302
    assert response.url == reverse("activities:staff_list")
    activity = Activity.objects.get()
    assert (activity.department, activity.organization) == (department, None)
    assert "Kajutan" in client.get(reverse("activities:staff_list")).text


def test_site_admin_may_choose_any_department(department):
    admin = UserFactory(email="root@kommun.example.se")
    admin.is_superuser = True
    admin.save()
    with_totp(admin)
    other = DepartmentFactory(name_sv="Socialförvaltningen", name_en="Social services")
    page = english_client(admin).get(reverse("activities:staff_create"))
    assert department.name_en in page.text and other.name_en in page.text


@pytest.mark.parametrize(
    ("who", "visible"),
    [("resident", False), ("representative", True), ("editor", True)],
)
def test_start_page_entry(who, visible, representative, editor):
    user = {"resident": UserFactory(), "representative": representative, "editor": editor}[who]
    response = english_client(user).get(reverse("core:home"))
    assert ("Your activities" in response.text) is visible
    assert (reverse("activities:manage") in response.text) is visible


def test_admin_shows_cancellations_inline(organization):
    admin = UserFactory(email="root@kommun.example.se")
    admin.is_superuser = True
    admin.is_staff = True
    admin.save()
    with_totp(admin)
    activity = ActivityFactory(organization=organization)
    Cancellation.objects.create(activity=activity, date=next_weekday(2), reason="Jullov")
    client = english_client(admin)
    assert client.get(reverse("admin:activities_activity_changelist")).status_code == 200
    page = client.get(reverse("admin:activities_activity_change", args=[activity.pk]))
    assert page.status_code == 200
    assert "Jullov" in page.text
