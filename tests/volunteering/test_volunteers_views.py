"""The volunteer pages as a person uses them: sign up, confirm, their own page,
and the coordinators' list and detail."""

import json
import re

import pytest
from django.db.models import Q
from django.test import Client
from django.urls import reverse, set_script_prefix

from tests.factories import LanguageFactory, LocalityFactory, UserFactory
from tests.notifications.factories import OutboxMessageFactory
from tests.organizations.factories import OrganizationFactory
from tests.volunteering.factories import (
    CampaignFactory,
    SafeguardingCheckFactory,
    VolunteerFactory,
)
from tillsammans.audit.models import AuditEntry
from tillsammans.notifications.models import OutboxMessage
from tillsammans.volunteering.forms.volunteers import VolunteerSignUpForm
from tillsammans.volunteering.models import (
    Campaign,
    CampaignQuestion,
    CampaignSignup,
    Volunteer,
    VolunteerStatus,
)
from tillsammans.volunteering.services.volunteers import link_token_hash

pytestmark = pytest.mark.django_db

SIGN_UP = reverse("volunteering:volunteer_signup")
PROFILE = reverse("volunteering:volunteer_profile")


@pytest.fixture
def client():
    """English pages: the source strings hold before and after the Swedish catalogue is merged."""
    client = Client()
    client.cookies["tillsammans_language"] = "en"
    return client


def form_data(taxonomy, **overrides):
    data = {
        "full_name": "Omar Volontär",
        "email": "omar@example.se",
        "phone": "070-123 45 67",
        "postal_code": "178 30",
        "locality": "",
        "max_distance_km": "10",
        "languages": [taxonomy["swedish"].pk],
        "help_types": [taxonomy["shopping"].pk],
        "availability": ["2-afternoon", "6-morning"],
        "max_requests_per_week": "2",
        "organization": "",
        "consent": "on",
    }
    data.update(overrides)
    return data


def open_link(client, message):
    token = re.search(r"/volunteer/me/([\w-]+)/", message.body).group(1)
    return client.get(reverse("volunteering:volunteer_link", args=[token]))


# --- Sign-up -----------------------------------------------------------------------------------


def test_sign_up_page_is_swedish_first_and_has_every_part(taxonomy):
    html = Client().get(SIGN_UP).content.decode()
    assert '<html lang="sv"' in html
    for name in ("full_name", "email", "phone", "postal_code", "locality", "consent"):
        assert f'name="{name}"' in html
    assert html.count('name="availability"') == 21
    assert '<th scope="row">' in html and '<th scope="col">' in html
    assert reverse("core:privacy") in html
    assert "<script" not in html.split("</head>")[1]


def test_sign_up_then_confirm_then_own_page(client, taxonomy):
    response = client.post(SIGN_UP, form_data(taxonomy))

    assert response.status_code == 302
    assert response["Location"] == reverse("volunteering:volunteer_signup_sent")
    sent = client.get(response["Location"]).content.decode()
    assert "o…@example.se" in sent
    volunteer = Volunteer.objects.get()
    assert volunteer.status == VolunteerStatus.UNVERIFIED
    assert volunteer.max_requests_per_week == 2
    assert volunteer.language == "en"

    response = open_link(client, OutboxMessage.objects.get())

    assert response.status_code == 302 and response["Location"] == PROFILE
    page = client.get(PROFILE).content.decode()
    assert "Omar Volontär" in page and "Your sign-up is confirmed" in page
    assert "Tuesday: Afternoon (12–17)" in page
    volunteer.refresh_from_db()
    assert volunteer.status == VolunteerStatus.ACTIVE


