"""The whole flow in a real browser: a volunteer signs up, a resident asks for
help, the coordinator runs the matching and confirms, the volunteer accepts
through the link and marks it done. Then the coordinator's and the volunteer's
pages in Swedish and English, checked with axe-core. Buttons are found by
their form, not their words, so the test reads the same in both languages."""

import datetime
import re

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from tests.browser_support import axe_violations
from tests.factories import LanguageFactory, LocalityFactory
from tests.roles import staff
from tests.volunteering.factories import (
    HelpRequestFactory,
    HelpTypeFactory,
    OfferFactory,
    PostalCodeFactory,
    ProposalFactory,
    VolunteerFactory,
)
from tillsammans.notifications.models import OutboxMessage
from tillsammans.volunteering.models import Concern, HelpRequest, Offer, Volunteer
from tillsammans.volunteering.selectors.volunteers import SESSION_KEY

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


@pytest.fixture
def world():
    LanguageFactory()
    centrum = LocalityFactory(slug="ekero-centrum", name_sv="Ekerö centrum")
    PostalCodeFactory(code="17830", locality=centrum)
    HelpTypeFactory(slug="handla", name_sv="Handla mat", name_en="Grocery shopping")
    return centrum


def browser_for(page, live_server):
    context = page.context.browser.new_context(base_url=live_server.url, locale="sv-SE")
    return context.new_page()


def sign_in(page, live_server, user):
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )


def choose_language(page, language):
    page.goto("/")
    if language == "en":
        page.get_by_role("button", name="English").click()
        page.wait_for_load_state()


def submit(page, selector):
    page.locator(selector).click()
    page.wait_for_load_state()


def test_sign_up_request_match_offer_accept_done(page, live_server, world):
    # 1. Omar signs up on his phone and opens the link he is sent.
    omar = page
    omar.goto("/volunteer/")
    omar.locator("#id_full_name").fill("Omar Volontär")
    omar.locator("#id_email").fill("omar@example.se")
    omar.locator("#id_postal_code").fill("178 30")
    omar.locator("#id_help_types_0").check()
    omar.locator("#id_consent").check()
    omar.locator("button[type=submit]").last.click()
    omar.wait_for_url("**/volunteer/sent/")
    link = re.search(r"/volunteer/me/[\w-]+/", OutboxMessage.objects.get().body).group(0)
    omar.goto(link)
    omar.wait_for_url("**/volunteer/me/")
    volunteer = Volunteer.objects.get()
    assert volunteer.is_verified

    # 2. Ingrid asks for help for tomorrow.
    ingrid = browser_for(page, live_server)
    ingrid.goto("/help/")
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    ingrid.locator("#id_help_type_0").check()
    ingrid.locator("#id_date").fill(tomorrow)
    ingrid.locator("#id_time_from").fill("10:00")
    ingrid.locator("#id_time_to").fill("12:00")
    ingrid.locator("#id_resident_name").fill("Ingrid Invånare")
    ingrid.locator("#id_resident_phone").fill("070-765 43 21")
    ingrid.locator("#id_address").fill("Bryggvägen 3")
    ingrid.locator("#id_locality").select_option(label="Ekerö centrum")
    ingrid.locator("form.form button[type=submit]").click()
    ingrid.wait_for_url("**/help/sent/")
    help_request = HelpRequest.objects.get()

    # 3. Karin runs the matching and confirms the proposal.
    karin = browser_for(page, live_server)
    sign_in(karin, live_server, staff("coordinator")())
    karin.goto("/staff/coordination/")
    assert help_request.reference in karin.locator("main").inner_text()
    submit(karin, "form[action='/staff/coordination/run/'] button[type=submit]")
    karin.wait_for_url("**/staff/coordination/proposals/")
    assert "Omar Volontär" in karin.locator("main").inner_text()
    submit(karin, "form[action$='/send/'] button[type=submit]")
    offer = Offer.objects.get()
    assert offer.status == Offer.Status.SENT

    # 4. Omar answers yes through the link in his message.
    message = OutboxMessage.objects.get(kind="request", address="omar@example.se")
    respond = re.search(r"/volunteer/offers/[\w-]+/", message.body).group(0)
    omar.goto(respond)
    assert "Ingrid Invånare" not in omar.locator("main").inner_text()
    submit(omar, "button[value=accept]")
    text = omar.locator("main").inner_text()
    assert "Ingrid Invånare" in text and "Bryggvägen 3" in text
    help_request.refresh_from_db()
    assert help_request.status == HelpRequest.Status.MATCHED

    # 5. He helps, and marks it done with the time it took.
    omar.goto(f"/volunteer/assignments/{offer.uuid}/")
    omar.locator("#id_minutes_spent").fill("75")
    submit(omar, "form[action$='/done/'] button[type=submit]")
    offer.refresh_from_db()
    help_request.refresh_from_db()
    assert (offer.status, offer.minutes_spent) == (Offer.Status.DONE, 75)
    assert help_request.status == HelpRequest.Status.DONE


