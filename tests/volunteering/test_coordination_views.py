"""The coordinators' pages: who may open them, what they do, and a fixed
number of queries however many rows they show."""

import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import LocalityFactory
from tests.roles import ROLES
from tests.volunteering.factories import (
    CampaignFactory,
    HelpRequestFactory,
    OfferFactory,
    ProposalFactory,
    VolunteerFactory,
)
from tillsammans.notifications.models import OutboxMessage
from tillsammans.volunteering.models import Campaign, Concern, HelpRequest, Offer

pytestmark = pytest.mark.django_db

S = Offer.Status
COORDINATORS_ONLY = {
    **dict.fromkeys(ROLES, 403),
    "anonymous": 302,
    "staff_coordinator": 200,
    "site_admin": 200,
}
COORDINATORS_POST = {**COORDINATORS_ONLY, "staff_coordinator": 302, "site_admin": 302}


@pytest.fixture
def coordinator(roles):
    client = roles.client("staff_coordinator")
    client.cookies["tillsammans_language"] = "en"
    return client


def text(response) -> str:
    return " ".join(response.content.decode().split())


# --- Who may -------------------------------------------------------------------------


def test_every_coordination_page_is_for_coordinators_only(roles):
    proposal = ProposalFactory()
    for name in (
        "coordination",
        "coordination_proposals",
        "coordination_offers",
        "coordination_concerns",
    ):
        roles.assert_access(reverse(f"volunteering:{name}"), COORDINATORS_ONLY)
    roles.assert_access(
        reverse("volunteering:coordination_proposal_edit", args=[proposal.uuid]),
        COORDINATORS_ONLY,
    )


def test_every_coordination_action_is_for_coordinators_only(roles):
    # Each action is refused to everyone else before it touches anything; the
    # coordinator's own request is then redirected back (the first one acts,
    # the second finds the work done).
    proposal, offer = ProposalFactory(), OfferFactory()
    concern = Concern.objects.create(volunteer=offer.volunteer, text="Oro")
    actions = [
        ("coordination_proposals_send_all", []),
        ("coordination_proposal_send", [proposal.uuid]),
        ("coordination_proposal_reject", [proposal.uuid]),
        ("coordination_offer_withdraw", [offer.uuid]),
        ("coordination_concern_handle", [concern.uuid]),
        ("coordination_run", []),
    ]
    for name, args in actions:
        roles.assert_access(
            reverse(f"volunteering:{name}", args=args), COORDINATORS_POST, method="post"
        )


def test_actions_need_post(coordinator):
    proposal = ProposalFactory()
    url = reverse("volunteering:coordination_proposal_send", args=[proposal.uuid])
    assert coordinator.get(url).status_code == 405
    proposal.refresh_from_db()
    assert proposal.status == S.PROPOSED


def test_an_unknown_proposal_is_not_found(coordinator):
    for name in (
        "coordination_proposal_send",
        "coordination_proposal_reject",
        "coordination_offer_withdraw",
    ):
        url = reverse(f"volunteering:{name}", args=[uuid.uuid4()])
        assert coordinator.post(url).status_code == 404


# --- What they do ------------------------------------------------------------------------


def test_the_coordination_page_lists_requests_that_still_need_someone(coordinator):
    needs = HelpRequestFactory(volunteers_needed=2)
    OfferFactory(request=needs, status=S.ACCEPTED)
    full = HelpRequestFactory()
    OfferFactory(request=full, status=S.SENT)
    HelpRequestFactory(status=HelpRequest.Status.CANCELLED)
    ProposalFactory(request=needs)

    response = coordinator.get(reverse("volunteering:coordination"))

    page = text(response)
    assert needs.reference in page and full.reference not in page
    assert "1 of 2" in page
    assert "1 proposal waits for your review." in page
    assert 'action="/staff/coordination/run/"' in page


