"""The programme services: rules, permissions, audit, and the budget lock."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.factories import DepartmentFactory, UserFactory
from tests.grants.factories import (
    CriterionFactory,
    OpenWindowFactory,
    ProgrammeBudgetFactory,
    ProgrammeFactory,
    QuestionFactory,
    grant_officer,
)
from tillsammans.audit.models import AuditEntry
from tillsammans.core.errors import NotPermitted
from tillsammans.grants.models import Programme, ProgrammeBudget
from tillsammans.grants.services import programmes as services

pytestmark = pytest.mark.django_db


def values(department, **overrides):
    data = {
        "title": "Startbidrag",
        "slug": "startbidrag",
        "summary": "Hjälp att komma igång.",
        "description": "För nya initiativ.",
        "kind": "start_up",
        "department": department,
        "deciding_body": "Socialnämnden",
        "max_amount_ore": 15_000_00,
    }
    data.update(overrides)
    return data


def test_create_in_the_officer_s_department():
    department = DepartmentFactory()
    officer = grant_officer(department)
    programme = services.programme_create(actor=officer, **values(department))
    assert programme.pk and programme.department == department
    entry = AuditEntry.objects.get(target_id=str(programme.uuid))
    assert entry.action == AuditEntry.Action.CREATE
    assert entry.details["event"] == "grant_programme_create"


def test_create_is_refused_for_other_departments_and_residents():
    department = DepartmentFactory()
    officer = grant_officer(DepartmentFactory())
    with pytest.raises(services.InvalidProgramme) as failure:
        services.programme_create(actor=officer, **values(department))
    assert failure.value.field == "department"
    with pytest.raises(NotPermitted):
        services.programme_create(actor=UserFactory(), **values(department))
    assert not Programme.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"slug": "new"}, "slug"),
        ({"slug": " "}, "slug"),
        ({"kind": "lottery"}, "kind"),
        ({"max_amount_ore": -1}, "max_amount"),
        ({"allowed_legal_forms": ["aktiebolag"]}, "allowed_legal_forms"),
        ({"required_documents": ["passport"]}, "required_documents"),
    ],
)
def test_bad_values_are_refused_with_their_field(overrides, field):
    department = DepartmentFactory()
    with pytest.raises(services.InvalidProgramme) as failure:
        services.programme_create(
            actor=grant_officer(department), **values(department, **overrides)
        )
    assert failure.value.field == field


def test_a_duplicate_slug_is_refused_on_create_and_update():
    department = DepartmentFactory()
    officer = grant_officer(department)
    ProgrammeFactory(slug="startbidrag")
    with pytest.raises(services.SlugTaken):
        services.programme_create(actor=officer, **values(department))
    other = ProgrammeFactory(slug="annat", department=department)
    with pytest.raises(services.SlugTaken):
        services.programme_update(programme=other, actor=officer, slug="startbidrag")


def test_update_needs_the_programme_s_department():
    programme = ProgrammeFactory()
    with pytest.raises(NotPermitted):
        services.programme_update(
            programme=programme, actor=grant_officer(DepartmentFactory()), title="X"
        )
    officer = grant_officer(programme.department)
    with pytest.raises(services.InvalidProgramme) as failure:
        services.programme_update(
            programme=programme, actor=officer, department=DepartmentFactory()
        )
    assert failure.value.field == "department"
    services.programme_update(programme=programme, actor=officer, title="Nytt namn")
    programme.refresh_from_db()
    assert programme.title == "Nytt namn"


def test_an_update_without_changes_writes_no_audit_entry():
    programme = ProgrammeFactory()
    services.programme_update(
        programme=programme, actor=grant_officer(programme.department), title=programme.title
    )
    assert not AuditEntry.objects.exists()


def test_window_rules():
    programme = ProgrammeFactory()
    officer = grant_officer(programme.department)
    now = timezone.now()
    with pytest.raises(services.WindowClosesBeforeItOpens):
        services.window_save(programme=programme, actor=officer, opens_at=now, closes_at=now)
    with pytest.raises(services.InvalidProgramme) as failure:
        services.window_save(
            programme=programme,
            actor=officer,
            opens_at=now,
            closes_at=now + timedelta(days=5),
            decision_meeting_on=(now - timedelta(days=3)).date(),
        )
    assert failure.value.field == "decision_meeting_on"
    with pytest.raises(NotPermitted):
        services.window_save(
            programme=programme,
            actor=UserFactory(),
            opens_at=now,
            closes_at=now + timedelta(days=1),
        )
    window = services.window_save(
        programme=programme, actor=officer, opens_at=now, closes_at=now + timedelta(days=1)
    )
    assert window.programme == programme


def test_a_window_of_another_programme_cannot_be_changed_through_this_one():
    programme = ProgrammeFactory()
    foreign = OpenWindowFactory()
    now = timezone.now()
    with pytest.raises(foreign.DoesNotExist):
        services.window_save(
            programme=programme,
            actor=grant_officer(programme.department),
            window=foreign,
            opens_at=now,
            closes_at=now + timedelta(days=1),
        )


def test_budget_set_creates_raises_and_refuses_below_committed():
    programme = ProgrammeFactory()
    officer = grant_officer(programme.department)
    budget = services.budget_set(programme=programme, actor=officer, year=2027, amount_ore=100_00)
    assert budget.amount_ore == 100_00
    ProgrammeBudget.objects.filter(pk=budget.pk).update(committed_ore=60_00)
    with pytest.raises(services.BudgetBelowCommitted) as failure:
        services.budget_set(programme=programme, actor=officer, year=2027, amount_ore=59_99)
    assert failure.value.field == "amount"
    budget = services.budget_set(programme=programme, actor=officer, year=2027, amount_ore=60_00)
    assert budget.amount_ore == 60_00
    with pytest.raises(services.InvalidProgramme):
        services.budget_set(programme=programme, actor=officer, year=2027, amount_ore=-1)
    with pytest.raises(services.InvalidProgramme):
        services.budget_set(programme=programme, actor=officer, year=1999, amount_ore=1)
    with pytest.raises(NotPermitted):
        services.budget_set(programme=programme, actor=UserFactory(), year=2027, amount_ore=1)
    events = list(
        AuditEntry.objects.filter(details__event="grant_budget_set")
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert events == [AuditEntry.Action.CREATE, AuditEntry.Action.CHANGE]


def test_budget_set_locks_the_budget_row():
    programme = ProgrammeFactory()
    ProgrammeBudgetFactory(programme=programme, year=2027)
    officer = grant_officer(programme.department)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        services.budget_set(programme=programme, actor=officer, year=2027, amount_ore=200_00)
    budget_reads = [q["sql"] for q in queries if 'FROM "grants_programmebudget"' in q["sql"]]
    if connection.features.has_select_for_update:
        assert "FOR UPDATE" in budget_reads[0]
    else:
        assert budget_reads


def test_criteria_and_questions_rules():
    programme = ProgrammeFactory()
    officer = grant_officer(programme.department)
    with pytest.raises(services.InvalidProgramme):
        services.criterion_save(programme=programme, actor=officer, title=" ")
    with pytest.raises(services.InvalidProgramme):
        services.criterion_save(programme=programme, actor=officer, title="A", scale_max=1)
    criterion = services.criterion_save(programme=programme, actor=officer, title="Nytta")
    criterion = services.criterion_save(
        programme=programme, actor=officer, criterion=criterion, title="Nytta", weight=3
    )
    assert criterion.weight == 3
    foreign = CriterionFactory()
    with pytest.raises(foreign.DoesNotExist):
        services.criterion_save(programme=programme, actor=officer, criterion=foreign, title="X")

    with pytest.raises(services.InvalidProgramme):
        services.question_save(programme=programme, actor=officer, label="Hur?", kind="essay")
    question = services.question_save(
        programme=programme, actor=officer, label="Hur?", kind="text", choices="ignored"
    )
    assert question.choices == ""
    with pytest.raises(NotPermitted):
        services.question_delete(question=question, actor=grant_officer(DepartmentFactory()))
    services.question_delete(question=question, actor=officer)
    services.criterion_delete(criterion=criterion, actor=officer)
    assert not programme.questions.exists() and not programme.criteria.exists()


def test_a_site_admin_may_manage_every_programme():
    from tests.roles import site_admin

    admin = site_admin()
    department = DepartmentFactory()
    programme = services.programme_create(actor=admin, **values(department))
    QuestionFactory(programme=programme)
    services.budget_set(programme=programme, actor=admin, year=2027, amount_ore=1)
    assert programme.budgets.count() == 1
