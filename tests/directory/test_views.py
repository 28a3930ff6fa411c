"""The directory pages as a visitor sees them: bad input, paging, messages."""

import datetime

import pytest
from django.urls import reverse

from tests.activities.factories import ActivityFactory
from tests.factories import AreaFactory, DepartmentFactory, LanguageFactory, LocalityFactory
from tests.organizations.factories import OrganizationFactory
from tillsammans.activities.models import Cancellation
from tillsammans.directory.views import PAGE_SIZE

pytestmark = pytest.mark.django_db

SEARCH = reverse("directory:search")
PRINT = reverse("directory:print")


def test_search_lists_activities_with_when_and_where(english_client):
    locality = LocalityFactory(name_sv="Ekerö centrum", name_en="Ekerö centrum")
    ActivityFactory(
        title="Stickcafé",
        locality=locality,
        place_name="Kajutan",
        weekdays="2",
        organization=OrganizationFactory(name="PRO Ekerö"),
    )
    response = english_client.get(SEARCH)
    assert response.status_code == 200
    html = response.content.decode()
    assert "1 activity found" in html
    assert "Stickcafé" in html
    assert "Wednesdays 14:00–16:00" in html
    assert "Ekerö centrum, Kajutan" in html
    assert "PRO Ekerö" in html
    assert 'href="/activities/' in html


def test_search_filters_by_words_and_keeps_what_was_typed(english_client):
    ActivityFactory(title="Promenad", description="Runt sjön")
    ActivityFactory(title="Kör", description="Vi sjunger")
    response = english_client.get(SEARCH, {"q": "sjunger", "free": "on"})
    html = response.content.decode()
    assert "Kör" in html
    assert "Promenad" not in html
    assert 'value="sjunger"' in html
    assert "checked" in html


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"area": "no-such-area"}, "area"),
        ({"target_group": "nobody"}, "target_group"),
        ({"locality": "atlantis"}, "locality"),
        ({"language": "xx"}, "language"),
        ({"weekday": "9"}, "weekday"),
        ({"weekday": "onsdag"}, "weekday"),
    ],
)
def test_unknown_filter_values_are_left_out_with_a_message(english_client, params, field):
    ActivityFactory(title="Fika")
    response = english_client.get(SEARCH, params)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Some of your choices were left out" in html
    assert f'href="#id_{field}"' in html
    assert "so it was left out" in html
    assert "Fika" in html  # the other filters still apply: here, none


def test_a_valid_filter_still_applies_next_to_an_unknown_one(english_client):
    area = AreaFactory()
    ActivityFactory(title="Med område").areas.add(area)
    ActivityFactory(title="Utan område")
    html = english_client.get(SEARCH, {"area": area.slug, "weekday": "9"}).content.decode()
    assert "Med område" in html
    assert "Utan område" not in html


def test_empty_results_say_so(english_client):
    response = english_client.get(SEARCH, {"q": "ingenting"})
    html = response.content.decode()
    assert "0 activities found" in html
    assert "Nothing matches all your choices." in html


@pytest.mark.parametrize(
    ("page", "shown", "clamped"),
    [("2", 2, False), ("abc", 1, True), ("999999", 2, True), ("-1", 2, True), ("", 1, False)],
)
def test_paging_never_crashes(english_client, page, shown, clamped):
    for number in range(PAGE_SIZE + 3):
        ActivityFactory(title=f"Aktivitet {number:02d}")
    response = english_client.get(SEARCH, {"page": page})
    assert response.status_code == 200
    assert response.context["page"].number == shown
    html = response.content.decode()
    assert ("That page does not exist." in html) is clamped
    assert f"Page {shown} of 2" in html


