"""Applying for a grant, through the services: start, save, submit, withdraw,
complete; deadlines in Swedish time; who may apply; references."""

from __future__ import annotations

import io
import zipfile
from datetime import UTC, datetime, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation

from tests.factories import UserFactory
from tests.grants.factories import (
    ApplicationFactory,
    OpenWindowFactory,
    ProgrammeFactory,
    QuestionFactory,
    VerifiedOrganizationFactory,
)
from tests.organizations.factories import RepresentativeFactory
from tillsammans.audit.models import AuditEntry
from tillsammans.core.errors import NotPermitted
from tillsammans.grants.models import (
    Application,
    ApplicationAttachment,
    ApplicationStatus,
    ApplicationWindow,
    BudgetLine,
    QuestionKind,
)
from tillsammans.grants.services import applications as services
from tillsammans.grants.services.eligibility import STOCKHOLM
from tillsammans.notifications.models import OutboxMessage
from tillsammans.organizations.models import LegalForm, OrganizationStatus

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def docx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
    return buffer.getvalue()


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


@pytest.fixture(autouse=True)
def _english():
    """Messages are checked in English (the source), whatever the catalogues hold."""
    with translation.override("en"):
        yield


def open_programme(**kwargs):
    """A published programme with an open window and one required text question."""
    programme = ProgrammeFactory(**kwargs)
    OpenWindowFactory(programme=programme)
    QuestionFactory(programme=programme, label="Hur många deltar?", kind=QuestionKind.TEXT)
    return programme


def representative(organization=None, language="sv"):
    organization = organization or VerifiedOrganizationFactory()
    return RepresentativeFactory(
        organization=organization, user__preferred_language=language
    ).user, organization


def complete_draft(programme, user, organization, *, lines=(("Hyra av lokal", 5_000_00),)):
    application = services.application_start(
        actor=user, programme=programme, organization=organization
    )
    question = programme.questions.filter(kind=QuestionKind.TEXT).first()
    return services.application_save_draft(
        actor=user,
        application=application,
        title="Träffar för seniorer",
        purpose="Veckoträffar med fika och föredrag.",
        answers={str(question.pk): "Omkring 30"},
        budget_lines=list(lines),
    )


# --- Start --------------------------------------------------------------------------------


def test_start_makes_a_draft_with_the_years_reference():
    programme = open_programme()
    user, organization = representative()
    application = services.application_start(
        actor=user, programme=programme, organization=organization
    )
    year = timezone.localtime(timezone.now(), STOCKHOLM).year
    assert application.status == ApplicationStatus.DRAFT
    assert application.reference == f"B-{year}-0001"
    assert application.organization == organization
    assert application.window == programme.windows.get()
    second_user, second_org = representative()
    second = services.application_start(
        actor=second_user, programme=programme, organization=second_org
    )
    assert second.reference == f"B-{year}-0002"


def test_references_go_past_9999_in_order():
    year = timezone.localtime(timezone.now(), STOCKHOLM).year
    ApplicationFactory(reference=f"B-{year}-9999")
    ApplicationFactory(reference=f"B-{year - 1}-0500")
    programme = open_programme()
    user, organization = representative()
    first = services.application_start(actor=user, programme=programme, organization=organization)
    assert first.reference == f"B-{year}-10000"
    other_user, other_org = representative()
    second = services.application_start(
        actor=other_user, programme=programme, organization=other_org
    )
    assert second.reference == f"B-{year}-10001"


def test_starting_twice_returns_the_same_draft():
    programme = open_programme()
    user, organization = representative()
    first = services.application_start(actor=user, programme=programme, organization=organization)
    again = services.application_start(actor=user, programme=programme, organization=organization)
    assert again.pk == first.pk
    assert Application.objects.count() == 1


def test_only_a_representative_may_start_for_an_organisation():
    programme = open_programme()
    organization = VerifiedOrganizationFactory()
    stranger = UserFactory()
    with pytest.raises(NotPermitted):
        services.application_start(actor=stranger, programme=programme, organization=organization)
    assert not Application.objects.exists()


@pytest.mark.parametrize(
    ("organization_kwargs", "code"),
    [
        ({"status": OrganizationStatus.PENDING}, "not_verified"),
        ({"legal_form": LegalForm.NETWORK}, "network_not_allowed"),
    ],
)
def test_an_ineligible_organisation_cannot_start(organization_kwargs, code):
    programme = open_programme()
    user, organization = representative(VerifiedOrganizationFactory(**organization_kwargs))
    with pytest.raises(services.NotEligible) as raised:
        services.application_start(actor=user, programme=programme, organization=organization)
    assert [problem.code for problem in raised.value.problems] == [code]
    assert not Application.objects.exists()


