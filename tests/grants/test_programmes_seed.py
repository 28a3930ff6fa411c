"""The demo programmes of seed_demo."""

import io

import pytest
from django.utils import timezone

from tillsammans.accounts.seed import build_municipality
from tillsammans.grants.models import (
    ApplicationWindow,
    Criterion,
    Programme,
    ProgrammeBudget,
    ProgrammeKind,
    Question,
)
from tillsammans.grants.seed import build_programmes
from tillsammans.grants.services.eligibility import programme_is_open

pytestmark = pytest.mark.django_db

MODELS = [Programme, ApplicationWindow, ProgrammeBudget, Criterion, Question]


def counts():
    return {model.__name__: model.objects.count() for model in MODELS}


def test_the_demo_programmes_of_ekero():
    build_municipality(io.StringIO())
    build_programmes(io.StringIO())
    year = timezone.localdate().year
    operating = Programme.objects.get(slug="verksamhetsstod")
    assert operating.kind == ProgrammeKind.OPERATING
    assert operating.department.slug == "socialforvaltningen"
    assert operating.deciding_body == "Socialnämnden"
    assert dict(operating.budgets.values_list("year", "amount_ore")) == {
        year: 135_000_00,
        year - 1: 135_000_00,
    }
    window = programme_is_open(operating)
    assert window is not None and window.pk
    assert programme_is_open(Programme.objects.get(slug="arrangemangsbidrag"))
    network = Programme.objects.get(slug="natverksbidrag")
    assert network.allows_networks
    award = Programme.objects.get(kind=ProgrammeKind.AWARD)
    assert award.max_amount_ore == 10_000_00
    assert not award.allows_networks and not award.allows_individuals
    for programme in Programme.objects.all():
        assert programme.is_published
        assert programme.criteria.exists()
        assert 2 <= programme.questions.count() <= 3
    # The demo grant officer (Anna) handles the social services' programmes.
    from tillsammans.accounts.models import User

    anna = User.objects.get(email="anna@demo.example")
    assert anna.has_perm("grants.manage_programme", operating)


def test_the_demo_programmes_are_idempotent():
    build_municipality(io.StringIO())
    build_programmes(io.StringIO())
    first = counts()
    build_programmes(io.StringIO())
    assert counts() == first
