"""Coordinators acting at the same moment can never send a volunteer more
offers than their weekly limit, nor a request more volunteers than it needs
(PostgreSQL, real threads with their own connections; rows counted after)."""

import threading
from collections import Counter

import pytest
from django.db import connection, connections

from tests.factories import StaffMembershipFactory
from tests.volunteering.factories import HelpRequestFactory, ProposalFactory, VolunteerFactory
from tillsammans.core.errors import DomainError
from tillsammans.volunteering.models import Offer
from tillsammans.volunteering.services import offers as services

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

S = Offer.Status
HOLDING = (S.SENT, S.ACCEPTED)


def run_together(calls) -> list[str]:
    """Start every call at once, each in its own thread and connection."""
    barrier = threading.Barrier(len(calls))
    outcomes: list[str] = []
    lock = threading.Lock()

    def run(call):
        try:
            barrier.wait()
            call()
            outcome = "ok"
        except DomainError as error:
            outcome = type(error).__name__
        except Exception as error:  # reported by the callers' assertions
            outcome = f"error {error!r}"
        finally:
            connections.close_all()
        with lock:
            outcomes.append(outcome)

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(t.is_alive() for t in threads), "a thread hung (deadlock?)"
    assert not [o for o in outcomes if o.startswith("error")], outcomes
    return outcomes


@pytest.fixture
def coordinators():
    assert connection.vendor == "postgresql"
    return [StaffMembershipFactory().user for _ in range(2)]


def test_a_volunteer_is_never_sent_beyond_their_weekly_limit(coordinators):
    volunteer = VolunteerFactory(max_requests_per_week=2)
    proposals = [ProposalFactory(volunteer=volunteer) for _ in range(8)]

    outcomes = run_together(
        [
            lambda p=p, i=i: services.offer_send(offer=p, actor=coordinators[i % 2])
            for i, p in enumerate(proposals)
        ]
    )

    assert Offer.objects.filter(volunteer=volunteer, status__in=HOLDING).count() == 2
    assert Counter(outcomes) == {"ok": 2, "VolunteerAtCapacity": 6}


def test_a_request_is_never_sent_to_more_volunteers_than_it_needs(coordinators):
    help_request = HelpRequestFactory(volunteers_needed=3)
    proposals = [ProposalFactory(request=help_request) for _ in range(10)]

    outcomes = run_together(
        [
            lambda p=p, i=i: services.offer_send(offer=p, actor=coordinators[i % 2])
            for i, p in enumerate(proposals)
        ]
    )

    assert Offer.objects.filter(request=help_request, status__in=HOLDING).count() == 3
    assert Counter(outcomes) == {"ok": 3, "RequestNeedMet": 7}


def test_crossing_proposals_sent_in_opposite_orders_neither_overbook_nor_deadlock(coordinators):
    requests = [HelpRequestFactory(volunteers_needed=1) for _ in range(3)]
    volunteers = [VolunteerFactory(max_requests_per_week=1) for _ in range(3)]
    proposals = [ProposalFactory(request=r, volunteer=v) for r in requests for v in volunteers]

    calls = []
    for i, ordered in enumerate((proposals, list(reversed(proposals)))):

        def send_all(ordered=ordered, actor=coordinators[i]):
            for proposal in ordered:
                try:
                    services.offer_send(offer=proposal, actor=actor)
                except DomainError:
                    continue

        calls.append(send_all)
    # And a third party sends each one alone, at the same time.
    calls += [lambda p=p: services.offer_send(offer=p, actor=coordinators[0]) for p in proposals]

    run_together(calls)

    held = Offer.objects.filter(status__in=HOLDING)
    per_request = Counter(held.values_list("request_id", flat=True))
    per_volunteer = Counter(held.values_list("volunteer_id", flat=True))
    assert max(per_request.values()) == 1 and max(per_volunteer.values()) == 1
    assert held.count() == 3


def test_accepting_and_withdrawing_at_once_leave_one_consistent_outcome(coordinators):
    help_request = HelpRequestFactory(volunteers_needed=1)
    offer = services.offer_send(offer=ProposalFactory(request=help_request), actor=coordinators[0])

    outcomes = run_together(
        [
            lambda: services.offer_accept(offer=offer),
            lambda: services.offer_withdraw(offer=offer, actor=coordinators[1]),
        ]
    )

    offer.refresh_from_db()
    help_request.refresh_from_db()
    assert sorted(outcomes) in (["OfferNotAwaitingAnswer", "ok"], ["ok", "ok"])
    if offer.status == S.ACCEPTED:
        assert help_request.status == "matched"
    else:
        assert offer.status == S.WITHDRAWN
        assert help_request.status == "open"


def test_a_decline_passing_the_request_on_races_a_coordinator_for_the_same_volunteer(
    coordinators,
):
    # The next-best candidate for request A is the volunteer a coordinator is
    # sending request B to at the same moment; they have room for one.
    first = VolunteerFactory()
    wanted = VolunteerFactory(max_requests_per_week=1)
    request_a = HelpRequestFactory()
    request_b = HelpRequestFactory()
    offer_a = services.offer_send(
        offer=ProposalFactory(request=request_a, volunteer=first), actor=coordinators[0]
    )
    proposal_b = ProposalFactory(request=request_b, volunteer=wanted)

    run_together(
        [
            lambda: services.offer_decline(offer=offer_a),
            lambda: services.offer_send(offer=proposal_b, actor=coordinators[1]),
        ]
    )

    assert Offer.objects.filter(volunteer=wanted, status__in=HOLDING).count() == 1
