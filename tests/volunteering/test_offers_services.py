"""The life of an offer, through the services: capacity, sending, answering,
expiry, withdrawal, the other modules' hooks, assignments and concerns."""

import datetime
import hashlib
import re
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.utils import timezone, translation

from tests.factories import StaffMembershipFactory, UserFactory
from tests.volunteering.factories import (
    CampaignFactory,
    HelpRequestFactory,
    HelpTypeFactory,
    OfferFactory,
    ProposalFactory,
    SafeguardingCheckFactory,
    VolunteerFactory,
)
from tillsammans.audit.models import AuditEntry
from tillsammans.notifications.models import OutboxMessage
from tillsammans.notifications.services import WeeklyCapReached, notification_queue
from tillsammans.volunteering.models import Concern, HelpRequest, Offer, VolunteerStatus
from tillsammans.volunteering.selectors import capacity
from tillsammans.volunteering.selectors.offers import offer_details_visible
from tillsammans.volunteering.services import offers as services

pytestmark = pytest.mark.django_db

S = Offer.Status
STOCKHOLM = ZoneInfo("Europe/Stockholm")


@pytest.fixture
def coordinator():
    return StaffMembershipFactory(user=UserFactory(email="karin@kommun.example.se")).user


def token_from(message: OutboxMessage) -> str:
    match = re.search(r"/volunteer/offers/([A-Za-z0-9_-]+)/", message.body)
    assert match, message.body
    return match.group(1)


# --- Capacity ----------------------------------------------------------------------


def test_the_week_runs_monday_to_sunday_in_stockholm():
    sunday_night = datetime.datetime(2026, 11, 29, 23, 30, tzinfo=STOCKHOLM)
    start, end = capacity.week_bounds(sunday_night)
    assert start == datetime.datetime(2026, 11, 23, tzinfo=STOCKHOLM)
    assert end == datetime.datetime(2026, 11, 30, tzinfo=STOCKHOLM)
    # 23:30 UTC on Sunday is already Monday in Stockholm: the next week.
    monday = datetime.datetime(2026, 11, 29, 23, 30, tzinfo=datetime.UTC)
    assert capacity.week_bounds(monday)[0] == datetime.datetime(2026, 11, 30, tzinfo=STOCKHOLM)


def test_used_capacity_counts_held_and_done_offers_sent_this_week():
    volunteer = VolunteerFactory(max_requests_per_week=3)
    now = timezone.now()
    last_week = capacity.week_bounds(now)[0] - datetime.timedelta(hours=1)
    for status in (S.SENT, S.ACCEPTED, S.DONE):
        OfferFactory(volunteer=volunteer, status=status, sent_at=now)
    for status in (S.DECLINED, S.EXPIRED, S.WITHDRAWN, S.REJECTED):
        OfferFactory(volunteer=volunteer, status=status, sent_at=now)
    ProposalFactory(volunteer=volunteer)
    OfferFactory(volunteer=volunteer, status=S.DONE, sent_at=last_week)

    assert capacity.volunteer_used_capacity(volunteer) == 3
    assert capacity.volunteer_free_capacity(volunteer) == 0
    annotated = capacity.with_used_capacity(type(volunteer).objects.filter(pk=volunteer.pk)).get()
    assert (annotated.used_capacity, annotated.free_capacity) == (3, 0)
    assert volunteer not in capacity.volunteers_with_free_capacity()


@pytest.mark.parametrize(
    "changes",
    [
        {"status": VolunteerStatus.PAUSED},
        {"status": VolunteerStatus.UNVERIFIED, "email_verified_at": None},
        {"status": VolunteerStatus.LEFT},
        {"paused_until": timezone.localdate() + datetime.timedelta(days=3)},
        {"email_verified_at": None},
    ],
)
def test_paused_unverified_or_departed_volunteers_have_no_capacity(changes):
    volunteer = VolunteerFactory(max_requests_per_week=5, **changes)
    assert capacity.volunteer_free_capacity(volunteer) == 0
    assert volunteer not in capacity.volunteers_with_free_capacity()