def test_an_individual_only_where_the_programme_allows_it():
    closed_to_people = open_programme()
    user = UserFactory()
    with pytest.raises(services.NotEligible):
        services.application_start(actor=user, programme=closed_to_people, as_individual=True)
    open_to_people = open_programme(allows_individuals=True)
    application = services.application_start(
        actor=user, programme=open_to_people, as_individual=True
    )
    assert application.organization is None
    assert application.applicant == user


def test_a_programme_without_an_open_or_coming_window_takes_no_drafts():
    programme = ProgrammeFactory()
    user, organization = representative()
    with pytest.raises(services.ProgrammeClosed):
        services.application_start(actor=user, programme=programme, organization=organization)


# --- Drafts -------------------------------------------------------------------------------


def test_a_draft_keeps_what_is_typed_and_sums_the_budget():
    programme = open_programme()
    user, organization = representative()
    application = complete_draft(
        programme,
        user,
        organization,
        lines=[("Hyra", 3_000_00), ("", 0), ("Fika", 1_234_50)],
    )
    application.refresh_from_db()
    assert application.requested_ore == 4_234_50
    assert [(line.description, line.amount_ore) for line in application.budget_lines.all()] == [
        ("Hyra", 3_000_00),
        ("Fika", 1_234_50),
    ]
    # An incomplete draft is kept too.
    services.application_save_draft(
        actor=user, application=application, title="", purpose="", answers={}, budget_lines=[]
    )
    application.refresh_from_db()
    assert application.requested_ore == 0
    assert application.answers == {}


def test_a_budget_line_without_a_description_is_refused():
    programme = open_programme()
    user, organization = representative()
    application = complete_draft(programme, user, organization)
    with pytest.raises(services.BudgetLineInvalid):
        services.application_save_draft(
            actor=user,
            application=application,
            title="x",
            purpose="y",
            answers={},
            budget_lines=[("", 100)],
        )
    assert BudgetLine.objects.get().description == "Hyra av lokal"


def test_a_negative_amount_is_refused_and_nothing_changes():
    programme = open_programme()
    user, organization = representative()
    application = complete_draft(programme, user, organization)
    with pytest.raises(services.BudgetLineInvalid):
        services.application_save_draft(
            actor=user,
            application=application,
            title="Nytt",
            purpose="y",
            answers={},
            budget_lines=[("Hyra", -100)],
        )
    application.refresh_from_db()
    assert application.title == "Träffar för seniorer"
    assert application.requested_ore == 5_000_00


def test_a_choice_outside_the_options_is_refused():
    programme = open_programme()
    question = QuestionFactory(programme=programme, kind=QuestionKind.CHOICE, choices="Ja\nNej")
    user, organization = representative()
    application = complete_draft(programme, user, organization)
    with pytest.raises(services.AnswerInvalid):
        services.application_save_draft(
            actor=user,
            application=application,
            title="x",
            purpose="y",
            answers={str(question.pk): "Kanske"},
            budget_lines=[],
        )


# --- Submit -------------------------------------------------------------------------------


def test_submit_sends_one_receipt_in_the_applicants_language_and_logs_it():
    programme = open_programme()
    user, organization = representative(language="en")
    application = complete_draft(programme, user, organization)
    submitted = services.application_submit(actor=user, application=application)
    assert submitted.status == ApplicationStatus.SUBMITTED
    assert submitted.submitted_at is not None
    message = OutboxMessage.objects.get()
    assert message.address == user.email
    assert message.language == "en"
    assert application.reference in message.subject
    assert "We have received your application" in message.subject
    assert "5,000 kr" in message.body
    assert f"/grants/applications/{application.uuid}/" in message.body
    assert AuditEntry.objects.filter(details__event="grant_application_submit").count() == 1


def test_the_receipt_in_swedish_for_a_swedish_applicant():
    programme = open_programme()
    user, organization = representative(language="sv")
    application = complete_draft(programme, user, organization)
    services.application_submit(actor=user, application=application)
    message = OutboxMessage.objects.get()
    assert message.language == "sv"
    assert "5\xa0000 kr" in message.body or "5 000 kr" in message.body


