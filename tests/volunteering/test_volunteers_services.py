"""Signing up, the personal link, changing, pausing and leaving — through the services."""

import datetime
import re
from decimal import Decimal

import pytest
from django.db.models import Q
from django.utils import timezone, translation

from tests.factories import LanguageFactory, LocalityFactory, UserFactory
from tests.notifications.factories import OutboxMessageFactory
from tests.organizations.factories import OrganizationFactory
from tests.volunteering.factories import (
    CampaignFactory,
    HelpTypeFactory,
    OfferFactory,
    PostalCodeFactory,
    SafeguardingCheckFactory,
    VolunteerDetailsFactory,
    VolunteerFactory,
)
from tillsammans.audit.models import AuditEntry
from tillsammans.notifications.models import OutboxMessage
from tillsammans.organizations.models import OrganizationStatus
from tillsammans.volunteering.models import (
    CampaignQuestion,
    CampaignSignup,
    Offer,
    SafeguardingCheck,
    Volunteer,
    VolunteerStatus,
)
from tillsammans.volunteering.selectors.volunteers import volunteer_is_paused
from tillsammans.volunteering.services import volunteers as services

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    """Messages are asserted in the source language, which every catalogue state has."""
    with translation.override("en"):
        yield


@pytest.fixture
def locality():
    locality = LocalityFactory(slug="ekero-centrum", name_sv="Ekerö centrum", latitude="59.29150")
    PostalCodeFactory(code="17830", locality=locality)
    return locality


def sign_up(**overrides):
    consent = overrides.pop("consent", True)
    actor = overrides.pop("actor", None)
    campaign = overrides.pop("campaign", None)
    answers = overrides.pop("answers", None)
    return services.volunteer_sign_up(
        details=VolunteerDetailsFactory(**overrides),
        consent=consent,
        actor=actor,
        language="en",
        campaign=campaign,
        answers=answers,
    )


def link_token(message: OutboxMessage) -> str:
    return re.search(r"/volunteer/me/([\w-]+)/", message.body).group(1)


def age_link(volunteer, minutes=10):
    """As if the last link went out ``minutes`` ago (past the resend interval)."""
    Volunteer.objects.filter(pk=volunteer.pk).update(
        link_sent_at=timezone.now() - datetime.timedelta(minutes=minutes)
    )


# --- Sign-up -------------------------------------------------------------------------------


def test_sign_up_stores_normalised_details_and_sends_a_confirmation_link(locality):
    receipt = sign_up()

    volunteer = Volunteer.objects.get()
    assert receipt.created and receipt.volunteer == volunteer and not receipt.active
    assert volunteer.status == VolunteerStatus.UNVERIFIED
    assert volunteer.email == "omar@example.se"
    assert volunteer.phone == "+46701234567"
    assert volunteer.postal_code == "17830"
    assert volunteer.locality == locality
    assert volunteer.latitude == Decimal("59.29150")
    assert volunteer.availability == ["1-morning", "3-evening"]
    assert volunteer.consent_version and volunteer.consented_at
    assert [h.slug for h in volunteer.help_types.all()] == ["handla"]
    message = OutboxMessage.objects.get()
    assert message.channel == "email" and message.address == "omar@example.se"
    assert message.kind == OutboxMessage.Kind.TRANSACTIONAL
    assert message.subject == "Confirm that you want to be a volunteer"
    token = link_token(message)
    assert services.link_token_hash(token) == volunteer.access_token_hash
    assert token not in str(Volunteer.objects.values().get())


def test_opening_the_link_confirms_the_address_and_activates(locality):
    sign_up()
    token = link_token(OutboxMessage.objects.get())

    volunteer, confirmed = services.volunteer_link_open(token=token)

    assert confirmed
    volunteer.refresh_from_db()
    assert volunteer.status == VolunteerStatus.ACTIVE
    assert volunteer.email_verified_at is not None and volunteer.phone_verified_at is None
    again, confirmed_again = services.volunteer_link_open(token=token)
    assert again == volunteer and not confirmed_again


