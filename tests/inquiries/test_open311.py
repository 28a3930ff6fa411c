import json

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from tests.factories import DepartmentFactory
from tests.inquiries.factories import CategoryFactory, submit
from tillsammans.inquiries.models import (
    TEXT_MAX_LENGTH,
    CallBack,
    Handover,
    Inquiry,
    InquiryStatus,
)

pytestmark = pytest.mark.django_db

BASE = "/api/open311/v2/"
PERSONAL = ["Anna", "Andersson", "123 45 67", "1234567", "anna@example.se", "Gatlampan"]


@pytest.fixture(autouse=True)
def _clear_rate_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def category():
    return CategoryFactory(slug="gator", name_sv="Gator och vägar", name_en="Streets and roads")


def post_data(**overrides):
    data = {
        "service_code": "gator",
        "description": "Gatlampan vid busshållplatsen är trasig.",
        "first_name": "Anna",
        "last_name": "Andersson",
        "email": "anna@example.se",
        "phone": "070-123 45 67",
    }
    data.update(overrides)
    return data


def assert_open311_error(response, status):
    assert response.status_code == status
    body = response.json()
    assert isinstance(body, list) and body
    for error in body:
        assert set(error) == {"code", "description"}
        assert error["code"] == status
        assert error["description"]
    return body


# --- Services -------------------------------------------------------------------------------