def test_a_double_submission_gives_one_application_and_one_receipt():
    programme = open_programme()
    user, organization = representative()
    application = complete_draft(programme, user, organization)
    first = services.application_submit(actor=user, application=application)
    second = services.application_submit(actor=user, application=application)
    assert first.submitted_at == second.submitted_at
    assert Application.objects.filter(status=ApplicationStatus.SUBMITTED).count() == 1
    assert OutboxMessage.objects.count() == 1
    assert AuditEntry.objects.filter(details__event="grant_application_submit").count() == 1


def test_missing_answers_and_budget_are_named_and_nothing_is_sent():
    programme = open_programme()
    file_question = QuestionFactory(programme=programme, kind=QuestionKind.FILE)
    user, organization = representative()
    application = services.application_start(
        actor=user, programme=programme, organization=organization
    )
    text_question = programme.questions.get(kind=QuestionKind.TEXT)
    with pytest.raises(services.ApplicationIncomplete) as raised:
        services.application_submit(actor=user, application=application)
    assert set(raised.value.errors) == {
        "title",
        "purpose",
        f"q_{text_question.pk}",
        f"q_{file_question.pk}",
        "budget",
    }
    assert raised.value.errors["budget"] == "Add at least one line to the budget."
    application.refresh_from_db()
    assert application.status == ApplicationStatus.DRAFT
    assert not OutboxMessage.objects.exists()


def test_an_optional_question_may_stay_empty():
    programme = open_programme()
    QuestionFactory(programme=programme, kind=QuestionKind.NUMBER, required=False)
    user, organization = representative()
    application = complete_draft(programme, user, organization)
    assert services.application_submit(actor=user, application=application).status == "submitted"


@pytest.mark.parametrize(
    ("lines", "message"),
    [
        ([("Gratis lokal", 0)], "The budget must add up to more than 0 kr."),
        ([("Hyra", 40_000_00), ("Resa", 10_000_01)], "this programme grants at most"),
    ],
)
def test_the_budget_must_be_above_zero_and_within_the_maximum(lines, message):
    programme = open_programme(max_amount_ore=50_000_00)
    user, organization = representative()
    application = complete_draft(programme, user, organization, lines=lines)
    with pytest.raises(services.ApplicationIncomplete) as raised:
        services.application_submit(actor=user, application=application)
    assert message in raised.value.errors["budget"]
    application.refresh_from_db()
    assert application.status == ApplicationStatus.DRAFT


def test_exactly_the_maximum_may_be_applied_for():
    programme = open_programme(max_amount_ore=50_000_00)
    user, organization = representative()
    application = complete_draft(programme, user, organization, lines=[("Allt", 50_000_00)])
    assert services.application_submit(actor=user, application=application).status == "submitted"


def test_no_maximum_means_any_amount():
    programme = open_programme(max_amount_ore=0)
    user, organization = representative()
    application = complete_draft(programme, user, organization, lines=[("Allt", 900_000_00)])
    assert services.application_submit(actor=user, application=application).status == "submitted"


def test_an_organisation_that_is_no_longer_eligible_cannot_submit():
    programme = open_programme()
    user, organization = representative()
    application = complete_draft(programme, user, organization)
    organization.status = OrganizationStatus.NEEDS_UPDATE
    organization.save()
    with pytest.raises(services.NotEligible) as raised:
        services.application_submit(actor=user, application=application)
    assert "yearly update" in str(raised.value)
    application.refresh_from_db()
    assert application.status == ApplicationStatus.DRAFT


def test_only_the_applicants_side_may_submit():
    programme = open_programme()
    user, organization = representative()
    application = complete_draft(programme, user, organization)
    with pytest.raises(NotPermitted):
        services.application_submit(actor=UserFactory(), application=application)
    colleague, _org = representative(organization)
    assert services.application_submit(actor=colleague, application=application).status == (
        ApplicationStatus.SUBMITTED
    )


# --- Deadlines in Swedish time ------------------------------------------------------------


def _summer_programme():
    """A window closing at 23:59 Swedish summer time (21:59 UTC) on 30 June 2026."""
    programme = ProgrammeFactory()
    QuestionFactory(programme=programme, kind=QuestionKind.TEXT)
    closes = datetime(2026, 6, 30, 23, 59, tzinfo=STOCKHOLM)
    ApplicationWindow.objects.create(
        programme=programme, opens_at=closes - timedelta(days=30), closes_at=closes
    )
    return programme, closes