def test_without_email_the_link_goes_by_sms_and_confirms_the_phone(locality):
    receipt = sign_up(email="", phone="+46 70 765 43 21")

    message = OutboxMessage.objects.get()
    assert receipt.channel == "sms" and message.channel == "sms"
    assert message.address == "+46707654321"
    volunteer, _confirmed = services.volunteer_link_open(token=link_token(message))
    assert volunteer.phone_verified_at is not None and volunteer.email_verified_at is None


def test_locality_can_be_chosen_without_postal_code():
    chosen = LocalityFactory(slug="adelso", latitude="59.35610", longitude="17.52280")
    sign_up(postal_code="", locality=chosen)
    volunteer = Volunteer.objects.get()
    assert volunteer.locality == chosen and volunteer.postal_code == ""
    assert volunteer.longitude == Decimal("17.52280")


BAD_INPUT = [
    ({"full_name": "  "}, "full_name", "Write your name"),
    ({"email": "", "phone": ""}, "email", "an e-mail address or a mobile number"),
    ({"phone": "12345"}, "phone", "“12345” is not a mobile number"),
    ({"phone": "+46 8 560 300 10"}, "phone", "070-123 45 67"),
    ({"phone": "070-123"}, "phone", "070-123 45 67"),
    ({"email": "omar@"}, "email", "name@example.se"),
    ({"postal_code": "999 99"}, "postal_code", "postal code 999 99"),
    ({"postal_code": "1783"}, "postal_code", "five digits"),
    ({"postal_code": ""}, "postal_code", "postal code or choose your locality"),
    ({"languages": []}, "languages", "at least one language"),
    ({"help_types": []}, "help_types", "at least one thing"),
    ({"availability": ["8-morning"]}, "availability", "from the table"),
    ({"max_requests_per_week": 0}, "max_requests_per_week", "from 1 to 7"),
    ({"max_requests_per_week": 8}, "max_requests_per_week", "from 1 to 7"),
    ({"max_distance_km": 0}, "max_distance_km", "from 1 to 200"),
    ({"consent": False}, "consent", "agree"),
]


@pytest.mark.parametrize(("overrides", "field", "text"), BAD_INPUT)
def test_bad_input_says_what_is_wrong_and_writes_nothing(locality, overrides, field, text):
    with pytest.raises(services.VolunteerError) as caught:
        sign_up(**overrides)

    assert caught.value.field == field
    assert text in str(caught.value), str(caught.value)
    assert not Volunteer.objects.exists()
    assert not OutboxMessage.objects.exists()


def test_postal_code_and_locality_that_disagree(locality):
    other = LocalityFactory(slug="stenhamra", name_sv="Stenhamra")
    with pytest.raises(services.PostalCodeLocalityMismatch) as caught:
        sign_up(locality=other)
    assert "178 30 belongs to Ekerö centrum, not to Stenhamra" in str(caught.value)
    assert not Volunteer.objects.exists()


def test_only_verified_organisations_can_be_chosen(locality):
    pending = OrganizationFactory(status=OrganizationStatus.PENDING)
    with pytest.raises(services.ChoiceNotAvailable) as caught:
        sign_up(organization=pending)
    assert caught.value.field == "organization"
    verified = OrganizationFactory()
    sign_up(organization=verified)
    assert Volunteer.objects.get().organization == verified


def test_inactive_help_type_cannot_be_chosen(locality):
    retired = HelpTypeFactory(slug="gammal", is_active=False)
    with pytest.raises(services.ChoiceNotAvailable):
        sign_up(help_types=[retired])
    assert not Volunteer.objects.exists()


def test_over_long_name_is_a_message_not_a_crash(locality):
    with pytest.raises(services.VolunteerError) as caught:
        sign_up(full_name="x" * 200)
    assert caught.value.field == "full_name"
    assert not Volunteer.objects.exists()


# --- A second sign-up with a known address --------------------------------------------------


def test_double_submission_gives_one_volunteer_and_one_message(locality):
    first = sign_up()
    second = sign_up()

    assert Volunteer.objects.count() == 1
    assert second.volunteer == first.volunteer and not second.created
    assert OutboxMessage.objects.count() == 1


def test_an_unconfirmed_sign_up_is_replaced_by_the_latest(locality):
    sign_up(full_name="Omar Volontär", max_distance_km=5)
    sign_up(full_name="Omar Al-Hassan", phone="", max_distance_km=20)

    volunteer = Volunteer.objects.get()
    assert volunteer.full_name == "Omar Al-Hassan"
    assert volunteer.phone == "" and volunteer.max_distance_km == 20


