"""/api/v1/volunteering/: sign-up and help requests for everyone, coordination
for coordinators — the same rules as the pages, every answer in the API's
error body, fixed query counts for the lists."""

import datetime
import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.factories import LanguageFactory, LocalityFactory, StaffMembershipFactory, UserFactory
from tests.volunteering.factories import (
    CampaignFactory,
    HelpRequestFactory,
    HelpTypeFactory,
    OfferFactory,
    ProposalFactory,
    VolunteerFactory,
)
from tillsammans.accounts.services import api_token_create
from tillsammans.core.models import PostalCode
from tillsammans.notifications.models import OutboxMessage
from tillsammans.volunteering.models import HelpRequest, Offer, Volunteer

pytestmark = pytest.mark.django_db

S = Offer.Status
BASE = "/api/v1/volunteering"


def bearer(user) -> dict:
    _token, key = api_token_create(actor=None, user=user, name="Test")
    return {"Authorization": f"Bearer {key}", "Accept-Language": "en"}


@pytest.fixture
def coordinator():
    return bearer(StaffMembershipFactory(user=UserFactory(email="karin@kommun.example.se")).user)


@pytest.fixture
def places():
    locality = LocalityFactory(slug="ekero", name_sv="Ekerö")
    PostalCode.objects.get_or_create(code="17830", defaults={"locality": locality})
    LanguageFactory()
    HelpTypeFactory(slug="handla")
    return locality


def error_fields(response) -> list[str]:
    body = response.json()
    assert set(body) == {"detail", "errors"} and body["detail"]
    return [e["field"] for e in body["errors"]]


def test_every_endpoint_is_in_the_openapi_document(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for path in (
        "/volunteers",
        "/help-requests",
        "/coordination/requests",
        "/coordination/matching-runs",
        "/coordination/proposals",
        "/coordination/proposals/{uuid}/confirm",
        "/coordination/proposals/{uuid}/reject",
        "/coordination/offers",
        "/coordination/offers/{uuid}/withdraw",
    ):
        assert f"{BASE}{path}" in paths, path


# --- Sign-up ---------------------------------------------------------------------------


def sign_up_body(**changes):
    return {
        "full_name": "Omar Volontär",
        "email": "omar@example.se",
        "postal_code": "178 30",
        "languages": ["sv"],
        "help_types": ["handla"],
        "availability": ["1-morning"],
        "consent": True,
        "language": "en",
        **changes,
    }


def test_signing_up_through_the_api(client, places):
    response = client.post(f"{BASE}/volunteers", sign_up_body(), content_type="application/json")
    assert response.status_code == 202, response.content
    assert response.json()["channel"] == "email"
    volunteer = Volunteer.objects.get()
    assert (volunteer.email, volunteer.locality, volunteer.language) == (
        "omar@example.se",
        places,
        "en",
    )
    assert OutboxMessage.objects.filter(address="omar@example.se").count() == 1


def test_the_same_sign_up_twice_is_one_volunteer_and_the_same_answer(client, places):
    first = client.post(f"{BASE}/volunteers", sign_up_body(), content_type="application/json")
    second = client.post(f"{BASE}/volunteers", sign_up_body(), content_type="application/json")
    assert first.status_code == second.status_code == 202
    assert first.json() == second.json()
    assert Volunteer.objects.count() == 1


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"phone": "12345", "email": ""}, "phone"),
        ({"email": "inte en adress"}, "email"),
        ({"email": "", "phone": ""}, "email"),
        ({"languages": ["xx"]}, "languages"),
        ({"help_types": ["flytta-piano"]}, "help_types"),
        ({"postal_code": "99999"}, "postal_code"),
        ({"postal_code": "", "locality": "atlantis"}, "locality"),
        ({"availability": ["8-night"]}, "availability"),
        ({"max_requests_per_week": 99}, "max_requests_per_week"),
        ({"full_name": "  "}, "full_name"),
        ({"consent": False}, "consent"),
        ({"consent": "kanske"}, "consent"),
        ({"languages": "sv"}, "languages"),
    ],
)
def test_bad_sign_ups_name_the_field_and_write_nothing(client, places, changes, field):
    response = client.post(
        f"{BASE}/volunteers", sign_up_body(**changes), content_type="application/json"
    )
    assert response.status_code == 422, response.content
    assert field in error_fields(response)
    assert not Volunteer.objects.exists()


