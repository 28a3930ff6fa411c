"""A person opens the start page, switches language and moves by keyboard."""

import pytest

from tests.browser_support import axe_violations
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_start_page_in_swedish_then_english_by_keyboard(page):
    page.goto("/")
    assert page.locator("html").get_attribute("lang") == "sv"
    assert page.locator("h1").inner_text() == "Tillsammans kan vi mer"
    assert axe_violations(page) == []

    # The first Tab reaches the skip link; following it puts focus on the main content.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"

    # Back to the top, then Tab to the language switch and press it.
    page.goto("/")
    for _ in range(10):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.getAttribute('lang')") == "en":
            break
    else:
        pytest.fail("The English language button was not reachable by keyboard.")
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("h1").inner_text() == "Together we can do more"
    assert axe_violations(page) == []


@pytest.mark.parametrize("language", ["sv", "en"])
@pytest.mark.parametrize(
    "path", ["/", "/accessibility/", "/privacy/", "/accounts/login/", "/accounts/signup/"]
)
def test_public_pages_have_no_axe_violations(page, path, language):
    page.goto("/")
    if language == "en":
        page.get_by_role("button", name="English").click()
        page.wait_for_load_state()
    page.goto(path)
    assert page.locator("html").get_attribute("lang") == language
    assert axe_violations(page) == []


def test_sign_in_by_keyboard(page):
    UserFactory(email="ingrid@example.se", full_name="Ingrid", verified=True)
    page.goto("/accounts/login/")
    page.get_by_label("E-post").focus()
    page.keyboard.type("ingrid@example.se")
    # Tab passes the "Forgot your password?" link, which sits under the label.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Glömt lösenordet?"
    page.keyboard.press("Tab")
    page.keyboard.type("correct horse battery staple")
    page.keyboard.press("Enter")
    page.wait_for_url("**/my-account/")
    assert page.locator("h1").inner_text() == "Mitt konto"
    assert axe_violations(page) == []


@pytest.mark.parametrize("path", ["/", "/accessibility/", "/privacy/", "/accounts/signup/"])
def test_pages_reflow_on_a_small_phone_without_sideways_scrolling(page, path):
    # WCAG 1.4.10: 320 CSS pixels wide, nothing but data tables may scroll sideways.
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(path)
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