def test_a_confirmed_volunteer_is_not_changed_and_gets_their_link_again(locality):
    sign_up()
    first_token = link_token(OutboxMessage.objects.get())
    volunteer, _confirmed = services.volunteer_link_open(token=first_token)
    age_link(volunteer)

    receipt = sign_up(full_name="Someone Else", max_distance_km=50)

    volunteer.refresh_from_db()
    assert not receipt.created and receipt.channel == "email"
    assert volunteer.full_name == "Omar Volontär" and volunteer.max_distance_km == 10
    again = OutboxMessage.objects.order_by("-pk").first()
    assert again.address == "omar@example.se" and "nothing was changed" in again.body
    with pytest.raises(services.LinkInvalid):
        services.volunteer_link_open(token=first_token)
    services.volunteer_link_open(token=link_token(again))


def test_signed_in_with_a_verified_address_is_active_at_once(locality):
    user = UserFactory(email="omar@example.se", verified=True)

    receipt = sign_up(actor=user)

    volunteer = receipt.volunteer
    assert receipt.active and volunteer.user == user
    assert volunteer.status == VolunteerStatus.ACTIVE and volunteer.email_verified_at
    assert OutboxMessage.objects.get().subject == "Welcome as a volunteer"
    with pytest.raises(services.AlreadyVolunteer):
        sign_up(actor=user, email="annan@example.se", phone="")


def test_signed_in_with_another_address_still_confirms_it(locality):
    user = UserFactory(email="omar.konto@example.se", verified=True)
    receipt = sign_up(actor=user)
    assert not receipt.active and receipt.volunteer.user == user
    assert receipt.volunteer.status == VolunteerStatus.UNVERIFIED


# --- Campaigns ---------------------------------------------------------------------------


def test_campaign_sign_up_stores_answers_and_enforces_required_ones(locality):
    campaign = CampaignFactory()
    car = CampaignQuestion.objects.create(
        campaign=campaign, text="Har du bil?", kind=CampaignQuestion.Kind.YES_NO, required=True
    )
    note = CampaignQuestion.objects.create(
        campaign=campaign, text="Något mer?", kind=CampaignQuestion.Kind.TEXT
    )

    with pytest.raises(services.AnswerMissing) as caught:
        sign_up(campaign=campaign, answers={str(note.pk): "Hej"})
    assert caught.value.field == f"question_{car.pk}"
    assert not Volunteer.objects.exists()

    sign_up(campaign=campaign, answers={str(car.pk): "yes"})
    signup = CampaignSignup.objects.get()
    assert signup.campaign == campaign and signup.answers == {str(car.pk): "yes"}


def test_a_closed_campaign_takes_no_sign_ups(locality):
    campaign = CampaignFactory(status="closed")
    with pytest.raises(services.CampaignClosed) as caught:
        sign_up(campaign=campaign)
    assert campaign.title in str(caught.value)
    assert not Volunteer.objects.exists()


def test_a_sign_up_sees_a_close_that_committed_after_the_campaign_was_read(locality):
    """The view read the campaign open; a coordinator closed it before the
    sign-up reached the service. The service re-reads it under a lock."""
    from tests.roles import staff
    from tillsammans.volunteering.models import Campaign
    from tillsammans.volunteering.services.campaigns import campaign_close

    read_open = CampaignFactory(title="Vinterhjälp")
    campaign_close(campaign=Campaign.objects.get(pk=read_open.pk), actor=staff("coordinator")())
    assert read_open.is_open  # the stale copy the sign-up gets

    with pytest.raises(services.CampaignClosed) as caught:
        sign_up(campaign=read_open)

    assert "Vinterhjälp" in str(caught.value)
    assert not Volunteer.objects.exists() and not CampaignSignup.objects.exists()
    assert not OutboxMessage.objects.exists()

    volunteer = VolunteerFactory()
    with pytest.raises(services.CampaignClosed):
        services.volunteer_campaign_join(volunteer=volunteer, campaign=read_open, answers={})
    assert not CampaignSignup.objects.exists()


