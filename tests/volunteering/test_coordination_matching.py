"""The adapter between the database and the matching engine: who is a
candidate, what is stored, how it is explained, and the automatic next
candidate after a decline or a missed deadline."""

import datetime
import re
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone, translation

from tests.factories import LanguageFactory, LocalityFactory, StaffMembershipFactory
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
from tillsammans.volunteering.models import HelpRequest, Offer, Recurrence, VolunteerStatus
from tillsammans.volunteering.services import matching_run as matching
from tillsammans.volunteering.services import offers as services

pytestmark = pytest.mark.django_db

S = Offer.Status
STOCKHOLM = ZoneInfo("Europe/Stockholm")

# Ekerö and places around it: (latitude, longitude).
EKERO = ("59.29000", "17.81000")
NEAR = ("59.30000", "17.81000")  # about 1.1 km north
MID = ("59.32000", "17.81000")  # about 3.3 km north
FAR = ("59.40000", "17.81000")  # about 12 km north
VERY_FAR = ("60.00000", "17.81000")  # about 79 km north


@pytest.fixture
def coordinator():
    return StaffMembershipFactory().user


def place(coordinates, slug=None):
    lat, lon = coordinates
    return LocalityFactory(slug=slug or f"ort-{lat}-{lon}", latitude=lat, longitude=lon)


def volunteer_at(coordinates, **kwargs):
    locality = place(coordinates)
    kwargs.setdefault("max_distance_km", 30)
    return VolunteerFactory(locality=locality, **kwargs)


def request_at(coordinates, **kwargs):
    return HelpRequestFactory(locality=place(coordinates), **kwargs)


def proposals():
    return list(
        Offer.objects.filter(status=S.PROPOSED)
        .order_by("request_id", "-score")
        .values_list("request_id", "volunteer_id")
    )


# --- Inputs -----------------------------------------------------------------------


def at(day, hour, minute=0):
    return datetime.datetime(2026, 11, day, hour, minute, tzinfo=STOCKHOLM)


@pytest.mark.parametrize(
    ("start", "end", "slots"),
    [
        (at(23, 9), at(23, 11), {"1-morning"}),  # Monday morning
        (at(25, 11), at(25, 13), {"3-morning", "3-afternoon"}),
        (at(27, 16), at(27, 18), {"5-afternoon", "5-evening"}),
        (at(28, 12), at(28, 12, 30), {"6-afternoon"}),
        (at(29, 20), at(30, 9), {"7-evening", "1-morning"}),  # Sunday night into Monday
    ],
)
def test_a_time_window_becomes_the_slots_it_touches(start, end, slots):
    assert matching.request_slots(HelpRequest(starts_at=start, ends_at=end)) == frozenset(slots)


def test_a_window_at_night_sets_no_availability_constraint():
    assert matching.request_slots(HelpRequest(starts_at=at(24, 22), ends_at=at(24, 23))) is None


def test_a_long_window_is_read_as_one_week_at_most():
    slots = matching.request_slots(HelpRequest(starts_at=at(2, 8), ends_at=at(30, 21)))
    assert len(slots) == 7 * 3


# --- Running ----------------------------------------------------------------------


def test_the_nearest_feasible_volunteer_is_proposed_with_reasons(coordinator):
    help_request = request_at(EKERO)
    near = volunteer_at(NEAR, full_name="Omar Nära")
    far = volunteer_at(FAR, full_name="Fia Långt")

    result = matching.matching_run(actor=coordinator)

    assert (result.requests, result.volunteers, result.proposals) == (1, 2, 1)
    assert result.unmatched_places == 0
    offer = Offer.objects.get(status=S.PROPOSED)
    assert (offer.request, offer.volunteer) == (help_request, near)
    assert offer.score > 0
    assert offer.explanation["distance_km"] == pytest.approx(1.1, abs=0.1)
    assert offer.explanation["runner_up"]["volunteer_id"] == far.pk
    with translation.override("en"):
        why, lacked = matching.explanation_lines(offer.explanation, {"sv": "Swedish"})
    assert "lives 1.1 km away" in why
    assert any("further away" in line for line in lacked), lacked
    entry = AuditEntry.objects.get(details__event="matching_run")
    assert entry.actor == coordinator
    assert entry.details["proposals"] == 1 and entry.details["proven_optimal"] is True


def test_a_request_that_needs_two_gets_two_and_nobody_is_overbooked(coordinator):
    two = request_at(EKERO, volunteers_needed=2)
    one = request_at(NEAR)
    a = volunteer_at(EKERO, max_requests_per_week=1)
    b = volunteer_at(NEAR, max_requests_per_week=2)

    matching.matching_run(actor=coordinator)

    pairs = set(proposals())
    assert pairs == {(two.pk, a.pk), (two.pk, b.pk), (one.pk, b.pk)}


