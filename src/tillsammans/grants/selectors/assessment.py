"""Reads for the officers' assessment pages: the programme's applications
with their scores and proposals, one application to assess, and the
decision list (beslutsunderlag) with totals against the year's budget.

Officers see the programmes of their own departments (site admins all);
an application on which the officer has declared a conflict of interest is
shown only as such, without answers, scores or proposals.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db.models import Prefetch, QuerySet

from tillsammans.core.money import format_kronor
from tillsammans.grants.models import (
    Application,
    ApplicationStatus,
    Assessment,
    ConflictOfInterest,
    Criterion,
    Decision,
    Programme,
    ProgrammeBudget,
)
from tillsammans.grants.rules import _officer_departments

if TYPE_CHECKING:
    from tillsammans.accounts.models import User

UNDECIDED = (ApplicationStatus.SUBMITTED, ApplicationStatus.NEEDS_COMPLETION)


def _is_admin(user: User) -> bool:
    return bool(user.is_active and user.is_superuser)


def programmes_for_officer(user: User) -> QuerySet[Programme]:
    """Programmes whose applications the user assesses."""
    programmes = Programme.objects.select_related("department")
    if _is_admin(user):
        return programmes
    return programmes.filter(department_id__in=_officer_departments(user))


def applications_for_officer(user: User) -> QuerySet[Application]:
    """Submitted (and later) applications the user may open: those of their
    departments' programmes, without the ones they declared a conflict on."""
    # A subquery, not exclude() across the relation: that would also drop an
    # application on which *another* officer declared a conflict.
    conflicts = ConflictOfInterest.objects.filter(officer=user, has_conflict=True)
    applications = Application.objects.exclude(status=ApplicationStatus.DRAFT).exclude(
        pk__in=conflicts.values("application_id")
    )
    if not _is_admin(user):
        applications = applications.filter(programme__department_id__in=_officer_departments(user))
    return applications


def application_to_assess(user: User, uuid) -> QuerySet[Application]:
    """One application with everything its assessment page shows."""
    return (
        applications_for_officer(user)
        .filter(uuid=uuid)
        .select_related("programme", "programme__department", "organization", "applicant")
        .prefetch_related(
            "budget_lines",
            "attachments",
            "programme__questions",
            "programme__criteria",
            Prefetch(
                "assessments",
                queryset=Assessment.objects.select_related("officer").prefetch_related("scores"),
            ),
        )
    )


def declaration_of(user: User, application: Application) -> ConflictOfInterest | None:
    return ConflictOfInterest.objects.filter(application=application, officer=user).first()


def decision_for_officer(user: User, uuid) -> QuerySet[Decision]:
    return (
        Decision.objects.filter(application__in=applications_for_officer(user), uuid=uuid)
        .select_related("application", "application__programme", "application__organization")
        .prefetch_related("payments")
    )


def weighted_percent(assessment: Assessment, criteria: dict[int, Criterion]) -> float | None:
    """The assessment's score as a percentage of the highest possible, each
    criterion counted by its weight; ``None`` without scores."""
    got = possible = 0
    for score in assessment.scores.all():
        criterion = criteria.get(score.criterion_id)
        if criterion is None:
            continue
        got += score.score * criterion.weight
        possible += criterion.scale_max * criterion.weight
    return round(100 * got / possible, 1) if possible else None


@dataclass
class ApplicationRow:
    application: Application
    declaration: ConflictOfInterest | None
    assessments: list[Assessment] = field(default_factory=list)
    average_score: float | None = None
    proposed_ore: int | None = None  # the average of the officers' proposals, whole öre
    mine: Assessment | None = None

    @property
    def requested(self) -> str:
        return format_kronor(self.application.requested_ore)

    @property
    def proposed(self) -> str:
        return "" if self.proposed_ore is None else format_kronor(self.proposed_ore)

    @property
    def has_conflict(self) -> bool:
        return bool(self.declaration and self.declaration.has_conflict)

    @property
    def may_see(self) -> bool:
        return self.declaration is not None and not self.declaration.has_conflict