def test_a_pause_that_has_ended_leaves_capacity():
    volunteer = VolunteerFactory(paused_until=timezone.localdate() - datetime.timedelta(days=1))
    assert capacity.volunteer_free_capacity(volunteer) == 1
    assert volunteer in capacity.volunteers_with_free_capacity()


def test_remaining_need_counts_sent_accepted_and_done():
    help_request = HelpRequestFactory(volunteers_needed=3)
    OfferFactory(request=help_request, status=S.SENT)
    OfferFactory(request=help_request, status=S.DECLINED)
    ProposalFactory(request=help_request)
    assert capacity.request_remaining_need(help_request) == 2
    OfferFactory(request=help_request, status=S.ACCEPTED)
    OfferFactory(request=help_request, status=S.DONE)
    assert capacity.request_remaining_need(help_request) == 0
    annotated = capacity.with_remaining_need(HelpRequest.objects.filter(pk=help_request.pk)).get()
    assert (annotated.filled, annotated.remaining_need) == (3, 0)


# --- Sending -----------------------------------------------------------------------


def test_sending_a_proposal_asks_the_volunteer_once(coordinator):
    proposal = ProposalFactory(volunteer__email="omar@example.se", volunteer__language="en")
    before = timezone.now()

    offer = services.offer_send(offer=proposal, actor=coordinator)

    offer.refresh_from_db()
    assert offer.status == S.SENT
    assert offer.decided_by == coordinator
    hours = datetime.timedelta(hours=settings.VOLUNTEERING_OFFER_HOURS)
    assert before + hours <= offer.respond_by <= timezone.now() + hours
    message = OutboxMessage.objects.get()
    assert message.address == "omar@example.se"
    assert message.kind == OutboxMessage.Kind.REQUEST
    assert message.channel == OutboxMessage.Channel.EMAIL
    assert message.language == "en"
    assert message.subject.startswith("Can you help?")
    token = token_from(message)
    assert offer.response_token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in offer.response_token_hash
    # The message tells what and where, never who.
    assert proposal.request.resident_name not in message.body
    assert proposal.request.address not in message.body
    offer.volunteer.refresh_from_db()
    assert offer.volunteer.last_asked_at >= before
    entry = AuditEntry.objects.get(details__event="offer_send")
    assert entry.actor == coordinator and entry.target_id == str(offer.uuid)


def test_a_volunteer_with_only_a_phone_gets_an_sms_in_their_language(coordinator):
    volunteer = VolunteerFactory(
        email="",
        phone="+46701112233",
        email_verified_at=None,
        phone_verified_at=timezone.now(),
        language="en",
    )
    services.offer_send(offer=ProposalFactory(volunteer=volunteer), actor=coordinator)
    message = OutboxMessage.objects.get()
    assert (message.channel, message.address, message.language) == ("sms", "+46701112233", "en")
    assert message.body.startswith("Can you help?")
    assert "/volunteer/offers/" in message.body


def nothing_was_sent(offer):
    offer.refresh_from_db()
    assert offer.status == S.PROPOSED
    assert offer.response_token_hash == ""
    assert not OutboxMessage.objects.exists()
    assert not AuditEntry.objects.filter(details__event="offer_send").exists()


def test_a_volunteer_is_never_sent_more_than_their_weekly_limit(coordinator):
    volunteer = VolunteerFactory(max_requests_per_week=1)
    OfferFactory(volunteer=volunteer, status=S.ACCEPTED)
    proposal = ProposalFactory(volunteer=volunteer)
    with pytest.raises(services.VolunteerAtCapacity) as caught:
        services.offer_send(offer=proposal, actor=coordinator)
    with translation.override("en"):
        assert "already been asked as often this week as they allow (1)" in str(caught.value)
    nothing_was_sent(proposal)


def test_a_request_is_never_sent_to_more_volunteers_than_it_needs(coordinator):
    help_request = HelpRequestFactory(volunteers_needed=1)
    OfferFactory(request=help_request, status=S.SENT)
    proposal = ProposalFactory(request=help_request)
    with pytest.raises(services.RequestNeedMet):
        services.offer_send(offer=proposal, actor=coordinator)
    nothing_was_sent(proposal)