def test_a_volunteer_joins_a_campaign_once():
    volunteer = VolunteerFactory()
    campaign = CampaignFactory()
    services.volunteer_campaign_join(volunteer=volunteer, campaign=campaign, answers={})
    with pytest.raises(services.AlreadyInCampaign):
        services.volunteer_campaign_join(volunteer=volunteer, campaign=campaign, answers={})
    assert CampaignSignup.objects.count() == 1


def test_a_known_volunteer_signing_up_through_a_campaign_gets_its_address(locality):
    volunteer = VolunteerFactory(email="omar@example.se")
    campaign = CampaignFactory(slug="vinter")
    sign_up(campaign=campaign)
    message = OutboxMessage.objects.get()
    assert message.address == volunteer.email
    assert "/volunteer/campaigns/vinter/" in message.body
    assert not CampaignSignup.objects.exists()


# --- The link again --------------------------------------------------------------------------


def test_link_again_by_email_or_phone_and_silence_for_unknown_addresses():
    volunteer = VolunteerFactory(email="anna@example.se", phone="+46701112233")

    services.volunteer_link_resend(address="nobody@example.se")
    services.volunteer_link_resend(address="070-999 99 99")
    assert not OutboxMessage.objects.exists()

    services.volunteer_link_resend(address="ANNA@example.se")
    services.volunteer_link_resend(address="anna@example.se")  # within the interval: nothing new
    assert list(OutboxMessage.objects.values_list("channel", "address")) == [
        ("email", "anna@example.se")
    ]
    age_link(volunteer)
    services.volunteer_link_resend(address="070-111 22 33")
    assert OutboxMessage.objects.filter(channel="sms", address="+46701112233").exists()


def test_link_again_rejects_what_is_no_address():
    with pytest.raises(services.VolunteerError):
        services.volunteer_link_resend(address="hej")
    assert not OutboxMessage.objects.exists()


def test_unknown_or_malformed_links_do_not_work():
    VolunteerFactory(access_token_hash=services.link_token_hash("rätt"))
    for token in ("fel", "", "x" * 500):
        with pytest.raises(services.LinkInvalid):
            services.volunteer_link_open(token=token)


def test_opening_the_link_signed_in_with_the_same_address_links_the_account():
    user = UserFactory(email="anna@example.se", verified=True)
    volunteer = VolunteerFactory(
        email="anna@example.se", access_token_hash=services.link_token_hash("hemlig")
    )
    services.volunteer_link_open(token="hemlig", actor=user)
    volunteer.refresh_from_db()
    assert volunteer.user == user


# --- Changing, pausing, resuming -------------------------------------------------------------


def test_changing_the_email_needs_confirming_it(locality):
    volunteer = VolunteerFactory(email="gammal@example.se", phone="")
    details = VolunteerDetailsFactory(email="ny@example.se", phone="")

    services.volunteer_update(volunteer=volunteer, details=details)

    volunteer.refresh_from_db()
    assert volunteer.email == "ny@example.se" and volunteer.email_verified_at is None
    message = OutboxMessage.objects.get()
    assert message.address == "ny@example.se"
    services.volunteer_link_open(token=link_token(message))
    volunteer.refresh_from_db()
    assert volunteer.email_verified_at is not None


def test_changing_to_another_volunteers_address_is_refused(locality):
    VolunteerFactory(email="tagen@example.se")
    volunteer = VolunteerFactory(email="min@example.se", full_name="Min")
    with pytest.raises(services.AddressTaken) as caught:
        services.volunteer_update(
            volunteer=volunteer, details=VolunteerDetailsFactory(email="tagen@example.se")
        )
    assert caught.value.field == "email"
    volunteer.refresh_from_db()
    assert volunteer.email == "min@example.se" and volunteer.full_name == "Min"


def test_pause_until_a_date_ends_by_itself():
    volunteer = VolunteerFactory()
    today = timezone.localdate()
    until = today + datetime.timedelta(days=7)

    volunteer = services.volunteer_pause(volunteer=volunteer, until=until)

    assert volunteer.status == VolunteerStatus.ACTIVE and volunteer.paused_until == until
    assert volunteer_is_paused(volunteer, on=until)
    assert not volunteer_is_paused(volunteer, on=until + datetime.timedelta(days=1))