@pytest.mark.parametrize(
    "make_unfit",
    [
        pytest.param(lambda v: v.help_types.set([HelpTypeFactory(slug="skjuts")]), id="help type"),
        pytest.param(
            lambda v: v.languages.set([LanguageFactory(code="ar", name_sv="arabiska")]),
            id="language",
        ),
        pytest.param(
            lambda v: type(v).objects.filter(pk=v.pk).update(status=VolunteerStatus.PAUSED),
            id="paused",
        ),
        pytest.param(
            lambda v: (
                type(v)
                .objects.filter(pk=v.pk)
                .update(paused_until=timezone.localdate() + datetime.timedelta(days=2))
            ),
            id="pause with a date",
        ),
        pytest.param(
            lambda v: OfferFactory(volunteer=v, status=S.ACCEPTED), id="weekly limit used"
        ),
        pytest.param(
            lambda v: type(v).objects.filter(pk=v.pk).update(availability=["6-morning"]),
            id="not available",
        ),
        pytest.param(
            lambda v: type(v).objects.filter(pk=v.pk).update(max_distance_km=1), id="too far"
        ),
    ],
)
def test_hard_constraints_leave_a_volunteer_out(coordinator, make_unfit):
    # Monday 10-12 next week, in Swedish.
    start = timezone.now().astimezone(STOCKHOLM).replace(hour=10, minute=0, second=0, microsecond=0)
    start += datetime.timedelta(days=8 - start.isoweekday())
    request_at(
        EKERO,
        language=LanguageFactory(),
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=2),
    )
    volunteer = volunteer_at(NEAR, availability=["1-morning"])
    make_unfit(volunteer)
    result = matching.matching_run(actor=coordinator)
    assert result.proposals == 0 and result.unmatched_places == 1


def test_nobody_is_proposed_beyond_the_municipalitys_distance_limit(coordinator, settings):
    settings.VOLUNTEERING_MAX_DISTANCE_KM = 30
    request_at(EKERO)
    volunteer_at(VERY_FAR, max_distance_km=200)
    assert matching.matching_run(actor=coordinator).proposals == 0


def test_visits_are_proposed_only_to_volunteers_with_a_valid_check(coordinator):
    visit = HelpTypeFactory(slug="besok", requires_safeguarding=True)
    help_request = request_at(EKERO, help_type=visit)
    unchecked = volunteer_at(EKERO, help_types=[visit])
    expired = volunteer_at(EKERO, help_types=[visit])
    SafeguardingCheckFactory(
        volunteer=expired, valid_until=timezone.localdate() - datetime.timedelta(days=1)
    )
    checked = volunteer_at(FAR, help_types=[visit])
    SafeguardingCheckFactory(volunteer=checked)

    matching.matching_run(actor=coordinator)

    assert proposals() == [(help_request.pk, checked.pk)]
    assert unchecked.pk != checked.pk


def test_who_declined_is_not_proposed_again_and_old_proposals_are_replaced(coordinator):
    help_request = request_at(EKERO)
    declined = volunteer_at(EKERO)
    other = volunteer_at(FAR)
    OfferFactory(request=help_request, volunteer=declined, status=S.DECLINED)
    stale = ProposalFactory(request=help_request, volunteer=volunteer_at(NEAR, status="paused"))

    result = matching.matching_run(actor=coordinator)

    assert result.replaced == 1
    assert not Offer.objects.filter(pk=stale.pk).exists()
    assert proposals() == [(help_request.pk, other.pk)]


def test_requests_already_sent_or_past_are_left_alone(coordinator):
    sent = request_at(EKERO)
    OfferFactory(request=sent, status=S.SENT)
    past = request_at(
        EKERO,
        starts_at=timezone.now() - datetime.timedelta(days=2),
        ends_at=timezone.now() - datetime.timedelta(days=1),
    )
    weekly = request_at(
        EKERO,
        starts_at=timezone.now() - datetime.timedelta(days=2),
        ends_at=timezone.now() - datetime.timedelta(days=2) + datetime.timedelta(hours=2),
        recurrence=Recurrence.WEEKLY,
    )
    volunteer_at(EKERO, max_requests_per_week=5)

    matching.matching_run(actor=coordinator)

    assert [r for r, _v in proposals()] == [weekly.pk]
    assert past.pk != weekly.pk


def test_a_run_for_a_campaign_touches_only_its_requests(coordinator):
    campaign = CampaignFactory()
    inside = request_at(EKERO, campaign=campaign)
    outside = request_at(EKERO)
    kept = ProposalFactory(request=outside)
    volunteer_at(EKERO, max_requests_per_week=3)

    matching.matching_run(actor=coordinator, campaign=campaign)

    assert Offer.objects.filter(pk=kept.pk, status=S.PROPOSED).exists()
    assert {r for r, _v in proposals()} == {inside.pk, outside.pk}
    assert AuditEntry.objects.get(details__event="matching_run").target_id == str(campaign.uuid)