@pytest.mark.parametrize(
    ("setup", "error"),
    [
        (
            lambda p: HelpRequest.objects.filter(pk=p.request_id).update(status="cancelled"),
            services.RequestNotOpen,
        ),
        (
            lambda p: type(p.volunteer).objects.filter(pk=p.volunteer_id).update(status="paused"),
            services.VolunteerNotAskable,
        ),
        (
            lambda p: Offer.objects.filter(pk=p.pk).update(status="rejected"),
            services.OfferNotProposed,
        ),
    ],
)
def test_sending_refuses_what_is_no_longer_possible(coordinator, setup, error):
    proposal = ProposalFactory()
    setup(proposal)
    with pytest.raises(error):
        services.offer_send(offer=proposal, actor=coordinator)
    assert not OutboxMessage.objects.exists()


def test_visits_need_a_valid_police_record_check(coordinator):
    visit = HelpTypeFactory(slug="besok", requires_safeguarding=True)
    volunteer = VolunteerFactory(help_types=[visit])
    proposal = ProposalFactory(volunteer=volunteer, request__help_type=visit)
    SafeguardingCheckFactory(
        volunteer=volunteer, valid_until=timezone.localdate() - datetime.timedelta(days=1)
    )
    with pytest.raises(services.SafeguardingMissing):
        services.offer_send(offer=proposal, actor=coordinator)
    nothing_was_sent(proposal)
    SafeguardingCheckFactory(volunteer=volunteer)
    assert services.offer_send(offer=proposal, actor=coordinator).status == S.SENT


def test_the_outbox_cap_undoes_the_send(coordinator):
    volunteer = VolunteerFactory(email="trott@example.se", max_requests_per_week=1)
    notification_queue(
        channel="email",
        address="trott@example.se",
        body="Kan du?",
        subject="Fråga",
        idempotency_key="earlier-request",
        kind="request",
    )
    proposal = ProposalFactory(volunteer=volunteer)
    with pytest.raises(WeeklyCapReached):
        services.offer_send(offer=proposal, actor=coordinator)
    proposal.refresh_from_db()
    assert proposal.status == S.PROPOSED
    volunteer.refresh_from_db()
    assert volunteer.last_asked_at is None


def test_send_all_sends_what_it_can_and_reports_the_rest(coordinator):
    help_request = HelpRequestFactory(volunteers_needed=1)
    first, second = (
        ProposalFactory(request=help_request, score=900),
        ProposalFactory(request=help_request, score=100),
    )
    result = services.offers_send_all(offers=[second, first], actor=coordinator)
    assert [o.pk for o in result.sent] == [first.pk]
    assert [(o.pk, type(e)) for o, e in result.failed] == [(second.pk, services.RequestNeedMet)]


def test_rejecting_a_proposal(coordinator):
    proposal = ProposalFactory()
    services.offer_reject(offer=proposal, actor=coordinator)
    proposal.refresh_from_db()
    assert (proposal.status, proposal.decided_by) == (S.REJECTED, coordinator)
    with pytest.raises(services.OfferNotProposed):
        services.offer_reject(offer=proposal, actor=coordinator)


# --- Answering ---------------------------------------------------------------------


def test_accepting_matches_the_request_when_its_need_is_met():
    help_request = HelpRequestFactory(volunteers_needed=2)
    first = OfferFactory(request=help_request)
    second = OfferFactory(request=help_request)

    services.offer_accept(offer=first)
    help_request.refresh_from_db()
    assert help_request.status == HelpRequest.Status.OPEN

    services.offer_accept(offer=second)
    help_request.refresh_from_db()
    assert help_request.status == HelpRequest.Status.MATCHED
    assert help_request.matched_at is not None
    second.refresh_from_db()
    assert second.status == S.ACCEPTED and second.responded_at is not None
    assert AuditEntry.objects.filter(details__event="offer_accept").count() == 2