def test_a_failed_sign_up_keeps_everything_typed_and_lists_the_errors(client, taxonomy):
    data = form_data(taxonomy, phone="12345", postal_code="999 99", consent="")

    response = client.post(SIGN_UP, data)

    assert response.status_code == 200
    html = response.content.decode()
    summary = html.split('class="error-summary"')[1].split("</div>")[0]
    assert 'href="#id_phone"' in summary and "“12345” is not a mobile number" in summary
    assert 'href="#id_postal_code"' in summary and "999 99" in summary
    assert 'href="#id_consent"' in summary
    assert 'value="Omar Volontär"' in html and 'value="12345"' in html
    assert re.search(r'value="2-afternoon" id="id_availability_2-afternoon"[^>]* checked>', html)
    assert not re.search(r'value="1-morning"[^>]* checked>', html)
    assert re.search(rf'value="{taxonomy["shopping"].pk}"[^>]*checked', html)
    assert not Volunteer.objects.exists() and not OutboxMessage.objects.exists()


def test_double_submission_gives_one_volunteer(client, taxonomy):
    client.post(SIGN_UP, form_data(taxonomy))
    second = Client()
    response = second.post(SIGN_UP, form_data(taxonomy))
    assert response.status_code == 302
    assert Volunteer.objects.count() == 1 and OutboxMessage.objects.count() == 1


# --- Sign-ups per network and hour -----------------------------------------------------------


def sign_up_as(client, taxonomy, number):
    return client.post(SIGN_UP, form_data(taxonomy, email=f"volontar{number}@example.se", phone=""))


def test_sign_ups_are_limited_per_address_and_hour(client, taxonomy, settings):
    settings.VOLUNTEERING_SIGNUP_RATE = 3
    for number in range(3):
        assert sign_up_as(client, taxonomy, number).status_code == 302

    blocked = sign_up_as(client, taxonomy, 3)

    assert blocked.status_code == 429
    assert "Too many sign-ups" in blocked.text
    assert Volunteer.objects.count() == OutboxMessage.objects.count() == 3
    assert client.get(SIGN_UP).status_code == 200  # the page itself still shows
    # Another network is not affected.
    other = Client(REMOTE_ADDR="192.0.2.7")
    other.cookies["tillsammans_language"] = "en"
    assert sign_up_as(other, taxonomy, 4).status_code == 302
    assert Volunteer.objects.count() == 4


def test_the_limit_is_read_when_asked_and_twenty_by_default(client, taxonomy, settings):
    del settings.VOLUNTEERING_SIGNUP_RATE
    for number in range(20):
        assert sign_up_as(client, taxonomy, number).status_code == 302
    assert sign_up_as(client, taxonomy, 20).status_code == 429

    settings.VOLUNTEERING_SIGNUP_RATE = 21  # raised, e.g. for a benchmark

    assert sign_up_as(client, taxonomy, 21).status_code == 302
    assert Volunteer.objects.count() == 21


def test_failed_sign_ups_do_not_use_up_the_limit(client, taxonomy, settings):
    settings.VOLUNTEERING_SIGNUP_RATE = 1
    for _attempt in range(3):
        response = client.post(SIGN_UP, form_data(taxonomy, phone="08-123 45 67", email=""))
        assert response.status_code == 200 and "not a mobile number" in response.text

    assert sign_up_as(client, taxonomy, 1).status_code == 302
    assert sign_up_as(client, taxonomy, 2).status_code == 429
    assert Volunteer.objects.count() == 1


def test_a_volunteer_joining_a_campaign_is_no_new_sign_up(volunteer_client, settings):
    settings.VOLUNTEERING_SIGNUP_RATE = 0
    CampaignFactory(slug="vinter")

    response = volunteer_client.post(reverse("volunteering:campaign_signup", args=["vinter"]))

    assert response.status_code == 302
    assert CampaignSignup.objects.filter(volunteer=volunteer_client.volunteer).exists()


def test_signed_in_person_is_prefilled_and_linked(client, taxonomy):
    user = UserFactory(email="omar@example.se", full_name="Omar Volontär", verified=True)
    client.force_login(user)
    html = client.get(SIGN_UP).content.decode()
    assert 'value="omar@example.se"' in html and 'value="Omar Volontär"' in html

    response = client.post(SIGN_UP, form_data(taxonomy))

    assert response["Location"] == PROFILE
    assert Volunteer.objects.get().user == user
    again = client.get(SIGN_UP)
    assert again.status_code == 302 and again["Location"] == PROFILE


