"""The grant officers' programme pages: who may use them, and what they do."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.factories import DepartmentFactory
from tests.grants.factories import (
    CriterionFactory,
    OpenWindowFactory,
    ProgrammeBudgetFactory,
    ProgrammeFactory,
    QuestionFactory,
)
from tests.grants.factories import grant_officer as grant_officer_without_mfa
from tests.roles import ROLES, _with_totp
from tillsammans.audit.models import AuditEntry
from tillsammans.grants.models import (
    ApplicationWindow,
    Criterion,
    Programme,
    ProgrammeBudget,
    Question,
)

pytestmark = pytest.mark.django_db

OFFICERS_ONLY = {
    **dict.fromkeys(ROLES, 403),
    "anonymous": 302,
    "staff_grant_officer": 200,
    "site_admin": 200,
}
# A page of one programme: others than its officers get 404 (as for every
# object a user may not see); anonymous visitors are sent to sign in.
PROGRAMME_OFFICERS_ONLY = {
    **dict.fromkeys(ROLES, 403),
    "anonymous": 302,
    "staff_grant_officer": 200,
    "site_admin": 200,
}


def grant_officer(department):
    """A grant officer with an authenticator app (staff pages ask for one)."""
    return _with_totp(grant_officer_without_mfa(department))


def social_services():
    return DepartmentFactory(slug="socialforvaltningen")


@pytest.fixture
def programme(db):
    programme = ProgrammeFactory(slug="verksamhetsstod", department=social_services())
    OpenWindowFactory(programme=programme)
    ProgrammeBudgetFactory(programme=programme)
    CriterionFactory(programme=programme)
    QuestionFactory(programme=programme)
    return programme


def en(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def test_the_list_is_for_grant_officers_and_site_admins(roles):
    roles.assert_access(reverse("grants:staff_programmes"), OFFICERS_ONLY)
    roles.assert_access(reverse("grants:staff_programme_new"), OFFICERS_ONLY)


def test_a_programme_s_pages_are_for_its_officers(roles, programme):
    window = programme.windows.get()
    criterion = programme.criteria.get()
    question = programme.questions.get()
    year = programme.budgets.get().year
    slug = programme.slug
    for url in [
        reverse("grants:staff_programme", args=[slug]),
        reverse("grants:staff_programme_edit", args=[slug]),
        reverse("grants:staff_window_new", args=[slug]),
        reverse("grants:staff_window", args=[slug, window.pk]),
        reverse("grants:staff_window_delete", args=[slug, window.pk]),
        reverse("grants:staff_budget_new", args=[slug]),
        reverse("grants:staff_budget", args=[slug, year]),
        reverse("grants:staff_criterion_new", args=[slug]),
        reverse("grants:staff_criterion", args=[slug, criterion.pk]),
        reverse("grants:staff_criterion_delete", args=[slug, criterion.pk]),
        reverse("grants:staff_question_new", args=[slug]),
        reverse("grants:staff_question", args=[slug, question.pk]),
        reverse("grants:staff_question_delete", args=[slug, question.pk]),
    ]:
        roles.assert_access(url, PROGRAMME_OFFICERS_ONLY)


def test_an_officer_of_another_department_gets_404(client, programme):
    other = grant_officer(DepartmentFactory(slug="kultur-och-fritidsforvaltningen"))
    client.force_login(other)
    slug = programme.slug
    for url in [
        reverse("grants:staff_programme", args=[slug]),
        reverse("grants:staff_programme_edit", args=[slug]),
        reverse("grants:staff_window_new", args=[slug]),
        reverse("grants:staff_budget_new", args=[slug]),
        reverse("grants:staff_criterion_new", args=[slug]),
        reverse("grants:staff_question_delete", args=[slug, programme.questions.get().pk]),
    ]:
        assert client.get(url).status_code == 404, url
    response = client.post(
        reverse("grants:staff_budget_new", args=[slug]), {"year": 2026, "amount": "1"}
    )
    assert response.status_code == 404
    # Their own list does not show it.
    response = client.get(reverse("grants:staff_programmes"))
    assert response.status_code == 200
    assert response.context["rows"] == []


def test_the_list_shows_budget_committed_and_remaining(client, programme):
    officer = grant_officer(programme.department)
    ProgrammeBudget.objects.filter(programme=programme).update(
        amount_ore=135_000_00, committed_ore=84_000_00
    )
    other = ProgrammeFactory(title="Kulturbidrag", department=DepartmentFactory(slug="kultur"))
    en(client).force_login(officer)
    page = client.get(reverse("grants:staff_programmes")).content.decode()
    assert programme.title in page
    assert "135,000 kr" in page and "84,000 kr" in page and "51,000 kr" in page
    assert other.title not in page


def test_a_site_admin_sees_every_programme(roles, programme):
    other = ProgrammeFactory(title="Kulturbidrag", department=DepartmentFactory(slug="kultur"))
    response = roles.client("site_admin").get(reverse("grants:staff_programmes"))
    titles = [row["programme"].title for row in response.context["rows"]]
    assert programme.title in titles and other.title in titles


def test_the_list_reads_a_fixed_number_of_queries(client):
    department = social_services()
    officer = grant_officer(department)
    client.force_login(officer)

    def build(n, start):
        for i in range(start, start + n):
            p = ProgrammeFactory(slug=f"p-{i}", department=department)
            ProgrammeBudgetFactory(programme=p)
            ProgrammeBudgetFactory(programme=p, year=timezone.localdate().year - 1)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("grants:staff_programmes")).status_code == 200
        return len(queries)

    build(3, 0)
    few = count()
    build(27, 3)
    assert count() == few


# --- Creating and changing programmes ---------------------------------------------------


def programme_data(department, **overrides):
    data = {
        "title": "Nätverksbidrag",
        "slug": "natverksbidrag",
        "summary": "Ett litet bidrag till lösa nätverk.",
        "description": "Grannar som ordnar promenadgrupper kan söka.",
        "kind": "network",
        "department": department.pk,
        "deciding_body": "Socialnämndens arbetsutskott",
        "max_amount": "5 000",
        "allowed_legal_forms": ["natverk", "ideell_forening"],
        "allows_networks": "on",
        "required_documents": ["statutes"],
        "report_due_months": "6",
        "is_published": "on",
    }
    data.update(overrides)
    return data


def test_an_officer_creates_a_programme(client):
    department = social_services()
    officer = grant_officer(department)
    client.force_login(officer)
    response = client.post(reverse("grants:staff_programme_new"), programme_data(department))
    assert response.status_code == 302
    programme = Programme.objects.get(slug="natverksbidrag")
    assert response.url == reverse("grants:staff_programme", args=["natverksbidrag"])
    assert programme.max_amount_ore == 5_000_00
    assert programme.allowed_legal_forms == ["natverk", "ideell_forening"]
    assert programme.allows_networks and not programme.allows_individuals
    assert not programme.requires_verified_organization
    assert programme.required_documents == ["statutes"]
    assert programme.department == department
    assert AuditEntry.objects.filter(
        action=AuditEntry.Action.CREATE, target_id=str(programme.uuid)
    ).exists()
    assert client.get(response.url).status_code == 200


def test_an_officer_may_only_choose_their_own_departments(client):
    department = social_services()
    other = DepartmentFactory(slug="kultur")
    client.force_login(grant_officer(department))
    form = en(client).get(reverse("grants:staff_programme_new")).context["form"]
    assert list(form.fields["department"].queryset) == [department]
    response = client.post(reverse("grants:staff_programme_new"), programme_data(other))
    assert response.status_code == 200
    assert "department" in response.context["form"].errors
    assert not Programme.objects.exists()


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        ("-100", "The amount cannot be negative."),
        ("12,345", "Kronor have at most two decimals (öre)."),
        ("tolv", "Write an amount in kronor"),
    ],
)
def test_bad_amounts_are_shown_next_to_the_field(client, amount, message):
    department = social_services()
    en(client).force_login(grant_officer(department))
    response = client.post(
        reverse("grants:staff_programme_new"), programme_data(department, max_amount=amount)
    )
    assert response.status_code == 200
    errors = response.context["form"].errors["max_amount"]
    assert any(message in error for error in errors)
    page = response.content.decode()
    assert "Please correct the following" in page
    assert 'href="#id_max_amount"' in page
    assert not Programme.objects.exists()


def test_amounts_in_öre_are_kept_exactly(client):
    department = social_services()
    client.force_login(grant_officer(department))
    client.post(
        reverse("grants:staff_programme_new"), programme_data(department, max_amount="12 345,50")
    )
    assert Programme.objects.get().max_amount_ore == 1_234_550


def test_a_duplicate_web_address_is_refused(client, programme):
    en(client).force_login(grant_officer(programme.department))
    response = client.post(
        reverse("grants:staff_programme_new"),
        programme_data(programme.department, slug=programme.slug),
    )
    assert response.status_code == 200
    assert any(
        "already uses the web address" in error for error in response.context["form"].errors["slug"]
    )
    assert Programme.objects.count() == 1


def test_an_officer_edits_a_programme(client, programme):
    client.force_login(grant_officer(programme.department))
    url = reverse("grants:staff_programme_edit", args=[programme.slug])
    form = client.get(url).context["form"]
    assert form.initial["title"] == programme.title
    data = programme_data(programme.department, slug=programme.slug, title="Nytt namn")
    response = client.post(url, data)
    assert response.status_code == 302
    programme.refresh_from_db()
    assert programme.title == "Nytt namn"
    entry = AuditEntry.objects.get(action=AuditEntry.Action.CHANGE, target_id=str(programme.uuid))
    assert "title" in entry.details["fields"]


# --- Windows, budgets, criteria, questions ----------------------------------------------


def test_a_window_closing_before_it_opens_is_refused(client, programme):
    en(client).force_login(grant_officer(programme.department))
    response = client.post(
        reverse("grants:staff_window_new", args=[programme.slug]),
        {"opens_at": "2027-03-01T00:00", "closes_at": "2027-02-01T00:00"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["closes_at"] == ["The window must close after it opens."]
    assert programme.windows.count() == 1


def test_an_officer_adds_a_window_in_stockholm_time(client, programme):
    client.force_login(grant_officer(programme.department))
    response = client.post(
        reverse("grants:staff_window_new", args=[programme.slug]),
        {
            "opens_at": "2027-03-01T00:00",
            "closes_at": "2027-04-01T00:00",
            "decision_meeting_on": "2027-04-20",
        },
    )
    assert response.status_code == 302
    window = programme.windows.order_by("opens_at").last()
    assert window.opens_at.isoformat() == "2027-02-28T23:00:00+00:00"  # CET
    assert window.closes_at.isoformat() == "2027-03-31T22:00:00+00:00"  # CEST
    assert str(window.decision_meeting_on) == "2027-04-20"


def test_an_officer_changes_and_deletes_a_window(client, programme):
    client.force_login(grant_officer(programme.department))
    window = programme.windows.get()
    url = reverse("grants:staff_window", args=[programme.slug, window.pk])
    assert client.get(url).context["form"].initial["opens_at"]
    response = client.post(url, {"opens_at": "2027-03-01T00:00", "closes_at": "2027-04-01T00:00"})
    assert response.status_code == 302
    window.refresh_from_db()
    assert window.decision_meeting_on is None
    client.post(reverse("grants:staff_window_delete", args=[programme.slug, window.pk]))
    assert not programme.windows.exists()


def test_a_budget_cannot_be_lowered_below_what_is_committed(client, programme):
    budget = programme.budgets.get()
    ProgrammeBudget.objects.filter(pk=budget.pk).update(committed_ore=84_000_00)
    en(client).force_login(grant_officer(programme.department))
    url = reverse("grants:staff_budget", args=[programme.slug, budget.year])
    response = client.post(url, {"amount": "80 000"})
    assert response.status_code == 200
    (error,) = response.context["form"].errors["amount"]
    assert error == (
        f"84,000 kr of the budget for {budget.year} is already committed by decisions: "
        "the budget cannot be lower than that."
    )
    budget.refresh_from_db()
    assert budget.amount_ore == 135_000_00
    response = client.post(url, {"amount": "84 000"})
    assert response.status_code == 302
    budget.refresh_from_db()
    assert budget.amount_ore == 84_000_00


def test_an_officer_sets_next_year_s_budget(client, programme):
    client.force_login(grant_officer(programme.department))
    year = timezone.localdate().year + 1
    response = client.post(
        reverse("grants:staff_budget_new", args=[programme.slug]),
        {"year": str(year), "amount": "140 000"},
    )
    assert response.status_code == 302
    assert programme.budgets.get(year=year).amount_ore == 140_000_00
    response = client.post(
        reverse("grants:staff_budget_new", args=[programme.slug]),
        {"year": str(year), "amount": "-1"},
    )
    assert response.status_code == 200
    assert programme.budgets.get(year=year).amount_ore == 140_000_00


def test_an_officer_adds_changes_and_deletes_criteria_and_questions(client, programme):
    client.force_login(grant_officer(programme.department))
    slug = programme.slug
    response = client.post(
        reverse("grants:staff_criterion_new", args=[slug]),
        {"title": "Samverkan", "description": "", "weight": "2", "scale_max": "5", "order": "3"},
    )
    assert response.status_code == 302
    criterion = Criterion.objects.get(title="Samverkan")
    assert criterion.weight == 2
    response = client.post(
        reverse("grants:staff_criterion_new", args=[slug]),
        {"title": "För tung", "weight": "11", "scale_max": "5", "order": "0"},
    )
    assert response.status_code == 200 and "weight" in response.context["form"].errors
    client.post(reverse("grants:staff_criterion_delete", args=[slug, criterion.pk]))
    assert not Criterion.objects.filter(pk=criterion.pk).exists()

    response = client.post(
        reverse("grants:staff_question_new", args=[slug]),
        {"label": "Är det gratis?", "kind": "choice", "choices": "Ja", "order": "1"},
    )
    assert response.status_code == 200
    assert "choices" in response.context["form"].errors
    response = client.post(
        reverse("grants:staff_question_new", args=[slug]),
        {"label": "Är det gratis?", "kind": "choice", "choices": "Ja\n\nNej\n", "order": "1"},
    )
    assert response.status_code == 302
    question = Question.objects.get(label="Är det gratis?")
    assert question.choice_list() == ["Ja", "Nej"] and not question.required
    client.post(reverse("grants:staff_question_delete", args=[slug, question.pk]))
    assert not Question.objects.filter(pk=question.pk).exists()


def test_the_programme_page_for_staff_lists_its_parts(client, programme):
    en(client).force_login(grant_officer(programme.department))
    ApplicationWindow.objects.create(
        programme=programme,
        opens_at=timezone.now() + timedelta(days=100),
        closes_at=timezone.now() + timedelta(days=120),
    )
    response = client.get(reverse("grants:staff_programme", args=[programme.slug]))
    page = response.content.decode()
    assert programme.criteria.get().title in page
    assert programme.questions.get().label in page
    assert "135,000 kr" in page
    assert len(response.context["windows"]) == 2
