"""A volunteer's personal data: the account's export and erasure include the
volunteer profile; a volunteer without account exports and leaves from their page."""

import io
import json

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from tests.factories import UserFactory
from tests.volunteering.factories import (
    CampaignFactory,
    OfferFactory,
    SafeguardingCheckFactory,
    VolunteerFactory,
)
from tillsammans.accounts.models import User
from tillsammans.audit.models import AuditEntry
from tillsammans.core import personal_data
from tillsammans.volunteering.models import (
    CampaignQuestion,
    CampaignSignup,
    Offer,
    SafeguardingCheck,
    Volunteer,
    VolunteerStatus,
)

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"


@pytest.fixture
def volunteer_with_account():
    user = UserFactory(email="omar@example.se", full_name="Omar", verified=True)
    volunteer = VolunteerFactory(
        user=user, email="omar@example.se", phone="+46701112233", full_name="Omar Volontär"
    )
    campaign = CampaignFactory(title="Vinterhjälp")
    question = CampaignQuestion.objects.create(campaign=campaign, text="Har du bil?")
    CampaignSignup.objects.create(
        volunteer=volunteer, campaign=campaign, answers={str(question.pk): "Ja, en Volvo"}
    )
    SafeguardingCheckFactory(volunteer=volunteer)
    OfferFactory(volunteer=volunteer, status=Offer.Status.DONE, minutes_spent=45)
    return volunteer


def test_the_provider_is_registered():
    assert "volunteer" in {provider.key for provider in personal_data.providers()}


def test_account_export_holds_the_volunteer_profile(volunteer_with_account):
    client = Client()
    client.force_login(volunteer_with_account.user)
    data = json.loads(client.post(reverse("accounts:export")).content)
    profile = data["volunteer"]
    assert profile["name"] == "Omar Volontär" and profile["phone"] == "+46701112233"
    assert profile["campaigns"][0]["answers"] == {"Har du bil?": "Ja, en Volvo"}
    assert len(profile["police_record_checks"]) == 1
    assert profile["offers"][0]["minutes_spent"] == 45
    assert "resident" not in json.dumps(profile["offers"]).lower()


def test_account_export_without_a_volunteer_profile_says_none():
    user = UserFactory(verified=True)
    client = Client()
    client.force_login(user)
    assert json.loads(client.post(reverse("accounts:export")).content)["volunteer"] is None


def test_account_erasure_erases_the_volunteer_and_keeps_statistics(volunteer_with_account):
    client = Client()
    client.force_login(volunteer_with_account.user)
    response = client.post(reverse("accounts:erase"), {"password": PASSWORD, "confirm": "on"})
    assert response.status_code == 302
    assert not User.objects.filter(email="omar@example.se").exists()
    volunteer = Volunteer.objects.get(pk=volunteer_with_account.pk)
    assert volunteer.status == VolunteerStatus.LEFT
    assert (volunteer.full_name, volunteer.email, volunteer.phone) == ("", "", "")
    assert CampaignSignup.objects.get().answers == {}
    assert not SafeguardingCheck.objects.exists()
    assert Offer.objects.get().minutes_spent == 45


def test_a_volunteer_without_account_exports_everything_from_their_page():
    volunteer = VolunteerFactory(full_name="Anna", email="anna@example.se", access_token_hash="")
    client = Client()
    session = client.session
    session["volunteering_volunteer"] = str(volunteer.uuid)
    session.save()
    response = client.post(reverse("volunteering:volunteer_export"))
    exported = json.loads(response.content)["volunteer"]
    assert set(exported) >= {
        "name",
        "email",
        "phone",
        "postal_code",
        "locality",
        "languages",
        "help_types",
        "skills",
        "availability",
        "max_requests_per_week",
        "organization",
        "campaigns",
        "police_record_checks",
        "offers",
        "consent_version",
        "consented_at",
    }
    entry = AuditEntry.objects.get(action=AuditEntry.Action.EXPORT)
    assert entry.target_id == str(volunteer.uuid)


def test_seed_builds_about_sixty_volunteers_and_omar(settings):
    call_command("seed_demo", stdout=io.StringIO())
    volunteers = Volunteer.objects.exclude(status=VolunteerStatus.LEFT)
    assert 55 <= volunteers.count() <= 70
    omar = Volunteer.objects.get(user__email="omar@demo.example")
    assert omar.status == VolunteerStatus.ACTIVE and omar.is_verified
    assert volunteers.values("locality").distinct().count() >= 10
    assert volunteers.filter(languages__code="ar").exists()
    assert volunteers.filter(organization__slug="roda-korset-ekero").exists()
    assert SafeguardingCheck.objects.count() >= 5
    first = Volunteer.objects.count(), SafeguardingCheck.objects.count()
    call_command("seed_demo", stdout=io.StringIO())
    assert (Volunteer.objects.count(), SafeguardingCheck.objects.count()) == first
