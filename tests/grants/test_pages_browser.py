"""The grants pages beyond the programme pages, checked with axe-core in
Swedish and English: the application form (every kind of question, with and
without errors), the application's page, the declaration of jäv and the
assessment with its scoring form, the decision form, the payments, the
decision list, the nomination form, the follow-up report and its review,
and the public decisions page."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from tests.browser_support import axe_violations
from tests.grants.factories import (
    ApplicationFactory,
    CriterionFactory,
    GrantedDecisionFactory,
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
    ApplicationStatus,
    BudgetLine,
    ConflictOfInterest,
    FollowUpQuestion,
    FollowUpReport,
    Payment,
    ProgrammeKind,
    QuestionKind,
)
from tillsammans.grants.services.follow_up import follow_up_schedule

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


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


def choose_language(page, language):
    page.goto("/")
    if language == "en":
        page.get_by_role("button", name="English").click()
        page.wait_for_load_state()


def check(page, url):
    response = page.goto(url)
    assert response.status == 200, url  # not a redirect elsewhere or an error page
    assert page.url.split("#")[0].endswith(url), page.url
    assert page.locator("h1").count() == 1, url
    assert axe_violations(page) == [], url


def submit(page, selector):
    with page.expect_navigation():
        page.locator(selector).click()


@pytest.fixture
def world():
    programme = ProgrammeFactory(
        slug="verksamhetsstod", title="Verksamhetsstöd", report_due_months=6
    )
    OpenWindowFactory(programme=programme)
    ProgrammeBudgetFactory(programme=programme)
    CriterionFactory(programme=programme, title="Nytta för målgruppen", description="Hur många?")
    CriterionFactory(programme=programme, title="Genomförbarhet", weight=2)
    QuestionFactory(programme=programme, label="Vad gör föreningen?", order=1)
    QuestionFactory(
        programme=programme, label="Hur många deltar?", kind=QuestionKind.NUMBER, order=2
    )
    QuestionFactory(programme=programme, label="Egen insats", kind=QuestionKind.AMOUNT, order=3)
    QuestionFactory(
        programme=programme,
        label="Var håller ni till?",
        kind=QuestionKind.CHOICE,
        choices="Ekerö\nFärentuna\nMunsö",
        order=4,
    )
    QuestionFactory(
        programme=programme,
        label="Verksamhetsplan",
        kind=QuestionKind.FILE,
        help_text="Som pdf.",
        order=5,
    )
    FollowUpQuestion.objects.create(programme=programme, label="Vad blev gjort?", order=1)
    organization = VerifiedOrganizationFactory(name="PRO Ekerö")
    representative = RepresentativeFactory(organization=organization).user
    officer = _with_totp(grant_officer(programme.department))
    return programme, organization, representative, officer


@pytest.mark.parametrize("language", ["sv", "en"])
def test_the_applicants_pages_pass_axe(page, live_server, world, language):
    programme, organization, representative, _officer = world
    draft = ApplicationFactory(
        programme=programme,
        organization=organization,
        applicant=representative,
        status=ApplicationStatus.DRAFT,
    )
    BudgetLine.objects.create(application=draft, description="Hyra", amount_ore=5_000_00)
    sent = ApplicationFactory(
        programme=programme,
        organization=organization,
        applicant=representative,
        status=ApplicationStatus.SUBMITTED,
    )
    sign_in(page, live_server, representative)
    choose_language(page, language)

    check(page, f"/grants/{programme.slug}/apply/")
    check(page, f"/grants/applications/{draft.uuid}/edit/")
    form = page.locator("form.form")
    assert form.locator("textarea[name^=q_]").count() == 1
    assert form.locator("input[inputmode=decimal][name^=q_]").count() == 2
    assert form.locator("select[name^=q_]").count() == 1
    assert form.locator("input[type=file][name^=q_]").count() == 1
    # Bad input: errors in the summary and next to the fields.
    question = programme.questions.get(kind=QuestionKind.NUMBER)
    page.locator(f"#id_q_{question.pk}").fill("trettio")
    page.locator("#id_line_1_amount").fill("12,345")
    submit(page, "button[name=action][value=submit]")
    assert page.locator(".error-summary").count() == 1
    assert page.locator(f"#id_q_{question.pk}_error, .field--error").count() >= 1
    assert axe_violations(page) == []
    # By keyboard: the summary's link takes the focus to the field; Tab goes on in order.
    page.locator(f".error-summary a[href='#id_q_{question.pk}']").focus()
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == f"id_q_{question.pk}"
    page.locator("#id_title").focus()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "id_purpose"

    check(page, f"/grants/applications/{draft.uuid}/")
    check(page, f"/grants/applications/{sent.uuid}/")
    check(page, "/grants/mine/")


@pytest.mark.parametrize("language", ["sv", "en"])
def test_the_officers_pages_pass_axe(page, live_server, world, language):
    programme, organization, representative, officer = world
    application = ApplicationFactory(
        programme=programme,
        organization=organization,
        applicant=representative,
        status=ApplicationStatus.SUBMITTED,
    )
    BudgetLine.objects.create(application=application, description="Hyra", amount_ore=5_000_00)
    sign_in(page, live_server, officer)
    choose_language(page, language)

    check(page, f"/staff/grants/{programme.slug}/applications/")
    check(page, f"/staff/grants/applications/{application.uuid}/")  # the declaration
    submit(page, "form.form button[type=submit]")  # nothing chosen
    assert page.locator(".error-summary").count() == 1
    assert axe_violations(page) == []

    ConflictOfInterest.objects.create(application=application, officer=officer, has_conflict=False)
    check(page, f"/staff/grants/applications/{application.uuid}/")
    assert page.locator("input[name^=score_]").count() == 2
    submit(page, f"form[action$='/{application.uuid}/'] button[type=submit]")  # empty scores
    assert page.locator(".error-summary").count() == 1
    assert axe_violations(page) == []

    check(page, f"/staff/grants/applications/{application.uuid}/decide/")
    submit(page, "form.form button[type=submit]")
    assert page.locator(".error-summary").count() == 1
    assert axe_violations(page) == []

    decision = GrantedDecisionFactory(
        application=ApplicationFactory(
            programme=programme, organization=organization, status=ApplicationStatus.GRANTED
        ),
        recorded_by=officer,
    )
    ConflictOfInterest.objects.create(
        application=decision.application, officer=officer, has_conflict=False
    )
    check(page, f"/staff/grants/decisions/{decision.uuid}/payments/")
    check(page, f"/staff/grants/{programme.slug}/decision-list/")
    check(page, f"/staff/grants/{programme.slug}/follow-up/")


@pytest.mark.parametrize("language", ["sv", "en"])
def test_the_follow_up_report_and_its_review_pass_axe(page, live_server, world, language):
    programme, organization, representative, officer = world
    paid_on = timezone.localdate() - timedelta(days=1)
    decision = GrantedDecisionFactory(
        application=ApplicationFactory(
            programme=programme,
            organization=organization,
            applicant=representative,
            status=ApplicationStatus.GRANTED,
        ),
        decided_on=paid_on - timedelta(days=10),
        recorded_by=officer,
    )
    Payment.objects.create(
        decision=decision,
        paid_on=paid_on,
        amount_ore=decision.amount_ore,
        reference="LB-1",
        recorded_by=officer,
    )
    follow_up_schedule(today=paid_on)
    report = FollowUpReport.objects.get()
    sign_in(page, live_server, representative)
    choose_language(page, language)

    check(page, f"/grants/reports/{report.uuid}/")
    page.locator("#id_money_used").fill("-5")
    submit(page, "form.form button[type=submit]")
    assert page.locator(".error-summary").count() == 1
    assert axe_violations(page) == []
    check(page, f"/grants/applications/{decision.application.uuid}/")

    page.context.clear_cookies()
    sign_in(page, live_server, officer)
    choose_language(page, language)
    check(page, f"/staff/grants/reports/{report.uuid}/")


@pytest.mark.parametrize("language", ["sv", "en"])
def test_the_nomination_form_and_the_public_decisions_pass_axe(page, live_server, language):
    award = ProgrammeFactory(
        slug="utmarkelsen", title="Ekerö kommuns utmärkelse", kind=ProgrammeKind.AWARD
    )
    OpenWindowFactory(programme=award)
    VerifiedOrganizationFactory(name="Seglarklubben Kranen")
    GrantedDecisionFactory(
        application__programme=ProgrammeFactory(slug="verksamhetsstod", title="Verksamhetsstöd"),
        application__organization__name="PRO Ekerö",
    )
    choose_language(page, language)

    check(page, "/grants/utmarkelsen/nominate/")
    submit(page, "form.form button[type=submit]")
    assert page.locator(".error-summary").count() == 1
    assert axe_violations(page) == []
    check(page, "/grants/utmarkelsen/winners/")
    check(page, "/grants/decisions/")
    assert "PRO Ekerö" in page.locator("main").inner_text()
    check(page, "/grants/statistics/")