# --- Help requests -------------------------------------------------------------------------


def help_body(**changes):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    return {
        "help_type": "handla",
        "resident_name": "Ingrid Invånare",
        "resident_phone": "070-123 45 67",
        "address": "Bryggvägen 3",
        "postal_code": "17830",
        "date": tomorrow.isoformat(),
        "time_from": "10:00",
        "time_to": "12:00",
        **changes,
    }


def test_asking_for_help_through_the_api(client, places):
    response = client.post(f"{BASE}/help-requests", help_body(), content_type="application/json")
    assert response.status_code == 201, response.content
    body = response.json()
    help_request = HelpRequest.objects.get()
    assert body == {
        "id": str(help_request.uuid),
        "reference": help_request.reference,
        "status": "open",
    }
    assert help_request.resident_phone == "+46701234567"
    assert "Ingrid" not in response.content.decode()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"resident_phone": "123"}, "resident_phone"),
        ({"time_from": "12:00", "time_to": "10:00"}, "time_to"),
        ({"date": "2020-01-01"}, "date"),
        ({"date": "inte ett datum"}, "date"),
        ({"help_type": "okand"}, "help_type"),
        ({"postal_code": "12"}, "postal_code"),
        ({"volunteers_needed": 0}, "volunteers_needed"),
        ({"recurrence": "weekly"}, "recurrence_until"),
        ({"language": "xx"}, "language"),
        ({"address": ""}, "address"),
    ],
)
def test_bad_help_requests_name_the_field_and_write_nothing(client, places, changes, field):
    response = client.post(
        f"{BASE}/help-requests", help_body(**changes), content_type="application/json"
    )
    assert response.status_code == 422, response.content
    assert field in error_fields(response)
    assert not HelpRequest.objects.exists()


def test_help_requests_share_the_forms_hourly_limit(client, places, settings):
    from tillsammans.volunteering.views.requests import RATE_LIMIT

    for hour in range(RATE_LIMIT):
        body = help_body(
            time_from=f"{8 + hour % 10:02d}:00",
            time_to="19:30",
            resident_phone=f"070-123 45 {10 + hour}",
        )
        assert (
            client.post(f"{BASE}/help-requests", body, content_type="application/json").status_code
            == 201
        )
    response = client.post(f"{BASE}/help-requests", help_body(), content_type="application/json")
    assert response.status_code == 429
    assert error_fields(response) == []
    assert HelpRequest.objects.count() == RATE_LIMIT


def test_sign_ups_share_the_forms_hourly_limit(client, places, settings):
    settings.VOLUNTEERING_SIGNUP_RATE = 2
    for number in range(2):
        body = sign_up_body(email=f"ny{number}@example.se")
        response = client.post(f"{BASE}/volunteers", body, content_type="application/json")
        assert response.status_code == 202
    body = sign_up_body(email="tredje@example.se")
    response = client.post(f"{BASE}/volunteers", body, content_type="application/json")
    assert response.status_code == 429
    assert not Volunteer.objects.filter(email="tredje@example.se").exists()
    # The form counts from the same budget.
    form = client.post(reverse("volunteering:volunteer_signup"), {"full_name": "X"})
    assert form.status_code == 429


# --- Coordinators: who may ------------------------------------------------------------------


def coordination_calls():
    proposal = ProposalFactory()
    offer = OfferFactory()
    return [
        ("get", "/coordination/requests", None),
        ("post", "/coordination/matching-runs", {}),
        ("get", "/coordination/proposals", None),
        ("post", f"/coordination/proposals/{proposal.uuid}/confirm", None),
        ("post", f"/coordination/proposals/{proposal.uuid}/reject", None),
        ("get", "/coordination/offers", None),
        ("post", f"/coordination/offers/{offer.uuid}/withdraw", {}),
    ]


def call(client, method, path, body, headers):
    if method == "get":
        return client.get(f"{BASE}{path}", headers=headers)
    return client.post(
        f"{BASE}{path}", body or {}, content_type="application/json", headers=headers
    )