def test_pause_until_further_notice_and_resume():
    volunteer = services.volunteer_pause(volunteer=VolunteerFactory(), until=None)
    assert volunteer.status == VolunteerStatus.PAUSED and volunteer_is_paused(volunteer)

    volunteer = services.volunteer_resume(volunteer=volunteer)

    assert volunteer.status == VolunteerStatus.ACTIVE and volunteer.paused_until is None
    with pytest.raises(services.NotPaused):
        services.volunteer_resume(volunteer=volunteer)


def test_pause_in_the_past_is_refused():
    volunteer = VolunteerFactory()
    with pytest.raises(services.PauseDateInvalid):
        services.volunteer_pause(volunteer=volunteer, until=timezone.localdate())
    volunteer.refresh_from_db()
    assert volunteer.paused_until is None


# --- Leaving ---------------------------------------------------------------------------------


def test_leaving_erases_personal_data_and_keeps_anonymous_statistics():
    user = UserFactory(email="anna@example.se")
    volunteer = VolunteerFactory(
        user=user,
        email="anna@example.se",
        phone="+46701112233",
        postal_code="17830",
        access_token_hash="a" * 64,
        help_types=[HelpTypeFactory(slug="besok")],
        languages=[LanguageFactory(code="ar", name_sv="arabiska")],
    )
    campaign_signup = CampaignSignup.objects.create(
        volunteer=volunteer, campaign=CampaignFactory(), answers={"1": "Volvo"}
    )
    SafeguardingCheckFactory(volunteer=volunteer)
    OfferFactory(volunteer=volunteer, status=Offer.Status.DONE, minutes_spent=90)

    services.volunteer_leave(volunteer=volunteer, actor=user)

    volunteer.refresh_from_db()
    assert volunteer.status == VolunteerStatus.LEFT and volunteer.left_at is not None
    for field in ("full_name", "email", "phone", "postal_code", "access_token_hash"):
        assert getattr(volunteer, field) == "", field
    assert volunteer.user is None
    campaign_signup.refresh_from_db()
    assert campaign_signup.answers == {}
    assert not SafeguardingCheck.objects.exists()
    assert volunteer.locality_id and [h.slug for h in volunteer.help_types.all()] == ["besok"]
    assert [lang.code for lang in volunteer.languages.all()] == ["ar"]
    assert Offer.objects.get().minutes_spent == 90
    entry = AuditEntry.objects.get(action=AuditEntry.Action.ERASE)
    assert "anna" not in entry.target_label.lower()
    services.volunteer_leave(volunteer=volunteer)  # idempotent
    with pytest.raises(services.VolunteerHasLeft):
        services.volunteer_pause(volunteer=volunteer, until=None)


def test_leaving_ends_live_offers_and_reopens_their_requests():
    volunteer = VolunteerFactory()
    accepted = OfferFactory(
        volunteer=volunteer, status=Offer.Status.ACCEPTED, request__status="matched"
    )

    services.volunteer_leave(volunteer=volunteer)

    accepted.refresh_from_db()
    assert accepted.status == Offer.Status.WITHDRAWN
    assert accepted.request.status == "open"


def outbox_traces(*needles):
    """Outbox messages that still hold any of the needles where a person could be named."""
    query = Q(pk__in=[])
    for needle in needles:
        for field in ("address", "subject", "body", "html_body", "idempotency_key"):
            query |= Q(**{f"{field}__icontains": needle})
    return list(OutboxMessage.objects.filter(query))


def test_a_volunteer_without_account_who_leaves_leaves_nothing_in_the_outbox(locality):
    volunteer = sign_up(full_name="Omar Volontär").volunteer
    services.volunteer_link_open(token=link_token(OutboxMessage.objects.get()))
    # Messages to the number too, in another spelling than the volunteer's:
    # one sent, one still waiting.
    OutboxMessageFactory(sms=True, address="+46701234567", sent=True, body="Hej Omar Volontär")
    waiting = OutboxMessageFactory(sms=True, address="+46701234567", body="Kan du hjälpa?")
    uuid = str(volunteer.uuid)
    assert outbox_traces("omar@example.se", "+46701234567", "Omar", uuid)

    services.volunteer_leave(volunteer=volunteer)

    assert outbox_traces("omar@example.se", "+46701234567", "Omar", uuid) == []
    assert OutboxMessage.objects.count() == 3  # anonymous rows stay for statistics
    waiting.refresh_from_db()
    assert waiting.status == OutboxMessage.Status.CANCELLED
    entry = AuditEntry.objects.get(action=AuditEntry.Action.ERASE)
    assert entry.details["outbox_messages_erased"] == 3