def test_running_the_matching_from_the_page(coordinator):
    locality = LocalityFactory()
    help_request = HelpRequestFactory(locality=locality)
    volunteer = VolunteerFactory(locality=locality, full_name="Omar Volontär")

    response = coordinator.post(reverse("volunteering:coordination_run"), follow=True)

    assert response.redirect_chain[-1][0] == reverse("volunteering:coordination_proposals")
    page = text(response)
    assert "Matching proposed 1 volunteer for 1 open requests" in page
    assert "Omar Volontär" in page and help_request.reference in page
    assert "lives 0.0 km away" in page
    offer = Offer.objects.get()
    assert (offer.status, offer.volunteer) == (S.PROPOSED, volunteer)


def test_running_for_a_closed_or_unknown_campaign_is_refused(coordinator):
    closed = CampaignFactory(status="closed")
    for value in (closed.slug, "finns-inte"):
        response = coordinator.post(
            reverse("volunteering:coordination_run"), {"campaign": value}, follow=True
        )
        assert "Choose a campaign that is open" in text(response)
    assert not Offer.objects.exists()


def test_confirming_a_proposal_sends_it(coordinator):
    campaign = CampaignFactory()
    proposal = ProposalFactory(request__campaign=campaign, volunteer__full_name="Omar Volontär")

    response = coordinator.post(
        reverse("volunteering:coordination_proposal_send", args=[proposal.uuid]),
        {"campaign": campaign.slug},
    )

    assert response.url == reverse("volunteering:coordination_proposals") + (
        f"?campaign={campaign.slug}"
    )
    proposal.refresh_from_db()
    assert proposal.status == S.SENT
    assert OutboxMessage.objects.filter(kind="request").count() == 1


def test_a_proposal_that_can_no_longer_be_sent_says_why(coordinator):
    volunteer = VolunteerFactory(max_requests_per_week=1)
    OfferFactory(volunteer=volunteer)
    proposal = ProposalFactory(volunteer=volunteer)
    response = coordinator.post(
        reverse("volunteering:coordination_proposal_send", args=[proposal.uuid]), follow=True
    )
    assert "already been asked as often this week as they allow (1)" in text(response)
    proposal.refresh_from_db()
    assert proposal.status == S.PROPOSED


def test_rejecting_a_proposal_from_the_page(coordinator):
    proposal = ProposalFactory()
    coordinator.post(reverse("volunteering:coordination_proposal_reject", args=[proposal.uuid]))
    proposal.refresh_from_db()
    assert proposal.status == S.REJECTED


def test_confirming_all_proposals_on_the_page(coordinator):
    help_request = HelpRequestFactory(volunteers_needed=2)
    first, second = ProposalFactory(request=help_request), ProposalFactory(request=help_request)
    third = ProposalFactory(request=help_request)
    unlisted = ProposalFactory()

    response = coordinator.post(
        reverse("volunteering:coordination_proposals_send_all"),
        {"offer": [first.uuid, second.uuid, third.uuid, "not-a-uuid"]},
        follow=True,
    )

    page = text(response)
    assert "2 requests were sent." in page
    assert "already has the volunteers it needs" in page
    statuses = dict(Offer.objects.values_list("pk", "status"))
    assert sorted([statuses[first.pk], statuses[second.pk], statuses[third.pk]]) == [
        S.PROPOSED,
        S.SENT,
        S.SENT,
    ]
    assert statuses[unlisted.pk] == S.PROPOSED


def test_choosing_someone_else_for_a_proposal(coordinator):
    locality = LocalityFactory()
    proposal = ProposalFactory(request__locality=locality, volunteer__locality=locality)
    other = VolunteerFactory(locality=locality, full_name="Fia Ersättare")
    VolunteerFactory(locality=locality, full_name="Per Reserv")
    url = reverse("volunteering:coordination_proposal_edit", args=[proposal.uuid])

    page = text(coordinator.get(url))
    assert "Fia Ersättare" in page
    assert proposal.volunteer.full_name not in page.split("Proposed now:")[1].split(".")[1]

    response = coordinator.post(url, {"volunteer": str(other.uuid)})
    assert response.status_code == 302
    assert Offer.objects.get(status=S.PROPOSED).volunteer == other

    # Bad input: nothing chosen, or someone not on the list.
    new = Offer.objects.get(status=S.PROPOSED)
    url = reverse("volunteering:coordination_proposal_edit", args=[new.uuid])
    for data in ({}, {"volunteer": str(VolunteerFactory(status="paused").uuid)}):
        response = coordinator.post(url, data)
        assert response.status_code == 200
        assert "Please correct the following" in text(response)
    assert Offer.objects.get(status=S.PROPOSED) == new