def test_the_same_volunteer_as_last_time_is_preferred_for_a_recurring_request(coordinator):
    before = request_at(EKERO, resident_phone="+46701234567")
    helper = volunteer_at(MID, full_name="Samma Som Förra")
    OfferFactory(request=before, volunteer=helper, status=S.DONE)
    Offer.objects.filter(volunteer=helper).update(
        sent_at=timezone.now() - datetime.timedelta(days=8)
    )
    recurring = request_at(EKERO, resident_phone="+46701234567", recurrence=Recurrence.WEEKLY)
    volunteer_at(NEAR)
    HelpRequest.objects.filter(pk=before.pk).update(status=HelpRequest.Status.DONE)

    matching.matching_run(actor=coordinator)

    offer = Offer.objects.get(status=S.PROPOSED, request=recurring)
    assert offer.volunteer == helper
    assert ["same_volunteer_as_last_time"] in offer.explanation["reasons"]


def test_nothing_to_match_is_still_a_recorded_run(coordinator):
    result = matching.matching_run(actor=coordinator)
    assert (result.requests, result.proposals) == (0, 0)
    assert AuditEntry.objects.filter(details__event="matching_run").count() == 1


# --- Explanations -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("reason", "english"),
    [
        (["distance_km", 2.345], "lives 2.3 km away"),
        (["never_asked"], "has not been asked before"),
        (["last_asked_days_ago", 3], "was last asked 3 days ago"),
        (["last_asked_days_ago", 1], "was last asked 1 day ago"),
        (["same_volunteer_as_last_time"], "helped this person last time"),
        (["speaks_language", "ar"], "speaks Arabic"),
        (["safeguarding_checked"], "police-record check seen"),
        (
            ["available_at", ["1-morning", "6-evening"]],
            "available: Monday morning (8–12), Saturday evening (17–21)",
        ),
        (["lacks", "language", "ar"], "does not speak Arabic"),
        (["lacks", "distance", 5], "lives further away than they travel (5.0 km)"),
        (["lacks", "capacity"], "has no free place this week"),
        (["excluded"], "has already been asked for this request"),
        (["needed_elsewhere", [4, 5]], "is needed for other requests"),
        (["lower_score", 300, 500], "scores lower overall (300 against 500)"),
        (["farther_km", 1.5], "lives 1.5 km further away"),
        (["asked_more_recently", 2], "was asked more recently (2 days ago)"),
        (["tie"], "is just as good a match; one had to be chosen"),
        (["something_new", 1], "something_new 1"),
    ],
)
def test_reasons_read_as_sentences(reason, english):
    with translation.override("en"):
        assert matching.reason_text(reason, {"ar": "Arabic"}) == english


def test_distances_use_a_decimal_comma_in_swedish():
    with translation.override("sv"):
        assert "2,3" in matching.reason_text(["distance_km", 2.345])


# --- The next candidate -------------------------------------------------------------


def offered_to(volunteer):
    return Offer.objects.filter(volunteer=volunteer, status=S.SENT).count()


def test_a_decline_goes_to_the_next_best_candidate_at_once(coordinator):
    help_request = request_at(EKERO)
    first = volunteer_at(EKERO)
    second = volunteer_at(NEAR, email="andra@example.se")
    third = volunteer_at(FAR)
    offer = services.offer_send(
        offer=ProposalFactory(request=help_request, volunteer=first), actor=coordinator
    )

    services.offer_decline(offer=offer)

    assert offered_to(second) == 1 and offered_to(third) == 0
    automatic = Offer.objects.get(volunteer=second)
    assert automatic.decided_by is None and automatic.explanation["reasons"]
    assert OutboxMessage.objects.filter(address="andra@example.se", kind="request").count() == 1
    assert AuditEntry.objects.get(
        details__event="offer_send", details__automatic=True
    ).target_id == str(automatic.uuid)

    # The second declines too: the third is asked; the first never again.
    services.offer_decline(offer=automatic)
    assert offered_to(third) == 1
    services.offer_decline(offer=Offer.objects.get(volunteer=third, status=S.SENT))
    assert Offer.objects.filter(status=S.SENT).count() == 0
    assert Offer.objects.filter(volunteer=first).count() == 1


def test_a_pending_proposal_is_sent_rather_than_duplicated(coordinator):
    help_request = request_at(EKERO)
    first, second = volunteer_at(EKERO), volunteer_at(NEAR)
    offer = services.offer_send(
        offer=ProposalFactory(request=help_request, volunteer=first), actor=coordinator
    )
    proposal = ProposalFactory(request=help_request, volunteer=second)
    services.offer_decline(offer=offer)
    proposal.refresh_from_db()
    assert proposal.status == S.SENT
    assert Offer.objects.filter(volunteer=second).count() == 1