def _draft_in(programme, now):
    user, organization = representative()
    application = ApplicationFactory(
        programme=programme,
        organization=organization,
        applicant=user,
        title="Sommarläger",
        purpose="Ett läger för unga.",
        answers={str(programme.questions.get().pk): "Ja"},
        requested_ore=1_000_00,
    )
    BudgetLine.objects.create(application=application, description="Tält", amount_ore=1_000_00)
    return user, application


def test_a_minute_before_closing_in_summer_time_is_accepted():
    programme, closes = _summer_programme()
    user, application = _draft_in(programme, closes)
    assert closes.astimezone(UTC).hour == 21  # summer time: UTC+2
    now = closes - timedelta(minutes=1)
    submitted = services.application_submit(actor=user, application=application, now=now)
    assert submitted.status == ApplicationStatus.SUBMITTED
    assert submitted.submitted_at == now


def test_a_minute_after_closing_is_refused_naming_the_swedish_closing_time():
    programme, closes = _summer_programme()
    user, application = _draft_in(programme, closes)
    with pytest.raises(services.DeadlinePassed) as raised:
        services.application_submit(
            actor=user, application=application, now=closes + timedelta(minutes=1)
        )
    assert "30 June 2026 23:59" in str(raised.value)
    application.refresh_from_db()
    assert application.status == ApplicationStatus.DRAFT
    assert not OutboxMessage.objects.exists()


def test_a_minute_before_and_after_a_winter_closing():
    programme = ProgrammeFactory()
    QuestionFactory(programme=programme)
    closes = datetime(2026, 1, 31, 12, 0, tzinfo=STOCKHOLM)
    ApplicationWindow.objects.create(
        programme=programme, opens_at=closes - timedelta(days=30), closes_at=closes
    )
    late_user, late = _draft_in(programme, closes)
    with pytest.raises(services.DeadlinePassed) as raised:
        services.application_submit(
            actor=late_user, application=late, now=closes + timedelta(minutes=1)
        )
    assert "31 January 2026 12:00" in str(raised.value)
    user, in_time = _draft_in(programme, closes)
    services.application_submit(actor=user, application=in_time, now=closes - timedelta(minutes=1))
    assert Application.objects.get(pk=in_time.pk).status == ApplicationStatus.SUBMITTED


def test_before_the_window_opens_the_opening_is_named():
    programme = ProgrammeFactory()
    QuestionFactory(programme=programme)
    opens = datetime(2026, 9, 1, 8, 0, tzinfo=STOCKHOLM)
    ApplicationWindow.objects.create(
        programme=programme, opens_at=opens, closes_at=opens + timedelta(days=30)
    )
    user, application = _draft_in(programme, opens)
    with pytest.raises(services.WindowNotOpen) as raised:
        services.application_submit(
            actor=user, application=application, now=opens - timedelta(minutes=1)
        )
    assert "1 September 2026 08:00" in str(raised.value)


def test_a_rolling_programme_takes_applications_at_any_time():
    programme = ProgrammeFactory(is_rolling=True)
    QuestionFactory(programme=programme)
    user, application = _draft_in(programme, timezone.now())
    submitted = services.application_submit(actor=user, application=application)
    assert submitted.status == ApplicationStatus.SUBMITTED
    assert submitted.window is None


# --- Withdraw and complete ----------------------------------------------------------------


def test_withdraw_a_submitted_application_and_log_it():
    programme = open_programme()
    user, organization = representative()
    application = complete_draft(programme, user, organization)
    services.application_submit(actor=user, application=application)
    withdrawn = services.application_withdraw(actor=user, application=application)
    assert withdrawn.status == ApplicationStatus.WITHDRAWN
    entry = AuditEntry.objects.get(details__event="grant_application_withdraw")
    assert entry.details["previous_status"] == "submitted"
    with pytest.raises(services.ApplicationNotEditable):
        services.application_submit(actor=user, application=application)


@pytest.mark.parametrize("status", [ApplicationStatus.GRANTED, ApplicationStatus.REJECTED])
def test_a_decided_application_cannot_be_withdrawn(status):
    user, organization = representative()
    application = ApplicationFactory(organization=organization, applicant=user, status=status)
    with pytest.raises(services.ApplicationNotWithdrawable):
        services.application_withdraw(actor=user, application=application)
    application.refresh_from_db()
    assert application.status == status


