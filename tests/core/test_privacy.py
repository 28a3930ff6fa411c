"""The privacy page says what volunteer coordination keeps, why, who sees it
and for how long, with the periods the code keeps."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PRIVACY = reverse("core:privacy")


def page(language: str = "sv", client: Client | None = None) -> str:
    client = client or Client()
    client.cookies["tillsammans_language"] = language
    response = client.get(PRIVACY)
    assert response.status_code == 200
    return " ".join(response.content.decode().split())


def row_headings(html: str) -> list[str]:
    return re.findall(r'<th scope="row">([^<]+)</th>', html)


def test_the_swedish_page_has_rows_for_volunteers_checks_and_help_requests():
    headings = row_headings(page("sv"))

    for heading in ("Volontärer", "Kontroller av belastningsregisterutdrag", "Hjälpförfrågningar"):
        assert heading in headings, headings
    assert headings.index("Volontärer") < headings.index("Hjälpförfrågningar")


def test_it_says_what_volunteers_give_why_who_sees_it_and_until_when():
    html = page("en")

    assert "Your name, e-mail address and/or mobile number, postal code or locality" in html
    assert "only to ask you for help when there is a clear need" in html
    assert "The municipality's volunteer coordinators see them." in html
    assert "Until you leave: then we erase them at once, also from the messages" in html
    assert "A sign-up that is not confirmed within 30 days is erased." in html


def test_it_says_a_police_record_check_keeps_the_fact_never_the_extract():
    html = page("en")

    assert "We keep only the fact that it was seen" in html
    assert "never a copy of the extract" in html


@pytest.mark.parametrize(
    ("days", "wording"),
    [(7, "until the help is done and 7 days more"), (1, "until the help is done and 1 day more")],
)
def test_it_gives_the_help_request_period_in_force(settings, days, wording):
    settings.VOLUNTEERING_DETAILS_DAYS_AFTER_DONE = days

    html = page("en")

    assert "The name, address and phone number of the person who needs help" in html
    assert "Only the volunteer coordinators see them, and the volunteers who have said" in html
    assert wording in html
    assert "Every time someone reads them, it is logged." in html


@pytest.mark.parametrize(
    ("days", "wording"),
    [(90, "Until 90 days after the request is done"), (1, "Until 1 day after the request")],
)
def test_it_gives_when_the_residents_details_are_erased(settings, days, wording):
    settings.VOLUNTEERING_RESIDENT_DETAILS_DAYS = days

    html = page("en")

    assert wording in html
    assert "erasing the account erases them at once" in html


@pytest.mark.parametrize("who", ["anonymous", "signed in"])
def test_everyone_may_read_it_without_signing_in_or_any_role(who):
    client = Client()
    if who == "signed in":
        client.force_login(UserFactory())

    assert "Volontärer" in row_headings(page("sv", client))