def test_missed_deadlines_expire_and_pass_the_request_on_once(coordinator):
    help_request = request_at(EKERO)
    late = volunteer_at(EKERO)
    next_best = volunteer_at(NEAR)
    offer = services.offer_send(
        offer=ProposalFactory(request=help_request, volunteer=late), actor=coordinator
    )
    Offer.objects.filter(pk=offer.pk).update(respond_by=timezone.now() - datetime.timedelta(1))

    assert services.offers_expire_due() == 1
    offer.refresh_from_db()
    assert offer.status == S.EXPIRED
    assert offered_to(next_best) == 1
    # Running again changes nothing.
    assert services.offers_expire_due() == 0
    assert Offer.objects.count() == 2


def test_an_offer_not_yet_due_does_not_expire():
    offer = OfferFactory()
    assert services.offers_expire_due() == 0
    offer.refresh_from_db()
    assert offer.status == S.SENT


def test_the_short_list_for_editing_a_proposal(coordinator):
    help_request = request_at(EKERO)
    proposed = volunteer_at(EKERO)
    ProposalFactory(request=help_request, volunteer=proposed)
    others = [volunteer_at(NEAR), volunteer_at(FAR)]
    declined = volunteer_at(EKERO)
    OfferFactory(request=help_request, volunteer=declined, status=S.DECLINED)

    candidates = matching.request_candidates(help_request=help_request, include_proposed=False)

    assert [c.volunteer for c in candidates] == others
    assert candidates[0].score > candidates[1].score


def test_replacing_a_proposal_with_a_volunteer_from_the_short_list(coordinator):
    help_request = request_at(EKERO)
    proposal = ProposalFactory(request=help_request, volunteer=volunteer_at(EKERO))
    chosen = volunteer_at(FAR)

    replacement = services.proposal_replace(offer=proposal, volunteer=chosen, actor=coordinator)

    proposal.refresh_from_db()
    assert proposal.status == S.REJECTED
    assert (replacement.status, replacement.volunteer) == (S.PROPOSED, chosen)
    assert replacement.explanation["chosen_by_coordinator"] is True


def test_a_proposal_cannot_be_replaced_by_someone_unfit(coordinator):
    help_request = request_at(EKERO)
    proposal = ProposalFactory(request=help_request, volunteer=volunteer_at(EKERO))
    unfit = volunteer_at(VERY_FAR)
    with pytest.raises(services.VolunteerNotFeasible):
        services.proposal_replace(offer=proposal, volunteer=unfit, actor=coordinator)
    proposal.refresh_from_db()
    assert proposal.status == S.PROPOSED


def test_a_token_in_the_message_answers_the_offer(coordinator):
    offer = services.offer_send(offer=ProposalFactory(), actor=coordinator)
    body = OutboxMessage.objects.get().body
    assert re.search(r"/volunteer/offers/[A-Za-z0-9_-]{20,}/", body)
    assert offer.response_token in body


def test_the_demo_has_proposals_for_karin_and_an_offer_for_omar():
    import io

    from django.core.management import call_command

    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    proposals = Offer.objects.filter(status=S.PROPOSED).count()
    assert proposals > 0, out.getvalue()
    assert Offer.objects.filter(status=S.SENT, volunteer__email="omar@demo.example").count() == 1
    call_command("seed_demo", stdout=out)
    assert Offer.objects.filter(status=S.PROPOSED).count() == proposals
    assert "proposals already there" in out.getvalue()


def test_a_replacement_may_come_from_below_the_proposed_ones(coordinator):
    help_request = request_at(EKERO, volunteers_needed=3)
    proposed = [volunteer_at(EKERO) for _ in range(3)]
    for volunteer in proposed:
        ProposalFactory(request=help_request, volunteer=volunteer)
    others = [volunteer_at(NEAR) for _ in range(3)]
    short_list = matching.request_candidates(help_request=help_request, include_proposed=False)
    assert {c.volunteer for c in short_list} == set(others)

    replacement = services.proposal_replace(
        offer=Offer.objects.filter(volunteer=proposed[0]).get(),
        volunteer=others[2],
        actor=coordinator,
    )
    assert replacement.volunteer == others[2]


def test_requests_of_a_closed_campaign_are_not_matched(coordinator):
    closed = CampaignFactory(status="closed")
    request_at(EKERO, campaign=closed)
    open_one = request_at(EKERO)
    volunteer_at(EKERO, max_requests_per_week=3)
    matching.matching_run(actor=coordinator)
    assert [r for r, _v in proposals()] == [open_one.pk]
