"""The volunteer's side: the answer link from the message, and "My
assignments" with the resident's details only while they are allowed."""

import datetime

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.factories import StaffMembershipFactory
from tests.roles import ROLES
from tests.volunteering.factories import OfferFactory, ProposalFactory, VolunteerFactory
from tillsammans.audit.models import AuditEntry
from tillsammans.notifications.models import OutboxMessage
from tillsammans.volunteering.models import Concern, Offer, Volunteer
from tillsammans.volunteering.selectors.volunteers import SESSION_KEY
from tillsammans.volunteering.services import offers as services

pytestmark = pytest.mark.django_db

S = Offer.Status
RESIDENT = {
    "request__resident_name": "Gunnel Andersson",
    "request__resident_phone": "+46701234567",
    "request__address": "Bryggvägen 3",
    "request__notes": "Portkod 1234",
}
SECRETS = ("Gunnel Andersson", "+46701234567", "Bryggvägen 3", "Portkod 1234")


def text(response) -> str:
    return " ".join(response.content.decode().split())


def english(client: Client) -> Client:
    client.cookies["tillsammans_language"] = "en"
    return client


def sent_offer(**kwargs):
    """An offer sent the real way; returns it with the secret of its link."""
    coordinator = StaffMembershipFactory().user
    offer = services.offer_send(offer=ProposalFactory(**RESIDENT, **kwargs), actor=coordinator)
    return offer, reverse("volunteering:offer_respond", args=[offer.response_token])


def as_volunteer(volunteer: Volunteer) -> Client:
    """A browser in which the volunteer opened their personal link."""
    client = english(Client())
    session = client.session
    session[SESSION_KEY] = str(volunteer.uuid)
    session.save()
    return client


def reads() -> int:
    return AuditEntry.objects.filter(action=AuditEntry.Action.READ).count()


# --- The answer link -------------------------------------------------------------------


def test_the_link_shows_what_is_asked_but_not_who(client):
    offer, url = sent_offer()
    page = text(english(client).get(url))
    assert offer.request.help_type.name_en in page and offer.request.locality.name in page
    assert "Yes, I can help" in page and "No, not this time" in page
    assert not any(secret in page for secret in SECRETS)
    assert reads() == 0


def test_the_link_works_for_everyone_who_has_it_and_nobody_else(roles):
    _offer, url = sent_offer()
    roles.assert_access(url, dict.fromkeys(ROLES, 200))
    roles.assert_access(
        reverse("volunteering:offer_respond", args=["not-the-secret"]), dict.fromkeys(ROLES, 404)
    )


def test_saying_yes_shows_the_residents_details_and_remembers_the_volunteer(client):
    offer, url = sent_offer()
    english(client)

    response = client.post(url, {"answer": "accept"}, follow=True)

    offer.refresh_from_db()
    assert offer.status == S.ACCEPTED
    page = text(response)
    assert "Thank you! Here is what you need to know to help." in page
    assert all(secret in page for secret in SECRETS)
    assert reads() == 1
    # The same browser now has the volunteer's page.
    assignments = text(client.get(reverse("volunteering:assignments")))
    assert offer.request.locality.name in assignments


def test_saying_no_passes_the_request_on(client):
    offer, url = sent_offer()
    response = english(client).post(url, {"answer": "decline"}, follow=True)
    offer.refresh_from_db()
    assert offer.status == S.DECLINED
    page = text(response)
    assert "We will ask someone else." in page and "You said no to this request." in page
    assert not any(secret in page for secret in SECRETS)


def test_an_answer_that_is_neither_yes_nor_no_changes_nothing(client):
    offer, url = sent_offer()
    for data in ({}, {"answer": "maybe"}):
        assert "Choose yes or no." in text(english(client).post(url, data, follow=True))
    offer.refresh_from_db()
    assert offer.status == S.SENT


