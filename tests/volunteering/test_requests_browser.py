"""The request form, the campaign pages and the coordinators' pages in a real
browser, in Swedish and English, checked with axe-core."""

import pytest
from django.conf import settings
from django.test import Client

from tests.browser_support import axe_violations
from tests.factories import LanguageFactory, LocalityFactory
from tests.volunteering.factories import (
    CampaignFactory,
    CampaignQuestionFactory,
    HelpRequestFactory,
    HelpTypeFactory,
    OfferFactory,
)
from tillsammans.volunteering.models import HelpRequest

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


@pytest.fixture
def world():
    LanguageFactory()
    LocalityFactory(slug="stenhamra", name_sv="Stenhamra")
    shopping = HelpTypeFactory(slug="handla", name_sv="Handla mat", name_en="Grocery shopping")
    HelpTypeFactory(slug="besok", name_sv="Besök i hemmet", name_en="Home visit")
    campaign = CampaignFactory(
        slug="vinterhjalp-2026", title="Vinterhjälp 2026", help_types=[shopping]
    )
    CampaignQuestionFactory(campaign=campaign)
    return campaign


@pytest.mark.parametrize("language", ["sv", "en"])
def test_asking_for_help_with_a_mistake_then_sending(page, live_server, world, language):
    choose_language(page, language)
    page.goto("/help/")
    assert page.locator("html").get_attribute("lang") == language
    assert page.locator("h1").count() == 1
    assert axe_violations(page) == []

    page.locator("#id_help_type_0").check()
    page.locator("#id_date").fill("2020-01-01")
    page.locator("#id_time_from").fill("10:00")
    page.locator("#id_time_to").fill("12:00")
    page.locator("#id_resident_name").fill("Gunnel Andersson")
    page.locator("#id_resident_phone").fill("070-123 45 67")
    page.locator("#id_address").fill("Bryggvägen 3")
    page.locator("#id_locality").select_option(label="Stenhamra")
    page.locator("form.form button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator(".error-summary").count() == 1
    assert page.locator("#id_resident_name").input_value() == "Gunnel Andersson"
    assert axe_violations(page) == []

    from django.utils import timezone

    tomorrow = (timezone.localdate() + timezone.timedelta(days=1)).isoformat()
    page.locator("#id_date").fill(tomorrow)
    page.locator("form.form button[type=submit]").click()
    page.wait_for_url("**/help/sent/")
    reference = HelpRequest.objects.get().reference
    assert reference in page.locator("main").inner_text()
    assert axe_violations(page) == []


@pytest.mark.parametrize("language", ["sv", "en"])
def test_campaign_pages(page, live_server, world, language):
    choose_language(page, language)
    assert "Vinterhjälp 2026" in page.locator("main").inner_text()  # the banner
    assert axe_violations(page) == []
    page.goto(f"/campaigns/{world.slug}/")
    assert page.locator("h1").inner_text() == "Vinterhjälp 2026"
    assert axe_violations(page) == []
    page.goto(f"/help/?campaign={world.slug}")
    assert axe_violations(page) == []


@pytest.mark.parametrize("language", ["sv", "en"])
def test_coordinator_pages(page, live_server, world, language):
    from tests.roles import staff

    karin = staff("coordinator")()
    request = HelpRequestFactory(campaign=world, notes="Ring två gånger.")
    OfferFactory(request=request, status="accepted")
    HelpRequestFactory(status="done")
    sign_in(page, live_server, karin)
    choose_language(page, language)
    for path in (
        "/staff/help-requests/",
        "/staff/help-requests/new/",
        f"/staff/help-requests/{request.uuid}/",
        f"/help/{request.uuid}/cancel/",
        "/staff/campaigns/",
        "/staff/campaigns/new/",
        f"/staff/campaigns/{world.slug}/",
        f"/staff/campaigns/{world.slug}/close/",
        f"/staff/campaigns/{world.slug}/stand-down/",
        "/staff/volunteering/statistics/",
    ):
        page.goto(path)
        assert page.url.endswith(path)
        assert page.locator("html").get_attribute("lang") == language
        assert page.locator("h1").count() == 1, path
        assert axe_violations(page) == [], path
