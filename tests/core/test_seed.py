import io

import pytest
from django.core.management import CommandError, call_command

from tillsammans.accounts.models import Capability, Department, StaffMembership, User
from tillsammans.accounts.seed import DEMO_LOGINS, DEMO_PASSWORD
from tillsammans.core.models import Area, Language, Locality, PostalCode, TargetGroup

pytestmark = pytest.mark.django_db

MODELS = [User, Department, StaffMembership, Area, TargetGroup, Locality, PostalCode, Language]


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in MODELS}


def test_seed_builds_an_ekero_like_municipality():
    call_command("seed_demo", stdout=io.StringIO())
    assert Department.objects.filter(slug="socialforvaltningen").exists()
    assert Department.objects.count() == 5
    assert Area.objects.count() == 11
    assert Locality.objects.count() >= 15
    stenhamra = Locality.objects.get(slug="stenhamra")
    assert 59.3 < float(stenhamra.latitude) < 59.4
    assert {"ar", "fa", "so", "ti", "uk", "fi"} <= set(
        Language.objects.values_list("code", flat=True)
    )


def test_seed_has_a_login_for_every_role():
    call_command("seed_demo", stdout=io.StringIO())
    capabilities = set(StaffMembership.objects.values_list("capability", flat=True))
    assert capabilities == set(Capability.values)
    for login in DEMO_LOGINS:
        assert User.objects.get(email=login.email).check_password(DEMO_PASSWORD)
    assert User.objects.get(email="admin@demo.example").is_superuser
    assert User.objects.get(email="sara@demo.example").representations.exists()


def test_seed_is_idempotent():
    call_command("seed_demo", stdout=io.StringIO())
    first = counts()
    call_command("seed_demo", stdout=io.StringIO())
    assert counts() == first


def test_seed_if_empty_does_nothing_the_second_time():
    call_command("seed_demo", "--if-empty", stdout=io.StringIO())
    output = io.StringIO()
    call_command("seed_demo", "--if-empty", stdout=output)
    assert "already there" in output.getvalue()


def test_seed_refuses_to_run_in_production(settings):
    settings.PRODUCTION = True
    with pytest.raises(CommandError, match="production"):
        call_command("seed_demo", stdout=io.StringIO())
    assert counts() == dict.fromkeys(counts(), 0)