def _rows(
    user: User,
    programme: Programme,
    applications: QuerySet[Application],
    *,
    require_declaration: bool = True,
) -> list[ApplicationRow]:
    criteria = {criterion.pk: criterion for criterion in programme.criteria.all()}
    applications = applications.select_related("organization", "applicant").prefetch_related(
        Prefetch(
            "assessments",
            queryset=Assessment.objects.select_related("officer").prefetch_related("scores"),
        ),
        Prefetch(
            "conflict_declarations",
            queryset=ConflictOfInterest.objects.filter(officer=user),
            to_attr="my_declarations",
        ),
    )
    rows = []
    for application in applications:
        declaration = application.my_declarations[0] if application.my_declarations else None
        row = ApplicationRow(application=application, declaration=declaration)
        if row.may_see or (not require_declaration and not row.has_conflict):
            row.assessments = list(application.assessments.all())
            scores = [
                score
                for score in (weighted_percent(each, criteria) for each in row.assessments)
                if score is not None
            ]
            row.average_score = round(sum(scores) / len(scores), 1) if scores else None
            if row.assessments:
                total = sum(each.proposed_ore for each in row.assessments)
                row.proposed_ore = round(total / len(row.assessments))
            row.mine = next((a for a in row.assessments if a.officer_id == user.pk), None)
        rows.append(row)
    return rows


def assessment_rows(user: User, programme: Programme) -> list[ApplicationRow]:
    """The programme's applications (not drafts) for the officer's list,
    oldest submission first. Four queries, whatever the number."""
    applications = programme.applications.exclude(status=ApplicationStatus.DRAFT).order_by(
        "submitted_at", "pk"
    )
    return _rows(user, programme, applications)


@dataclass
class DecisionList:
    programme: Programme
    year: int
    budget: ProgrammeBudget | None
    rows: list[ApplicationRow]
    left_out: int  # applications on which the officer declared a conflict

    @property
    def budget_ore(self) -> int:
        return self.budget.amount_ore if self.budget else 0

    @property
    def committed_ore(self) -> int:
        return self.budget.committed_ore if self.budget else 0

    @property
    def requested_total_ore(self) -> int:
        return sum(row.application.requested_ore for row in self.rows)

    @property
    def proposed_total_ore(self) -> int:
        return sum(row.proposed_ore or 0 for row in self.rows)

    @property
    def would_remain_ore(self) -> int:
        return self.budget_ore - self.committed_ore - self.proposed_total_ore

    def kronor(self) -> dict[str, str]:
        """The totals written for people."""
        return {
            "budget": format_kronor(self.budget_ore),
            "committed": format_kronor(self.committed_ore),
            "remaining": format_kronor(self.budget_ore - self.committed_ore),
            "requested": format_kronor(self.requested_total_ore),
            "proposed": format_kronor(self.proposed_total_ore),
            "would_remain": format_kronor(self.would_remain_ore),
        }


def decision_list(user: User, programme: Programme, year: int) -> DecisionList:
    """The undecided applications, highest weighted score first (unscored
    last), with the proposals and the totals against the year's budget."""
    applications = programme.applications.filter(status__in=UNDECIDED).order_by(
        "submitted_at", "pk"
    )
    budget = ProgrammeBudget.objects.filter(programme=programme, year=year).first()
    # The board's list shows every officer's scores and proposals, but not
    # the answers: an officer who has not declared yet sees them too.
    rows = _rows(user, programme, applications, require_declaration=False)
    shown = [row for row in rows if not row.has_conflict]
    shown.sort(
        key=lambda row: (
            row.average_score is None,
            -(row.average_score or 0),
            row.application.submitted_at or row.application.created_at,
        )
    )
    return DecisionList(
        programme=programme,
        year=year,
        budget=budget,
        rows=shown,
        left_out=len(rows) - len(shown),
    )
