"""Signing up as a volunteer and the volunteer's own page in a real browser, in
Swedish and English, checked with axe-core; the form works without JavaScript
and reflows on a small phone."""

import re

import pytest

from tests.browser_support import axe_violations
from tests.factories import LanguageFactory, LocalityFactory
from tests.organizations.factories import OrganizationFactory
from tests.volunteering.factories import (
    CampaignFactory,
    HelpTypeFactory,
    PostalCodeFactory,
    SafeguardingCheckFactory,
    VolunteerFactory,
)
from tillsammans.notifications.models import OutboxMessage
from tillsammans.volunteering.models import CampaignQuestion, Volunteer, VolunteerStatus
from tillsammans.volunteering.services.volunteers import link_token_hash

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


@pytest.fixture
def world():
    LanguageFactory()
    LanguageFactory(code="ar", name_sv="arabiska", name_en="Arabic", native_name="العربية")
    centrum = LocalityFactory(slug="ekero-centrum", name_sv="Ekerö centrum")
    LocalityFactory(slug="stenhamra", name_sv="Stenhamra")
    PostalCodeFactory(code="17830", locality=centrum)
    HelpTypeFactory(slug="handla", name_sv="Handla mat", name_en="Grocery shopping")
    HelpTypeFactory(
        slug="besok", name_sv="Besök i hemmet", name_en="Home visit", requires_safeguarding=True
    )
    OrganizationFactory(name="Röda Korset Ekerö", slug="roda-korset-ekero")
    campaign = CampaignFactory(slug="vinter", title="Vinterhjälp")
    CampaignQuestion.objects.create(
        campaign=campaign, text="Har du egen bil?", kind="yes_no", required=True
    )
    CampaignQuestion.objects.create(campaign=campaign, text="Något mer vi bör veta?")
    return campaign


def choose_language(page, language):
    page.goto("/")
    if language == "en":
        page.get_by_role("button", name="English").click()
        page.wait_for_load_state()


@pytest.mark.parametrize("language", ["sv", "en"])
def test_sign_up_with_a_mistake_then_confirm(page, world, language):
    page.context.set_extra_http_headers({})
    choose_language(page, language)
    page.goto("/volunteer/")
    assert page.locator("html").get_attribute("lang") == language
    assert page.locator("h1").count() == 1
    assert axe_violations(page) == []

    page.locator("#id_full_name").fill("Omar Volontär")
    page.locator("#id_phone").fill("12345")
    page.locator("#id_postal_code").fill("178 30")
    page.locator("#id_help_types_0").check()
    page.locator("#id_availability_2-afternoon").check()
    page.locator("button[type=submit]").last.click()
    page.wait_for_load_state()
    assert page.locator(".error-summary").count() == 1
    assert page.locator(".error-summary a[href='#id_phone']").count() == 1
    assert page.locator("#id_full_name").input_value() == "Omar Volontär"
    assert page.locator("#id_availability_2-afternoon").is_checked()
    assert axe_violations(page) == []

    page.locator("#id_phone").fill("070-123 45 67")
    page.locator("#id_consent").check()
    page.locator("button[type=submit]").last.click()
    page.wait_for_url("**/volunteer/sent/")
    assert axe_violations(page) == []

    token = re.search(r"/volunteer/me/([\w-]+)/", OutboxMessage.objects.get().body).group(1)
    page.goto(f"/volunteer/me/{token}/")
    page.wait_for_url("**/volunteer/me/")
    assert Volunteer.objects.get().status == VolunteerStatus.ACTIVE
    assert axe_violations(page) == []


@pytest.mark.parametrize("language", ["sv", "en"])
@pytest.mark.parametrize(
    "path",
    [
        "/volunteer/me/",
        "/volunteer/me/edit/",
        "/volunteer/me/pause/",
        "/volunteer/me/leave/",
        "/volunteer/campaigns/vinter/",
    ],
)
def test_the_volunteers_own_pages(page, world, path, language):
    volunteer = VolunteerFactory(
        full_name="Anna Andersson",
        access_token_hash=link_token_hash("annas-nyckel"),
        availability=["1-morning", "5-evening"],
        help_types=[HelpTypeFactory(slug="besok")],
    )
    SafeguardingCheckFactory(volunteer=volunteer)
    choose_language(page, language)
    page.goto("/volunteer/me/annas-nyckel/")
    page.goto(path)
    assert page.url.endswith(path)
    assert page.locator("html").get_attribute("lang") == language
    assert axe_violations(page) == [], path


@pytest.mark.parametrize("language", ["sv", "en"])
@pytest.mark.parametrize("path", ["/volunteer/link/", "/volunteer/campaigns/vinter/"])
def test_public_pages(page, world, path, language):
    choose_language(page, language)
    page.goto(path)
    assert axe_violations(page) == [], path


def test_sign_up_reflows_on_a_small_phone(page, world):
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto("/volunteer/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 320


@pytest.mark.parametrize("language", ["sv", "en"])
def test_coordinators_pages(page, live_server, world, language):
    from allauth.mfa.totp.internal.auth import TOTP
    from django.conf import settings
    from django.test import Client

    from tests.factories import DepartmentFactory, StaffMembershipFactory
    from tests.roles import TEST_TOTP_SECRET

    karin = StaffMembershipFactory(
        department=DepartmentFactory(slug="socialforvaltningen"), capability="coordinator"
    ).user
    TOTP.activate(karin, TEST_TOTP_SECRET)
    volunteer = VolunteerFactory(full_name="Anna Andersson", availability=["2-morning"])
    check = SafeguardingCheckFactory(volunteer=volunteer)
    client = Client()
    client.force_login(karin)
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    choose_language(page, language)
    for path in (
        "/staff/volunteers/",
        "/staff/volunteers/?status=paused",
        f"/staff/volunteers/{volunteer.uuid}/",
        "/staff/volunteers/police-record-checks/",
        f"/staff/volunteers/{volunteer.uuid}/police-record-checks/new/",
        f"/staff/volunteers/{volunteer.uuid}/police-record-checks/{check.pk}/revoke/",
    ):
        page.goto(path)
        assert page.url.endswith(path)
        assert axe_violations(page) == [], path