def test_withdrawing_an_offer_from_the_page(coordinator):
    offer = OfferFactory(status=S.ACCEPTED, volunteer__full_name="Omar Volontär")
    response = coordinator.post(
        reverse("volunteering:coordination_offer_withdraw", args=[offer.uuid]),
        {"reason": "Ändrade planer"},
        follow=True,
    )
    assert "The offer to Omar Volontär was withdrawn" in text(response)
    offer.refresh_from_db()
    assert offer.status == S.WITHDRAWN


def test_concerns_are_listed_and_marked_handled(coordinator):
    offer = OfferFactory(status=S.ACCEPTED)
    concern = Concern.objects.create(
        volunteer=offer.volunteer, offer=offer, text="Ingen öppnade dörren."
    )
    page = text(coordinator.get(reverse("volunteering:coordination_concerns")))
    assert "Ingen öppnade dörren." in page and offer.request.reference in page

    coordinator.post(reverse("volunteering:coordination_concern_handle", args=[concern.uuid]))
    concern.refresh_from_db()
    assert concern.status == Concern.Status.HANDLED
    assert "Ingen öppnade" not in text(
        coordinator.get(reverse("volunteering:coordination_concerns"))
    )
    handled = coordinator.get(reverse("volunteering:coordination_concerns") + "?status=handled")
    assert "Ingen öppnade dörren." in text(handled)
    again = coordinator.post(
        reverse("volunteering:coordination_concern_handle", args=[concern.uuid]), follow=True
    )
    assert "already been marked as handled" in text(again)


# --- Queries -------------------------------------------------------------------------------


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context.captured_queries)


def make_rows(n):
    campaign = Campaign.objects.filter(slug="kris").first() or CampaignFactory(slug="kris")
    for i in range(n):
        help_request = HelpRequestFactory(campaign=campaign, volunteers_needed=2)
        proposal = ProposalFactory(request=help_request)
        proposal.explanation = {
            "reasons": [["distance_km", 1.0], ["speaks_language", "sv"]],
            "runner_up": {"volunteer_id": proposal.volunteer_id, "reasons": [["tie"]]},
        }
        proposal.save()
        OfferFactory(request=help_request, status=S.SENT if i % 2 else S.ACCEPTED)
        Concern.objects.create(volunteer=proposal.volunteer, offer=proposal, text="Oro")


@pytest.mark.parametrize(
    "url",
    [
        "/staff/coordination/",
        "/staff/coordination/?campaign=kris",
        "/staff/coordination/proposals/",
        "/staff/coordination/offers/",
        "/staff/coordination/concerns/",
    ],
)
def test_coordination_pages_have_a_fixed_budget(coordinator, url):
    make_rows(3)
    few = count_queries(coordinator, url)
    make_rows(30)
    assert count_queries(coordinator, url) == few


def test_offers_and_concerns_are_read_only_in_the_admin(roles):
    offer = OfferFactory()
    Concern.objects.create(volunteer=offer.volunteer, offer=offer, text="Oro")
    client = roles.client("site_admin")
    for model in ("offer", "concern"):
        assert client.get(f"/admin/volunteering/{model}/").status_code == 200
        assert client.get(f"/admin/volunteering/{model}/add/").status_code == 403
    page = client.get(f"/admin/volunteering/offer/{offer.pk}/change/")
    assert page.status_code == 200
    assert offer.request.resident_name not in page.content.decode()
