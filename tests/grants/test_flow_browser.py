"""The whole grant flow in a real browser, by keyboard where it is natural:
a representative applies (answers, budget rows, a draft, then sends it), a
grant officer declares no conflict, scores, records the board's decision and
the payment; the follow-up report is asked for, the representative sends it
and the officer approves it. Each step asserts what the person sees. Buttons
are found by their form and value, not their words."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation

from tests.grants.factories import (
    CriterionFactory,
    OpenWindowFactory,
    ProgrammeBudgetFactory,
    ProgrammeFactory,
    QuestionFactory,
    VerifiedOrganizationFactory,
    grant_officer,
)
from tests.organizations.factories import RepresentativeFactory
from tests.roles import _with_totp
from tillsammans.grants.models import (
    Application,
    ApplicationStatus,
    FollowUpQuestion,
    FollowUpReport,
    QuestionKind,
    ReportStatus,
)
from tillsammans.grants.services.follow_up import follow_up_schedule
from tillsammans.notifications.models import OutboxMessage

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


def sv(text) -> str:
    with translation.override("sv"):
        return str(text)


def sign_in(page, live_server, user):
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )


def browser_for(page, live_server):
    context = page.context.browser.new_context(base_url=live_server.url, locale="sv-SE")
    return context.new_page()


def type_into(page, selector, text):
    """Tab-free typing: focus the field and type, as a keyboard user does."""
    page.locator(selector).focus()
    page.keyboard.type(text)


def press_enter_on(page, selector):
    page.locator(selector).focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")


def fact(page, label) -> str:
    """The value next to a label in the page's facts list."""
    return page.locator(f"dl.facts dt:text-is('{label}') + dd").first.inner_text().strip()


@pytest.fixture
def world():
    programme = ProgrammeFactory(
        slug="verksamhetsstod",
        title="Verksamhetsstöd",
        report_due_months=6,
        max_amount_ore=50_000_00,
    )
    OpenWindowFactory(programme=programme)
    ProgrammeBudgetFactory(programme=programme)
    criterion = CriterionFactory(programme=programme, title="Nytta för målgruppen", scale_max=5)
    QuestionFactory(programme=programme, label="Vad gör föreningen?", order=1)
    QuestionFactory(
        programme=programme, label="Hur många deltar?", kind=QuestionKind.NUMBER, order=2
    )
    FollowUpQuestion.objects.create(programme=programme, label="Vad blev gjort?", order=1)
    organization = VerifiedOrganizationFactory(name="PRO Ekerö")
    representative = RepresentativeFactory(
        organization=organization,
        user__email="sara@example.se",
        user__full_name="Sara Föreningsdotter",
    ).user
    officer = _with_totp(grant_officer(programme.department, user__full_name="Karin Handläggare"))
    return programme, criterion, representative, officer


