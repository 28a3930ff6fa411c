"""The applicant's pages: apply, write, send, follow, withdraw, complete; the
list of one's applications; attachments; who may see what."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape

from tests.factories import DepartmentFactory, UserFactory
from tests.grants.factories import (
    ApplicationFactory,
    OpenWindowFactory,
    ProgrammeBudgetFactory,
    ProgrammeFactory,
    QuestionFactory,
    VerifiedOrganizationFactory,
    grant_officer,
)
from tests.grants.test_applications_services import PDF, PNG, representative
from tests.organizations.factories import OrganizationFactory, RepresentativeFactory
from tests.roles import _with_totp
from tillsammans.core.money import AmountInvalid, AmountNegative, AmountTooPrecise
from tillsammans.grants.models import (
    Application,
    ApplicationAttachment,
    ApplicationStatus,
    BudgetLine,
    ConflictOfInterest,
    Decision,
    DecisionOutcome,
    QuestionKind,
)
from tillsammans.grants.services import applications as services
from tillsammans.notifications.models import OutboxMessage
from tillsammans.organizations.models import OrganizationStatus

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


def sv(text) -> str:
    """A message as a Swedish page shows it (from whatever the catalogue holds)."""
    with translation.override("sv"):
        return escape(str(text))


def programme_with_questions(**kwargs):
    programme = ProgrammeFactory(**kwargs)
    OpenWindowFactory(programme=programme)
    text = QuestionFactory(programme=programme, label="Hur många deltar?", order=1)
    amount = QuestionFactory(
        programme=programme, label="Egen insats", kind=QuestionKind.AMOUNT, order=2
    )
    file = QuestionFactory(
        programme=programme, label="Verksamhetsplan", kind=QuestionKind.FILE, order=3
    )
    return programme, text, amount, file


def form_data(text, amount, action="save", **extra):
    data = {
        "rows": "3",
        "title": "Träffar för seniorer",
        "purpose": "Veckoträffar med fika och föredrag.",
        f"q_{text.pk}": "Omkring 30",
        f"q_{amount.pk}": "2 000",
        "line_0_description": "Hyra av lokal",
        "line_0_amount": "12 500",
        "line_1_description": "Fika",
        "line_1_amount": "1 234,50",
        "line_2_description": "",
        "line_2_amount": "",
        "action": action,
    }
    data.update(extra)
    return data


def signed_in(client, user):
    client.force_login(user)
    return client


def start(client, programme, organization) -> Application:
    response = client.post(
        reverse("grants:apply", args=[programme.slug]), {"applicant": str(organization.uuid)}
    )
    application = Application.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("grants:application_edit", args=[application.uuid])
    return application


# --- The happy path -----------------------------------------------------------------------


def test_draft_save_submit_and_receipt_in_the_applicants_language(client):
    programme, text, amount, file = programme_with_questions()
    user, organization = representative(language="en")
    signed_in(client, user)
    page = client.get(reverse("grants:apply", args=[programme.slug]))
    assert page.status_code == 200
    assert organization.name in page.content.decode()
    application = start(client, programme, organization)
    edit_url = reverse("grants:application_edit", args=[application.uuid])

    response = client.post(
        edit_url,
        form_data(text, amount, **{f"q_{file.pk}": SimpleUploadedFile("plan.pdf", PDF)}),
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.requested_ore == 13_734_50
    assert application.answers == {str(text.pk): "Omkring 30", str(amount.pk): 2_000_00}
    assert ApplicationAttachment.objects.get().original_name == "plan.pdf"
    page = client.get(edit_url).content.decode()
    assert "Omkring 30" in page
    assert "plan.pdf" in page

    response = client.post(edit_url, form_data(text, amount, action="submit"))
    assert response.status_code == 302
    assert response["Location"] == reverse("grants:application", args=[application.uuid])
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED
    receipt = OutboxMessage.objects.get()
    assert receipt.address == user.email
    assert receipt.language == "en"
    assert "We have received your application" in receipt.subject
    status_page = client.get(response["Location"]).content.decode()
    assert application.reference in status_page
    assert "13\xa0734,50 kr" in status_page or "13 734,50 kr" in status_page
    # Once sent, the edit page leads back to the status page.
    assert client.get(edit_url)["Location"] == response["Location"]


def test_the_edit_page_has_labels_for_every_budget_cell(client):
    programme, _text, _amount, file = programme_with_questions()
    user, organization = representative()
    application = start(signed_in(client, user), programme, organization)
    page = client.get(reverse("grants:application_edit", args=[application.uuid])).content.decode()
    for row in range(3):
        assert f'for="id_line_{row}_description"' in page
        assert f'for="id_line_{row}_amount"' in page
    assert 'hx-trigger="every 30s"' in page
    assert f'hx-params="not q_{file.pk}"' in page


# --- Bad input keeps everything typed ------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "error"),
    [
        ("-500", AmountNegative.message),
        ("femhundra", AmountInvalid.message),
        ("1 234,567", AmountTooPrecise.message),
    ],
)
def test_a_bad_amount_is_shown_next_to_its_row_and_the_rest_is_kept(client, typed, error):
    programme, text, amount, _file = programme_with_questions()
    user, organization = representative()
    application = start(signed_in(client, user), programme, organization)
    response = client.post(
        reverse("grants:application_edit", args=[application.uuid]),
        form_data(text, amount, line_1_amount=typed),
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert page.count(sv(error)) == 2  # next to the field and in the summary
    assert 'id="id_line_1_amount_error"' in page
    assert f'value="{typed}"' in page
    assert 'value="Hyra av lokal"' in page
    # What was right is saved; the row in error is not stored half-read.
    application.refresh_from_db()
    assert application.title == "Träffar för seniorer"
    assert list(BudgetLine.objects.values_list("description", "amount_ore")) == [
        ("Hyra av lokal", 12_500_00)
    ]


def test_a_bad_number_answer_keeps_the_earlier_answer(client):
    programme, text, amount, _file = programme_with_questions()
    user, organization = representative()
    application = start(signed_in(client, user), programme, organization)
    url = reverse("grants:application_edit", args=[application.uuid])
    client.post(url, form_data(text, amount))
    response = client.post(url, form_data(text, amount, **{f"q_{amount.pk}": "mycket"}))
    assert response.status_code == 200
    assert 'value="mycket"' in response.content.decode()
    application.refresh_from_db()
    assert application.answers[str(amount.pk)] == 2_000_00


def test_above_the_maximum_is_refused_on_submit_and_the_draft_kept(client):
    programme, text, amount, file = programme_with_questions(max_amount_ore=10_000_00)
    user, organization = representative()
    application = start(signed_in(client, user), programme, organization)
    ApplicationAttachment.objects.create(
        application=application, question=file, file="x.pdf", original_name="x.pdf", size=10
    )
    response = client.post(
        reverse("grants:application_edit", args=[application.uuid]),
        form_data(text, amount, action="submit"),
    )
    assert response.status_code == 200
    with translation.override("sv"):
        assert escape(services.application_problems(application)["budget"]) in (
            response.content.decode()
        )
    application.refresh_from_db()
    assert application.status == ApplicationStatus.DRAFT
    assert application.requested_ore == 13_734_50
    assert not OutboxMessage.objects.exists()


def test_missing_required_answers_are_shown_next_to_the_questions(client):
    programme, text, amount, file = programme_with_questions()
    user, organization = representative()
    application = start(signed_in(client, user), programme, organization)
    response = client.post(
        reverse("grants:application_edit", args=[application.uuid]),
        form_data(text, amount, action="submit", **{f"q_{text.pk}": ""}),
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert f'id="id_q_{text.pk}_error"' in page
    assert f'id="id_q_{file.pk}_error"' in page
    assert f'href="#id_q_{text.pk}"' in page  # the summary links to the field
    assert 'value="Hyra av lokal"' in page
    application.refresh_from_db()
    assert application.status == ApplicationStatus.DRAFT


@pytest.mark.parametrize(
    ("name", "content"),
    [("plan.exe", b"MZ\x90\x00"), ("plan.pdf", PNG), ("stor.pdf", PDF + b"\0" * 10_485_760)],
)
def test_a_wrong_or_oversize_file_is_refused_next_to_its_question(client, name, content):
    programme, text, amount, file = programme_with_questions()
    user, organization = representative()
    application = start(signed_in(client, user), programme, organization)
    response = client.post(
        reverse("grants:application_edit", args=[application.uuid]),
        form_data(text, amount, **{f"q_{file.pk}": SimpleUploadedFile(name, content)}),
    )
    assert response.status_code == 200
    assert f'id="id_q_{file.pk}_error"' in response.content.decode()
    assert not ApplicationAttachment.objects.exists()
    application.refresh_from_db()
    assert application.title == "Träffar för seniorer"


def test_add_more_rows_keeps_the_typed_rows(client):
    programme, text, amount, _file = programme_with_questions()
    user, organization = representative()
    application = start(signed_in(client, user), programme, organization)
    url = reverse("grants:application_edit", args=[application.uuid])
    response = client.post(url, form_data(text, amount, action="more_rows"))
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert 'name="line_5_amount"' in page
    assert 'value="Fika"' in page


def test_autosave_saves_and_answers_with_one_line(client):
    programme, text, amount, _file = programme_with_questions()
    user, organization = representative()
    application = start(signed_in(client, user), programme, organization)
    response = client.post(
        reverse("grants:application_edit", args=[application.uuid]),
        form_data(text, amount, title="Autosparat"),
        headers={"X-Autosave": "1", "HX-Request": "true"},
    )
    assert response.status_code == 200
    assert "<html" not in response.content.decode()
    application.refresh_from_db()
    assert application.title == "Autosparat"


# --- Deadlines and who may apply ----------------------------------------------------------


def test_a_late_submission_names_the_closing_time(client):
    programme, text, amount, file = programme_with_questions()
    user, organization = representative()
    application = start(signed_in(client, user), programme, organization)
    ApplicationAttachment.objects.create(
        application=application, question=file, file="x.pdf", original_name="x.pdf", size=10
    )
    closes = timezone.now() - timedelta(minutes=1)
    programme.windows.update(closes_at=closes)
    response = client.post(
        reverse("grants:application_edit", args=[application.uuid]),
        form_data(text, amount, action="submit"),
    )
    assert response.status_code == 200
    with translation.override("sv"):
        expected = str(services.DeadlinePassed(closed=services.local_time(closes)))
    assert escape(expected) in response.content.decode()
    application.refresh_from_db()
    assert application.status == ApplicationStatus.DRAFT


def test_an_ineligible_organisation_sees_why_and_cannot_start(client):
    programme, *_questions = programme_with_questions()
    user, organization = representative(
        VerifiedOrganizationFactory(status=OrganizationStatus.PENDING)
    )
    signed_in(client, user)
    url = reverse("grants:apply", args=[programme.slug])
    page = client.get(url).content.decode()
    assert organization.name in page
    assert 'name="applicant"' not in page
    response = client.post(url, {"applicant": str(organization.uuid)})
    assert response.status_code == 200
    assert not Application.objects.exists()


def test_an_individual_applies_where_the_programme_allows_it(client):
    programme, *_questions = programme_with_questions(allows_individuals=True)
    user = UserFactory()
    signed_in(client, user)
    response = client.post(
        reverse("grants:apply", args=[programme.slug]), {"applicant": "individual"}
    )
    assert response.status_code == 302
    application = Application.objects.get()
    assert application.organization is None
    assert application.applicant == user


def test_an_unpublished_programme_has_no_apply_page(client):
    programme, *_questions = programme_with_questions(is_published=False)
    user, _organization = representative()
    signed_in(client, user)
    assert client.get(reverse("grants:apply", args=[programme.slug])).status_code == 404


# --- Withdraw and complete ----------------------------------------------------------------


def test_withdraw_asks_first_then_withdraws(client):
    user, organization = representative()
    application = ApplicationFactory(
        organization=organization, applicant=user, status=ApplicationStatus.SUBMITTED
    )
    signed_in(client, user)
    url = reverse("grants:application_withdraw", args=[application.uuid])
    assert client.get(url).status_code == 200
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED
    response = client.post(url)
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == ApplicationStatus.WITHDRAWN


def test_a_decided_application_is_not_withdrawn(client):
    user, organization = representative()
    application = ApplicationFactory(
        organization=organization, applicant=user, status=ApplicationStatus.GRANTED
    )
    signed_in(client, user)
    response = client.post(reverse("grants:application_withdraw", args=[application.uuid]))
    assert response.status_code == 200
    assert sv(services.ApplicationNotWithdrawable.message) in response.content.decode()
    application.refresh_from_db()
    assert application.status == ApplicationStatus.GRANTED


def test_completion_on_the_status_page(client):
    programme, text, amount, file = programme_with_questions()
    user, organization = representative()
    application = start(signed_in(client, user), programme, organization)
    client.post(
        reverse("grants:application_edit", args=[application.uuid]),
        form_data(text, amount, **{f"q_{file.pk}": SimpleUploadedFile("plan.pdf", PDF)}),
    )
    Application.objects.filter(pk=application.pk).update(
        status=ApplicationStatus.NEEDS_COMPLETION, completion_request="Skicka styrelsens namn."
    )
    url = reverse("grants:application", args=[application.uuid])
    page = client.get(url).content.decode()
    assert "Skicka styrelsens namn." in page
    assert 'name="reply"' in page
    # The edit page is open again while completion is asked for.
    assert client.get(reverse("grants:application_edit", args=[application.uuid])).status_code == (
        200
    )
    response = client.post(url, {"reply": "Här är namnen."})
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED


# --- Who may see what ---------------------------------------------------------------------


@pytest.fixture
def officers_application(roles):
    """An application to a programme of the staff personas' department, by an
    organisation the representative persona does not represent, with a file."""
    roles.user("staff_grant_officer")
    department = DepartmentFactory(slug="socialforvaltningen")
    programme, _text, _amount, file = programme_with_questions(department=department)
    applicant, organization = representative()
    application = ApplicationFactory(
        programme=programme,
        organization=organization,
        applicant=applicant,
    )
    attachment = services.application_attachment_add(
        actor=applicant,
        application=application,
        question=file,
        upload=SimpleUploadedFile("plan.pdf", PDF),
    )
    Application.objects.filter(pk=application.pk).update(status=ApplicationStatus.SUBMITTED)
    return application, attachment


def test_permission_table_of_the_status_page(roles, officers_application):
    application, _attachment = officers_application
    roles.assert_access(
        reverse("grants:application", args=[application.uuid]),
        # Site admins (superusers) may see everything, as elsewhere.
        {"anonymous": 302, "site_admin": 200},
        default=404,
    )


def test_permission_table_of_an_attachment(roles, officers_application):
    _application, attachment = officers_application
    roles.assert_access(
        reverse("grants:attachment", args=[attachment.uuid]),
        {"anonymous": 302, "staff_grant_officer": 200, "site_admin": 200},
        default=404,
    )


def test_permission_table_of_my_applications(roles):
    roles.assert_access(reverse("grants:my_applications"), {"anonymous": 302}, default=200)


def test_anonymous_is_sent_to_sign_in(client, officers_application):
    application, _attachment = officers_application
    apply_url = reverse("grants:apply", args=[application.programme.slug])
    assert reverse("account_login") in client.get(apply_url)["Location"]
    for name in ("application", "application_edit", "application_withdraw"):
        response = client.get(reverse(f"grants:{name}", args=[application.uuid]))
        assert response.status_code == 302
        assert reverse("account_login") in response["Location"]


def test_the_organisations_other_representative_may_view_and_download(client, officers_application):
    application, attachment = officers_application
    colleague = RepresentativeFactory(organization=application.organization).user
    signed_in(client, colleague)
    assert client.get(reverse("grants:application", args=[application.uuid])).status_code == 200
    response = client.get(reverse("grants:attachment", args=[attachment.uuid]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"


def test_another_organisations_representative_gets_404(client, officers_application):
    application, attachment = officers_application
    other = RepresentativeFactory(organization=OrganizationFactory()).user
    signed_in(client, other)
    for url in (
        reverse("grants:application", args=[application.uuid]),
        reverse("grants:application_edit", args=[application.uuid]),
        reverse("grants:application_withdraw", args=[application.uuid]),
        reverse("grants:attachment", args=[attachment.uuid]),
    ):
        assert client.get(url).status_code == 404, url
    assert (
        client.post(reverse("grants:application_withdraw", args=[application.uuid])).status_code
        == 404
    )
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED


def test_an_officer_with_a_declared_conflict_gets_404_for_attachments(client, officers_application):
    application, attachment = officers_application
    officer = _with_totp(grant_officer(application.programme.department))
    url = reverse("grants:attachment", args=[attachment.uuid])
    signed_in(client, officer)
    assert client.get(url).status_code == 200
    ConflictOfInterest.objects.create(application=application, officer=officer, has_conflict=True)
    assert client.get(url).status_code == 404
    other_department = _with_totp(grant_officer(DepartmentFactory()))
    signed_in(client, other_department)
    assert client.get(url).status_code == 404


# --- My applications ----------------------------------------------------------------------


def _queries_for_mine(client, user) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("grants:my_applications"))
    assert response.status_code == 200
    return len(captured)


def test_my_applications_shows_own_and_organisations_with_a_fixed_query_count(client):
    user, organization = representative()
    own = ApplicationFactory(organization=None, applicant=user)
    colleagues = ApplicationFactory(organization=organization)
    strangers = ApplicationFactory()
    signed_in(client, user)
    page = client.get(reverse("grants:my_applications")).content.decode()
    assert own.reference in page
    assert colleagues.reference in page
    assert strangers.reference not in page
    few = _queries_for_mine(client, user)
    for _ in range(47):
        ApplicationFactory(organization=organization)
    second_organization = VerifiedOrganizationFactory()
    RepresentativeFactory(organization=second_organization, user=user)
    ApplicationFactory(organization=second_organization)
    many = _queries_for_mine(client, user)
    assert few == many


def test_my_applications_query_count_is_pinned(client, django_assert_num_queries):
    user, organization = representative()
    for _ in range(3):
        ApplicationFactory(organization=organization)
    signed_in(client, user)
    client.get(reverse("grants:my_applications"))  # warm the session
    # Session, user, the base page's staff-tools check (capabilities and two
    # permission reads), and one query for the whole list.
    with django_assert_num_queries(6):
        response = client.get(reverse("grants:my_applications"))
    assert response.status_code == 200


def test_the_decision_shows_on_the_status_page(client):
    user, organization = representative()
    application = ApplicationFactory(
        organization=organization, applicant=user, status=ApplicationStatus.GRANTED
    )
    budget = ProgrammeBudgetFactory(programme=application.programme)
    Decision.objects.create(
        application=application,
        outcome=DecisionOutcome.GRANTED,
        amount_ore=15_000_00,
        conditions="Återrapportering senast 31 mars.",
        decided_on=timezone.localdate(),
        budget=budget,
        recorded_by=grant_officer(application.programme.department),
    )
    signed_in(client, user)
    page = client.get(reverse("grants:application", args=[application.uuid])).content.decode()
    assert "Återrapportering senast 31 mars." in page
    assert "15\xa0000 kr" in page or "15 000 kr" in page
    assert reverse("grants:application_withdraw", args=[application.uuid]) not in page


def test_autosave_after_the_application_was_sent_changes_nothing(client):
    programme, text, amount, _file = programme_with_questions()
    user, organization = representative()
    application = start(signed_in(client, user), programme, organization)
    Application.objects.filter(pk=application.pk).update(status=ApplicationStatus.SUBMITTED)
    response = client.post(
        reverse("grants:application_edit", args=[application.uuid]),
        form_data(text, amount, title="Från en gammal flik"),
        headers={"X-Autosave": "1", "HX-Request": "true"},
    )
    assert response.status_code == 200
    assert response.content.decode() == sv(services.ApplicationNotEditable.message)
    application.refresh_from_db()
    assert application.title == ""
