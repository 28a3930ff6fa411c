import io

import pytest
from django.core.management import call_command

from tillsammans.activities.models import Activity, Cancellation
from tillsammans.core.swedish_ids import normalise_organisation_number
from tillsammans.organizations.models import LegalForm, Organization, OrganizationStatus

pytestmark = pytest.mark.django_db

MODELS = [Organization, Activity, Cancellation]


def _counts():
    return {model.__name__: model.objects.count() for model in MODELS}


@pytest.fixture
def seeded():
    call_command("seed_demo", stdout=io.StringIO())


def test_demo_directory_is_large_and_believable(seeded):
    assert Organization.objects.count() >= 40
    assert Activity.objects.count() >= 120
    assert Activity.objects.public().count() >= 110
    assert Organization.objects.public().count() >= 35
    for name in ("Röda Korset Ekerö", "PRO Ekerö", "Ekerö Handikappsegling", "ABF Mälaröarna"):
        assert Organization.objects.filter(name=name, status=OrganizationStatus.VERIFIED).exists()
    assert (
        Organization.objects.get(slug="pro-ekero")
        .representatives.filter(user__email="sara@demo.example")
        .exists()
    )
    # The register officer's queue has work.
    assert Organization.objects.filter(status=OrganizationStatus.PENDING).count() >= 2
    assert Organization.objects.filter(status=OrganizationStatus.NEEDS_UPDATE).exists()
    # The municipality organises its open meeting places itself.
    assert Activity.objects.filter(title__startswith="Kajutan", department__isnull=False).exists()
    assert Activity.objects.filter(title__contains="Stockbygården").exists()
    assert Cancellation.objects.exists()
    assert Activity.objects.filter(recurrence="biweekly").exists()
    assert Activity.objects.filter(recurrence="once").exists()
    assert Activity.objects.filter(is_free=False).exists()


def test_every_demo_organisation_number_validates(seeded):
    for org in Organization.objects.all():
        if org.legal_form in LegalForm.without_number():
            assert org.organisation_number == ""
        else:
            assert normalise_organisation_number(org.organisation_number) == (
                org.organisation_number
            )


def test_demo_data_is_idempotent(seeded):
    first = _counts()
    call_command("seed_demo", stdout=io.StringIO())
    assert _counts() == first
