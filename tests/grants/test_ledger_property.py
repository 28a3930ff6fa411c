"""Property: whatever decisions are recorded, in whatever order and amounts,
each year's ledger stays within 0..budget and equals the sum of that year's
granted amounts; refused decisions change nothing."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.grants.factories import ProgrammeBudgetFactory
from tests.grants.test_assessment_services import declared, setting, submitted
from tillsammans.core.errors import DomainError
from tillsammans.grants.models import Decision, DecisionOutcome, ProgrammeBudget
from tillsammans.grants.services import decisions as services

THIS_YEAR = timezone.localdate().year
YEARS = [THIS_YEAR - 1, THIS_YEAR]

# Round amounts near the limits are where mistakes hide; any amount now and then.
amounts = st.one_of(
    st.sampled_from([-1, 0, 1, 3, 10_000_00, 25_000_00, 30_000_00, 50_000_00, 50_000_01]),
    st.integers(min_value=-1_000_00, max_value=70_000_00),
)
step = st.fixed_dictionaries(
    {
        "outcome": st.sampled_from(["granted", "granted", "granted", "rejected"]),
        "amount": amounts,
        "requested": st.one_of(
            st.sampled_from([0, 10_000_00, 30_000_00, 60_000_00]),
            st.integers(min_value=0, max_value=60_000_00),
        ),
        "last_year": st.booleans(),
        "again": st.booleans(),  # decide an earlier application a second time
    }
)
budget_amounts = st.one_of(
    st.sampled_from([0, 30_000_00, 60_000_00, 100_000_00]),
    st.integers(min_value=0, max_value=120_000_00),
)


@pytest.mark.django_db
@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    steps=st.lists(step, min_size=1, max_size=12),
    budgets=st.tuples(budget_amounts, budget_amounts),
)
def test_the_ledger_always_matches_the_granted_decisions(steps, budgets):
    # Each example in its own transaction, rolled back: examples do not pile up.
    with transaction.atomic():
        programme, anna = setting(budget_ore=budgets[1], max_amount_ore=50_000_00)
        ProgrammeBudget.objects.filter(programme=programme, year=THIS_YEAR).update(
            amount_ore=budgets[1]
        )
        ProgrammeBudgetFactory(programme=programme, year=THIS_YEAR - 1, amount_ore=budgets[0])
        decided = []
        for each in steps:
            if each["again"] and decided:
                application = decided[-1]
            else:
                application = submitted(programme, requested_ore=each["requested"])
                declared(anna, application)
            year = YEARS[0] if each["last_year"] else YEARS[1]
            decided_on = date(year, 6, 1) if year < THIS_YEAR else date(year, 1, 1)
            try:
                services.decision_record(
                    actor=anna,
                    application=application,
                    outcome=each["outcome"],
                    amount_ore=each["amount"],
                    decided_on=decided_on,
                    reason="Utanför syftet.",
                )
            except DomainError:
                pass
            else:
                decided.append(application)

            for budget in ProgrammeBudget.objects.filter(programme=programme):
                granted = sum(
                    Decision.objects.filter(
                        budget=budget, outcome=DecisionOutcome.GRANTED
                    ).values_list("amount_ore", flat=True)
                )
                assert 0 <= budget.committed_ore <= budget.amount_ore
                assert budget.committed_ore == granted
                assert all(
                    decision.decided_on.year == budget.year for decision in budget.decisions.all()
                )
        assert Decision.objects.filter(application__programme=programme).count() == len(decided)
        transaction.set_rollback(True)