def test_an_answer_after_the_deadline_is_refused():
    offer = OfferFactory(respond_by=timezone.now() - datetime.timedelta(minutes=1))
    with pytest.raises(services.OfferDeadlinePassed):
        services.offer_accept(offer=offer)
    offer.refresh_from_db()
    assert offer.status == S.SENT


@pytest.mark.parametrize("status", [S.DECLINED, S.WITHDRAWN, S.EXPIRED, S.ACCEPTED])
def test_only_an_offer_waiting_for_an_answer_can_be_answered(status):
    offer = OfferFactory(status=status)
    for answer in (services.offer_accept, services.offer_decline):
        with pytest.raises(services.OfferNotAwaitingAnswer):
            answer(offer=offer)
    offer.refresh_from_db()
    assert offer.status == status


def test_a_decline_without_other_candidates_just_records_it():
    offer = OfferFactory()
    services.offer_decline(offer=offer)
    offer.refresh_from_db()
    assert offer.status == S.DECLINED
    assert Offer.objects.count() == 1


# --- Withdrawing and the other modules' hooks -----------------------------------------


def test_withdrawing_an_accepted_offer_reopens_the_request_and_tells_the_volunteer(coordinator):
    help_request = HelpRequestFactory(volunteers_needed=1)
    offer = OfferFactory(
        request=help_request, volunteer__email="omar@example.se", volunteer__language="en"
    )
    services.offer_accept(offer=offer)

    services.offer_withdraw(offer=offer, actor=coordinator, reason="Dubbelbokad")

    offer.refresh_from_db()
    help_request.refresh_from_db()
    assert offer.status == S.WITHDRAWN
    assert (help_request.status, help_request.matched_at) == (HelpRequest.Status.OPEN, None)
    message = OutboxMessage.objects.get()
    assert message.kind == OutboxMessage.Kind.TRANSACTIONAL
    assert message.address == "omar@example.se"
    assert "is no longer needed" in message.body
    assert AuditEntry.objects.get(details__event="offer_withdraw").reason == "Dubbelbokad"


def test_a_proposal_cannot_be_withdrawn(coordinator):
    with pytest.raises(services.OfferNotWithdrawable):
        services.offer_withdraw(offer=ProposalFactory(), actor=coordinator)


def test_cancelling_a_request_ends_its_offers(coordinator):
    help_request = HelpRequestFactory(volunteers_needed=3)
    proposal = ProposalFactory(request=help_request)
    sent = OfferFactory(request=help_request)
    accepted = OfferFactory(request=help_request, status=S.ACCEPTED)
    other = OfferFactory()

    assert services.offers_withdraw_for_request(request=help_request, actor=coordinator) == 3

    statuses = dict(Offer.objects.values_list("pk", "status"))
    assert statuses == {
        proposal.pk: S.WITHDRAWN,
        sent.pk: S.WITHDRAWN,
        accepted.pk: S.WITHDRAWN,
        other.pk: S.SENT,
    }
    told = set(OutboxMessage.objects.values_list("address", flat=True))
    assert told == {sent.volunteer.email, accepted.volunteer.email}


def test_standing_down_a_campaign_sends_one_message_per_volunteer(coordinator):
    campaign = CampaignFactory()
    volunteer = VolunteerFactory(max_requests_per_week=3)
    first = OfferFactory(request__campaign=campaign, volunteer=volunteer)
    second = OfferFactory(request__campaign=campaign, volunteer=volunteer, status=S.ACCEPTED)
    proposal = ProposalFactory(request__campaign=campaign)
    outside = OfferFactory()

    ended = services.offers_stand_down_for_campaign(campaign=campaign, actor=coordinator)

    assert ended == 3
    statuses = dict(Offer.objects.values_list("pk", "status"))
    assert statuses[first.pk] == statuses[second.pk] == S.STOOD_DOWN
    assert statuses[proposal.pk] == S.WITHDRAWN
    assert statuses[outside.pk] == S.SENT
    message = OutboxMessage.objects.get()
    assert message.address == volunteer.email
    assert message.idempotency_key == f"campaign-stand-down:{campaign.uuid}:{volunteer.uuid}"
    # Again: nothing more is sent.
    services.offers_stand_down_for_campaign(campaign=campaign, actor=coordinator)
    assert OutboxMessage.objects.count() == 1