def test_only_verified_organisations_are_offered(client, taxonomy):
    verified = OrganizationFactory(name="Röda Korset Ekerö")
    OrganizationFactory(name="Väntar Förening", status="pending")
    html = client.get(SIGN_UP).content.decode()
    assert "Röda Korset Ekerö" in html and "Väntar Förening" not in html
    client.post(SIGN_UP, form_data(taxonomy, organization=verified.pk))
    assert Volunteer.objects.get().organization == verified


# --- Campaigns ----------------------------------------------------------------------------------


def test_campaign_sign_up_with_its_questions(client, taxonomy):
    campaign = CampaignFactory(
        slug="vinter", title="Snöskottning vintern", help_types=[taxonomy["shopping"]]
    )
    car = CampaignQuestion.objects.create(
        campaign=campaign, text="Har du egen bil?", kind="yes_no", required=True
    )
    url = reverse("volunteering:campaign_signup", args=["vinter"])
    html = client.get(url).content.decode()
    assert "Snöskottning vintern" in html and "Har du egen bil?" in html

    response = client.post(url, form_data(taxonomy))
    assert response.status_code == 200
    assert f'href="#id_question_{car.pk}"' in response.content.decode()
    assert not Volunteer.objects.exists()

    response = client.post(url, form_data(taxonomy, **{f"question_{car.pk}": "yes"}))
    assert response.status_code == 302
    assert CampaignSignup.objects.get().answers == {str(car.pk): "yes"}


def test_closed_campaign_says_so_and_shows_no_form(client, taxonomy):
    CampaignFactory(slug="covid", title="Handlingshjälp covid-19", status="closed")
    url = reverse("volunteering:campaign_signup", args=["covid"])
    html = client.get(url).content.decode()
    assert "is closed" in html and '<form method="post" class="form"' not in html
    response = client.post(url, form_data(taxonomy))
    assert response.status_code == 200 and not Volunteer.objects.exists()


def test_campaign_pages_link_to_the_campaigns_sign_up_page(client, roles, taxonomy):
    CampaignFactory(slug="vinter", title="Vinterhjälp")
    coordinator = roles.client("staff_coordinator")
    pages = [
        (client, reverse("volunteering:campaign", args=["vinter"])),
        (coordinator, reverse("volunteering:staff_campaign", args=["vinter"])),
    ]
    # Served under /kommun/ (a municipality's portal): links must be reversed,
    # not written out.
    set_script_prefix("/kommun/")
    try:
        for page_client, url in pages:
            page = page_client.get(url)
            assert page.status_code == 200
            assert 'href="/kommun/volunteer/campaigns/vinter/"' in page.content.decode()
    finally:
        set_script_prefix("/")


def test_a_campaign_closed_while_signing_up_says_so_and_keeps_nobody(client, taxonomy, monkeypatch):
    campaign = CampaignFactory(slug="vinter", title="Vinterhjälp")
    details = VolunteerSignUpForm.details

    def closed_meanwhile(form):
        # A coordinator closes the campaign after the page checked it.
        Campaign.objects.filter(pk=campaign.pk).update(status="closed")
        return details(form)

    monkeypatch.setattr(VolunteerSignUpForm, "details", closed_meanwhile)

    response = client.post(
        reverse("volunteering:campaign_signup", args=["vinter"]), form_data(taxonomy)
    )

    assert response.status_code == 409
    assert "Vinterhjälp" in response.content.decode()
    assert not Volunteer.objects.exists() and not CampaignSignup.objects.exists()
    assert not OutboxMessage.objects.exists()


def test_a_volunteer_joins_a_campaign_with_only_its_questions(client, taxonomy):
    volunteer = VolunteerFactory(access_token_hash=link_token_hash("nyckel"))
    client.get(reverse("volunteering:volunteer_link", args=["nyckel"]))
    CampaignFactory(slug="vinter")
    url = reverse("volunteering:campaign_signup", args=["vinter"])
    html = client.get(url).content.decode()
    assert 'name="full_name"' not in html and "Join the campaign" in html
    assert client.post(url, {}).status_code == 302
    assert CampaignSignup.objects.get().volunteer == volunteer
    assert "already signed up for this campaign" in client.get(url).content.decode()


