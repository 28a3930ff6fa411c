"""Help requests through the services: filing, checks, duplicates, receipts, cancelling."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone, translation

from tests.factories import LanguageFactory, LocalityFactory, UserFactory
from tests.roles import staff
from tests.volunteering.factories import (
    CampaignFactory,
    HelpRequestFactory,
    HelpTypeFactory,
    OfferFactory,
)
from tillsammans.audit.models import AuditEntry
from tillsammans.core.errors import NotPermitted
from tillsammans.core.models import PostalCode
from tillsammans.notifications.models import OutboxMessage
from tillsammans.volunteering.models import Campaign, HelpRequest, Offer, Recurrence
from tillsammans.volunteering.services.campaigns import CampaignClosed
from tillsammans.volunteering.services.requests import (
    MAX_DAYS_AHEAD,
    HelpTypeNotInCampaign,
    InvalidHelpRequest,
    RequestNotCancellable,
    TimeWindow,
    help_request_cancel,
    help_request_create,
    help_requests_erase_for_user,
    help_requests_export_for_user,
    normalise_resident_phone,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    """Messages in English: the Swedish catalogue gets these strings when merged."""
    with translation.override("en"):
        yield


TOMORROW = timezone.localdate() + datetime.timedelta(days=1)


def window(day=None, start=10, end=12) -> TimeWindow:
    return TimeWindow(day or TOMORROW, datetime.time(start), datetime.time(end))


@pytest.fixture
def locality():
    return LocalityFactory(slug="stenhamra", name_sv="Stenhamra", latitude="59.3352")


@pytest.fixture
def arguments(locality):
    return {
        "help_type": HelpTypeFactory(slug="handla"),
        "resident_name": "  Gunnel   Andersson ",
        "resident_phone": "070-123 45 67",
        "address": "Bryggvägen 3",
        "locality": locality,
        "window": window(),
    }


@pytest.fixture
def coordinator():
    return staff("coordinator")()


def create(**overrides):
    return help_request_create(**{"actor": None, **overrides})


def test_a_resident_asks_without_an_account(arguments, locality):
    help_request = create(**arguments)

    assert help_request.resident_name == "Gunnel Andersson"
    assert help_request.resident_phone == "+46701234567"
    assert help_request.locality == locality
    assert help_request.latitude == Decimal("59.3352")
    assert help_request.status == HelpRequest.Status.OPEN
    assert help_request.requester is None and help_request.created_by is None
    zone = timezone.get_default_timezone()
    assert help_request.starts_at.astimezone(zone).hour == 10
    assert help_request.reference == f"H-{help_request.pk:05d}"
    entry = AuditEntry.objects.get(action="create", target_id=str(help_request.uuid))
    assert "Gunnel" not in entry.target_label  # no personal details in the log


def test_the_receipt_is_an_sms_with_the_reference_in_the_page_language(arguments):
    help_request = create(**arguments, receipt_language="en")

    message = OutboxMessage.objects.get()
    assert message.channel == "sms"
    assert message.address == "+46701234567"
    assert message.kind == "transactional"
    assert message.language == "en"
    assert help_request.reference in message.body
    assert "Your reference is" in message.body


def test_a_landline_is_accepted_and_gets_no_sms(arguments):
    help_request = create(**{**arguments, "resident_phone": "08-560 123 45"})

    assert help_request.resident_phone == "+46856012345"
    assert not OutboxMessage.objects.exists()


def test_a_signed_in_resident_is_the_requester(arguments):
    ingrid = UserFactory(email="ingrid@example.se")
    help_request = create(**{**arguments, "actor": ingrid})

    assert help_request.requester == ingrid
    assert help_request.created_by == ingrid


def test_a_coordinator_takes_a_request_by_phone(arguments, coordinator):
    help_request = create(**{**arguments, "actor": coordinator, "by_phone": True})

    assert help_request.created_by == coordinator
    assert help_request.requester is None
    assert AuditEntry.objects.get(action="create").details["by_phone"] is True


def test_only_coordinators_take_requests_by_phone(arguments):
    with pytest.raises(NotPermitted):
        create(**{**arguments, "actor": UserFactory(), "by_phone": True})
    assert not HelpRequest.objects.exists()


def test_postal_code_gives_the_locality(arguments, locality):
    PostalCode.objects.create(code="17890", locality=locality)
    help_request = create(**{**arguments, "locality": None, "postal_code": "178 90"})
    assert help_request.locality == locality


def test_recurring_request(arguments):
    until = TOMORROW + datetime.timedelta(weeks=8)
    help_request = create(**arguments, recurrence=Recurrence.BIWEEKLY, recurrence_until=until)
    assert help_request.recurrence == Recurrence.BIWEEKLY
    assert help_request.recurrence_until == until


def test_once_ignores_a_last_date(arguments):
    help_request = create(**arguments, recurrence_until=TOMORROW + datetime.timedelta(days=7))
    assert help_request.recurrence_until is None


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"resident_name": "  "}, "resident_name", "Write the name"),
        ({"resident_phone": "12345"}, "resident_phone", "is not a phone number"),
        ({"resident_phone": "070-12"}, "resident_phone", "is not a phone number"),
        ({"address": ""}, "address", "Write the street address"),
        ({"window": window(start=12, end=10)}, "time_to", "end time must be later"),
        ({"window": window(start=12, end=12)}, "time_to", "end time must be later"),
        (
            {"window": window(day=timezone.localdate() - datetime.timedelta(days=1))},
            "date",
            "already passed",
        ),
        (
            {
                "window": window(
                    day=timezone.localdate() + datetime.timedelta(days=MAX_DAYS_AHEAD + 1)
                )
            },
            "date",
            "at most 180 days",
        ),
        ({"recurrence": Recurrence.WEEKLY}, "recurrence_until", "last time"),
        (
            {"recurrence": Recurrence.WEEKLY, "recurrence_until": TOMORROW},
            "recurrence_until",
            "after the first time",
        ),
        (
            {
                "recurrence": Recurrence.WEEKLY,
                "recurrence_until": TOMORROW + datetime.timedelta(days=400),
            },
            "recurrence_until",
            "at most a year",
        ),
        ({"recurrence": "daily"}, "recurrence", "how often"),
        ({"volunteers_needed": 0}, "volunteers_needed", "between 1 and 10"),
        ({"volunteers_needed": 11}, "volunteers_needed", "between 1 and 10"),
        ({"notes": "x" * 1001}, "notes", "under 1000 characters"),
        ({"locality": None}, "locality", "Choose the locality"),
        ({"locality": None, "postal_code": "999 99"}, "postal_code", "do not know the postal code"),
        ({"postal_code": "12"}, "postal_code", "five digits"),
    ],
)
def test_bad_input_is_refused_with_a_message_and_nothing_is_written(
    arguments, changes, field, message
):
    with pytest.raises(InvalidHelpRequest) as caught:
        create(**{**arguments, **changes})
    assert caught.value.field == field
    assert message.lower() in str(caught.value).lower()
    assert not HelpRequest.objects.exists()
    assert not OutboxMessage.objects.exists()
    assert not AuditEntry.objects.exists()


def test_a_postal_code_of_another_locality_is_refused(arguments):
    PostalCode.objects.create(code="17830", locality=LocalityFactory(name_sv="Ekerö centrum"))
    with pytest.raises(InvalidHelpRequest) as caught:
        create(**{**arguments, "postal_code": "17830"})
    assert "belongs to Ekerö centrum" in str(caught.value)
    assert not HelpRequest.objects.exists()


def test_an_inactive_help_type_is_refused(arguments):
    retired = HelpTypeFactory(slug="gammal", is_active=False)
    with pytest.raises(InvalidHelpRequest) as caught:
        create(**{**arguments, "help_type": retired})
    assert caught.value.field == "help_type"


def test_a_window_that_started_but_has_not_ended_is_accepted(arguments):
    now = timezone.localtime()
    today = TimeWindow(
        now.date(),
        (now - datetime.timedelta(minutes=1)).time(),
        (now + datetime.timedelta(minutes=1)).time(),
    )
    if today.time_to <= today.time_from:  # around midnight: nothing to test
        pytest.skip("the window would wrap past midnight")
    assert create(**{**arguments, "window": today}).pk


def test_in_an_open_campaign(arguments):
    campaign = CampaignFactory(help_types=[arguments["help_type"]])
    help_request = create(**arguments, campaign=campaign)
    assert help_request.campaign == campaign
    assert AuditEntry.objects.get().details["campaign"] == campaign.slug


def test_a_closed_campaign_refuses_requests(arguments):
    campaign = CampaignFactory(help_types=[arguments["help_type"]], status=Campaign.Status.CLOSED)
    with pytest.raises(CampaignClosed) as caught:
        create(**arguments, campaign=campaign)
    assert campaign.title in str(caught.value)
    assert "is closed" in str(caught.value)
    assert not HelpRequest.objects.exists()


def test_a_campaign_takes_only_its_help_types(arguments):
    campaign = CampaignFactory(help_types=[HelpTypeFactory(slug="telefonsallskap")])
    with pytest.raises(HelpTypeNotInCampaign) as caught:
        create(**arguments, campaign=campaign)
    assert caught.value.field == "help_type"
    assert not HelpRequest.objects.exists()


def test_the_same_request_sent_twice_is_one_request_with_one_receipt(arguments):
    first = create(**arguments)
    second = create(**{**arguments, "resident_phone": "0701234567"})

    assert first.pk == second.pk
    assert HelpRequest.objects.count() == 1
    assert OutboxMessage.objects.count() == 1
    assert AuditEntry.objects.filter(action="create").count() == 1


def test_a_different_time_or_a_later_submission_is_a_new_request(arguments):
    first = create(**arguments)
    other_time = create(**{**arguments, "window": window(start=13, end=14)})
    later = create(**arguments, now=timezone.now() + datetime.timedelta(minutes=16))

    assert len({first.pk, other_time.pk, later.pk}) == 3


def test_language_and_volunteers(arguments):
    finnish = LanguageFactory(code="fi", name_sv="finska", name_en="Finnish", native_name="suomi")
    help_request = create(**arguments, language=finnish, volunteers_needed=2)
    assert help_request.language == finnish
    assert help_request.volunteers_needed == 2


@pytest.mark.parametrize(
    ("number", "expected"),
    [
        ("070-123 45 67", "+46701234567"),
        ("+46 70 123 45 67", "+46701234567"),
        ("08-560 123 45", "+46856012345"),
        ("0171-123 45", "+4617112345"),
        ("0046 8 560 123 45", "+46856012345"),
        ("123", None),
        ("", None),
        ("telefon", None),
    ],
)
def test_resident_phone_numbers(number, expected):
    assert normalise_resident_phone(number) == expected


# --- Cancelling -----------------------------------------------------------------------------


def test_a_coordinator_cancels_with_a_reason(coordinator):
    help_request = HelpRequestFactory()
    help_request_cancel(help_request=help_request, actor=coordinator, reason="Dottern handlar.")

    help_request.refresh_from_db()
    assert help_request.status == HelpRequest.Status.CANCELLED
    entry = AuditEntry.objects.get(details__event="help_request_cancel")
    assert entry.reason == "Dottern handlar."
    assert entry.actor == coordinator


def test_the_requester_cancels_their_own_request():
    ingrid = UserFactory()
    help_request = HelpRequestFactory(requester=ingrid, status=HelpRequest.Status.MATCHED)
    help_request_cancel(help_request=help_request, actor=ingrid, reason="Jag är frisk igen.")
    help_request.refresh_from_db()
    assert help_request.status == HelpRequest.Status.CANCELLED


def test_nobody_else_cancels():
    help_request = HelpRequestFactory(requester=UserFactory())
    with pytest.raises(NotPermitted):
        help_request_cancel(help_request=help_request, actor=UserFactory(), reason="Nej.")
    help_request.refresh_from_db()
    assert help_request.status == HelpRequest.Status.OPEN


def test_cancelling_needs_a_reason(coordinator):
    help_request = HelpRequestFactory()
    with pytest.raises(InvalidHelpRequest) as caught:
        help_request_cancel(help_request=help_request, actor=coordinator, reason="  ")
    assert caught.value.field == "reason"
    help_request.refresh_from_db()
    assert help_request.status == HelpRequest.Status.OPEN
    assert not AuditEntry.objects.exists()


@pytest.mark.parametrize("status", [HelpRequest.Status.DONE, HelpRequest.Status.CANCELLED])
def test_done_or_cancelled_requests_cannot_be_cancelled(coordinator, status):
    help_request = HelpRequestFactory(status=status)
    with pytest.raises(RequestNotCancellable):
        help_request_cancel(help_request=help_request, actor=coordinator, reason="Dubblett.")


# --- Personal data ------------------------------------------------------------------------------


def test_export_and_erase_of_a_residents_requests():
    ingrid = UserFactory()
    waiting = HelpRequestFactory(requester=ingrid, notes="Ring två gånger.")
    done = HelpRequestFactory(requester=ingrid, status=HelpRequest.Status.DONE)
    someone_else = HelpRequestFactory()

    exported = help_requests_export_for_user(ingrid)
    assert {row["reference"] for row in exported} == {waiting.reference, done.reference}
    assert exported[0]["name"] == "Gunnel Andersson"

    help_requests_erase_for_user(ingrid)
    waiting.refresh_from_db()
    done.refresh_from_db()
    someone_else.refresh_from_db()
    assert waiting.status == HelpRequest.Status.CANCELLED
    assert done.status == HelpRequest.Status.DONE
    for erased in (waiting, done):
        assert erased.requester is None
        assert (erased.resident_name, erased.resident_phone, erased.address, erased.notes) == (
            "",
            "",
            "",
            "",
        )
    assert someone_else.resident_name == "Gunnel Andersson"


def test_cancelling_withdraws_the_offers_and_tells_the_volunteers(coordinator):
    help_request = HelpRequestFactory(status=HelpRequest.Status.MATCHED)
    accepted = OfferFactory(request=help_request, status=Offer.Status.ACCEPTED)
    proposed = OfferFactory(request=help_request, status=Offer.Status.PROPOSED)
    declined = OfferFactory(request=help_request, status=Offer.Status.DECLINED)

    help_request_cancel(help_request=help_request, actor=coordinator, reason="Inte längre.")

    statuses = {o.pk: o.status for o in Offer.objects.all()}
    assert statuses == {
        accepted.pk: Offer.Status.WITHDRAWN,
        proposed.pk: Offer.Status.WITHDRAWN,
        declined.pk: Offer.Status.DECLINED,
    }
    told = OutboxMessage.objects.get()  # only the volunteer who had accepted
    assert told.address == accepted.volunteer.email
    entry = AuditEntry.objects.get(details__event="help_request_cancel")
    assert entry.details["offers_withdrawn"] == 2