@pytest.mark.parametrize("words", ["", "aktivitet förening"])
@pytest.mark.parametrize("show", ["activities", "organisations"])
def test_each_page_lists_its_own_rows_in_alphabetical_order(english_client, show, words):
    # Created out of order, so the ids' order is not the alphabetical one.
    for number in reversed(range(PAGE_SIZE + 5)):
        if show == "activities":
            ActivityFactory(title=f"Aktivitet {number:02d}")
        else:
            OrganizationFactory(name=f"Förening {number:02d}")
    query = {"show": show, "q": words.split()[0 if show == "activities" else -1] if words else ""}
    first = english_client.get(SEARCH, query).context["page"]
    second = english_client.get(SEARCH, {**query, "page": 2}).context["page"]
    assert first.paginator.count == PAGE_SIZE + 5
    rows = [*first.object_list, *second.object_list]
    names = [getattr(row, "title", None) or row.name for row in rows]
    prefix = "Aktivitet" if show == "activities" else "Förening"
    assert names == [f"{prefix} {number:02d}" for number in range(PAGE_SIZE + 5)]


def test_paging_links_keep_the_filters(english_client):
    area = AreaFactory(slug="fritid")
    for number in range(PAGE_SIZE + 1):
        ActivityFactory(title=f"Aktivitet {number:02d}").areas.add(area)
    html = english_client.get(SEARCH, {"area": "fritid"}).content.decode()
    assert 'href="?area=fritid&amp;page=2" rel="next"' in html


def test_organisations_tab(english_client):
    OrganizationFactory(name="Röda Korset Ekerö", purpose="Vi hjälper till.")
    ActivityFactory(title="Aktiviteten")
    response = english_client.get(SEARCH, {"show": "organisations"})
    html = response.content.decode()
    assert "Röda Korset Ekerö" in html
    assert "Aktiviteten" not in html
    assert 'aria-current="page">Associations and organisations' in html
    # An unknown tab means the default one.
    html = english_client.get(SEARCH, {"show": "weird"}).content.decode()
    assert "Aktiviteten" in html


