"""Awards: anyone nominates a verified organisation, officers of the award's
department record the board's choice, the winner is public, and the
nominators' personal details go once the winner is chosen."""

from datetime import timedelta

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from tests.factories import DepartmentFactory
from tests.grants.factories import (
    OpenWindowFactory,
    ProgrammeFactory,
    VerifiedOrganizationFactory,
    grant_officer,
)
from tests.organizations.factories import OrganizationFactory
from tests.roles import _with_totp
from tests.volunteering.test_volunteers_postgres import run_at_once
from tillsammans.audit.models import AuditEntry
from tillsammans.grants.models import AwardWinner, Nomination, ProgrammeKind
from tillsammans.grants.services import awards
from tillsammans.organizations.models import LegalForm, OrganizationStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def award():
    programme = ProgrammeFactory(
        slug="utmarkelsen",
        title="Ekerö kommuns utmärkelse",
        kind=ProgrammeKind.AWARD,
        department=DepartmentFactory(slug="socialforvaltningen"),
        max_amount_ore=10_000_00,
    )
    OpenWindowFactory(programme=programme)
    return programme


@pytest.fixture
def club():
    return VerifiedOrganizationFactory(name="Seglarklubben Kranen", slug="kranen")


def nominate_url(award):
    return reverse("grants:award_nominate", args=[award.slug])