@pytest.mark.parametrize(
    "who",
    ["no token", "bad token", "resident", "volunteer", "grant officer", "register officer"],
)
def test_coordination_endpoints_refuse_everyone_else(client, who):
    headers = {
        "no token": {},
        "bad token": {"Authorization": "Bearer tsm_nope"},
        "resident": bearer(UserFactory()) if who == "resident" else None,
        "volunteer": bearer(VolunteerFactory(user=UserFactory()).user)
        if who == "volunteer"
        else None,
        "grant officer": bearer(StaffMembershipFactory(capability="grant_officer").user)
        if who == "grant officer"
        else None,
        "register officer": bearer(StaffMembershipFactory(capability="register_officer").user)
        if who == "register officer"
        else None,
    }[who]
    expected = 401 if who.endswith("token") else 403
    for method, path, body in coordination_calls():
        response = call(client, method, path, body, headers)
        assert response.status_code == expected, (path, response.content)
        assert set(response.json()) == {"detail", "errors"}
    assert not Offer.objects.exclude(status__in=(S.PROPOSED, S.SENT)).exists()


def test_site_admins_may_coordinate(client):
    admin = UserFactory(email="admin@kommun.example.se")
    type(admin).objects.filter(pk=admin.pk).update(is_superuser=True)
    admin.refresh_from_db()
    response = client.get(f"{BASE}/coordination/requests", headers=bearer(admin))
    assert response.status_code == 200


# --- Coordinators: what they do -------------------------------------------------------------


def test_open_requests_with_a_fixed_query_count(client, coordinator):
    def make(n):
        for _ in range(n):
            help_request = HelpRequestFactory(volunteers_needed=2, language=LanguageFactory())
            ProposalFactory(request=help_request)
            OfferFactory(request=help_request)

    def count():
        with CaptureQueriesContext(connection) as context:
            response = client.get(f"{BASE}/coordination/requests?limit=200", headers=coordinator)
        assert response.status_code == 200
        return len(context.captured_queries), response.json()

    count()  # the token's first use is recorded once
    make(3)
    few, rows = count()
    assert len(rows) == 3
    assert rows[0]["remaining_need"] == 1 and rows[0]["proposals"] == 1
    assert "resident_name" not in rows[0]
    make(30)
    many, rows = count()
    assert (many, len(rows)) == (few, 33)


def test_a_campaign_filter_that_does_not_exist_is_404(client, coordinator):
    response = client.get(f"{BASE}/coordination/requests?campaign=finns-inte", headers=coordinator)
    assert response.status_code == 404


def test_running_the_matching_and_reviewing_the_proposals(client, coordinator):
    locality = LocalityFactory()
    help_request = HelpRequestFactory(locality=locality)
    volunteer = VolunteerFactory(locality=locality, full_name="Omar Volontär")
    VolunteerFactory(
        locality=LocalityFactory(latitude="59.40", longitude="17.81"),
        full_name="Fia Långt",
        max_distance_km=30,
    )

    response = client.post(
        f"{BASE}/coordination/matching-runs",
        {},
        content_type="application/json",
        headers=coordinator,
    )
    assert response.status_code == 201
    assert response.json() == {
        "requests": 1,
        "volunteers": 2,
        "proposals": 1,
        "unmatched_places": 0,
        "replaced_proposals": 0,
        "proven_optimal": True,
    }

    rows = client.get(f"{BASE}/coordination/proposals", headers=coordinator).json()
    assert len(rows) == 1
    row = rows[0]
    assert row["volunteer"] == {"id": str(volunteer.uuid), "name": "Omar Volontär"}
    assert row["request"]["name"] == help_request.reference
    assert {"code": "distance_km", "params": [0.0], "text": "lives 0.0 km away"} in row["reasons"]
    assert row["runner_up"]["volunteer"]["name"] == "Fia Långt"
    assert row["runner_up"]["reasons"]


def test_running_for_a_closed_campaign_is_refused(client, coordinator):
    closed = CampaignFactory(status="closed")
    response = client.post(
        f"{BASE}/coordination/matching-runs",
        {"campaign": closed.slug},
        content_type="application/json",
        headers=coordinator,
    )
    assert response.status_code == 422 and error_fields(response) == ["campaign"]


