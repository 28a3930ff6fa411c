"""The management pages in a real browser, checked with axe-core; the forms
work without JavaScript."""

import pytest
from allauth.mfa.totp.internal.auth import TOTP
from django.conf import settings
from django.test import Client

from tests.activities.factories import ActivityFactory
from tests.browser_support import axe_violations
from tests.factories import (
    AreaFactory,
    DepartmentFactory,
    LanguageFactory,
    LocalityFactory,
    StaffMembershipFactory,
    TargetGroupFactory,
    UserFactory,
)
from tests.organizations.factories import RepresentativeFactory
from tests.roles import TEST_TOTP_SECRET
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


def test_representative_pages(page, live_server):
    AreaFactory(), TargetGroupFactory(), LanguageFactory()
    locality = LocalityFactory()
    representative = RepresentativeFactory(user=UserFactory(email="sara@example.se"))
    organization = representative.organization
    sign_in(page, live_server, representative.user)

    page.goto(f"/activities/manage/new/?organization={organization.uuid}")
    assert axe_violations(page) == []
    page.locator("#id_title").fill("Stickcafé")
    page.locator("#id_description").fill("Vi stickar och fikar.")
    page.locator("#id_starts_on").fill("2026-01-07")
    page.locator("#id_start_time").fill("14:00")
    page.locator("#id_end_time").fill("13:00")
    page.locator("#id_locality").select_option(str(locality.pk))
    page.locator("button[type=submit]").last.click()
    page.wait_for_load_state()
    assert page.locator(".error-summary").count() == 1
    assert page.locator("#id_title").input_value() == "Stickcafé"
    assert page.locator("#id_end_time").input_value() == "13:00"
    assert axe_violations(page) == []
    page.locator("#id_end_time").fill("16:00")
    page.locator("#id_weekdays_2").check()
    page.locator("button[type=submit]").last.click()
    page.wait_for_load_state()
    assert page.url.endswith("/activities/manage/")
    assert axe_violations(page) == []

    activity = ActivityFactory(organization=organization)
    for path in (
        f"/activities/manage/{activity.uuid}/edit/",
        f"/activities/manage/{activity.uuid}/cancellations/",
    ):
        page.goto(path)
        assert page.url.endswith(path)
        assert axe_violations(page) == [], path


def test_editor_pages(page, live_server):
    LocalityFactory()
    editor = StaffMembershipFactory(
        department=DepartmentFactory(), capability=Capability.EDITOR
    ).user
    TOTP.activate(editor, TEST_TOTP_SECRET)
    ActivityFactory(organization=None, department=DepartmentFactory(slug="kultur"))
    sign_in(page, live_server, editor)
    for path in ("/staff/activities/", "/staff/activities/new/", "/activities/manage/"):
        page.goto(path)
        assert page.url.endswith(path)
        assert axe_violations(page) == [], path