def test_a_stranger_cannot_withdraw():
    user, organization = representative()
    application = ApplicationFactory(organization=organization, applicant=user)
    with pytest.raises(NotPermitted):
        services.application_withdraw(actor=UserFactory(), application=application)
    application.refresh_from_db()
    assert application.status == ApplicationStatus.DRAFT


def test_completion_goes_back_to_submitted_after_the_window_closed():
    programme = open_programme()
    user, organization = representative()
    application = complete_draft(programme, user, organization)
    services.application_submit(actor=user, application=application)
    Application.objects.filter(pk=application.pk).update(
        status=ApplicationStatus.NEEDS_COMPLETION, completion_request="Skicka en ny budget."
    )
    programme.windows.update(closes_at=timezone.now() - timedelta(minutes=1))
    application.refresh_from_db()
    services.application_save_draft(
        actor=user,
        application=application,
        title=application.title,
        purpose=application.purpose,
        answers=application.answers,
        budget_lines=[("Hyra", 4_000_00), ("Fika", 500_00)],
    )
    completed = services.application_complete(
        actor=user, application=application, reply="Här är den nya budgeten."
    )
    assert completed.status == ApplicationStatus.SUBMITTED
    assert completed.requested_ore == 4_500_00
    entry = AuditEntry.objects.get(details__event="grant_application_complete")
    assert entry.details["reply"] == "Här är den nya budgeten."


def test_completion_only_when_asked_for():
    programme = open_programme()
    user, organization = representative()
    application = complete_draft(programme, user, organization)
    with pytest.raises(services.CompletionNotRequested):
        services.application_complete(actor=user, application=application)


def test_completion_still_needs_everything_required():
    programme = open_programme()
    user, organization = representative()
    application = complete_draft(programme, user, organization)
    Application.objects.filter(pk=application.pk).update(status=ApplicationStatus.NEEDS_COMPLETION)
    application.refresh_from_db()
    services.application_save_draft(
        actor=user, application=application, title="x", purpose="y", answers={}, budget_lines=[]
    )
    with pytest.raises(services.ApplicationIncomplete):
        services.application_complete(actor=user, application=application)
    application.refresh_from_db()
    assert application.status == ApplicationStatus.NEEDS_COMPLETION


# --- Attachments --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content"),
    [("budget.pdf", PDF), ("bild.png", PNG), ("plan.docx", docx_bytes())],
)
def test_an_attachment_of_an_allowed_kind_is_kept(name, content):
    programme = open_programme()
    question = QuestionFactory(programme=programme, kind=QuestionKind.FILE)
    user, organization = representative()
    application = complete_draft(programme, user, organization)
    attachment = services.application_attachment_add(
        actor=user,
        application=application,
        question=question,
        upload=SimpleUploadedFile(name, content),
    )
    assert attachment.original_name == name
    assert attachment.size == len(content)
    with attachment.file.open("rb") as stored:
        assert stored.read() == content


def test_a_new_file_replaces_the_earlier_one():
    programme = open_programme()
    question = QuestionFactory(programme=programme, kind=QuestionKind.FILE)
    user, organization = representative()
    application = complete_draft(programme, user, organization)
    services.application_attachment_add(
        actor=user,
        application=application,
        question=question,
        upload=SimpleUploadedFile("a.pdf", PDF),
    )
    services.application_attachment_add(
        actor=user,
        application=application,
        question=question,
        upload=SimpleUploadedFile("b.pdf", PDF),
    )
    assert list(ApplicationAttachment.objects.values_list("original_name", flat=True)) == ["b.pdf"]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("program.exe", b"MZ\x90\x00", "An attachment must be a PDF"),
        ("falsk.pdf", PNG, "its content is not a PDF file"),
        ("stor.pdf", PDF + b"\x00" * (10 * 1024 * 1024), "The file is too large"),
    ],
)
def test_a_wrong_or_too_large_file_is_refused(name, content, message):
    programme = open_programme()
    question = QuestionFactory(programme=programme, kind=QuestionKind.FILE)
    user, organization = representative()
    application = complete_draft(programme, user, organization)
    with pytest.raises(services.AttachmentInvalid) as raised:
        services.application_attachment_add(
            actor=user,
            application=application,
            question=question,
            upload=SimpleUploadedFile(name, content),
        )
    assert message in str(raised.value)
    assert not ApplicationAttachment.objects.exists()