# --- The link again, and links that do not work ------------------------------------------------


def test_link_again_answers_the_same_for_known_and_unknown_addresses(client):
    VolunteerFactory(email="anna@example.se")
    url = reverse("volunteering:volunteer_link_request")
    known = client.post(url, {"address": "anna@example.se"}).content.decode()
    unknown = client.post(url, {"address": "okand@example.se"}).content.decode()
    strip = lambda html: re.sub(r'value="[^"]*"', "", html)  # noqa: E731
    assert strip(known) == strip(unknown)
    assert "If a volunteer has signed up with that address" in known
    assert OutboxMessage.objects.count() == 1


def test_link_again_with_something_that_is_no_address(client):
    url = reverse("volunteering:volunteer_link_request")
    html = client.post(url, {"address": "070-12"}).content.decode()
    assert "error-summary" in html and "is not a mobile number" in html


def test_an_old_link_answers_404_with_a_way_forward(client):
    response = client.get(reverse("volunteering:volunteer_link", args=["gammal"]))
    assert response.status_code == 404
    assert reverse("volunteering:volunteer_link_request") in response.content.decode()


# --- The volunteer's own page -------------------------------------------------------------------


@pytest.fixture
def volunteer_client(client, taxonomy):
    volunteer = VolunteerFactory(
        full_name="Anna Andersson",
        email="anna@example.se",
        access_token_hash=link_token_hash("annas-nyckel"),
        help_types=[taxonomy["visit"]],
        languages=[taxonomy["swedish"]],
        locality=taxonomy["locality"],
    )
    client.get(reverse("volunteering:volunteer_link", args=["annas-nyckel"]))
    client.volunteer = volunteer
    return client


def test_own_page_shows_details_and_the_police_record_note(volunteer_client):
    html = volunteer_client.get(PROFILE).content.decode()
    assert "Anna Andersson" in html and "anna@example.se" in html
    assert "Any time" in html
    assert "utdrag ur belastningsregistret" in html
    SafeguardingCheckFactory(volunteer=volunteer_client.volunteer)
    assert "needs renewing by" in volunteer_client.get(PROFILE).content.decode()


def test_change_details_keeps_typed_data_on_error(volunteer_client, taxonomy):
    url = reverse("volunteering:volunteer_edit")
    html = volunteer_client.get(url).content.decode()
    assert 'value="Anna Andersson"' in html and 'name="consent"' not in html
    data = form_data(taxonomy, full_name="Anna Berg", email="", phone="")
    response = volunteer_client.post(url, data)
    assert response.status_code == 200
    assert 'value="Anna Berg"' in response.content.decode()
    assert 'href="#id_email"' in response.content.decode()

    response = volunteer_client.post(
        url, form_data(taxonomy, full_name="Anna Berg", email="anna@example.se")
    )
    assert response.status_code == 302
    volunteer = Volunteer.objects.get(pk=volunteer_client.volunteer.pk)
    assert volunteer.full_name == "Anna Berg" and volunteer.email_verified_at is not None


def test_pause_and_resume(volunteer_client):
    url = reverse("volunteering:volunteer_pause")
    response = volunteer_client.post(url, {"until": "2000-01-01"})
    assert response.status_code == 200 and "after today" in response.content.decode()
    assert volunteer_client.post(url, {"until": ""}).status_code == 302
    volunteer = Volunteer.objects.get(pk=volunteer_client.volunteer.pk)
    assert volunteer.status == VolunteerStatus.PAUSED
    assert "You are paused until you resume" in volunteer_client.get(PROFILE).content.decode()

    volunteer_client.post(reverse("volunteering:volunteer_resume"))

    volunteer.refresh_from_db()
    assert volunteer.status == VolunteerStatus.ACTIVE


def test_export_downloads_json(volunteer_client):
    response = volunteer_client.post(reverse("volunteering:volunteer_export"))
    assert response["Content-Type"].startswith("application/json")
    assert "attachment" in response["Content-Disposition"]
    data = json.loads(response.content)
    assert data["volunteer"]["name"] == "Anna Andersson"


