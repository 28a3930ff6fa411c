"""Officers recording decisions at the same moment, on one budget, with real
concurrent connections: the budget is never over-committed, every refused
decision leaves nothing behind, and an application is decided only once."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections
from django.utils import timezone

from tests.grants.factories import grant_officer
from tests.grants.test_assessment_services import declared, setting, submitted
from tillsammans.grants.models import ApplicationStatus, Decision, ProgrammeBudget
from tillsammans.grants.services import decisions as services
from tillsammans.notifications.models import OutboxMessage

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def run_at_once(count, target):
    barrier = threading.Barrier(count)
    outcomes: list[str] = []
    lock = threading.Lock()

    def run(number: int) -> None:
        try:
            barrier.wait()
            outcome = target(number)
        except Exception as error:  # reported by the assertions below
            outcome = f"error {error!r}"
        finally:
            connections.close_all()
        with lock:
            outcomes.append(outcome)

    threads = [threading.Thread(target=run, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def test_officers_deciding_at_once_never_over_commit_the_budget():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL")
    # 100 000 kr; eight grants of 30 000 kr: exactly three fit.
    programme, _anna = setting(budget_ore=100_000_00)
    officers = [grant_officer(programme.department) for _ in range(8)]
    applications = [submitted(programme, requested_ore=30_000_00) for _ in range(8)]
    for officer, application in zip(officers, applications, strict=True):
        declared(officer, application)

    def decide(number):
        try:
            services.decision_record(
                actor=officers[number],
                application=applications[number],
                outcome="granted",
                amount_ore=30_000_00,
                decided_on=timezone.localdate(),
            )
        except services.BudgetExceeded:
            return "refused"
        return "granted"

    outcomes = run_at_once(8, decide)

    assert sorted(outcomes) == ["granted"] * 3 + ["refused"] * 5, outcomes
    budget = ProgrammeBudget.objects.get(programme=programme)
    assert budget.committed_ore == 90_000_00
    assert Decision.objects.count() == 3
    assert sum(Decision.objects.values_list("amount_ore", flat=True)) == budget.committed_ore
    assert OutboxMessage.objects.count() == 3
    statuses = sorted(programme.applications.values_list("status", flat=True))
    assert statuses == sorted([ApplicationStatus.GRANTED] * 3 + [ApplicationStatus.SUBMITTED] * 5)


def test_officers_deciding_one_application_at_once_decide_it_once():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL")
    programme, _anna = setting(budget_ore=100_000_00)
    application = submitted(programme, requested_ore=20_000_00)
    officers = [grant_officer(programme.department) for _ in range(6)]
    for officer in officers:
        declared(officer, application)

    def decide(number):
        try:
            services.decision_record(
                actor=officers[number],
                application=application,
                outcome="granted",
                amount_ore=10_000_00 + number,
                decided_on=timezone.localdate(),
            )
        except services.AlreadyDecided:
            return "refused"
        return "granted"

    outcomes = run_at_once(6, decide)

    assert sorted(outcomes) == ["granted"] + ["refused"] * 5, outcomes
    decision = Decision.objects.get()
    assert ProgrammeBudget.objects.get(programme=programme).committed_ore == decision.amount_ore
    assert OutboxMessage.objects.count() == 1


def test_payments_recorded_at_once_never_exceed_the_grant():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL")
    programme, anna = setting(budget_ore=100_000_00)
    application = submitted(programme, requested_ore=10_000_00)
    declared(anna, application)
    decision = services.decision_record(
        actor=anna,
        application=application,
        outcome="granted",
        amount_ore=10_000_00,
        decided_on=timezone.localdate(),
    )

    def pay(number):
        try:
            services.payment_record(
                actor=anna,
                decision=decision,
                paid_on=timezone.localdate(),
                amount_ore=3_000_00,
                reference=f"Ver {number}",
            )
        except services.PaymentAboveGranted:
            return "refused"
        return "paid"

    outcomes = run_at_once(6, pay)

    assert sorted(outcomes) == ["paid"] * 3 + ["refused"] * 3, outcomes
    assert sum(decision.payments.values_list("amount_ore", flat=True)) == 9_000_00