def test_apply_assess_decide_pay_report_approve(page, live_server, world):
    programme, criterion, representative, officer = world
    question_text, question_number = programme.questions.order_by("order")

    # 1. Sara, a representative of PRO Ekerö, finds the programme and starts.
    sara = page
    sign_in(sara, live_server, representative)
    sara.goto("/grants/verksamhetsstod/")
    assert sara.locator("h1").inner_text() == "Verksamhetsstöd"
    sara.goto("/grants/verksamhetsstod/apply/")
    assert "Verksamhetsstöd" in sara.locator("h1").inner_text()
    press_enter_on(sara, "form.form button[type=submit]")
    application = Application.objects.get()
    assert sara.url.endswith(f"/grants/applications/{application.uuid}/edit/")
    assert fact(sara, sv("Status")) == sv(ApplicationStatus.DRAFT.label)

    # 2. She writes, adds budget rows and saves a draft.
    type_into(sara, "#id_title", "Träffar för seniorer")
    type_into(sara, "#id_purpose", "Veckoträffar med fika och föredrag.")
    type_into(sara, f"#id_q_{question_text.pk}", "Vi ordnar träffar för äldre.")
    type_into(sara, f"#id_q_{question_number.pk}", "30")
    type_into(sara, "#id_line_0_description", "Hyra av lokal")
    type_into(sara, "#id_line_0_amount", "12 500")
    press_enter_on(sara, "button[name=action][value=more_rows]")
    assert sara.url.endswith("#budget")
    rows = sara.locator("#budget tbody tr")
    assert rows.count() >= 4
    last = rows.count() - 1
    type_into(sara, f"#id_line_{last}_description", "Fika")
    type_into(sara, f"#id_line_{last}_amount", "2 500,50")
    press_enter_on(sara, "button[name=action][value=save]")
    assert sara.locator(".messages, [role=status]").first.is_visible()
    assert sara.locator("#budget tfoot td").inner_text().replace("\xa0", " ") == "15 000,50 kr"
    assert sara.locator("#id_line_0_description").input_value() == "Hyra av lokal"

    # 3. She sends it: the application's page says it is sent; a receipt waits in the outbox.
    press_enter_on(sara, "button[name=action][value=submit]")
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED
    assert sara.url.split("#")[0].endswith(f"/grants/applications/{application.uuid}/")
    assert fact(sara, sv("Status")) == sv(ApplicationStatus.SUBMITTED.label)
    assert application.reference in sara.locator("main").inner_text()
    receipt = OutboxMessage.objects.filter(address="sara@example.se").latest("pk")
    assert application.reference in receipt.subject + receipt.body

    # 4. Karin, the grant officer, opens it: first the declaration of jäv.
    karin = browser_for(page, live_server)
    sign_in(karin, live_server, officer)
    karin.goto(f"/staff/grants/{programme.slug}/applications/")
    assert application.reference in karin.locator("main").inner_text()
    karin.goto(f"/staff/grants/applications/{application.uuid}/")
    assert application.reference in karin.locator("h1").inner_text()
    assert karin.locator("input[name=has_conflict]").count() == 2
    karin.locator("input[name=has_conflict][value=no]").focus()
    karin.keyboard.press("Space")
    assert karin.locator("input[name=has_conflict][value=no]").is_checked()
    press_enter_on(karin, "form.form button[type=submit]")

    # 5. She sees the answers and the budget, and scores.
    main = karin.locator("main").inner_text()
    assert "Vi ordnar träffar för äldre." in main and "Hyra av lokal" in main
    type_into(karin, f"#id_score_{criterion.pk}", "4")
    type_into(karin, f"#id_comment_{criterion.pk}", "Tydlig nytta.")
    type_into(karin, "#id_proposed", "15 000")
    press_enter_on(karin, f"form[action$='/{application.uuid}/'] button[type=submit]")
    assert karin.locator(f"#id_score_{criterion.pk}").input_value() == "4"
    assert application.assessments.get().proposed_ore == 15_000_00

    # 6. The decision list, then the board's decision (granted).
    karin.goto(f"/staff/grants/{programme.slug}/decision-list/")
    assert application.reference in karin.locator("main").inner_text()
    karin.goto(f"/staff/grants/applications/{application.uuid}/decide/")
    karin.locator("input[name=outcome][value=granted]").focus()
    karin.keyboard.press("Space")
    type_into(karin, "#id_amount", "15 000")
    press_enter_on(karin, "form.form button[type=submit]")
    application.refresh_from_db()
    assert application.status == ApplicationStatus.GRANTED
    assert fact(karin, sv("Status")) == sv(ApplicationStatus.GRANTED.label)
    decision = application.decision
    decision_mail = OutboxMessage.objects.filter(address="sara@example.se").latest("pk")
    assert decision_mail.pk != receipt.pk

    # 7. The payment.
    karin.goto(f"/staff/grants/decisions/{decision.uuid}/payments/")
    assert application.reference in karin.locator("h1").inner_text()
    type_into(karin, "#id_amount", "15 000")
    type_into(karin, "#id_reference", "LB-2026-17")
    press_enter_on(karin, "form.form button[type=submit]")
    assert "LB-2026-17" in karin.locator("main table").inner_text()
    assert decision.payments.get().amount_ore == 15_000_00

    # 8. The follow-up report is asked for (the daily schedule, run today).
    paid_on = decision.payments.get().paid_on
    follow_up_schedule(today=paid_on + timedelta(days=1))
    report = FollowUpReport.objects.get(decision=decision)
    assert report.status == ReportStatus.DUE
    sara.goto(f"/grants/applications/{application.uuid}/")
    assert fact(sara, sv("Status")) == sv(ApplicationStatus.GRANTED.label)

    # 9. Sara sends the report.
    sara.goto(f"/grants/reports/{report.uuid}/")
    assert application.reference in sara.locator("h1").inner_text()
    assert fact(sara, sv("Status")) == sv(ReportStatus.DUE.label)
    question = programme.follow_up_questions.get()
    type_into(sara, "#id_money_used", "15 000")
    type_into(sara, f"#id_question_{question.pk}", "Tjugo träffar med i snitt 25 deltagare.")
    press_enter_on(sara, "form.form button[type=submit]")
    assert fact(sara, sv("Status")) == sv(ReportStatus.SUBMITTED.label)
    assert "Tjugo träffar" in sara.locator("main").inner_text()
    assert sara.locator("form.form").count() == 0

    # 10. Karin approves it; Sara sees it approved.
    karin.goto(f"/staff/grants/reports/{report.uuid}/")
    assert "Tjugo träffar" in karin.locator("main").inner_text()
    karin.locator("input[name=outcome][value=approved]").focus()
    karin.keyboard.press("Space")
    press_enter_on(karin, "form.form button[type=submit]")
    assert karin.url.endswith(f"/staff/grants/{programme.slug}/follow-up/")
    report.refresh_from_db()
    assert report.status == ReportStatus.APPROVED
    assert sv(ReportStatus.APPROVED.label) in karin.locator("main").inner_text()
    sara.goto(f"/grants/reports/{report.uuid}/")
    assert fact(sara, sv("Status")) == sv(ReportStatus.APPROVED.label)
    karin.context.close()
