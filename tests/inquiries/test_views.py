import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import DepartmentFactory, UserFactory
from tests.inquiries.factories import CategoryFactory, submit
from tests.roles import STAFF_ROLES, staff
from tillsammans.accounts.models import Capability
from tillsammans.inquiries.models import Handover, Inquiry, InquiryStatus
from tillsammans.inquiries.services import inquiries as services
from tillsammans.organizations.models import Organization

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clear_rate_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def category():
    return CategoryFactory(name_sv="Gator och vägar", name_en="Streets and roads")


def form_data(category, **overrides):
    data = {
        "category": category.pk,
        "text": "Gatlampan vid busshållplatsen är trasig.",
        "name": "Anna Andersson",
        "phone": "070-123 45 67",
        "email": "anna@example.se",
        "preferred_time": "Efter 15",
        "language": "sv",
        "website": "",
    }
    data.update(overrides)
    return data


def test_form_shows_the_question_and_labels(client, category):
    response = client.get(reverse("inquiries:new"))
    assert response.status_code == 200
    html = response.content.decode()
    # “Vad vill du?” once the Swedish catalogue has the new texts.
    assert "Vad vill du?" in html or "What do you want?" in html
    assert 'for="id_text"' in html and 'for="id_phone"' in html
    assert "Gator och vägar" in html


def test_happy_path_receipt_and_status_page(client, category):
    response = client.post(reverse("inquiries:new"), form_data(category))
    assert response.status_code == 302
    inquiry = Inquiry.objects.get()
    receipt = client.get(response.url)
    html = receipt.content.decode()
    assert inquiry.case_number in html
    status_url = receipt.context["status_url"]
    assert "/inquiries/status/" in status_url
    status = client.get(status_url.split("://", 1)[1].split("/", 1)[1].join(["/", ""]))
    assert status.status_code == 200
    assert inquiry.case_number in status.content.decode()


def test_receipt_without_a_sent_inquiry_goes_to_the_form(client):
    response = client.get(reverse("inquiries:sent"))
    assert response.status_code == 302 and response.url == reverse("inquiries:new")


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"text": ""}, "text"),
        ({"text": "x" * 2001}, "text"),
        ({"phone": "", "email": ""}, "phone"),
        ({"phone": "12"}, "phone"),
        ({"email": "anna@"}, "email"),
    ],
)
def test_bad_input_is_shown_next_to_the_field(client, category, overrides, field):
    response = client.post(reverse("inquiries:new"), form_data(category, **overrides))
    assert response.status_code == 200
    assert response.context["form"].errors[field]
    assert "error-summary" in response.content.decode()
    assert not Inquiry.objects.exists()


def test_honeypot_filled_is_refused(client, category):
    response = client.post(reverse("inquiries:new"), form_data(category, website="spam"))
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert not Inquiry.objects.exists()


def test_rate_limit_ten_an_hour_per_address(client, category):
    for number in range(10):
        response = client.post(
            reverse("inquiries:new"), form_data(category, text=f"Fråga {number}")
        )
        assert response.status_code == 302
    response = client.post(reverse("inquiries:new"), form_data(category))
    assert response.status_code == 429
    assert Inquiry.objects.count() == 10


def test_under_16_form_shows_only_the_short_fields(client, category):
    response = client.get(reverse("inquiries:new"), {"under_16": "1"})
    form = response.context["form"]
    assert "preferred_time" not in form.fields
    assert "consent_to_organization" not in form.fields


def test_under_16_with_two_ways_to_reach_is_refused(client, category):
    response = client.post(reverse("inquiries:new"), form_data(category, name="Elsa", under_16="1"))
    assert response.status_code == 200
    assert response.context["form"].errors
    assert not Inquiry.objects.exists()
    response = client.post(
        reverse("inquiries:new"),
        form_data(category, name="Elsa", under_16="1", email="", preferred_time=""),
    )
    assert response.status_code == 302
    inquiry = Inquiry.objects.get()
    assert inquiry.under_16 and inquiry.name == "Elsa" and not inquiry.email


def test_status_page_shows_only_its_own_case(client, category):
    mine = submit(category=category)
    theirs = submit(category=category, text="Något helt annat", phone="0709999999")
    path = "/" + mine.status_url.split("://", 1)[1].split("/", 1)[1]
    html = client.get(path).content.decode()
    assert mine.case_number in html
    assert theirs.case_number not in html
    assert "070" not in html and "anna@example.se" not in html


@pytest.mark.parametrize("token", ["wrong", "x" * 200])
def test_status_page_wrong_token_is_404(client, category, token):
    submit(category=category)
    response = client.get(reverse("inquiries:status", kwargs={"token": token}))
    assert response.status_code == 404


def test_triage_list_permissions(roles):
    all_staff = dict.fromkeys(STAFF_ROLES, 403)
    roles.assert_access(
        reverse("inquiries:triage"),
        {
            "anonymous": 302,
            "resident": 403,
            "volunteer": 403,
            "organisation_representative": 403,
            **all_staff,
            "staff_triage": 200,
            "site_admin": 200,
        },
    )


def test_case_page_permissions(roles, category):
    inquiry = submit(category=category).inquiry
    url = reverse("inquiries:detail", args=[inquiry.uuid])
    roles.assert_access(
        url,
        {
            "anonymous": 302,
            "resident": 403,
            "volunteer": 403,
            "organisation_representative": 403,
            **dict.fromkeys(STAFF_ROLES, 404),
            "staff_triage": 200,
            "site_admin": 200,
        },
    )