def test_proposals_with_a_fixed_query_count(client, coordinator):
    def make(n):
        for _ in range(n):
            runner = VolunteerFactory()
            ProposalFactory(
                explanation={
                    "reasons": [["distance_km", 1.0]],
                    "runner_up": {"volunteer_id": runner.pk, "score": 10, "reasons": [["tie"]]},
                }
            )

    def count():
        with CaptureQueriesContext(connection) as context:
            response = client.get(f"{BASE}/coordination/proposals?limit=200", headers=coordinator)
        return len(context.captured_queries), len(response.json())

    count()  # the token's first use is recorded once
    make(3)
    few, rows = count()
    make(30)
    assert count() == (few, 33) and rows == 3


def test_confirming_sends_and_a_second_confirm_is_a_conflict(client, coordinator):
    proposal = ProposalFactory()
    url = f"{BASE}/coordination/proposals/{proposal.uuid}/confirm"
    response = client.post(url, headers=coordinator)
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "sent" and body["respond_by"]
    assert OutboxMessage.objects.filter(kind="request").count() == 1

    again = client.post(url, headers=coordinator)
    assert again.status_code == 409
    assert again.json() == {
        "detail": "This proposal has already been dealt with: it is now “Waiting for answer”.",
        "errors": [],
    }


def test_confirming_beyond_capacity_is_a_conflict(client, coordinator):
    volunteer = VolunteerFactory(max_requests_per_week=1)
    OfferFactory(volunteer=volunteer)
    proposal = ProposalFactory(volunteer=volunteer)
    response = client.post(
        f"{BASE}/coordination/proposals/{proposal.uuid}/confirm", headers=coordinator
    )
    assert response.status_code == 409
    assert "as often this week as they allow" in response.json()["detail"]


def test_rejecting_and_unknown_ids(client, coordinator):
    proposal = ProposalFactory()
    response = client.post(
        f"{BASE}/coordination/proposals/{proposal.uuid}/reject", headers=coordinator
    )
    assert response.status_code == 200 and response.json()["status"] == "rejected"
    for path in (
        f"proposals/{uuid.uuid4()}/confirm",
        f"offers/{uuid.uuid4()}/withdraw",
        "proposals/inte-ett-id/reject",
    ):
        response = client.post(
            f"{BASE}/coordination/{path}", {}, content_type="application/json", headers=coordinator
        )
        assert response.status_code in (404, 422), path
        assert set(response.json()) == {"detail", "errors"}


def test_offers_list_and_withdraw(client, coordinator):
    sent = OfferFactory()
    accepted = OfferFactory(status=S.ACCEPTED)
    ProposalFactory()
    rows = client.get(f"{BASE}/coordination/offers", headers=coordinator).json()
    assert {r["id"] for r in rows} == {str(sent.uuid), str(accepted.uuid)}
    rows = client.get(f"{BASE}/coordination/offers?status=accepted", headers=coordinator).json()
    assert [r["id"] for r in rows] == [str(accepted.uuid)]
    bad = client.get(f"{BASE}/coordination/offers?status=done", headers=coordinator)
    assert bad.status_code == 422 and error_fields(bad) == ["status"]

    response = client.post(
        f"{BASE}/coordination/offers/{accepted.uuid}/withdraw",
        {"reason": "Sjuk"},
        content_type="application/json",
        headers=coordinator,
    )
    assert response.status_code == 200 and response.json()["status"] == "withdrawn"
    again = client.post(
        f"{BASE}/coordination/offers/{accepted.uuid}/withdraw",
        {},
        content_type="application/json",
        headers=coordinator,
    )
    assert again.status_code == 409


def test_a_help_request_may_prefer_a_public_organisation(client, places):
    from tests.organizations.factories import OrganizationFactory
    from tillsammans.organizations.models import OrganizationStatus

    pro = OrganizationFactory(name="PRO Ekerö")
    pending = OrganizationFactory(name="Ny förening", status=OrganizationStatus.PENDING)

    body = help_body(preferred_organization=str(pending.uuid))
    response = client.post(f"{BASE}/help-requests", body, content_type="application/json")
    assert response.status_code == 422
    assert error_fields(response) == ["preferred_organization"]
    assert not HelpRequest.objects.exists()

    body = help_body(preferred_organization=str(pro.uuid))
    response = client.post(f"{BASE}/help-requests", body, content_type="application/json")
    assert response.status_code == 201, response.content
    assert HelpRequest.objects.get().preferred_organization == pro