def test_an_answer_after_the_deadline_is_refused_politely(client):
    offer, url = sent_offer()
    Offer.objects.filter(pk=offer.pk).update(respond_by=timezone.now() - datetime.timedelta(1))
    english(client)
    assert "The time to answer has run out" in text(client.get(url))
    response = client.post(url, {"answer": "accept"}, follow=True)
    assert "The time to answer ran out at" in text(response)
    offer.refresh_from_db()
    assert offer.status == S.SENT


def test_a_withdrawn_offer_says_it_is_no_longer_current(client):
    offer, url = sent_offer()
    Offer.objects.filter(pk=offer.pk).update(status=S.WITHDRAWN)
    page = text(english(client).get(url))
    assert "This request is no longer current." in page
    assert "Yes, I can help" not in page


def test_the_details_disappear_after_the_allowed_period(client):
    offer, url = sent_offer()
    Offer.objects.filter(pk=offer.pk).update(
        status=S.DONE, details_visible_until=timezone.now() - datetime.timedelta(seconds=1)
    )
    page = text(english(client).get(url))
    assert "The person's details are no longer shown." in page
    assert not any(secret in page for secret in SECRETS)
    assert reads() == 0


# --- My assignments ----------------------------------------------------------------------


def test_my_assignments_is_for_volunteers(roles):
    expected = {**dict.fromkeys(ROLES, 403), "volunteer": 200}
    roles.assert_access(reverse("volunteering:assignments"), expected)
    response = english(Client()).get(reverse("volunteering:assignments"))
    assert "Open the personal link we sent you" in text(response)


def test_an_assignment_is_only_for_its_own_volunteer(roles):
    volunteer = Volunteer.objects.get(user=roles.user("volunteer"))
    own = OfferFactory(volunteer=volunteer, status=S.ACCEPTED)
    others = OfferFactory(status=S.ACCEPTED)
    roles.assert_access(
        reverse("volunteering:assignment", args=[own.uuid]),
        {**dict.fromkeys(ROLES, 403), "volunteer": 200},
    )
    # Someone else's assignment looks exactly like a missing one.
    roles.assert_access(
        reverse("volunteering:assignment", args=[others.uuid]),
        {**dict.fromkeys(ROLES, 403), "volunteer": 404},
    )
    for name in ("assignment_answer", "assignment_done", "assignment_concern"):
        roles.assert_access(
            reverse(f"volunteering:{name}", args=[others.uuid]),
            {**dict.fromkeys(ROLES, 403), "volunteer": 404},
            method="post",
            data={"answer": "accept", "minutes_spent": "30", "text": "Oro"},
        )
    others.refresh_from_db()
    assert others.status == S.ACCEPTED and not Concern.objects.exists()


def test_a_volunteer_without_an_account_sees_their_assignments_through_the_session():
    volunteer = VolunteerFactory(user=None)
    waiting = OfferFactory(volunteer=volunteer, **RESIDENT)
    accepted = OfferFactory(volunteer=volunteer, status=S.ACCEPTED)
    OfferFactory(status=S.ACCEPTED)  # someone else's
    client = as_volunteer(volunteer)

    page = text(client.get(reverse("volunteering:assignments")))

    assert "Waiting for your answer" in page
    assert reverse("volunteering:assignment_answer", args=[waiting.uuid]) in page
    assert reverse("volunteering:assignment", args=[accepted.uuid]) in page
    assert not any(secret in page for secret in SECRETS)


def test_the_details_are_shown_only_while_allowed_and_each_read_is_audited():
    volunteer = VolunteerFactory(user=None)
    offer = OfferFactory(volunteer=volunteer, status=S.SENT, **RESIDENT)
    client = as_volunteer(volunteer)
    url = reverse("volunteering:assignment", args=[offer.uuid])

    assert not any(secret in text(client.get(url)) for secret in SECRETS)
    assert reads() == 0

    Offer.objects.filter(pk=offer.pk).update(status=S.ACCEPTED)
    for _ in range(2):
        page = text(client.get(url))
        assert all(secret in page for secret in SECRETS)
    assert reads() == 2
    entry = AuditEntry.objects.filter(action=AuditEntry.Action.READ).first()
    assert entry.details["volunteer"] == str(volunteer.uuid)

    Offer.objects.filter(pk=offer.pk).update(
        status=S.DONE, details_visible_until=timezone.now() - datetime.timedelta(minutes=1)
    )
    page = text(client.get(url))
    assert not any(secret in page for secret in SECRETS)
    assert "no longer shown" in page
    assert reads() == 2


