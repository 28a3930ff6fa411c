"""A staff member signs in with password and authenticator code, by keyboard."""

import pytest

from tests.browser_support import axe_violations
from tests.factories import StaffMembershipFactory
from tests.roles import TEST_TOTP_SECRET, _with_totp
from tillsammans.accounts.seed import demo_totp_code

pytestmark = pytest.mark.django_db(transaction=True)


def test_staff_signs_in_with_two_factors_and_reaches_staff_tools(page):
    staff = _with_totp(StaffMembershipFactory(user__email="karin@kommun.example.se").user)
    page.goto("/accounts/login/")
    page.get_by_label("E-post").fill(staff.email)
    page.get_by_label("Lösenord").fill("correct horse battery staple")
    page.keyboard.press("Enter")
    page.wait_for_url("**/accounts/2fa/authenticate/")
    assert axe_violations(page) == []
    page.get_by_label("Kod").fill(demo_totp_code(TEST_TOTP_SECRET))
    page.keyboard.press("Enter")
    page.wait_for_url("**/my-account/")

    page.get_by_role("link", name="Personalverktyg").first.click()
    assert page.locator("h1").inner_text() == "Personalverktyg"
    assert axe_violations(page) == []
    page.get_by_role("link", name="Utgående meddelanden").click()
    assert axe_violations(page) == []
