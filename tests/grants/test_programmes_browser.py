"""The grants page, a programme's page with the eligibility check, and the
officers' programme form, checked with axe-core in Swedish and English."""

import pytest
from django.conf import settings
from django.test import Client

from tests.browser_support import axe_violations
from tests.grants.factories import (
    CriterionFactory,
    OpenWindowFactory,
    ProgrammeBudgetFactory,
    ProgrammeFactory,
    QuestionFactory,
)
from tests.roles import staff
from tillsammans.accounts.models import Capability

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


def choose_language(page, language):
    page.goto("/")
    if language == "en":
        page.get_by_role("button", name="English").click()
        page.wait_for_load_state()


@pytest.mark.parametrize("language", ["sv", "en"])
def test_the_public_grant_pages_pass_axe(page, live_server, language):
    officer = staff(Capability.GRANT_OFFICER)()
    programme = ProgrammeFactory(
        slug="verksamhetsstod",
        title="Verksamhetsstöd",
        department=officer.staff_memberships.get().department,
        required_documents=["statutes"],
    )
    OpenWindowFactory(programme=programme)
    ProgrammeBudgetFactory(programme=programme)
    CriterionFactory(programme=programme, title="Nytta för målgruppen")
    QuestionFactory(programme=programme, label="Vad gör föreningen?")
    ProgrammeFactory(slug="arrangemangsbidrag", title="Arrangemangsbidrag", is_rolling=True)
    choose_language(page, language)

    page.goto("/grants/")
    assert page.locator("h1").count() == 1
    assert axe_violations(page) == []

    page.goto("/grants/verksamhetsstod/")
    assert axe_violations(page) == []
    # The check with a missing answer: errors in a summary and next to the field.
    page.locator("#check_legal_form").select_option("ideell_forening")
    page.locator("#check form button[type=submit], section#check button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator(".error-summary").count() == 1
    assert axe_violations(page) == []
    page.locator("#check_register_0").check()
    page.locator("section#check button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator("#check-result").count() == 1
    assert axe_violations(page) == []

    sign_in(page, live_server, officer)
    page.goto("/staff/grants/")
    assert axe_violations(page) == []
    page.goto("/staff/grants/verksamhetsstod/")
    assert axe_violations(page) == []
    page.goto("/staff/grants/new/")
    page.locator("#id_max_amount").fill("-5")
    page.locator("form.form button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator(".error-summary").count() == 1
    assert axe_violations(page) == []
