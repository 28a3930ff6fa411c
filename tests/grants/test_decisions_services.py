"""Decisions against the budget ledger, and payments."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import UserFactory
from tests.grants.factories import ProgrammeBudgetFactory, ProgrammeFactory, grant_officer
from tests.grants.test_assessment_services import declared, setting, spaced, submitted
from tillsammans.audit.models import AuditEntry
from tillsammans.core.errors import NotPermitted
from tillsammans.grants.models import (
    ApplicationStatus,
    Decision,
    DecisionOutcome,
    Payment,
    ProgrammeBudget,
)
from tillsammans.grants.services import assessment as assessment_services
from tillsammans.grants.services import decisions as services
from tillsammans.notifications.models import OutboxMessage

pytestmark = pytest.mark.django_db


def today():
    return timezone.localdate()


def decide(officer, application, outcome="granted", amount_ore=10_000_00, **kwargs):
    kwargs.setdefault("decided_on", today())
    return services.decision_record(
        actor=officer, application=application, outcome=outcome, amount_ore=amount_ore, **kwargs
    )


def budget_of(programme, year=None):
    return ProgrammeBudget.objects.get(programme=programme, year=year or today().year)


def test_a_grant_commits_the_budget_tells_the_applicant_and_is_audited():
    programme, anna = setting()
    applicant = UserFactory(preferred_language="sv", full_name="Sara Sökande")
    application = submitted(programme, applicant=applicant, requested_ore=20_000_00)
    declared(anna, application)

    decision = decide(anna, application, amount_ore=15_000_00, conditions="Redovisa senast i juni.")

    assert decision.outcome == DecisionOutcome.GRANTED
    assert decision.budget == budget_of(programme)
    assert budget_of(programme).committed_ore == 15_000_00
    application.refresh_from_db()
    assert application.status == ApplicationStatus.GRANTED
    message = OutboxMessage.objects.get()
    assert message.address == applicant.email
    assert application.reference in message.subject
    assert "15 000 kr" in spaced(message.body)
    assert "Redovisa senast i juni." in message.body
    assert reverse("grants:application", args=[application.uuid]) in message.body
    assert AuditEntry.objects.filter(target_type="grants.decision").count() == 1


def test_a_rejection_needs_a_reason_and_commits_nothing():
    programme, anna = setting()
    applicant = UserFactory(preferred_language="en")
    application = submitted(programme, applicant=applicant)
    declared(anna, application)

    with pytest.raises(services.ReasonMissing):
        decide(anna, application, outcome="rejected", amount_ore=0, reason="  ")
    assert not Decision.objects.exists()

    decision = decide(
        anna, application, outcome="rejected", amount_ore=5_000_00, reason="Utanför syftet."
    )

    assert decision.amount_ore == 0
    assert budget_of(programme).committed_ore == 0
    application.refresh_from_db()
    assert application.status == ApplicationStatus.REJECTED
    message = OutboxMessage.objects.get()
    assert message.language == "en"
    assert "Utanför syftet." in message.body
    assert "Decision on your application" in message.subject


@pytest.mark.parametrize(
    ("amount", "error", "text"),
    [
        (0, services.AmountMissing, "mer än 0"),
        (-100, services.AmountMissing, "mer än 0"),
        ("100", services.AmountMissing, "mer än 0"),
        (20_000_01, services.AmountAboveRequested, "20 000 kr"),
    ],
)
def test_a_grant_amount_out_of_bounds_is_refused(amount, error, text):
    programme, anna = setting()
    application = submitted(programme, requested_ore=20_000_00)
    declared(anna, application)

    with pytest.raises(error) as raised:
        decide(anna, application, amount_ore=amount)

    assert text in spaced(str(raised.value))
    assert not Decision.objects.exists()
    assert budget_of(programme).committed_ore == 0


def test_a_grant_above_the_programme_maximum_is_refused():
    programme, anna = setting(max_amount_ore=10_000_00)
    application = submitted(programme, requested_ore=20_000_00)
    declared(anna, application)

    with pytest.raises(services.AmountAboveMaximum) as raised:
        decide(anna, application, amount_ore=10_000_01)
    assert "10 000 kr" in spaced(str(raised.value))
    assert not Decision.objects.exists()


def test_over_commitment_is_refused_naming_what_remains():
    programme, anna = setting(budget_ore=30_000_00)
    first = submitted(programme, requested_ore=20_000_00)
    second = submitted(programme, requested_ore=20_000_00)
    declared(anna, first)
    declared(anna, second)
    decide(anna, first, amount_ore=18_000_00)

    with pytest.raises(services.BudgetExceeded) as raised:
        decide(anna, second, amount_ore=12_000_01)

    # "Only 12 000 kr remains of this year's budget." (in Swedish once the catalogue has it)
    assert "12 000 kr" in spaced(str(raised.value))
    assert budget_of(programme).committed_ore == 18_000_00
    second.refresh_from_db()
    assert second.status == ApplicationStatus.SUBMITTED
    assert Decision.objects.count() == 1
    decide(anna, second, amount_ore=12_000_00)
    assert budget_of(programme).committed_ore == 30_000_00


def test_the_decision_commits_against_the_year_it_is_taken():
    programme, anna = setting()
    last_year = today().replace(month=1, day=1) - timedelta(days=1)
    ProgrammeBudgetFactory(programme=programme, year=last_year.year, amount_ore=5_000_00)
    application = submitted(programme)
    declared(anna, application)

    decision = decide(anna, application, amount_ore=5_000_00, decided_on=last_year)

    assert decision.budget.year == last_year.year
    assert budget_of(programme, last_year.year).committed_ore == 5_000_00
    assert budget_of(programme).committed_ore == 0


def test_a_year_without_a_budget_is_refused():
    programme, anna = setting()
    application = submitted(programme)
    declared(anna, application)
    ProgrammeBudget.objects.filter(programme=programme).delete()

    with pytest.raises(services.NoBudget):
        decide(anna, application)
    assert not Decision.objects.exists()


def test_a_decision_date_in_the_future_is_refused():
    programme, anna = setting()
    application = submitted(programme)
    declared(anna, application)

    with pytest.raises(services.DecidedInFuture):
        decide(anna, application, decided_on=today() + timedelta(days=1))


def test_an_application_is_decided_once():
    programme, anna = setting()
    application = submitted(programme)
    declared(anna, application)
    decide(anna, application, amount_ore=1_000_00)

    with pytest.raises(services.AlreadyDecided):
        decide(anna, application, amount_ore=1_000_00)
    with pytest.raises(services.AlreadyDecided):
        decide(anna, application, outcome="rejected", amount_ore=0, reason="Nej.")

    assert Decision.objects.count() == 1
    assert budget_of(programme).committed_ore == 1_000_00
    assert OutboxMessage.objects.count() == 1


@pytest.mark.parametrize("status", ["draft", "withdrawn"])
def test_drafts_and_withdrawn_applications_are_not_decided(status):
    programme, anna = setting()
    application = submitted(programme, status=status)
    declared(anna, application)

    with pytest.raises(services.NotDecidable):
        decide(anna, application)


def test_an_unknown_outcome_is_refused():
    programme, anna = setting()
    application = submitted(programme)
    declared(anna, application)

    with pytest.raises(services.OutcomeInvalid):
        decide(anna, application, outcome="maybe")


def test_jav_and_departments_are_enforced_on_decisions():
    programme, anna = setting()
    application = submitted(programme)
    bertil = grant_officer(programme.department)
    declared(bertil, application, has_conflict=True)
    other = grant_officer(ProgrammeFactory().department)

    with pytest.raises(assessment_services.ConflictDeclared):
        decide(bertil, application)
    with pytest.raises(NotPermitted):
        decide(other, application)
    with pytest.raises(assessment_services.DeclarationMissing):
        decide(anna, application)
    assert not Decision.objects.exists()


# --- Payments ---------------------------------------------------------------------------


def granted(amount_ore=10_000_00):
    programme, anna = setting()
    application = submitted(programme, requested_ore=amount_ore)
    declared(anna, application)
    return decide(anna, application, amount_ore=amount_ore), anna


def pay(officer, decision, amount_ore, **kwargs):
    kwargs.setdefault("paid_on", today())
    kwargs.setdefault("reference", "Ver 2024-118")
    return services.payment_record(
        actor=officer, decision=decision, amount_ore=amount_ore, **kwargs
    )


def test_payments_in_parts_up_to_the_granted_amount():
    decision, anna = granted(10_000_00)

    pay(anna, decision, 6_000_00)
    pay(anna, decision, 4_000_00)

    assert sum(Payment.objects.values_list("amount_ore", flat=True)) == 10_000_00
    assert AuditEntry.objects.filter(target_type="grants.payment").count() == 2


def test_a_payment_above_what_is_left_is_refused():
    decision, anna = granted(10_000_00)
    pay(anna, decision, 6_000_00)

    with pytest.raises(services.PaymentAboveGranted) as raised:
        pay(anna, decision, 4_000_01)

    assert "4 000 kr" in spaced(str(raised.value))
    assert Payment.objects.count() == 1


@pytest.mark.parametrize("amount", [0, -5, "100"])
def test_a_payment_needs_a_positive_amount(amount):
    decision, anna = granted()

    with pytest.raises(services.PaymentNotPositive):
        pay(anna, decision, amount)
    assert not Payment.objects.exists()


def test_a_payment_needs_a_reference_and_a_date_after_the_decision():
    decision, anna = granted()

    with pytest.raises(services.PaymentReferenceMissing):
        pay(anna, decision, 100, reference=" ")
    with pytest.raises(services.PaymentBeforeDecision):
        pay(anna, decision, 100, paid_on=decision.decided_on - timedelta(days=1))
    assert not Payment.objects.exists()


def test_a_rejection_is_not_paid():
    programme, anna = setting()
    application = submitted(programme)
    declared(anna, application)
    decision = decide(anna, application, outcome="rejected", amount_ore=0, reason="Nej.")

    with pytest.raises(services.PaymentNotGranted):
        pay(anna, decision, 100)
    assert not Payment.objects.exists()