def test_leaving_leaves_other_peoples_messages_alone(locality):
    omar = VolunteerFactory(email="omar@example.se", phone="+46701234567")
    anna = VolunteerFactory(email="anna@example.se", phone="+46709876543")
    annas = [
        OutboxMessageFactory(address="anna@example.se", body="Hej Anna"),
        OutboxMessageFactory(sms=True, address="+46709876543", sent=True, body="Hej Anna"),
    ]

    services.volunteer_leave(volunteer=omar)

    for message in annas:
        stored = OutboxMessage.objects.get(pk=message.pk)
        assert (stored.address, stored.body, stored.status) == (
            message.address,
            "Hej Anna",
            message.status,
        )
    assert Volunteer.objects.get(pk=anna.pk).status == VolunteerStatus.ACTIVE


def test_leaving_again_erases_nothing_more(locality):
    volunteer = VolunteerFactory(email="omar@example.se")
    services.volunteer_leave(volunteer=volunteer)
    # A message to the same address later, for someone else who uses it now.
    later = OutboxMessageFactory(address="omar@example.se", sent=True)

    services.volunteer_leave(volunteer=volunteer)

    later.refresh_from_db()
    assert later.address == "omar@example.se"
    assert AuditEntry.objects.filter(action=AuditEntry.Action.ERASE).count() == 1


def test_account_erasure_erases_the_volunteers_messages_by_address():
    user = UserFactory(email="konto@example.se")
    # The volunteer's own address differs from the account's.
    volunteer = VolunteerFactory(user=user, email="omar@example.se", phone="+46701234567")
    message = OutboxMessageFactory(sms=True, address="+46701234567", sent=True)

    services.volunteer_erase_for_user(user=user)

    message.refresh_from_db()
    assert message.address == "" and message.body == ""
    assert Volunteer.objects.get(pk=volunteer.pk).status == VolunteerStatus.LEFT


def test_erasing_unconfirmed_sign_ups_takes_their_messages_too(locality):
    old = sign_up(full_name="Glömd Volontär").volunteer
    Volunteer.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=31)
    )
    fresh = sign_up(full_name="Ny Volontär", email="ny@example.se", phone="").volunteer

    assert services.volunteers_unconfirmed_erase() == 1

    assert outbox_traces("omar@example.se", "+46701234567", "Glömd", str(old.uuid)) == []
    assert outbox_traces("ny@example.se", str(fresh.uuid))  # the fresh one keeps its link


def test_unconfirmed_sign_ups_are_erased_after_thirty_days(locality):
    old = sign_up().volunteer
    Volunteer.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=31)
    )
    fresh = sign_up(email="ny@example.se", phone="").volunteer
    confirmed = VolunteerFactory()
    Volunteer.objects.filter(pk=confirmed.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=400)
    )

    assert services.volunteers_unconfirmed_erase() == 1

    assert set(Volunteer.objects.all()) == {fresh, confirmed}


def test_export_holds_the_details_and_is_audited():
    volunteer = VolunteerFactory(full_name="Anna Andersson", email="anna@example.se")
    SafeguardingCheckFactory(volunteer=volunteer)
    data = services.volunteer_export(volunteer=volunteer)
    assert '"name": "Anna Andersson"' in data
    assert '"email": "anna@example.se"' in data
    assert '"police_record_checks"' in data
    assert AuditEntry.objects.filter(action=AuditEntry.Action.EXPORT).exists()


def test_the_daily_command_erases_unconfirmed_sign_ups(locality, capsys):
    from django.core.management import call_command

    old = sign_up().volunteer
    Volunteer.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=31)
    )
    call_command("volunteers_erase_unconfirmed")
    assert "1 unconfirmed sign-up(s) erased." in capsys.readouterr().out
    assert not Volunteer.objects.exists()
