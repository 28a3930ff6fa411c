"""Idélabbet's pages checked with axe-core: the form (empty and with errors),
the receipt, the status page, the idea board, and the coaches' pages; the
form is sent by keyboard only."""

import pytest
from django.conf import settings
from django.test import Client

from tests.browser_support import axe_violations
from tests.factories import AreaFactory
from tests.ideas.factories import IdeaFactory, coach
from tillsammans.ideas.models import IdeaStatus
from tillsammans.ideas.services import ideas as services

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


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


def in_english(page):
    """English, so the test does not depend on the Swedish catalogue's wording."""
    page.goto("/")
    page.get_by_role("button", name="English").click()
    page.wait_for_load_state()


def check(page, url=None):
    if url is not None:
        response = page.goto(url)
        assert response.status == 200, url
    assert page.locator("h1").count() == 1, page.url
    assert axe_violations(page) == [], page.url


def test_the_public_pages_pass_axe_and_work_by_keyboard(page, live_server):
    AreaFactory(slug="kultur", name_sv="Kultur", name_en="Culture")
    IdeaFactory(publish_consent=True, title="Repair café")
    check(page, "/ideas/")
    in_english(page)
    check(page, "/ideas/")
    check(page, "/ideas/new/")
    with page.expect_navigation():
        page.get_by_role("button", name="Send the idea").click()
    assert page.locator(".error-summary").count() == 1
    check(page)
    page.get_by_label("Name of your idea").fill("Cykelkök")
    page.get_by_label("What do you want to do?").fill("Laga cyklar tillsammans.")
    page.get_by_label("Your name").fill("Maja Idésson")
    page.get_by_label("E-mail address").fill("maja@example.se")
    page.get_by_role("button", name="Send the idea").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith("/ideas/sent/"), page.url
    check(page)
    # The link is absolute (SITE_URL); open its path on the test server.
    link = page.locator("main a[href*='/ideas/status/']").first.get_attribute("href")
    check(page, "/ideas/status/" + link.split("/ideas/status/")[1])


def test_the_coaches_pages_pass_axe(page, live_server):
    the_coach = coach()
    idea = IdeaFactory(coach=the_coach, phone="+46701234567", help_wanted=["premises"])
    services.idea_status_change(
        actor=the_coach, idea=idea, new_status=IdeaStatus.IN_DIALOGUE, feedback="Välkommen!"
    )
    services.coaching_note_add(actor=the_coach, idea=idea, text="Ring biblioteket.")
    sign_in(page, live_server, the_coach)
    in_english(page)
    check(page, "/staff/ideas/")
    check(page, f"/staff/ideas/{idea.uuid}/")
    with page.expect_navigation():
        page.get_by_role("button", name="Change the status and send the feedback").click()
    assert page.locator(".error-summary").count() == 1
    check(page)