def test_services_list_fields(client, category):
    CategoryFactory(slug="gammal", is_active=False)
    response = client.get(BASE + "services.json", HTTP_ACCEPT_LANGUAGE="sv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    services = response.json()
    assert [s["service_code"] for s in services] == ["gator"]
    service = services[0]
    assert service == {
        "service_code": "gator",
        "service_name": "Gator och vägar",
        "description": "Gator och vägar",
        "metadata": False,
        "type": "realtime",
        "keywords": service["keywords"],
        "group": category.area.name_sv,
    }
    assert "gator" in service["keywords"]


@pytest.mark.parametrize(
    ("headers", "query", "expected"),
    [
        ({"HTTP_ACCEPT_LANGUAGE": "en"}, "", "Streets and roads"),
        ({"HTTP_ACCEPT_LANGUAGE": "sv"}, "", "Gator och vägar"),
        ({"HTTP_ACCEPT_LANGUAGE": "sv"}, "?locale=en", "Streets and roads"),
        ({"HTTP_ACCEPT_LANGUAGE": "en"}, "?locale=sv", "Gator och vägar"),
    ],
)
def test_service_names_in_both_languages(client, category, headers, query, expected):
    response = client.get(BASE + "services.json" + query, **headers)
    assert response.json()[0]["service_name"] == expected


def test_service_definition(client, category):
    response = client.get(BASE + "services/gator.json")
    assert response.status_code == 200
    assert response.json() == {"service_code": "gator", "attributes": []}


def test_unknown_service_definition_is_an_open311_404(client, category):
    assert_open311_error(client.get(BASE + "services/nope.json"), 404)


def test_services_query_count(client, category, django_assert_num_queries):
    for _ in range(5):
        CategoryFactory()
    with django_assert_num_queries(1):
        response = client.get(BASE + "services.json")
    assert len(response.json()) == 6


# --- Submitting -----------------------------------------------------------------------------


def test_post_form_encoded_files_an_inquiry(client, category):
    response = client.post(
        BASE + "requests.json",
        post_data(preferred_time="Efter 15", language="en", consent_to_pass_on="true"),
    )
    assert response.status_code == 201
    body = response.json()
    inquiry = Inquiry.objects.get()
    assert body == [
        {
            "service_request_id": inquiry.case_number,
            "service_notice": body[0]["service_notice"],
            "token": None,
        }
    ]
    assert inquiry.case_number in body[0]["service_notice"]
    assert inquiry.category == category
    assert inquiry.name == "Anna"  # the last name is not kept
    assert inquiry.email == "anna@example.se"
    assert inquiry.preferred_time == "Efter 15"
    assert inquiry.language == "en"
    assert inquiry.consent_to_organization is True
    assert inquiry.status == InquiryStatus.NEW


def test_post_json_files_an_inquiry(client, category):
    response = client.post(
        BASE + "requests.json",
        json.dumps(post_data(phone="")),
        content_type="application/json",
    )
    assert response.status_code == 201
    inquiry = Inquiry.objects.get()
    assert inquiry.phone == "" and inquiry.consent_to_organization is False


@pytest.mark.parametrize(
    ("overrides", "mentions"),
    [
        ({"service_code": ""}, "service_code"),
        ({"description": "  "}, "description"),
        ({"email": "", "phone": ""}, "email"),
        ({"service_code": "nope"}, None),
        ({"description": "x" * (TEXT_MAX_LENGTH + 1)}, str(TEXT_MAX_LENGTH)),
        ({"email": "inte-en-adress"}, None),
        ({"website": "http://spam.example"}, None),  # the honeypot
    ],
)
def test_bad_input_is_an_open311_400(client, category, overrides, mentions):
    response = client.post(BASE + "requests.json", post_data(**overrides))
    body = assert_open311_error(response, 400)
    if mentions:
        assert any(mentions in error["description"] for error in body)
    assert not Inquiry.objects.exists()


def test_inactive_service_cannot_be_posted_to(client):
    CategoryFactory(slug="gammal", is_active=False)
    response = client.post(BASE + "requests.json", post_data(service_code="gammal"))
    assert_open311_error(response, 400)


def test_rate_limit_is_shared_with_the_form(client, category):
    for _ in range(10):
        assert client.post(BASE + "requests.json", post_data()).status_code == 201
    assert_open311_error(client.post(BASE + "requests.json", post_data()), 429)
    # The form's budget is the same one.
    form = client.post(
        reverse("inquiries:new"),
        {"category": category.pk, "text": "Hej", "phone": "070-123 45 67", "language": "sv"},
    )
    assert form.status_code == 429
    assert Inquiry.objects.count() == 10


def test_refused_posts_do_not_use_the_budget(client, category):
    for _ in range(12):
        client.post(BASE + "requests.json", post_data(service_code="nope"))
    assert client.post(BASE + "requests.json", post_data()).status_code == 201


def test_other_methods_are_refused(client, category):
    assert client.put(BASE + "requests.json").status_code == 405


# --- Reading back ---------------------------------------------------------------------------


def test_requests_list_fields_and_no_personal_data(client, category):
    other = DepartmentFactory(slug="tekniska", name_sv="Tekniska kontoret", name_en="Technical")
    new = submit(category=category).inquiry
    routed = submit(category=category).inquiry
    Inquiry.objects.filter(pk=routed.pk).update(
        status=InquiryStatus.ROUTED, routed_to_department=other
    )
    Handover.objects.create(inquiry=routed, to_department=other, note="Anna Andersson ringde")
    closed = submit(category=category).inquiry
    now = timezone.now()
    CallBack.objects.create(inquiry=closed, at=now, outcome="Pratade med Anna")
    Inquiry.objects.filter(pk=closed.pk).update(
        status=InquiryStatus.CLOSED, first_contact_at=now, closed_at=now
    )

    response = client.get(BASE + "requests.json?locale=sv")
    assert response.status_code == 200
    text = response.content.decode()
    for personal in [*PERSONAL, "Pratade", "ringde"]:
        assert personal not in text
    body = {r["service_request_id"]: r for r in response.json()}
    assert list(body) == [closed.case_number, routed.case_number, new.case_number]
    first = body[new.case_number]
    for field in (
        "service_request_id",
        "status",
        "status_notes",
        "service_name",
        "service_code",
        "description",
        "agency_responsible",
        "requested_datetime",
        "updated_datetime",
    ):
        assert field in first
    assert first["status"] == "open"
    assert first["service_code"] == "gator"
    assert first["service_name"] == first["description"] == "Gator och vägar"
    assert first["agency_responsible"] == category.department.name_sv
    assert body[routed.case_number]["status"] == "open"
    assert body[routed.case_number]["agency_responsible"] == "Tekniska kontoret"
    assert "Tekniska kontoret" in body[routed.case_number]["status_notes"]
    assert body[closed.case_number]["status"] == "closed"
    assert body[closed.case_number]["updated_datetime"] >= first["requested_datetime"]
    for request in body.values():
        assert set(request) >= {"status", "requested_datetime"}
        assert request["status"] in ("open", "closed")


def test_request_detail(client, category):
    inquiry = submit(category=category).inquiry
    response = client.get(BASE + f"requests/{inquiry.case_number}.json")
    assert response.status_code == 200
    body = response.json()
    assert len(body) == 1
    assert body[0]["service_request_id"] == inquiry.case_number
    assert body[0]["status"] == "open"
    text = response.content.decode()
    for personal in PERSONAL:
        assert personal not in text


def test_unknown_request_is_an_open311_404(client, category):
    assert_open311_error(client.get(BASE + "requests/Ä-1999-0001.json"), 404)


def test_requests_filters(client, category):
    other = CategoryFactory(slug="skola")
    a = submit(category=category).inquiry
    b = submit(category=other).inquiry
    Inquiry.objects.filter(pk=b.pk).update(status=InquiryStatus.CLOSED)
    old = submit(category=category).inquiry
    Inquiry.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - timezone.timedelta(days=30)
    )

    def ids(query):
        response = client.get(BASE + "requests.json" + query)
        assert response.status_code == 200
        return {r["service_request_id"] for r in response.json()}

    assert ids("?service_code=skola") == {b.case_number}
    assert ids("?status=open") == {a.case_number, old.case_number}
    assert ids("?status=closed") == {b.case_number}
    since = (timezone.now() - timezone.timedelta(days=1)).isoformat()
    until = (timezone.now() - timezone.timedelta(days=2)).date().isoformat()
    assert ids("?start_date=" + since.replace("+", "%2B")) == {a.case_number, b.case_number}
    assert ids("?end_date=" + until) == {old.case_number}