def test_answering_no_asks_the_next_volunteer(page, live_server, world):
    first = VolunteerFactory(locality=world, full_name="Första Volontären")
    second = VolunteerFactory(locality=world, full_name="Andra Volontären")
    help_request = HelpRequestFactory(locality=world)
    ProposalFactory(request=help_request, volunteer=first)
    karin = browser_for(page, live_server)
    sign_in(karin, live_server, staff("coordinator")())
    karin.goto("/staff/coordination/proposals/")
    submit(karin, "form[action$='/send/'] button[type=submit]")

    message = OutboxMessage.objects.get(address=first.email)
    page.goto(re.search(r"/volunteer/offers/[\w-]+/", message.body).group(0))
    submit(page, "button[value=decline]")
    assert Offer.objects.get(volunteer=second).status == Offer.Status.SENT
    assert OutboxMessage.objects.filter(address=second.email, kind="request").count() == 1


@pytest.mark.parametrize("language", ["sv", "en"])
def test_coordinator_pages_are_accessible(page, live_server, world, language):
    help_request = HelpRequestFactory(locality=world, volunteers_needed=2)
    VolunteerFactory(locality=world, full_name="Fia Reserv")
    proposal = ProposalFactory(
        request=help_request,
        volunteer__locality=world,
        explanation={
            "reasons": [["distance_km", 0.4], ["never_asked"], ["available_at", ["2-morning"]]],
            "runner_up": {"volunteer_id": None, "score": 300, "reasons": [["farther_km", 2.1]]},
        },
    )
    offer = OfferFactory(request=help_request, volunteer__locality=world)
    Concern.objects.create(volunteer=offer.volunteer, offer=offer, text="Ingen öppnade.")
    sign_in(page, live_server, staff("coordinator")())
    choose_language(page, language)
    for path in (
        "/staff/coordination/",
        "/staff/coordination/proposals/",
        f"/staff/coordination/proposals/{proposal.uuid}/edit/",
        "/staff/coordination/offers/",
        "/staff/coordination/concerns/",
    ):
        page.goto(path)
        assert page.url.endswith(path)
        assert page.locator("html").get_attribute("lang") == language
        assert page.locator("h1").count() == 1, path
        assert axe_violations(page) == [], path
    # A form with an error: nothing chosen.
    page.goto(f"/staff/coordination/proposals/{proposal.uuid}/edit/")
    submit(page, "form.form button[type=submit]")
    assert page.locator(".error-summary").count() == 1
    assert axe_violations(page) == []


@pytest.mark.parametrize("language", ["sv", "en"])
def test_volunteer_pages_are_accessible(page, live_server, world, language):
    volunteer = VolunteerFactory(locality=world, full_name="Omar Volontär", max_requests_per_week=5)
    accepted = OfferFactory(
        volunteer=volunteer,
        status=Offer.Status.ACCEPTED,
        request__locality=world,
        request__notes="Ring två gånger.",
    )
    waiting = OfferFactory(volunteer=volunteer, request__locality=world)
    choose_language(page, language)
    page.goto("/volunteer/assignments/")  # before the personal link: who are you?
    assert axe_violations(page) == []

    client = Client()
    session = client.session
    session[SESSION_KEY] = str(volunteer.uuid)
    session.save()
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": session.session_key,
                "url": live_server.url,
            }
        ]
    )
    for path in (
        "/volunteer/assignments/",
        f"/volunteer/assignments/{accepted.uuid}/",
        f"/volunteer/assignments/{waiting.uuid}/",
    ):
        page.goto(path)
        assert page.locator("html").get_attribute("lang") == language
        assert page.locator("h1").count() == 1, path
        assert axe_violations(page) == [], path
    # Errors on the done form.
    page.goto(f"/volunteer/assignments/{accepted.uuid}/")
    page.locator("#id_minutes_spent").fill("0")
    submit(page, "form[action$='/done/'] button[type=submit]")
    assert page.locator(".error-summary").count() == 1
    assert axe_violations(page) == []

    # The answer link, before and after saying yes.
    from tillsammans.volunteering.services.offers import offer_send

    coordinator = staff("coordinator")()
    sent = offer_send(
        offer=ProposalFactory(volunteer=volunteer, request__locality=world), actor=coordinator
    )
    page.goto(f"/volunteer/offers/{sent.response_token}/")
    assert axe_violations(page) == []
    submit(page, "button[value=accept]")
    assert axe_violations(page) == []