# --- Assignments -------------------------------------------------------------------


def test_marking_done_keeps_the_details_visible_for_a_while_and_closes_the_request():
    help_request = HelpRequestFactory(volunteers_needed=1)
    offer = OfferFactory(request=help_request, status=S.ACCEPTED)
    before = timezone.now()

    services.offer_mark_done(offer=offer, volunteer=offer.volunteer, minutes_spent=75)

    offer.refresh_from_db()
    help_request.refresh_from_db()
    assert (offer.status, offer.minutes_spent) == (S.DONE, 75)
    days = datetime.timedelta(days=settings.VOLUNTEERING_DETAILS_DAYS_AFTER_DONE)
    assert before + days <= offer.details_visible_until <= timezone.now() + days
    assert help_request.status == HelpRequest.Status.DONE and help_request.done_at


def test_the_request_is_done_only_when_all_its_accepted_offers_are():
    help_request = HelpRequestFactory(volunteers_needed=2)
    first = OfferFactory(request=help_request, status=S.ACCEPTED)
    OfferFactory(request=help_request, status=S.ACCEPTED)
    services.offer_mark_done(offer=first, volunteer=first.volunteer, minutes_spent=30)
    help_request.refresh_from_db()
    assert help_request.status == HelpRequest.Status.OPEN


@pytest.mark.parametrize("minutes", [0, -5, 24 * 60 + 1, "90"])
def test_marking_done_needs_a_sensible_number_of_minutes(minutes):
    offer = OfferFactory(status=S.ACCEPTED)
    with pytest.raises(services.InvalidMinutes):
        services.offer_mark_done(offer=offer, volunteer=offer.volunteer, minutes_spent=minutes)
    offer.refresh_from_db()
    assert offer.status == S.ACCEPTED


def test_only_the_volunteer_marks_their_accepted_assignment_done():
    offer = OfferFactory(status=S.ACCEPTED)
    with pytest.raises(services.NotYourOffer):
        services.offer_mark_done(offer=offer, volunteer=VolunteerFactory(), minutes_spent=30)
    sent = OfferFactory()
    with pytest.raises(services.OfferNotAccepted):
        services.offer_mark_done(offer=sent, volunteer=sent.volunteer, minutes_spent=30)


def test_who_sees_the_residents_details_and_when():
    now = timezone.now()
    offer = OfferFactory(status=S.SENT)
    other = VolunteerFactory()
    assert not offer_details_visible(offer, offer.volunteer)
    offer.status = S.ACCEPTED
    assert offer_details_visible(offer, offer.volunteer)
    assert not offer_details_visible(offer, other)
    assert not offer_details_visible(offer, None)
    offer.status = S.DONE
    offer.details_visible_until = now + datetime.timedelta(days=1)
    assert offer_details_visible(offer, offer.volunteer)
    offer.details_visible_until = now - datetime.timedelta(seconds=1)
    assert not offer_details_visible(offer, offer.volunteer)
    offer.status = S.WITHDRAWN
    offer.details_visible_until = None
    assert not offer_details_visible(offer, offer.volunteer)


def test_every_read_of_the_residents_details_is_audited():
    offer = OfferFactory(status=S.ACCEPTED, request__resident_name="Gunnel Andersson")
    details = services.offer_resident_details(offer=offer, volunteer=offer.volunteer)
    assert details.name == "Gunnel Andersson"
    entry = AuditEntry.objects.get(action=AuditEntry.Action.READ)
    assert entry.target_id == str(offer.request.uuid)
    assert entry.details["volunteer"] == str(offer.volunteer.uuid)
    with pytest.raises(services.DetailsNotVisible):
        services.offer_resident_details(offer=offer, volunteer=VolunteerFactory())
    assert AuditEntry.objects.filter(action=AuditEntry.Action.READ).count() == 1