@pytest.mark.parametrize("query", ["?status=pending", "?start_date=igår", "?end_date=2026-13-01"])
def test_bad_filters_are_an_open311_400(client, category, query):
    assert_open311_error(client.get(BASE + "requests.json" + query), 400)


def test_requests_list_is_capped(client, category, monkeypatch):
    from tillsammans.inquiries import open311

    monkeypatch.setattr(open311, "MAX_REQUESTS", 2)
    for _ in range(3):
        submit(category=category)
    assert len(client.get(BASE + "requests.json").json()) == 2


@pytest.mark.parametrize("count", [3, 30])
def test_requests_list_query_count_is_fixed(client, django_assert_num_queries, count):
    categories = [CategoryFactory() for _ in range(3)]
    departments = [DepartmentFactory() for _ in range(3)]
    for n in range(count):
        inquiry = submit(category=categories[n % 3]).inquiry
        if n % 2:
            Inquiry.objects.filter(pk=inquiry.pk).update(
                status=InquiryStatus.ROUTED, routed_to_department=departments[n % 3]
            )
            Handover.objects.create(inquiry=inquiry, to_department=departments[n % 3])
    with django_assert_num_queries(1):
        response = client.get(BASE + "requests.json")
    assert len(response.json()) == count


def test_status_notes_say_where_it_went_and_that_we_called(client, category):
    other = DepartmentFactory(slug="tekniska", name_sv="Tekniska kontoret", name_en="Technical")
    inquiry = submit(category=category).inquiry
    assert client.get(BASE + "requests.json?locale=en").json()[0]["status_notes"] == "received"
    Inquiry.objects.filter(pk=inquiry.pk).update(
        status=InquiryStatus.CLOSED,
        routed_to_department=other,
        first_contact_at=timezone.now(),
        closed_at=timezone.now(),
    )
    notes = client.get(BASE + f"requests/{inquiry.case_number}.json?locale=en").json()[0]
    assert notes["status_notes"] == "routed to Technical; called back; closed"
    assert notes["agency_responsible"] == "Technical"