def test_anyone_nominates_an_organisation_without_an_account(client, award, club):
    response = client.post(
        nominate_url(award),
        {
            "organization": club.pk,
            "motivation": "Anpassad segling för alla, varje tisdag.",
            "nominator_name": "Ingrid Holm",
            "nominator_email": "Ingrid@Example.se",
        },
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("grants:award_nominated", args=[award.slug])
    nomination = Nomination.objects.get()
    assert (nomination.organization, nomination.year) == (club, timezone.localdate().year)
    assert nomination.nominator_email == "ingrid@example.se"


def test_the_list_offers_only_organisations_the_award_admits(client, award, club):
    OrganizationFactory(name="Väntar Förening", slug="vantar", status=OrganizationStatus.PENDING)
    VerifiedOrganizationFactory(name="Grannätverket", slug="natverk", legal_form=LegalForm.NETWORK)

    page = client.get(nominate_url(award)).content.decode()

    assert "Seglarklubben Kranen" in page
    assert "Väntar Förening" not in page and "Grannätverket" not in page


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"motivation": ""}, "motivation", "This field is required"),
        ({"nominator_email": "inte en adress"}, "nominator_email", "is not an e-mail address"),
        ({"organization": "999999"}, "organization", "Select a valid choice"),
        ({"motivation": "x" * 2001}, "motivation", "at most 2000 characters"),
    ],
)
def test_a_bad_nomination_says_what_is_wrong_and_keeps_what_was_typed(
    client, award, club, data, field, message
):
    typed = {"organization": club.pk, "motivation": "De seglar med alla.", **data}
    client.cookies.load({"django_language": "en"})

    response = client.post(nominate_url(award), typed, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 200
    assert message in str(response.context["form"].errors[field])
    page = response.content.decode()
    assert "error-summary" in page
    if field != "motivation":
        assert typed["motivation"] in page
    assert not Nomination.objects.exists()


def test_an_organisation_missing_a_required_document_is_refused_with_the_reason(
    client, award, club
):
    award.required_documents = ["statutes"]
    award.save()

    response = client.post(nominate_url(award), {"organization": club.pk, "motivation": "Bra."})

    assert response.status_code == 200
    assert response.context["form"].errors["organization"]
    assert not Nomination.objects.exists()


def test_a_closed_award_takes_no_nominations(client, award, club):
    award.windows.update(
        opens_at=timezone.now() - timedelta(days=30), closes_at=timezone.now() - timedelta(days=1)
    )

    response = client.post(nominate_url(award), {"organization": club.pk, "motivation": "Bra."})

    assert "closed" in response.content.decode() or "stängd" in response.content.decode()
    assert not Nomination.objects.exists()
    with pytest.raises(awards.NominationsClosed):
        awards.nomination_create(programme=award, organization=club, motivation="Bra.")


def test_a_programme_that_is_not_an_award_has_no_nomination_page(client, club):
    grant = ProgrammeFactory(slug="verksamhetsstod", kind=ProgrammeKind.OPERATING)
    OpenWindowFactory(programme=grant)

    assert client.get(reverse("grants:award_nominate", args=[grant.slug])).status_code == 404
    assert client.get(reverse("grants:award_winners", args=[grant.slug])).status_code == 404


def test_nominations_from_one_address_are_limited(client, award, club):
    for _ in range(10):
        client.post(nominate_url(award), {"organization": club.pk, "motivation": "Bra."})

    response = client.post(nominate_url(award), {"organization": club.pk, "motivation": "Bra."})

    assert response.status_code == 429
    assert Nomination.objects.count() == 10


def test_the_staff_page_is_for_the_awards_officers(roles, award):
    url = reverse("grants:award_staff_nominations", args=[award.slug])
    roles.assert_access(
        url,
        {
            "anonymous": 302,
            "staff_grant_officer": 200,
            "site_admin": 200,
        },
        default=403,
    )
    officer_elsewhere = _with_totp(grant_officer(DepartmentFactory(slug="kultur")))
    client = roles.client("anonymous")
    client.force_login(officer_elsewhere)
    assert client.get(url).status_code == 404


def test_recording_the_winner_publishes_it_and_erases_the_nominators(roles, award, club):
    other = VerifiedOrganizationFactory(name="PRO Ekerö", slug="pro-ekero")
    for organization, name in ((club, "Ingrid"), (club, "Omar"), (other, "Sara")):
        awards.nomination_create(
            programme=award,
            organization=organization,
            motivation=f"Motivering från {name}",
            nominator_name=name,
            nominator_email=f"{name.lower()}@example.se",
        )
    client = roles.client("staff_grant_officer")
    url = reverse("grants:award_staff_nominations", args=[award.slug])
    page = client.get(url).content.decode()
    assert page.index("Seglarklubben Kranen") < page.index("PRO Ekerö")  # most nominated first

    response = client.post(
        url,
        {
            "organization": club.pk,
            "motivation": "För segling som alla kan vara med i.",
            "decided_on": timezone.localdate().isoformat(),
        },
    )

    assert response.status_code == 302
    winner = AwardWinner.objects.get()
    assert winner.organization == club and winner.recorded_by == roles.user("staff_grant_officer")
    assert not Nomination.objects.exclude(nominator_name="", nominator_email="").exists()
    assert AuditEntry.objects.filter(target_type="grants.awardwinner").count() == 1
    public = client.get(reverse("grants:award_winners", args=[award.slug])).content.decode()
    assert "Seglarklubben Kranen" in public and "För segling som alla kan vara med i." in public
    assert 'name="motivation"' not in client.get(url).content.decode()  # no second form
    with pytest.raises(awards.WinnerAlreadyRecorded):
        awards.award_winner_record(
            actor=winner.recorded_by,
            programme=award,
            year=winner.year,
            organization=other,
            motivation="Också bra.",
            decided_on=timezone.localdate(),
        )


def test_the_winner_must_be_admitted_and_the_date_not_in_the_future(award, club):
    officer = grant_officer(award.department)
    network = VerifiedOrganizationFactory(slug="natverket", legal_form=LegalForm.NETWORK)
    year = timezone.localdate().year
    with pytest.raises(awards.NotNominable):
        awards.award_winner_record(
            actor=officer,
            programme=award,
            year=year,
            organization=network,
            motivation="Bra.",
            decided_on=timezone.localdate(),
        )
    with pytest.raises(awards.DecisionDateInvalid):
        awards.award_winner_record(
            actor=officer,
            programme=award,
            year=year,
            organization=club,
            motivation="Bra.",
            decided_on=timezone.localdate() + timedelta(days=1),
        )
    assert not AwardWinner.objects.exists()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_officers_recording_at_once_give_one_winner():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL")
    programme = ProgrammeFactory(slug="utmarkelsen", kind=ProgrammeKind.AWARD)
    OpenWindowFactory(programme=programme)
    officers = [grant_officer(programme.department) for _ in range(4)]
    organizations = [VerifiedOrganizationFactory(slug=f"forening-{n}") for n in range(4)]

    def record(number):
        try:
            awards.award_winner_record(
                actor=officers[number],
                programme=programme,
                year=2026,
                organization=organizations[number],
                motivation="Bra.",
                decided_on=timezone.localdate(),
            )
        except awards.WinnerAlreadyRecorded:
            return "refused"
        return "recorded"

    outcomes = run_at_once(4, record)

    assert sorted(outcomes) == ["recorded", "refused", "refused", "refused"]
    assert AwardWinner.objects.count() == 1