# --- Concerns ----------------------------------------------------------------------


def test_a_concern_reaches_every_coordinator_without_its_text(coordinator):
    second = StaffMembershipFactory().user
    StaffMembershipFactory(capability="editor")
    offer = OfferFactory(status=S.ACCEPTED)

    concern = services.concern_report(
        volunteer=offer.volunteer, offer=offer, text="Dörren var öppen och ingen svarade."
    )

    assert concern.status == Concern.Status.OPEN
    assert set(OutboxMessage.objects.values_list("address", flat=True)) == {
        coordinator.email,
        second.email,
    }
    assert all("Dörren" not in m.body for m in OutboxMessage.objects.all())
    assert offer.request.reference in OutboxMessage.objects.first().body
    assert AuditEntry.objects.filter(details__event="concern_report").count() == 1


@pytest.mark.parametrize("text", ["", "   ", "x" * (services.CONCERN_MAX_LENGTH + 1)])
def test_a_concern_needs_text(text, coordinator):
    volunteer = VolunteerFactory()
    with pytest.raises(services.ConcernTextInvalid):
        services.concern_report(volunteer=volunteer, text=text)
    assert not Concern.objects.exists() and not OutboxMessage.objects.exists()


def test_a_concern_about_someone_elses_assignment_is_refused():
    with pytest.raises(services.NotYourOffer):
        services.concern_report(volunteer=VolunteerFactory(), offer=OfferFactory(), text="Hm")
    assert not Concern.objects.exists()


def test_coordinators_mark_concerns_handled_once(coordinator):
    concern = services.concern_report(volunteer=VolunteerFactory(), text="Oro")
    services.concern_mark_handled(concern=concern, actor=coordinator)
    concern.refresh_from_db()
    assert (concern.status, concern.handled_by) == (Concern.Status.HANDLED, coordinator)
    with pytest.raises(services.ConcernAlreadyHandled):
        services.concern_mark_handled(concern=concern, actor=coordinator)


def test_a_volunteer_who_leaves_gives_their_places_back():
    volunteer = VolunteerFactory(max_requests_per_week=3)
    matched = HelpRequestFactory(volunteers_needed=1, status=HelpRequest.Status.MATCHED)
    accepted = OfferFactory(request=matched, volunteer=volunteer, status=S.ACCEPTED)
    sent = OfferFactory(volunteer=volunteer)
    proposal = ProposalFactory(volunteer=volunteer)
    done = OfferFactory(volunteer=volunteer, status=S.DONE)

    assert services.offers_end_for_volunteer(volunteer=volunteer) == 3

    statuses = dict(Offer.objects.values_list("pk", "status"))
    assert statuses[accepted.pk] == statuses[sent.pk] == statuses[proposal.pk] == S.WITHDRAWN
    assert statuses[done.pk] == S.DONE
    matched.refresh_from_db()
    assert matched.status == HelpRequest.Status.OPEN
    assert not OutboxMessage.objects.exists()


def test_the_expiry_command_reports_what_it_did(capsys):
    from django.core.management import call_command

    OfferFactory(respond_by=timezone.now() - datetime.timedelta(minutes=5))
    call_command("volunteering_expire_offers")
    call_command("volunteering_expire_offers", loop=1, iterations=1)
    out = capsys.readouterr().out
    assert "1 offer(s) expired" in out and "0 offer(s) expired" in out
    assert Offer.objects.get().status == S.EXPIRED


def test_the_permission_to_see_details_follows_the_same_rule():
    user = UserFactory()
    offer = OfferFactory(volunteer__user=user, status=S.SENT)
    assert not user.has_perm("volunteering.view_offer_details", offer)
    offer.status = S.ACCEPTED
    assert user.has_perm("volunteering.view_offer_details", offer)
    assert not UserFactory().has_perm("volunteering.view_offer_details", offer)
    offer.status = S.DONE
    offer.details_visible_until = timezone.now() - datetime.timedelta(seconds=1)
    assert not user.has_perm("volunteering.view_offer_details", offer)
