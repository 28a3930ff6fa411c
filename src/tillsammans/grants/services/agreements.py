"""Long-term agreements: multi-year commitments that reserve budget each year.

An agreement (e.g. the victim-support agreement, 84 000 kr a year) reserves
its yearly amount in the programme's budget of every year it covers, under
the budgets' row locks, in year order (the order every service that commits
several years keeps, so two of them cannot deadlock). A year without a
budget, or without room for the reservation, refuses the whole agreement.
Ending an agreement early gives the later years' reservations back.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext_lazy as _

from tillsammans.audit.models import AuditEntry
from tillsammans.audit.services import audit_record
from tillsammans.core.errors import DomainError, NotPermitted
from tillsammans.core.money import format_kronor
from tillsammans.grants.models import Agreement, Programme, ProgrammeBudget

if TYPE_CHECKING:
    from tillsammans.accounts.models import User
    from tillsammans.organizations.models import Organization

MAX_YEARS = 10


class AgreementError(DomainError):
    field: str | None = None


class AgreementYearsInvalid(AgreementError):
    message = _("The last year must be the first year or later, at most %(max)s years in all.")
    field = "last_year"


class AgreementAmountInvalid(AgreementError):
    message = _("The yearly amount must be more than 0 kr.")
    field = "yearly_amount"


class AgreementBudgetMissing(AgreementError):
    message = _("Set the programme's budget for %(year)s first.")


class AgreementBudgetExceeded(AgreementError):
    message = _(
        "The budget for %(year)s has only %(remaining)s left, less than the agreement needs."
    )


class AgreementEndInvalid(AgreementError):
    message = _("The agreement can end in a year from %(first)s to %(last)s.")
    field = "last_year"


class TitleMissing(AgreementError):
    message = _("Say what the agreement is for.")
    field = "title"


def _require_manager(actor: User, programme: Programme) -> None:
    if not actor.has_perm("grants.manage_programme", programme):
        raise NotPermitted()


def _locked_budgets(programme: Programme, years: range) -> dict[int, ProgrammeBudget]:
    """The budgets of these years, locked in year order; ``AgreementBudgetMissing``."""
    budgets = {
        budget.year: budget
        for budget in ProgrammeBudget.objects.select_for_update()
        .filter(programme=programme, year__in=list(years))
        .order_by("year")
    }
    for year in years:
        if year not in budgets:
            raise AgreementBudgetMissing(year=year)
    return budgets


def agreement_create(
    *,
    actor: User,
    programme: Programme,
    organization: Organization,
    title: str,
    first_year: int,
    last_year: int,
    yearly_ore: int,
    decided_on: date,
    request=None,
) -> Agreement:
    """Record a multi-year agreement and reserve its amount in each year's budget."""
    _require_manager(actor, programme)
    title = " ".join((title or "").split())
    if not title:
        raise TitleMissing()
    if not first_year <= last_year < first_year + MAX_YEARS:
        raise AgreementYearsInvalid(max=MAX_YEARS)
    if yearly_ore <= 0:
        raise AgreementAmountInvalid()
    years = range(first_year, last_year + 1)
    with transaction.atomic():
        budgets = _locked_budgets(programme, years)
        for year in years:
            if budgets[year].remaining_ore < yearly_ore:
                raise AgreementBudgetExceeded(
                    year=year, remaining=format_kronor(budgets[year].remaining_ore)
                )
        ProgrammeBudget.objects.filter(pk__in=[b.pk for b in budgets.values()]).update(
            committed_ore=F("committed_ore") + yearly_ore
        )
        agreement = Agreement.objects.create(
            programme=programme,
            organization=organization,
            title=title[:200],
            first_year=first_year,
            last_year=last_year,
            yearly_ore=yearly_ore,
            decided_on=decided_on,
            recorded_by=actor,
        )
        audit_record(
            actor=actor,
            action=AuditEntry.Action.CREATE,
            target=agreement,
            request=request,
            details={"years": [first_year, last_year], "yearly_ore": yearly_ore},
        )
    return agreement


def agreement_end(*, actor: User, agreement: Agreement, last_year: int, request=None) -> Agreement:
    """End the agreement after ``last_year`` (from its first year to its
    current last year): the later years' reservations go back to their budgets."""
    _require_manager(actor, agreement.programme)
    with transaction.atomic():
        locked = Agreement.objects.select_for_update().get(pk=agreement.pk)
        if not locked.first_year <= last_year <= locked.last_year:
            raise AgreementEndInvalid(first=locked.first_year, last=locked.last_year)
        released = range(last_year + 1, locked.last_year + 1)
        if released:
            budgets = _locked_budgets(locked.programme, released)
            ProgrammeBudget.objects.filter(pk__in=[b.pk for b in budgets.values()]).update(
                committed_ore=F("committed_ore") - locked.yearly_ore
            )
        previous = locked.last_year
        locked.last_year = last_year
        locked.save(update_fields=["last_year"])
        audit_record(
            actor=actor,
            action=AuditEntry.Action.CHANGE,
            target=locked,
            request=request,
            details={"last_year": [previous, last_year]},
        )
    return locked
