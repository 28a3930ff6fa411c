"""The demo grants history of seed_demo: last year's award winner, this
year's nominations, the victim-support agreement, last year's Verksamhetsstöd
round and this year's applications, all through the services."""

import datetime
import io
import time

import pytest
from django.db.models import Sum
from django.utils import timezone

from tillsammans.accounts.seed import build_municipality
from tillsammans.audit.models import AuditEntry
from tillsammans.core.seed import build_taxonomy
from tillsammans.grants.models import (
    Agreement,
    Application,
    ApplicationStatus,
    AwardWinner,
    Decision,
    FollowUpQuestion,
    FollowUpReport,
    Nomination,
    Payment,
    ProgrammeBudget,
    ReportStatus,
)
from tillsammans.grants.seed import build_programmes
from tillsammans.grants.seed_history import build_history
from tillsammans.notifications.models import OutboxMessage
from tillsammans.organizations.seed import build_organizations

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _private_files(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


def build():
    for step in (build_taxonomy, build_municipality, build_organizations, build_programmes):
        step(io.StringIO())
    start = time.perf_counter()
    build_history(io.StringIO())
    return time.perf_counter() - start


def snapshot() -> dict:
    models = [
        Application,
        Decision,
        Payment,
        FollowUpReport,
        FollowUpQuestion,
        AuditEntry,
        OutboxMessage,
        Nomination,
        AwardWinner,
        Agreement,
    ]
    counts = {model.__name__: model.objects.count() for model in models}
    counts["committed"] = sorted(
        ProgrammeBudget.objects.values_list("programme__slug", "year", "committed_ore")
    )
    counts["statuses"] = sorted(Application.objects.values_list("reference", "status"))
    return counts


def test_the_demo_history_adds_up_and_a_second_run_changes_nothing(django_assert_max_num_queries):
    elapsed = build()
    assert elapsed < 2, "the demo history should take well under two seconds"
    year = timezone.localdate().year

    winner = AwardWinner.objects.get()
    assert winner.year == year - 1 and winner.organization.slug == "pro-ekero"
    assert Nomination.objects.filter(year=year).count() == 4
    agreement = Agreement.objects.get()
    assert (agreement.first_year, agreement.last_year) == (year - 1, year + 1)

    # The ledger: what each budget has committed is the granted decisions
    # taken on it plus the agreement's yearly reservation.
    for budget in ProgrammeBudget.objects.select_related("programme"):
        granted = (
            Decision.objects.filter(budget=budget).aggregate(total=Sum("amount_ore"))["total"] or 0
        )
        reserved = (
            84_000_00
            if budget.programme.slug == "verksamhetsstod" and (year - 1 <= budget.year <= year + 1)
            else 0
        )
        assert budget.committed_ore == granted + reserved, budget
        assert budget.committed_ore <= budget.amount_ore
    last_year = ProgrammeBudget.objects.get(programme__slug="verksamhetsstod", year=year - 1)
    assert last_year.committed_ore == 84_000_00 + 48_000_00

    # Last year's round: four granted and paid in full, one rejected with a reason.
    last = Application.objects.filter(
        programme__slug="verksamhetsstod", window__opens_at__year=year - 1
    )
    assert sorted(last.values_list("status", flat=True)) == sorted(
        [ApplicationStatus.GRANTED] * 4 + [ApplicationStatus.REJECTED]
    )
    assert all(ref.startswith(f"B-{year - 1}-") for ref in last.values_list("reference", flat=True))
    rejection = Decision.objects.get(application__in=last, outcome="rejected")
    assert rejection.reason and rejection.amount_ore == 0
    for decision in Decision.objects.filter(outcome="granted"):
        assert decision.payments.aggregate(total=Sum("amount_ore"))["total"] == decision.amount_ore

    # Follow-up: two approved, one waiting for review, one still due (overdue
    # once its due date, twelve months after the payment, has passed).
    reports = FollowUpReport.objects.filter(decision__application__in=last)
    statuses = sorted(reports.values_list("status", flat=True))
    assert statuses == sorted(
        [ReportStatus.APPROVED] * 2 + [ReportStatus.SUBMITTED, ReportStatus.DUE]
    )
    due = reports.get(status=ReportStatus.DUE)
    assert due.decision.application.organization.slug == "parkinsonforeningen-malaroarna"
    assert due.due_on == datetime.date(year, 4, 30)
    overdue = FollowUpReport.objects.filter(
        status=ReportStatus.DUE, due_on__lt=timezone.localdate()
    )
    assert overdue.count() == (1 if timezone.localdate() > due.due_on else 0)
    assert FollowUpQuestion.objects.filter(programme__slug="verksamhetsstod").count() == 2

    # This year: three sent applications waiting for assessment (one by Sara
    # for PRO Ekerö) and a draft; an event grant decided and paid.
    this = Application.objects.filter(programme__slug="verksamhetsstod").exclude(pk__in=last)
    assert sorted(this.values_list("status", flat=True)) == sorted(
        [ApplicationStatus.SUBMITTED] * 3 + [ApplicationStatus.DRAFT]
    )
    assert this.filter(
        applicant__email="sara@demo.example", organization__slug="pro-ekero", status="submitted"
    ).exists()
    assert not this.filter(assessments__isnull=False).exists()
    event = Application.objects.get(programme__slug="arrangemangsbidrag")
    assert event.status == ApplicationStatus.GRANTED
    assert event.decision.decided_on.year == year and event.decision.payments.exists()

    # Audit and outbox: the services logged and queued (nothing sent).
    assert AuditEntry.objects.filter(details__event="grant_application_submit").count() == 9
    assert OutboxMessage.objects.filter(status=OutboxMessage.Status.QUEUED).exists()
    addresses = set(OutboxMessage.objects.values_list("address", flat=True))
    assert addresses and all(address.endswith("@demo.example") for address in addresses)

    first = snapshot()
    with django_assert_max_num_queries(60):
        build_history(io.StringIO())
    assert snapshot() == first
