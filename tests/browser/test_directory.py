"""A resident searches the directory by keyboard and opens what they found."""

import pytest

from tests.activities.factories import ActivityFactory
from tests.browser_support import axe_violations
from tests.factories import AreaFactory, LanguageFactory, LocalityFactory, TargetGroupFactory
from tests.organizations.factories import OrganizationFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def directory():
    ekero = LocalityFactory(slug="ekero-centrum", name_sv="Ekerö centrum", name_en="Ekerö centrum")
    stenhamra = LocalityFactory(slug="stenhamra", name_sv="Stenhamra", name_en="Stenhamra")
    area = AreaFactory(slug="halsa", name_sv="Hälsa", name_en="Health")
    seniors = TargetGroupFactory(slug="seniorer", name_sv="Seniorer", name_en="Older people")
    swedish = LanguageFactory()
    pro = OrganizationFactory(
        name="PRO Ekerö",
        slug="pro-ekero",
        purpose="Gemenskap och aktiviteter för pensionärer.",
        phone="08-560 000 00",
        website="https://pro.example.se",
    )
    pro.localities.add(ekero)
    pro.areas.add(area)
    walk = ActivityFactory(
        title="Promenad vid sjön",
        slug="promenad-vid-sjon",
        description="Vi tar promenader i lugn takt och fikar efteråt.",
        organization=pro,
        locality=ekero,
        place_name="Kajutan",
        weekdays="2",
        contact_phone="08-560 000 01",
    )
    walk.areas.add(area)
    walk.target_groups.add(seniors)
    walk.languages.add(swedish)
    ActivityFactory(
        title="Språkcafé",
        slug="sprakcafe",
        description="Öva svenska över en kopp kaffe.",
        organization=OrganizationFactory(name="Röda Korset Ekerö", slug="roda-korset"),
        locality=stenhamra,
        weekdays="0",
        is_free=False,
        cost="20 kr",
    )
    return {"walk": walk, "pro": pro}


def result_titles(page) -> list[str]:
    return page.locator(".result__title").all_inner_texts()


def test_search_and_filter_by_keyboard_then_open_the_pages(page, directory):
    page.goto("/directory/")
    assert page.locator("html").get_attribute("lang") == "sv"
    assert sorted(result_titles(page)) == ["Promenad vid sjön", "Språkcafé"]
    assert axe_violations(page) == []

    # Words: "promenad" also finds "promenader".
    page.locator("#id_q").focus()
    page.keyboard.type("promenad")
    page.keyboard.press("Enter")
    page.wait_for_url("**/directory/?*q=promenad*")
    page.wait_for_function("document.querySelectorAll('.result__title').length === 1")
    assert result_titles(page) == ["Promenad vid sjön"]

    # Filters: clear the words, choose Wednesday and "free of charge" by keyboard.
    page.locator("#id_q").focus()
    page.keyboard.press("Control+A")
    page.keyboard.press("Delete")
    page.locator("#id_weekday").focus()
    for _ in range(3):  # Any day → Monday → Tuesday → Wednesday
        page.keyboard.press("ArrowDown")
    assert page.locator("#id_weekday").input_value() == "2"
    page.keyboard.press("Tab")
    page.keyboard.press("Space")
    assert page.locator("#id_free").is_checked()
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.wait_for_url("**weekday=2*")
    page.wait_for_function("document.querySelectorAll('.result__title').length === 1")
    assert result_titles(page) == ["Promenad vid sjön"]
    assert "Ekerö centrum, Kajutan" in page.locator(".result").first.inner_text()

    # Open the activity by keyboard.
    page.locator(".result__title a").first.focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/activities/promenad-vid-sjon/")
    assert page.locator("h1").inner_text() == "Promenad vid sjön"
    assert axe_violations(page) == []

    # Then its organiser.
    page.get_by_role("link", name="PRO Ekerö").focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/organisations/pro-ekero/")
    assert page.locator("h1").inner_text() == "PRO Ekerö"
    assert axe_violations(page) == []


def test_the_directory_works_without_javascript(browser, live_server, directory):
    context = browser.new_context(
        base_url=live_server.url, locale="sv-SE", java_script_enabled=False
    )
    page = context.new_page()
    page.goto("/directory/")
    page.locator("#id_q").fill("kaffe")
    page.locator("#id_q").press("Enter")
    page.wait_for_url("**q=kaffe*")
    assert result_titles(page) == ["Språkcafé"]
    context.close()


@pytest.mark.parametrize("language", ["sv", "en"])
@pytest.mark.parametrize(
    "path",
    [
        "/directory/",
        "/directory/?show=organisations",
        "/directory/?weekday=9&area=finns-inte&page=99",
        "/directory/print/",
        "/organisations/pro-ekero/",
        "/activities/promenad-vid-sjon/",
    ],
)
def test_directory_pages_have_no_axe_violations(page, directory, path, language):
    page.goto("/")
    if language == "en":
        page.get_by_role("button", name="English").click()
        page.wait_for_load_state()
    page.goto(path)
    assert page.locator("html").get_attribute("lang") == language
    assert axe_violations(page) == []


@pytest.mark.parametrize("path", ["/directory/", "/activities/promenad-vid-sjon/"])
def test_directory_reflows_on_a_small_phone(page, directory, path):
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(path)
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
