"""Long-term agreements reserve budget in every year they cover."""

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from tests.factories import DepartmentFactory, UserFactory
from tests.grants.factories import (
    ProgrammeBudgetFactory,
    ProgrammeFactory,
    VerifiedOrganizationFactory,
    grant_officer,
)
from tests.roles import _with_totp
from tests.volunteering.test_volunteers_postgres import run_at_once
from tillsammans.core.errors import NotPermitted
from tillsammans.grants.models import Agreement, ProgrammeBudget
from tillsammans.grants.services import agreements

pytestmark = pytest.mark.django_db


@pytest.fixture
def programme():
    programme = ProgrammeFactory(
        slug="verksamhetsstod", department=DepartmentFactory(slug="socialforvaltningen")
    )
    for year in (2026, 2027, 2028):
        ProgrammeBudgetFactory(programme=programme, year=year, amount_ore=135_000_00)
    return programme


@pytest.fixture
def officer(programme):
    return _with_totp(grant_officer(programme.department))


def committed(programme):
    return dict(
        ProgrammeBudget.objects.filter(programme=programme).values_list("year", "committed_ore")
    )


def create(programme, officer, **changes):
    arguments = {
        "actor": officer,
        "programme": programme,
        "organization": VerifiedOrganizationFactory(slug="brottsofferjouren"),
        "title": "Stöd till brottsutsatta",
        "first_year": 2026,
        "last_year": 2028,
        "yearly_ore": 84_000_00,
        "decided_on": timezone.localdate(),
        **changes,
    }
    return agreements.agreement_create(**arguments)


def test_an_agreement_reserves_its_amount_in_each_year(programme, officer):
    agreement = create(programme, officer)

    assert committed(programme) == {2026: 84_000_00, 2027: 84_000_00, 2028: 84_000_00}

    agreements.agreement_end(actor=officer, agreement=agreement, last_year=2026)

    assert committed(programme) == {2026: 84_000_00, 2027: 0, 2028: 0}
    agreement.refresh_from_db()
    assert agreement.last_year == 2026


@pytest.mark.parametrize(
    ("changes", "error"),
    [
        ({"last_year": 2025}, agreements.AgreementYearsInvalid),
        ({"last_year": 2040}, agreements.AgreementYearsInvalid),
        ({"yearly_ore": 0}, agreements.AgreementAmountInvalid),
        ({"last_year": 2029}, agreements.AgreementBudgetMissing),
        ({"yearly_ore": 135_000_01}, agreements.AgreementBudgetExceeded),
        ({"title": "  "}, agreements.TitleMissing),
    ],
)
def test_a_bad_agreement_reserves_nothing(programme, officer, changes, error):
    with pytest.raises(error):
        create(programme, officer, **changes)
    assert set(committed(programme).values()) == {0}
    assert not Agreement.objects.exists()


def test_only_the_programmes_officers_record_agreements(programme):
    with pytest.raises(NotPermitted):
        create(programme, UserFactory())
    with pytest.raises(NotPermitted):
        create(programme, grant_officer(DepartmentFactory(slug="kultur")))


def test_the_page_records_and_ends_an_agreement(client, programme, officer):
    client.force_login(officer)
    url = reverse("grants:agreements", args=[programme.slug])
    organization = VerifiedOrganizationFactory(slug="brottsofferjouren", name="Brottsofferjouren")

    too_much = client.post(
        url,
        {
            "organization": organization.pk,
            "title": "Stöd till brottsutsatta",
            "first_year": 2026,
            "last_year": 2027,
            "yearly_amount": "200 000",
            "decided_on": "2026-01-15",
        },
    )
    assert too_much.status_code == 200 and "200 000" in too_much.content.decode()
    response = client.post(
        url,
        {
            "organization": organization.pk,
            "title": "Stöd till brottsutsatta",
            "first_year": 2026,
            "last_year": 2027,
            "yearly_amount": "84 000",
            "decided_on": "2026-01-15",
        },
    )
    assert response.status_code == 302
    agreement = Agreement.objects.get()
    assert "Brottsofferjouren" in client.get(url).content.decode()

    end = reverse("grants:agreement_end", args=[programme.slug, agreement.uuid])
    assert client.post(end, {"last_year": 2030}).status_code == 400
    assert client.post(end, {"last_year": 2026}).status_code == 302
    assert committed(programme)[2027] == 0


def test_the_page_is_for_the_programmes_officers(roles, programme):
    roles.assert_access(
        reverse("grants:agreements", args=[programme.slug]),
        {"anonymous": 302, "staff_grant_officer": 200, "site_admin": 200},
        default=403,
    )


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_agreements_recorded_at_once_never_over_commit_a_year():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL")
    programme = ProgrammeFactory(slug="verksamhetsstod")
    for year in (2026, 2027):
        ProgrammeBudgetFactory(programme=programme, year=year, amount_ore=100_000_00)
    officers = [grant_officer(programme.department) for _ in range(4)]
    organizations = [VerifiedOrganizationFactory(slug=f"forening-{n}") for n in range(4)]

    def record(number):
        try:
            agreements.agreement_create(
                actor=officers[number],
                programme=programme,
                organization=organizations[number],
                title="Avtal",
                first_year=2026,
                last_year=2027,
                yearly_ore=40_000_00,
                decided_on=timezone.localdate(),
            )
        except agreements.AgreementBudgetExceeded:
            return "refused"
        return "recorded"

    outcomes = run_at_once(4, record)

    assert sorted(outcomes) == ["recorded", "recorded", "refused", "refused"]
    assert committed(programme) == {2026: 80_000_00, 2027: 80_000_00}