def test_receivers_see_the_case_others_do_not(category):
    from django.test import Client

    inquiry = submit(category=category).inquiry
    triage = staff(Capability.TRIAGE)()
    elsewhere = DepartmentFactory(slug="tekniska")
    services.inquiry_route(inquiry=inquiry, actor=triage, department=elsewhere)
    coach = staff(Capability.COACH)()  # socialförvaltningen
    client = Client()
    client.force_login(coach)
    url = reverse("inquiries:detail", args=[inquiry.uuid])
    assert client.get(url).status_code == 404
    inquiry.refresh_from_db()
    services.inquiry_route(inquiry=inquiry, actor=triage, user=coach)
    assert client.get(url).status_code == 200
    services.inquiry_route(
        inquiry=inquiry, actor=triage, department=DepartmentFactory(slug="socialforvaltningen")
    )
    response = client.get(url)
    assert response.status_code == 200
    assert not response.context["may_triage"]
    response = client.post(
        url, {"action": "callback", "callback-outcome": "Ringde Anna.", "callback-close": "on"}
    )
    assert response.status_code == 302
    inquiry.refresh_from_db()
    assert inquiry.status == InquiryStatus.CLOSED and inquiry.first_contact_at


def test_routing_form_refuses_an_organisation_without_consent(roles, category):
    inquiry = submit(category=category, consent_to_organization=False).inquiry
    organization = Organization.objects.create(
        name="PRO Ekerö", slug="pro-ekero", status="verified"
    )
    client = roles.client("staff_triage")
    url = reverse("inquiries:detail", args=[inquiry.uuid])
    response = client.post(url, {"action": "route", "route-organization": organization.pk})
    assert response.status_code == 200
    assert response.context["route_form"].errors["organization"]
    inquiry.refresh_from_db()
    assert inquiry.routed_to_organization is None
    assert not Handover.objects.exists()


def test_routing_form_routes_to_a_named_user(roles, category):
    inquiry = submit(category=category).inquiry
    receiver = staff(Capability.COACH)()
    client = roles.client("staff_triage")
    url = reverse("inquiries:detail", args=[inquiry.uuid])
    response = client.post(
        url, {"action": "route", "route-user": receiver.pk, "route-note": "Ring idag"}
    )
    assert response.status_code == 302
    inquiry.refresh_from_db()
    assert inquiry.routed_to_user == receiver and inquiry.status == InquiryStatus.ROUTED
    page = client.get(url).content.decode()
    assert "Ring idag" in page


def test_a_coach_may_not_route_through_the_page(category):
    from django.test import Client

    inquiry = submit(category=category).inquiry
    coach = staff(Capability.COACH)()
    services.inquiry_route(inquiry=inquiry, actor=staff(Capability.TRIAGE)(), user=coach)
    client = Client()
    client.force_login(coach)
    url = reverse("inquiries:detail", args=[inquiry.uuid])
    client.post(url, {"action": "route", "route-department": DepartmentFactory().pk})
    inquiry.refresh_from_db()
    assert inquiry.routed_to_user == coach and inquiry.routed_to_department is None


def test_staff_file_an_inquiry_by_phone(roles, category):
    client = roles.client("staff_triage")
    data = form_data(category, email="")
    data.pop("website")
    response = client.post(reverse("inquiries:by_phone"), data)
    assert response.status_code == 302
    inquiry = Inquiry.objects.get()
    assert inquiry.filed_by == roles.user("staff_triage")
    assert response.url == reverse("inquiries:detail", args=[inquiry.uuid])


def test_phone_form_permissions(roles):
    roles.assert_access(
        reverse("inquiries:by_phone"),
        {
            "anonymous": 302,
            "resident": 403,
            "volunteer": 403,
            "organisation_representative": 403,
            **dict.fromkeys(STAFF_ROLES, 200),
            "site_admin": 200,
        },
    )


def test_triage_list_query_count_does_not_grow(roles, category, django_assert_num_queries):
    client = roles.client("staff_triage")
    url = reverse("inquiries:triage")
    other = UserFactory()
    submit(category=category)
    client.get(url)  # warm the session
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    triage = roles.user("staff_triage")
    for number in range(6):
        inquiry = submit(category=category, text=f"Fråga {number}").inquiry
        services.inquiry_route(
            inquiry=inquiry,
            actor=triage,
            **({"user": other} if number % 2 else {"department": DepartmentFactory()}),
        )
    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert len(response.context["inquiries"]) == 7


def test_triage_list_puts_new_and_overdue_first(roles, category):
    import datetime

    triage = roles.user("staff_triage")
    routed = submit(category=category, text="Routad").inquiry
    services.inquiry_route(inquiry=routed, actor=triage, department=DepartmentFactory())
    overdue = submit(category=category, text="Försenad").inquiry
    services.inquiry_route(inquiry=overdue, actor=triage, department=DepartmentFactory())
    Inquiry.objects.filter(pk=overdue.pk).update(first_contact_due=datetime.date(2020, 1, 2))
    new = submit(category=category, text="Ny").inquiry
    response = roles.client("staff_triage").get(reverse("inquiries:triage"))
    order = [inquiry.pk for inquiry in response.context["inquiries"]]
    assert order == [overdue.pk, new.pk, routed.pk]


def test_start_page_entries(roles):
    new_url = reverse("inquiries:new")
    triage_url = reverse("inquiries:triage")
    anonymous = roles.client("anonymous").get(reverse("core:home")).content.decode()
    assert f'href="{new_url}"' in anonymous and f'href="{triage_url}"' not in anonymous
    coach = roles.client("staff_coach").get(reverse("core:home")).content.decode()
    assert f'href="{triage_url}"' not in coach
    triage = roles.client("staff_triage").get(reverse("core:home")).content.decode()
    assert f'href="{triage_url}"' in triage
