"""The help request pages: asking (public and by phone), the receipt, a
resident's own requests, cancelling, and the coordinators' list and detail."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.factories import LocalityFactory, UserFactory
from tests.volunteering.factories import (
    CampaignFactory,
    HelpRequestFactory,
    HelpTypeFactory,
    OfferFactory,
)
from tillsammans.audit.models import AuditEntry
from tillsammans.notifications.models import OutboxMessage
from tillsammans.volunteering.models import Campaign, HelpRequest
from tillsammans.volunteering.views.requests import RATE_LIMIT

pytestmark = pytest.mark.django_db

NEW = reverse("volunteering:help_request_new")
SENT = reverse("volunteering:help_request_sent")
STAFF_LIST = reverse("volunteering:staff_help_requests")
STAFF_NEW = reverse("volunteering:staff_help_request_new")


def english(client: Client) -> Client:
    # The Swedish catalogue gets this work's strings when merged; assert English meanwhile.
    client.cookies["tillsammans_language"] = "en"
    return client


@pytest.fixture
def locality():
    return LocalityFactory(slug="stenhamra", name_sv="Stenhamra")


@pytest.fixture
def shopping():
    return HelpTypeFactory(slug="handla")


@pytest.fixture
def data(locality, shopping):
    day = timezone.localdate() + datetime.timedelta(days=2)
    return {
        "help_type": shopping.pk,
        "date": day.isoformat(),
        "time_from": "10:00",
        "time_to": "12:00",
        "recurrence": "once",
        "resident_name": "Gunnel Andersson",
        "resident_phone": "070-123 45 67",
        "address": "Bryggvägen 3",
        "locality": locality.pk,
        "volunteers_needed": "1",
        "notes": "Ring två gånger.",
    }


def test_the_public_form_warns_about_health_details(client):
    response = english(client).get(NEW)
    assert response.status_code == 200
    assert "Do not write anything about health" in response.text
    assert 'name="website"' in response.text and "hidden" in response.text


def test_asking_for_help_without_an_account(client, data, locality):
    response = english(client).post(NEW, data)

    assert response.status_code == 302 and response.url == SENT
    help_request = HelpRequest.objects.get()
    assert help_request.resident_phone == "+46701234567"
    assert help_request.requester is None
    assert help_request.notes == "Ring två gånger."
    assert OutboxMessage.objects.get().language == "en"

    receipt = client.get(SENT)
    assert help_request.reference in receipt.text
    assert "What happens next" in receipt.text
    assert "+4670…67" in receipt.text  # masked: the page shows no whole number
    assert "Gunnel" not in receipt.text and "Bryggvägen" not in receipt.text


def test_the_receipt_is_only_for_the_session_that_sent_it(client):
    HelpRequestFactory()
    response = client.get(SENT)
    assert response.status_code == 302 and response.url == NEW


def test_a_signed_in_resident_is_linked_and_sees_their_requests(client, data):
    ingrid = UserFactory(full_name="Ingrid Invånare")
    client.force_login(ingrid)
    english(client)
    form = client.get(NEW)
    assert 'value="Ingrid Invånare"' in form.text
    assert "My help requests" in form.text

    client.post(NEW, data)
    help_request = HelpRequest.objects.get()
    assert help_request.requester == ingrid
    assert reverse("volunteering:my_help_requests") in client.get(SENT).text

    mine = client.get(reverse("volunteering:my_help_requests"))
    assert help_request.reference in mine.text
    assert reverse("volunteering:help_request_cancel", args=[help_request.uuid]) in mine.text


def test_errors_keep_what_was_typed_and_are_summarised(client, data):
    bad = {**data, "time_to": "09:00", "resident_phone": "12"}
    response = english(client).post(NEW, bad)

    assert response.status_code == 200
    assert 'class="error-summary"' in response.text
    # The form checks syntax; the service's first failure is shown at its field.
    assert "is not a phone number we can call" in response.text
    assert 'href="#id_resident_phone"' in response.text
    assert 'value="Gunnel Andersson"' in response.text
    assert 'value="Bryggvägen 3"' in response.text
    assert "Ring två gånger." in response.text
    assert not HelpRequest.objects.exists()


@pytest.mark.parametrize(
    ("changes", "field", "text"),
    [
        ({"time_to": "09:00"}, "time_to", "end time must be later"),
        ({"date": "2020-01-01"}, "date", "already passed"),
        ({"date": "2099-01-01"}, "date", "at most 180 days ahead"),
        ({"recurrence": "weekly"}, "recurrence_until", "last time"),
        ({"locality": ""}, "locality", "Choose the locality"),
        ({"locality": "", "postal_code": "99999"}, "postal_code", "do not know the postal code"),
        ({"date": "31/02"}, "date", "Enter a valid date"),
        ({"help_type": ""}, "help_type", "This field is required"),
    ],
)
def test_bad_input_shows_the_message_at_the_field(client, data, changes, field, text):
    response = english(client).post(NEW, {**data, **changes})
    assert response.status_code == 200
    assert text in response.text
    assert f'href="#id_{field}' in response.text
    assert not HelpRequest.objects.exists()


def test_the_honeypot_sends_nothing(client, data):
    response = english(client).post(NEW, {**data, "website": "http://spam.example"})
    assert response.status_code == 200
    assert "The form could not be sent" in response.text
    assert not HelpRequest.objects.exists()


def test_a_double_submit_is_one_request(client, data):
    first = client.post(NEW, data)
    second = client.post(NEW, data)
    assert first.status_code == second.status_code == 302
    assert HelpRequest.objects.count() == 1
    assert OutboxMessage.objects.count() == 1


def test_the_public_form_is_rate_limited_per_address(client, data):
    english(client)
    for hour in range(RATE_LIMIT):
        response = client.post(NEW, {**data, "time_from": f"{8 + hour}:00", "time_to": "20:00"})
        assert response.status_code == 302
    blocked = client.post(NEW, {**data, "time_from": "07:00"})
    assert blocked.status_code == 429
    assert "Too many requests" in blocked.text
    assert HelpRequest.objects.count() == RATE_LIMIT
    # Another address is not affected.
    other = Client(REMOTE_ADDR="192.0.2.7")
    assert other.post(NEW, {**data, "time_from": "07:00"}).status_code == 302


def test_asking_in_a_campaign(client, data, shopping):
    visit = HelpTypeFactory(slug="besok")
    campaign = CampaignFactory(title="Vinterhjälp 2026", help_types=[shopping])
    url = f"{NEW}?campaign={campaign.slug}"

    form = english(client).get(url)
    assert "Ask for help: Vinterhjälp 2026" in form.text
    assert f'value="{visit.pk}"' not in form.text  # only the campaign's kinds of help

    client.post(url, {**data, "campaign": campaign.slug})
    assert HelpRequest.objects.get().campaign == campaign


def test_a_closed_campaign_refuses_with_a_message(client, data, shopping):
    campaign = CampaignFactory(
        title="Handlingshjälp covid-19", help_types=[shopping], status=Campaign.Status.CLOSED
    )
    form = english(client).get(f"{NEW}?campaign={campaign.slug}")
    assert "is closed. You can still ask for help below" in form.text

    response = client.post(NEW, {**data, "campaign": campaign.slug})
    assert response.status_code == 200
    assert "“Handlingshjälp covid-19” is closed" in response.text
    assert not HelpRequest.objects.exists()


# --- Coordinators ---------------------------------------------------------------------------


def test_a_coordinator_takes_a_request_on_the_phone(roles, data):
    karin = roles.user("staff_coordinator")
    client = english(roles.client("staff_coordinator"))
    campaign = CampaignFactory(title="Vinterhjälp 2026", help_types=[HelpTypeFactory()])
    form = client.get(STAFF_NEW)
    assert "The resident&#x27;s name" in form.text
    assert "Vinterhjälp 2026" in form.text  # open campaigns to choose from
    assert 'name="website"' not in form.text

    response = client.post(STAFF_NEW, {**data, "resident_phone": "08-560 123 45"})

    help_request = HelpRequest.objects.get()
    assert response.url == reverse("volunteering:staff_help_request", args=[help_request.uuid])
    assert help_request.created_by == karin and help_request.requester is None
    assert help_request.campaign is None
    assert not OutboxMessage.objects.exists()  # a landline gets no SMS
    page = client.get(response.url)
    assert f"Request {help_request.reference} is registered" in page.text
    assert campaign.title not in page.text


def test_the_phone_form_keeps_typed_data_on_errors(roles, data):
    client = english(roles.client("staff_coordinator"))
    response = client.post(STAFF_NEW, {**data, "address": " "})
    assert response.status_code == 200
    assert "This field is required" in response.text or "Write the street address" in response.text
    assert 'value="Gunnel Andersson"' in response.text
    assert not HelpRequest.objects.exists()


def test_every_read_of_the_details_is_audited(roles):
    help_request = HelpRequestFactory(resident_name="Gunnel Andersson", notes="Kod 1234")
    client = roles.client("staff_coordinator")
    url = reverse("volunteering:staff_help_request", args=[help_request.uuid])

    for _ in range(2):
        response = client.get(url)
        assert "Gunnel Andersson" in response.text
        assert "+46701234567" in response.text
        assert "Bryggvägen 3" in response.text

    reads = AuditEntry.objects.filter(action="read", target_id=str(help_request.uuid))
    assert reads.count() == 2
    assert reads.first().actor == roles.user("staff_coordinator")


def test_the_list_shows_no_personal_details_and_reads_nothing(roles):
    HelpRequestFactory(resident_name="Gunnel Andersson")
    response = roles.client("staff_coordinator").get(STAFF_LIST)
    assert response.status_code == 200
    assert "Gunnel" not in response.text and "Bryggvägen" not in response.text
    assert not AuditEntry.objects.filter(action="read").exists()


def test_the_list_filters(roles):
    stenhamra = LocalityFactory(slug="stenhamra")
    visit = HelpTypeFactory(slug="besok")
    campaign = CampaignFactory()
    wanted = HelpRequestFactory(
        locality=stenhamra, help_type=visit, campaign=campaign, status=HelpRequest.Status.MATCHED
    )
    OfferFactory(request=wanted, status="accepted")
    others = [
        HelpRequestFactory(locality=stenhamra, help_type=visit, campaign=campaign),
        HelpRequestFactory(help_type=visit, campaign=campaign, status="matched"),
        HelpRequestFactory(locality=stenhamra, campaign=campaign, status="matched"),
        HelpRequestFactory(locality=stenhamra, help_type=visit, status="matched"),
    ]
    client = english(roles.client("staff_coordinator"))
    response = client.get(
        STAFF_LIST,
        {
            "status": "matched",
            "help_type": "besok",
            "locality": "stenhamra",
            "campaign": campaign.slug,
        },
    )
    assert wanted.reference in response.text
    assert "1 of 1" in response.text
    for other in others:
        assert other.reference not in response.text
    assert "1 request" in response.text


def test_cancel_by_the_resident(client):
    ingrid = UserFactory()
    help_request = HelpRequestFactory(requester=ingrid)
    client.force_login(ingrid)
    url = reverse("volunteering:help_request_cancel", args=[help_request.uuid])

    empty = english(client).post(url, {"reason": ""})
    assert empty.status_code == 200 and 'class="error-summary"' in empty.text

    response = client.post(url, {"reason": "Min son handlar åt mig."})
    assert response.url == reverse("volunteering:my_help_requests")
    help_request.refresh_from_db()
    assert help_request.status == HelpRequest.Status.CANCELLED


def test_cancel_by_a_coordinator_shows_who_and_why(roles):
    help_request = HelpRequestFactory()
    client = english(roles.client("staff_coordinator"))
    url = reverse("volunteering:help_request_cancel", args=[help_request.uuid])
    response = client.post(url, {"reason": "Dubblett av H-00001."})
    detail = reverse("volunteering:staff_help_request", args=[help_request.uuid])
    assert response.url == detail
    page = client.get(detail)
    assert "Dubblett av H-00001." in page.text
    assert "coordinator@kommun.example.se" in page.text


def test_a_done_request_cannot_be_cancelled(roles):
    help_request = HelpRequestFactory(status=HelpRequest.Status.DONE)
    client = english(roles.client("staff_coordinator"))
    url = reverse("volunteering:help_request_cancel", args=[help_request.uuid])
    response = client.post(url, {"reason": "Fel."})
    assert response.status_code == 200
    assert "cannot be cancelled" in response.text