def test_leave_asks_first_then_erases_and_forgets_the_session(volunteer_client):
    url = reverse("volunteering:volunteer_leave")
    html = volunteer_client.get(url).content.decode()
    assert "cannot be undone" in html
    OutboxMessageFactory(address="anna@example.se", sent=True, body="Hej Anna Andersson!")

    response = volunteer_client.post(url)

    assert response.status_code == 302
    volunteer = Volunteer.objects.get(pk=volunteer_client.volunteer.pk)
    assert volunteer.status == VolunteerStatus.LEFT and volunteer.full_name == ""
    # No account, so only the address finds her messages: none is left.
    assert not OutboxMessage.objects.filter(
        Q(address="anna@example.se") | Q(body__contains="Anna")
    ).exists()
    assert volunteer_client.get(PROFILE)["Location"] == reverse(
        "volunteering:volunteer_link_request"
    )


def test_a_volunteer_cannot_reach_another_volunteers_page(volunteer_client):
    other = VolunteerFactory(full_name="Bertil Berg", access_token_hash=link_token_hash("b"))
    html = volunteer_client.get(PROFILE).content.decode()
    assert "Bertil Berg" not in html
    detail = volunteer_client.get(reverse("volunteering:volunteer_detail", args=[other.uuid]))
    assert detail.status_code == 302  # anonymous: to sign in


# --- Coordinators -----------------------------------------------------------------------------


def test_staff_list_filters(roles, taxonomy):
    arabic = LanguageFactory(code="ar", name_sv="arabiska", name_en="Arabic")
    other_place = LocalityFactory(slug="adelso", name_sv="Adelsö")
    VolunteerFactory(full_name="Amal Arabiska", languages=[arabic], locality=taxonomy["locality"])
    VolunteerFactory(full_name="Bertil Borg", locality=other_place, help_types=[taxonomy["visit"]])
    VolunteerFactory(full_name="Paula Paus", status=VolunteerStatus.PAUSED)
    VolunteerFactory(full_name="", email="", status=VolunteerStatus.LEFT)
    client = roles.client("staff_coordinator")
    url = reverse("volunteering:volunteer_list")

    def names(**query):
        html = client.get(url, query).content.decode()
        return {name for name in ("Amal", "Bertil", "Paula") if name in html}

    assert names() == {"Amal", "Bertil", "Paula"}
    assert names(language=arabic.pk) == {"Amal"}
    assert names(locality=other_place.pk) == {"Bertil"}
    assert names(help_type=taxonomy["visit"].pk) == {"Bertil"}
    assert names(status="paused") == {"Paula"}
    assert names(status="active") == {"Amal", "Bertil"}
    assert names(q="bertil") == {"Bertil"}
    assert "left" in client.get(url, {"status": "left"}).content.decode().lower()


@pytest.mark.parametrize("count", [3, 30])
def test_staff_list_has_a_fixed_query_count(roles, django_assert_num_queries, count, taxonomy):
    client = roles.client("staff_coordinator")
    url = reverse("volunteering:volunteer_list")
    client.get(url)  # the session and two-factor state settle on the first request
    for n in range(count):
        VolunteerFactory(full_name=f"Volontär {n}", help_types=[taxonomy["shopping"]])
    with django_assert_num_queries(11):
        response = client.get(url)
    assert response.content.decode().count('<th scope="row"><a href="/staff/volunteers/') == count


def test_staff_detail_shows_contacts_and_logs_the_read(roles):
    volunteer = VolunteerFactory(full_name="Anna Andersson", phone="+46701112233")
    client = roles.client("staff_coordinator")
    html = client.get(
        reverse("volunteering:volunteer_detail", args=[volunteer.uuid])
    ).content.decode()
    assert "+46701112233" in html and "Anna Andersson" in html
    entry = AuditEntry.objects.get(action=AuditEntry.Action.READ)
    assert entry.target_id == str(volunteer.uuid) and entry.actor == roles.user("staff_coordinator")
    assert "Anna" not in entry.target_label
