"""Who may apply to a programme, and when it is open (grants.services.eligibility)."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone, translation

from tests.grants.factories import OpenWindowFactory, ProgrammeFactory
from tests.organizations.factories import OrganizationFactory
from tillsammans.grants.models import ApplicationWindow
from tillsammans.grants.services.eligibility import (
    EligibilityProblem,
    eligibility_problems,
    next_window,
    programme_is_open,
)
from tillsammans.organizations.models import (
    DocumentKind,
    LegalForm,
    OrganizationDocument,
    OrganizationStatus,
)

pytestmark = pytest.mark.django_db
STOCKHOLM = ZoneInfo("Europe/Stockholm")


def add_document(organization, kind):
    return OrganizationDocument.objects.create(
        organization=organization,
        kind=kind,
        file=f"organizations/documents/2026/{kind}.pdf",
        original_name=f"{kind}.pdf",
        size=100,
    )


def codes(problems):
    return [problem.code for problem in problems]


def test_a_verified_association_may_apply_to_an_open_programme():
    programme = ProgrammeFactory()
    organization = OrganizationFactory(status=OrganizationStatus.VERIFIED)
    assert eligibility_problems(programme, organization=organization) == []


def test_a_problem_is_a_frozen_code_and_message():
    problem = EligibilityProblem("x", "y")
    with pytest.raises(AttributeError):
        problem.code = "z"
    assert str(problem) == "y"


@pytest.mark.parametrize(
    ("status", "words"),
    [
        (OrganizationStatus.PENDING, "waiting for verification"),
        (OrganizationStatus.RETURNED, "returned for changes"),
        (OrganizationStatus.NEEDS_UPDATE, "yearly update"),
        (OrganizationStatus.INACTIVE, "inactive"),
    ],
)
def test_an_organisation_that_is_not_verified_is_told_why(status, words):
    programme = ProgrammeFactory(requires_verified_organization=True)
    organization = OrganizationFactory(status=status)
    with translation.override("en"):
        problems = eligibility_problems(programme, organization=organization)
    assert codes(problems) == ["not_verified"]
    assert words in problems[0].message


def test_a_programme_without_the_verification_rule_takes_pending_organisations():
    programme = ProgrammeFactory(requires_verified_organization=False)
    organization = OrganizationFactory(status=OrganizationStatus.PENDING)
    assert eligibility_problems(programme, organization=organization) == []


def test_a_network_may_not_apply_unless_the_programme_allows_networks():
    network = OrganizationFactory(legal_form=LegalForm.NETWORK, organisation_number="")
    closed = ProgrammeFactory(allows_networks=False)
    with translation.override("en"):
        problems = eligibility_problems(closed, organization=network)
    assert codes(problems) == ["network_not_allowed"]
    assert problems[0].message == "Loose networks may not apply to this programme."

    open_to_networks = ProgrammeFactory(
        allows_networks=True, allowed_legal_forms=[LegalForm.NONPROFIT_ASSOCIATION]
    )
    assert eligibility_problems(open_to_networks, organization=network) == []


def test_only_the_allowed_legal_forms_may_apply():
    programme = ProgrammeFactory(
        allowed_legal_forms=[LegalForm.NONPROFIT_ASSOCIATION, LegalForm.FAITH_COMMUNITY]
    )
    foundation = OrganizationFactory(legal_form=LegalForm.FOUNDATION)
    association = OrganizationFactory(legal_form=LegalForm.NONPROFIT_ASSOCIATION)
    with translation.override("en"):
        problems = eligibility_problems(programme, organization=foundation)
    assert codes(problems) == ["legal_form_not_allowed"]
    assert problems[0].message.startswith("Only these legal forms may apply: Non-profit")
    assert "Registered faith community" in problems[0].message
    assert "Foundation (stiftelse)" in problems[0].message
    assert eligibility_problems(programme, organization=association) == []


def test_an_empty_list_of_legal_forms_allows_every_form():
    programme = ProgrammeFactory(allowed_legal_forms=[])
    for form in (LegalForm.FOUNDATION, LegalForm.STUDY_ASSOCIATION, LegalForm.OTHER):
        organization = OrganizationFactory(legal_form=form)
        assert eligibility_problems(programme, organization=organization) == []


def test_required_documents_must_be_in_the_register():
    programme = ProgrammeFactory(
        required_documents=[DocumentKind.STATUTES, DocumentKind.ANNUAL_REPORT]
    )
    organization = OrganizationFactory()
    add_document(organization, DocumentKind.ANNUAL_REPORT)
    with translation.override("en"):
        problems = eligibility_problems(programme, organization=organization)
    assert codes(problems) == ["document_missing:statutes"]
    assert problems[0].message == (
        "Your organisation's statutes are missing in the register: "
        "upload them on the organisation's page."
    )
    add_document(organization, DocumentKind.STATUTES)
    assert eligibility_problems(programme, organization=organization) == []


def test_every_problem_is_listed_at_once():
    programme = ProgrammeFactory(
        allowed_legal_forms=[LegalForm.NONPROFIT_ASSOCIATION],
        required_documents=[DocumentKind.ANNUAL_MEETING_MINUTES],
    )
    organization = OrganizationFactory(
        legal_form=LegalForm.FOUNDATION, status=OrganizationStatus.PENDING
    )
    assert codes(eligibility_problems(programme, organization=organization)) == [
        "legal_form_not_allowed",
        "not_verified",
        "document_missing:annual_meeting_minutes",
    ]


def test_individuals_only_where_the_programme_allows_them():
    closed = ProgrammeFactory(allows_individuals=False)
    with translation.override("en"):
        problems = eligibility_problems(closed, as_individual=True)
    assert codes(problems) == ["individuals_not_allowed"]
    assert problems[0].message.startswith("Individuals may not apply")
    assert eligibility_problems(ProgrammeFactory(allows_individuals=True), as_individual=True) == []


def test_no_organisation_chosen():
    with translation.override("en"):
        problems = eligibility_problems(ProgrammeFactory())
    assert codes(problems) == ["no_organization"]
    assert problems[0].message.startswith("Choose an organisation")


def test_messages_are_translated_to_swedish():
    programme = ProgrammeFactory(allows_networks=False)
    network = OrganizationFactory(legal_form=LegalForm.NETWORK)
    with translation.override("sv"):
        (problem,) = eligibility_problems(programme, organization=network)
    with translation.override("en"):
        (english,) = eligibility_problems(programme, organization=network)
    # The catalogue may not have the string yet; the English text is the fallback.
    assert problem.message
    assert english.message == "Loose networks may not apply to this programme."


def test_the_documents_are_read_in_one_query(django_assert_num_queries):
    programme = ProgrammeFactory(required_documents=[DocumentKind.STATUTES])
    organization = OrganizationFactory()
    with django_assert_num_queries(1):
        eligibility_problems(programme, organization=organization)


# --- When applications are taken ----------------------------------------------------


def test_the_open_window_is_returned():
    window = OpenWindowFactory()
    assert programme_is_open(window.programme) == window


def test_a_programme_between_windows_is_closed_and_tells_the_next_window():
    programme = ProgrammeFactory()
    now = timezone.now()
    ApplicationWindow.objects.create(
        programme=programme, opens_at=now - timedelta(days=60), closes_at=now - timedelta(days=30)
    )
    later = ApplicationWindow.objects.create(
        programme=programme, opens_at=now + timedelta(days=30), closes_at=now + timedelta(days=60)
    )
    ApplicationWindow.objects.create(
        programme=programme, opens_at=now + timedelta(days=90), closes_at=now + timedelta(days=120)
    )
    assert programme_is_open(programme) is None
    assert next_window(programme) == later
    assert next_window(programme, now=now + timedelta(days=200)) is None


def test_windows_are_read_in_stockholm_time():
    """A window closing at midnight Stockholm time is closed at 23:30 UTC the day before."""
    programme = ProgrammeFactory()
    ApplicationWindow.objects.create(
        programme=programme,
        opens_at=datetime(2026, 3, 1, 0, 0, tzinfo=STOCKHOLM),
        closes_at=datetime(2026, 4, 1, 0, 0, tzinfo=STOCKHOLM),
    )
    # 2026-03-31 22:30 UTC is 00:30 on 1 April in Stockholm (summer time).
    assert (
        programme_is_open(programme, now=datetime(2026, 3, 31, 22, 30, tzinfo=ZoneInfo("UTC")))
        is None
    )
    assert programme_is_open(programme, now=datetime(2026, 3, 31, 21, 30, tzinfo=ZoneInfo("UTC")))
    # A naive time is read as Stockholm time.
    naive = datetime  # naive times on purpose: read as Stockholm time
    assert programme_is_open(programme, now=naive(2026, 3, 31, 23, 59)) is not None
    assert programme_is_open(programme, now=naive(2026, 4, 1, 0, 0)) is None
    assert programme_is_open(programme, now=naive(2026, 2, 28, 23, 59)) is None


def test_a_rolling_programme_is_always_open():
    programme = ProgrammeFactory(is_rolling=True)
    window = programme_is_open(programme)
    assert window is not None
    assert window.pk is None  # not a stored window: not for Application.window
    assert next_window(programme) is None


def test_the_windows_come_from_a_prefetch(django_assert_num_queries):
    OpenWindowFactory()
    from tillsammans.grants.models import Programme

    (programme,) = Programme.objects.prefetch_related("windows")
    with django_assert_num_queries(0):
        assert programme_is_open(programme) is not None
        assert next_window(programme) is None


def test_a_programme_for_local_organisations_needs_a_locality_served():
    from tests.factories import LocalityFactory

    programme = ProgrammeFactory(requires_local_activity=True)
    organization = OrganizationFactory(status=OrganizationStatus.VERIFIED)

    problems = eligibility_problems(programme, organization=organization)
    assert codes(problems) == ["not_active_here"]
    assert "active in the municipality" in problems[0].message or "kommunen" in problems[0].message

    organization.localities.add(LocalityFactory(slug="stenhamra"))
    assert eligibility_problems(programme, organization=organization) == []