def test_answering_from_my_assignments():
    volunteer = VolunteerFactory(user=None)
    offer = OfferFactory(volunteer=volunteer)
    client = as_volunteer(volunteer)
    url = reverse("volunteering:assignment_answer", args=[offer.uuid])
    assert "Choose yes or no." in text(client.post(url, {"answer": ""}, follow=True))
    response = client.post(url, {"answer": "accept"})
    assert response.url == reverse("volunteering:assignment", args=[offer.uuid])
    offer.refresh_from_db()
    assert offer.status == S.ACCEPTED


def test_marking_done_with_minutes():
    volunteer = VolunteerFactory(user=None)
    offer = OfferFactory(volunteer=volunteer, status=S.ACCEPTED)
    client = as_volunteer(volunteer)
    url = reverse("volunteering:assignment_done", args=[offer.uuid])

    for minutes, message in (
        ("", "Give the time you spent in minutes."),
        ("en timme", "Write the time as a whole number of minutes"),
        ("0", "greater than or equal to 1"),
        ("1441", "less than or equal to 1440"),
    ):
        response = client.post(url, {"minutes_spent": minutes})
        assert response.status_code == 422
        assert message in text(response), minutes
        assert "Please correct the following" in text(response)
    offer.refresh_from_db()
    assert offer.status == S.ACCEPTED

    response = client.post(url, {"minutes_spent": "90"}, follow=True)
    assert "Thank you for your help!" in text(response)
    offer.refresh_from_db()
    assert (offer.status, offer.minutes_spent) == (S.DONE, 90)
    # Twice: the second one is refused, the first stands.
    again = client.post(url, {"minutes_spent": "30"}, follow=True)
    assert "Only an accepted assignment can be marked as done" in text(again)
    offer.refresh_from_db()
    assert offer.minutes_spent == 90


def test_reporting_a_concern_about_an_assignment():
    coordinator = StaffMembershipFactory().user
    volunteer = VolunteerFactory(user=None)
    offer = OfferFactory(volunteer=volunteer, status=S.ACCEPTED)
    client = as_volunteer(volunteer)
    url = reverse("volunteering:assignment_concern", args=[offer.uuid])

    response = client.post(url, {"text": "  "})
    assert response.status_code == 422 and "Write what happened." in text(response)
    assert not Concern.objects.exists()

    response = client.post(url, {"text": "Hon verkade förvirrad."}, follow=True)
    assert "A coordinator will read it soon." in text(response)
    concern = Concern.objects.get()
    assert (concern.offer, concern.volunteer) == (offer, volunteer)
    assert OutboxMessage.objects.get().address == coordinator.email


def test_reporting_a_general_concern():
    volunteer = VolunteerFactory(user=None)
    client = as_volunteer(volunteer)
    url = reverse("volunteering:concern_general")
    assert client.post(url, {"text": ""}).status_code == 422
    client.post(url, {"text": "Jag blev illa bemött."})
    assert Concern.objects.get().offer is None


def test_my_assignments_has_a_fixed_budget():
    volunteer = VolunteerFactory(user=None, max_requests_per_week=7)
    client = as_volunteer(volunteer)
    url = reverse("volunteering:assignments")

    def make(n):
        for i in range(n):
            OfferFactory(volunteer=volunteer, status=(S.SENT, S.ACCEPTED, S.DONE)[i % 3])

    def count():
        with CaptureQueriesContext(connection) as context:
            assert client.get(url).status_code == 200
        return len(context.captured_queries)

    make(3)
    few = count()
    make(30)
    assert count() == few