def test_htmx_request_gets_only_the_search_region(client):
    ActivityFactory(title="Fika")
    response = client.get(SEARCH, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert "Fika" in html
    assert "<html" not in html
    assert 'id="filters-heading"' in html


def test_printable_catalogue(english_client):
    adelso = LocalityFactory(name_sv="Adelsö", name_en="Adelsö", sort_order=1)
    ekero = LocalityFactory(name_sv="Ekerö", name_en="Ekerö", sort_order=2)
    ActivityFactory(title="Boule", locality=ekero, is_free=False, cost="20 kr")
    ActivityFactory(title="Bokcirkel", locality=adelso, contact_phone="08-123 456")
    response = english_client.get(PRINT)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Ctrl and P" in html
    assert html.index("Adelsö") < html.index("Bokcirkel") < html.index("Ekerö</h2>")
    assert html.index("Ekerö</h2>") < html.index("Boule")
    assert "20 kr" in html
    assert "08-123 456" in html
    # The same filters as the search.
    html = english_client.get(PRINT, {"locality": adelso.slug, "weekday": "2"}).content.decode()
    assert "Bokcirkel" in html
    assert "Boule" not in html
    assert "<dt>Locality</dt><dd>Adelsö</dd>" in html
    assert "<dt>Day of the week</dt><dd>Wednesday</dd>" in html


def test_printable_catalogue_says_when_it_is_cut(english_client, monkeypatch):
    from tillsammans.directory import selectors

    monkeypatch.setattr(selectors, "PRINT_LIMIT", 1)
    ActivityFactory()
    ActivityFactory()
    html = english_client.get(PRINT, {"weekday": "77"}).content.decode()
    assert "More than 1 activities match" in html


def test_organisation_page_shows_public_details_but_not_payment(english_client):
    organization = OrganizationFactory(
        name="PRO Ekerö",
        purpose="Gemenskap för pensionärer.",
        email="info@pro.example.se",
        phone="08-560 000 00",
        website="https://pro.example.se",
        founding_year=1972,
        member_count=340,
        bankgiro="56781234",
        plusgiro="4711",
        premises_accessibility="Ramp vid entrén.",
    )
    organization.languages.add(LanguageFactory())
    ActivityFactory(organization=organization, title="Boule på tisdagar", weekdays="1")
    response = english_client.get(reverse("directory:organization", args=[organization.slug]))
    assert response.status_code == 200
    html = response.content.decode()
    for text in [
        "PRO Ekerö",
        "Gemenskap för pensionärer.",
        "info@pro.example.se",
        "08-560 000 00",
        "https://pro.example.se",
        "1972",
        "340",
        "Ramp vid entrén.",
        organization.organisation_number_display,
        "Boule på tisdagar",
        "Tuesdays 14:00–16:00",
        "Swedish",
    ]:
        assert text in html, text
    assert "5678" not in html
    assert "4711" not in html
    assert "Not public yet" not in html


def test_activity_page_shows_schedule_next_dates_and_cancellations(english_client):
    tomorrow = datetime.date.today() + datetime.timedelta(days=1)  # noqa: DTZ011
    activity = ActivityFactory(
        title="Språkcafé",
        weekdays=str(tomorrow.weekday()),
        starts_on=tomorrow - datetime.timedelta(days=28),
        contact_name="Lena",
        contact_email="lena@example.se",
        registration_required=True,
        registration_info="Ring Lena.",
        accessibility="Hörslinga finns.",
    )
    Cancellation.objects.create(activity=activity, date=tomorrow, reason="Sportlov")
    response = english_client.get(reverse("directory:activity", args=[activity.slug]))
    assert response.status_code == 200
    assert response.context["upcoming_dates"] == [
        tomorrow + datetime.timedelta(weeks=week) for week in range(1, 6)
    ]
    html = response.content.decode()
    assert "14:00–16:00" in html
    assert html.count("<time") == 6  # five dates and one cancellation
    assert "Sportlov" in html
    assert "Ring Lena." in html
    assert "Hörslinga finns." in html
    assert "lena@example.se" in html
    assert f'href="/organisations/{activity.organization.slug}/"' in html


def test_municipal_activity_names_the_department(english_client):
    department = DepartmentFactory(name_en="Social services")
    activity = ActivityFactory(organization=None, department=department)
    html = english_client.get(reverse("directory:activity", args=[activity.slug])).content.decode()
    assert "Social services" in html


def test_start_page_links_to_the_directory(english_client):
    html = english_client.get("/").content.decode()
    assert f'href="{SEARCH}"' in html
    assert "Find activities and associations" in html


@pytest.mark.parametrize("words", ["&", "fika:*", "'; drop table", "!(", "___", "x" * 500])
def test_odd_search_words_never_crash(english_client, words):
    ActivityFactory(title="Fika")
    assert english_client.get(SEARCH, {"q": words}).status_code == 200


def test_a_very_wide_search_says_more_than_the_cap_and_offers_no_pages_past_it(client, monkeypatch):
    from tillsammans.directory import views

    monkeypatch.setattr(views, "COUNT_CAP", 40)
    ActivityFactory.create_batch(45)
    response = client.get("/directory/?page=3")
    html = response.content.decode()
    assert "Fler än 40 träffar" in html
    assert response.context["page"].paginator.num_pages == 2
    assert response.context["page_clamped"]


@pytest.mark.parametrize(
    ("language", "shown"), [("sv", "arabiska, svenska"), ("en", "Arabic, Swedish")]
)
def test_result_cards_name_the_languages_in_the_pages_language(client, language, shown):
    activity = ActivityFactory(title="Språkcafé")
    activity.languages.add(
        LanguageFactory(code="sv", name_sv="svenska", name_en="Swedish"),
        LanguageFactory(code="ar", name_sv="arabiska", name_en="Arabic", native_name="العربية"),
    )
    client.cookies["tillsammans_language"] = language
    assert f"<dd>{shown}</dd>" in client.get(SEARCH).content.decode()
