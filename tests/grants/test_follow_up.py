"""Follow-up (återrapportering): reports asked for after payment, reminders,
the recipient's report and the officer's review."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.factories import DepartmentFactory, UserFactory
from tests.grants.factories import (
    ApplicationFactory,
    ProgrammeBudgetFactory,
    ProgrammeFactory,
    grant_officer,
)
from tests.organizations.factories import RepresentativeFactory
from tests.roles import _with_totp
from tillsammans.core.errors import NotPermitted
from tillsammans.grants.models import (
    ConflictOfInterest,
    Decision,
    FollowUpQuestion,
    FollowUpReport,
    Payment,
    ReportStatus,
)
from tillsammans.grants.services import follow_up
from tillsammans.grants.services.follow_up import add_months
from tillsammans.notifications.models import OutboxMessage

pytestmark = pytest.mark.django_db


@pytest.fixture
def programme():
    programme = ProgrammeFactory(
        slug="verksamhetsstod",
        department=DepartmentFactory(slug="socialforvaltningen"),
        report_due_months=6,
    )
    FollowUpQuestion.objects.create(programme=programme, label="Vad blev gjort?", order=1)
    FollowUpQuestion.objects.create(
        programme=programme, label="Något annat?", required=False, order=2
    )
    return programme


def paid_grant(programme, *, paid_on=date(2026, 3, 10), amount_ore=20_000_00, **application):
    application = ApplicationFactory(programme=programme, status="granted", **application)
    officer = grant_officer(programme.department)
    decision = Decision.objects.create(
        application=application,
        outcome="granted",
        amount_ore=amount_ore,
        decided_on=paid_on - timedelta(days=20),
        budget=ProgrammeBudgetFactory(programme=programme, year=paid_on.year),
        recorded_by=officer,
    )
    Payment.objects.create(
        decision=decision,
        paid_on=paid_on,
        amount_ore=amount_ore,
        reference="LB-1",
        recorded_by=officer,
    )
    return decision


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2026, 1, 31), 1, date(2026, 2, 28)),
        (date(2027, 12, 15), 3, date(2028, 3, 15)),
        (date(2028, 1, 31), 1, date(2028, 2, 29)),
    ],
)
def test_months_are_added_the_calendar_way(day, months, expected):
    assert add_months(day, months) == expected


def test_a_report_is_asked_for_months_after_the_first_payment_and_reminded_twice(programme):
    decision = paid_grant(programme)

    assert follow_up.follow_up_schedule(today=date(2026, 3, 11))["created"] == 1
    report = FollowUpReport.objects.get(decision=decision)
    assert report.due_on == date(2026, 9, 10) and report.status == ReportStatus.DUE
    assert follow_up.follow_up_schedule(today=date(2026, 3, 11)) == {
        "created": 0,
        "reminded_before": 0,
        "reminded_after": 0,
    }

    assert follow_up.follow_up_schedule(today=date(2026, 8, 30))["reminded_before"] == 1
    assert follow_up.follow_up_schedule(today=date(2026, 8, 31))["reminded_before"] == 0
    assert follow_up.follow_up_schedule(today=date(2026, 9, 11))["reminded_after"] == 1
    assert follow_up.follow_up_schedule(today=date(2026, 9, 12))["reminded_after"] == 0
    messages = OutboxMessage.objects.filter(address=decision.application.applicant.email)
    assert messages.count() == 2
    assert f"/grants/reports/{report.uuid}/" in messages.first().body


def test_no_report_without_a_payment_or_when_the_programme_asks_for_none(programme):
    ApplicationFactory(programme=programme)  # not decided
    other = ProgrammeFactory(slug="arrangemang", report_due_months=None)
    paid_grant(other)

    assert follow_up.follow_up_schedule(today=date(2026, 4, 1))["created"] == 0


@pytest.fixture
def due_report(programme):
    decision = paid_grant(programme)
    follow_up.follow_up_schedule(today=date(2026, 3, 11))
    return FollowUpReport.objects.get(decision=decision)


def test_the_recipient_reports_and_cannot_send_twice(client, due_report):
    applicant = due_report.decision.application.applicant
    client.force_login(applicant)
    url = reverse("grants:follow_up_report", args=[due_report.uuid])
    question = due_report.decision.application.programme.follow_up_questions.first()

    missing = client.post(url, {"money_used": "15 000"})
    assert missing.status_code == 200 and missing.context["form"].errors[f"question_{question.pk}"]
    assert "15 000" in missing.content.decode()  # what was typed stays

    response = client.post(
        url, {"money_used": "15 000", f"question_{question.pk}": "Tjugo träffar med fika."}
    )

    assert response.status_code == 302
    due_report.refresh_from_db()
    assert due_report.status == ReportStatus.SUBMITTED
    assert due_report.money_used_ore == 15_000_00
    assert due_report.answers == {str(question.pk): "Tjugo träffar med fika."}
    assert "Tjugo träffar med fika." in client.get(url).content.decode()
    with pytest.raises(follow_up.ReportNotOpen):
        follow_up.report_submit(
            actor=applicant, report=due_report, answers={str(question.pk): "x"}, money_used_ore=0
        )


def test_bad_amounts_are_refused_next_to_the_field(client, due_report):
    client.force_login(due_report.decision.application.applicant)
    url = reverse("grants:follow_up_report", args=[due_report.uuid])

    for typed in ("-5", "tolv", "12,345"):
        response = client.post(url, {"money_used": typed})
        assert response.context["form"].errors["money_used"], typed
    due_report.refresh_from_db()
    assert due_report.status == ReportStatus.DUE


def test_only_the_recipient_and_its_representatives_see_the_report(client, due_report):
    url = reverse("grants:follow_up_report", args=[due_report.uuid])
    assert client.get(url).status_code == 404  # anonymous: as if it did not exist
    client.force_login(UserFactory())
    assert client.get(url).status_code == 404
    client.force_login(
        RepresentativeFactory(organization=due_report.decision.application.organization).user
    )
    assert client.get(url).status_code == 200


def submitted(report):
    question = report.decision.application.programme.follow_up_questions.first()
    return follow_up.report_submit(
        actor=report.decision.application.applicant,
        report=report,
        answers={str(question.pk): "Det gick bra."},
        money_used_ore=20_000_00,
    )


def officer_client(client, department):
    officer = _with_totp(grant_officer(department))
    client.force_login(officer)
    return officer


def test_the_officer_approves_or_asks_for_completion(client, due_report):
    report = submitted(due_report)
    officer_client(client, report.decision.application.programme.department)
    url = reverse("grants:follow_up_review", args=[report.uuid])
    assert "Det gick bra." in client.get(url).content.decode()

    no_note = client.post(url, {"outcome": "needs_completion", "note": ""})
    assert no_note.context["form"].errors["note"]

    response = client.post(url, {"outcome": "needs_completion", "note": "Bifoga kvitton."})

    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == ReportStatus.NEEDS_COMPLETION
    message = OutboxMessage.objects.filter(address=report.decision.application.applicant.email)
    assert "Bifoga kvitton." in message.last().body
    submitted(report)  # the recipient completes it
    client.post(url, {"outcome": "approved"})
    report.refresh_from_db()
    assert report.status == ReportStatus.APPROVED


def test_repayment_is_at_most_what_was_paid(client, due_report):
    report = submitted(due_report)
    officer_client(client, report.decision.application.programme.department)
    url = reverse("grants:follow_up_review", args=[report.uuid])

    too_much = client.post(
        url,
        {"outcome": "repayment_claimed", "note": "Pengarna användes inte.", "repayment": "25 000"},
    )
    assert too_much.context["form"].errors["repayment"]
    client.post(
        url,
        {"outcome": "repayment_claimed", "note": "Pengarna användes inte.", "repayment": "5 000"},
    )

    report.refresh_from_db()
    assert report.status == ReportStatus.REPAYMENT_CLAIMED and report.repayment_ore == 5_000_00


def test_other_departments_and_conflicted_officers_are_kept_out(client, due_report):
    report = submitted(due_report)
    url = reverse("grants:follow_up_review", args=[report.uuid])
    officer_client(client, DepartmentFactory(slug="kultur"))
    assert client.get(url).status_code == 404

    officer = officer_client(client, report.decision.application.programme.department)
    ConflictOfInterest.objects.create(
        application=report.decision.application, officer=officer, has_conflict=True
    )
    assert client.get(url).status_code == 404
    with pytest.raises(NotPermitted):
        follow_up.report_review(actor=officer, report=report, outcome="approved")


def test_the_overview_has_a_fixed_number_of_queries(client, programme):
    officer_client(client, programme.department)
    url = reverse("grants:follow_up_overview", args=[programme.slug]) + "?year=2026"

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    paid_grant(programme)
    follow_up.follow_up_schedule(today=date(2026, 3, 11))
    few = count()
    for _ in range(6):
        paid_grant(programme)
    follow_up.follow_up_schedule(today=date(2026, 3, 11))
    page = client.get(url).content.decode()

    assert count() == few
    assert page.count("/staff/grants/reports/") == 7


def test_the_overview_is_for_the_programmes_officers(roles, programme):
    url = reverse("grants:follow_up_overview", args=[programme.slug])
    roles.assert_access(
        url, {"anonymous": 302, "staff_grant_officer": 200, "site_admin": 200}, default=403
    )


def test_the_command_runs_the_schedule(programme, capsys):
    from django.core.management import call_command

    paid_grant(programme, paid_on=timezone.localdate() - timedelta(days=1))
    call_command("grants_follow_up")
    assert "1 report(s) asked for" in capsys.readouterr().out


def test_officers_manage_the_follow_up_questions(client, programme):
    officer_client(client, programme.department)
    new = reverse("grants:staff_follow_up_question_new", args=[programme.slug])

    empty = client.post(new, {"label": "  ", "order": 0})
    assert empty.status_code == 200 and empty.context["form"].errors
    response = client.post(
        new, {"label": "Hur många deltog?", "help_text": "Ungefär räcker.", "order": 5}
    )

    assert response.status_code == 302
    question = programme.follow_up_questions.get(label="Hur många deltog?")
    assert not question.required and question.order == 5
    page = client.get(reverse("grants:staff_programme", args=[programme.slug])).content.decode()
    assert "Hur många deltog?" in page
    delete = reverse("grants:staff_follow_up_question_delete", args=[programme.slug, question.pk])
    assert client.post(delete).status_code == 302
    assert not programme.follow_up_questions.filter(pk=question.pk).exists()


def test_other_departments_cannot_change_the_follow_up_questions(client, programme):
    question = programme.follow_up_questions.first()
    officer_client(client, DepartmentFactory(slug="kultur"))
    url = reverse("grants:staff_follow_up_question", args=[programme.slug, question.pk])

    assert client.get(url).status_code == 404
    assert client.post(url, {"label": "Ändrad", "order": 0}).status_code == 404
    question.refresh_from_db()
    assert question.label == "Vad blev gjort?"


PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\n%%EOF\n"


@pytest.fixture
def private_files(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


def test_files_go_with_the_report_and_only_its_people_read_them(client, due_report, private_files):
    from django.core.files.uploadedfile import SimpleUploadedFile

    applicant = due_report.decision.application.applicant
    client.force_login(applicant)
    url = reverse("grants:follow_up_report", args=[due_report.uuid])
    question = due_report.decision.application.programme.follow_up_questions.first()
    answers = {"money_used": "15 000", f"question_{question.pk}": "Tjugo träffar."}

    fake = client.post(
        url,
        {**answers, "attachments": SimpleUploadedFile("kvitto.pdf", b"inte en pdf")},
    )
    assert fake.status_code == 200 and fake.context["form"].errors["attachments"]
    due_report.refresh_from_db()
    assert due_report.status == ReportStatus.DUE and not due_report.attachments.exists()

    sent = client.post(
        url,
        {
            **answers,
            "attachments": [
                SimpleUploadedFile("protokoll.pdf", PDF),
                SimpleUploadedFile("kvitton.pdf", PDF),
            ],
        },
    )
    assert sent.status_code == 302
    names = sorted(a.original_name for a in due_report.attachments.all())
    assert names == ["kvitton.pdf", "protokoll.pdf"]
    attachment = due_report.attachments.first()
    download = reverse("grants:follow_up_attachment", args=[attachment.uuid])
    assert "protokoll.pdf" in client.get(url).content.decode()
    assert client.get(download).status_code == 200

    officer = officer_client(client, due_report.decision.application.programme.department)
    assert client.get(download).status_code == 200
    ConflictOfInterest.objects.create(
        application=due_report.decision.application, officer=officer, has_conflict=True
    )
    assert client.get(download).status_code == 404
    client.force_login(UserFactory())
    assert client.get(download).status_code == 404
