"""The board's decisions and the payments that follow, against the budget ledger.

A decision commits its amount against the programme's budget for the year
it is taken (``ProgrammeBudget``), under a row lock, so officers recording
decisions at once can never together commit more than the budget; the
database's check constraint is the last line of defence. Money is whole öre.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction
from django.db.models import Sum
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tillsammans.audit.models import AuditEntry
from tillsammans.audit.services import audit_record
from tillsammans.core.errors import DomainError
from tillsammans.core.money import format_kronor
from tillsammans.grants.models import (
    Application,
    ApplicationStatus,
    Decision,
    DecisionOutcome,
    Payment,
    ProgrammeBudget,
)
from tillsammans.grants.services.assessment import require_declared_free
from tillsammans.notifications.models import OutboxMessage
from tillsammans.notifications.services import notification_queue_templated

if TYPE_CHECKING:
    from django.http import HttpRequest

    from tillsammans.accounts.models import User

DECIDABLE = (ApplicationStatus.SUBMITTED, ApplicationStatus.NEEDS_COMPLETION)


class DecisionError(DomainError):
    field: str | None = None


class AlreadyDecided(DecisionError):
    message = _("This application has already been decided.")


class NotDecidable(DecisionError):
    message = _("Only submitted applications can be decided.")


class OutcomeInvalid(DecisionError):
    message = _("Choose whether the application is granted or rejected.")
    field = "outcome"


class ReasonMissing(DecisionError):
    message = _("Give the reason for the rejection; the applicant will read it.")
    field = "reason"


class AmountMissing(DecisionError):
    message = _("A grant needs an amount above 0 kr.")
    field = "amount"


class AmountAboveRequested(DecisionError):
    message = _("The amount is more than the %(requested)s applied for.")
    field = "amount"


class AmountAboveMaximum(DecisionError):
    message = _("The amount is more than the programme's largest amount, %(maximum)s.")
    field = "amount"


class NoBudget(DecisionError):
    message = _("The programme has no budget for %(year)s. Ask the programme's manager to add it.")
    field = "decided_on"


class BudgetExceeded(DecisionError):
    message = _("Only %(remaining)s remains of this year's budget.")
    field = "amount"


class DecidedInFuture(DecisionError):
    message = _("The decision date cannot be after today.")
    field = "decided_on"


class PaymentNotGranted(DecisionError):
    message = _("Only granted applications are paid.")


class PaymentNotPositive(DecisionError):
    message = _("A payment needs an amount above 0 kr.")
    field = "amount"


class PaymentAboveGranted(DecisionError):
    message = _("Only %(remaining)s of the granted amount is left to pay.")
    field = "amount"


class PaymentBeforeDecision(DecisionError):
    message = _("A payment cannot be made before the decision (%(date)s).")
    field = "paid_on"


class PaymentReferenceMissing(DecisionError):
    message = _("Give the payment's reference (e.g. the voucher number).")
    field = "reference"


def _is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _link(name: str, *args) -> str:
    try:
        return settings.SITE_URL + reverse(name, args=args)
    except NoReverseMatch:
        return settings.SITE_URL + "/"


def decision_record(
    *,
    actor: User,
    application: Application,
    outcome: str,
    amount_ore: int,
    decided_on: date,
    conditions: str = "",
    reason: str = "",
    request: HttpRequest | None = None,
) -> Decision:
    """Record the board's decision on one application.

    A rejection needs a reason (and grants nothing); a grant needs an amount
    above 0, at most what was applied for and the programme's largest amount.
    Locks the application (one decision each) and then the programme's
    budget of ``decided_on.year``, refuses an amount above what remains and
    adds it to ``committed_ore``. The application becomes granted or rejected,
    the applicant gets the decision letter by e-mail (in their language,
    after commit). Needs ``grants.decide_application`` and no conflict of
    interest; audit-logged."""
    require_declared_free(actor, application, "grants.decide_application")
    if outcome not in DecisionOutcome.values:
        raise OutcomeInvalid()
    conditions = (conditions or "").strip()
    reason = (reason or "").strip()
    if decided_on > timezone.localdate():
        raise DecidedInFuture()
    if outcome == DecisionOutcome.REJECTED:
        if not reason:
            raise ReasonMissing()
        amount_ore = 0
    elif not _is_int(amount_ore) or amount_ore <= 0:
        raise AmountMissing()
    with transaction.atomic():
        # Always the application first, then the budget: one lock order, no deadlocks.
        application = (
            Application.objects.select_for_update(of=("self",))
            .select_related("programme", "applicant", "organization")
            .get(pk=application.pk)
        )
        if Decision.objects.filter(application=application).exists():
            raise AlreadyDecided()
        if application.status not in DECIDABLE:
            raise NotDecidable()
        programme = application.programme
        if outcome == DecisionOutcome.GRANTED:
            if amount_ore > application.requested_ore:
                raise AmountAboveRequested(requested=format_kronor(application.requested_ore))
            if programme.max_amount_ore and amount_ore > programme.max_amount_ore:
                raise AmountAboveMaximum(maximum=format_kronor(programme.max_amount_ore))
        budget = (
            ProgrammeBudget.objects.select_for_update()
            .filter(programme=programme, year=decided_on.year)
            .first()
        )
        if budget is None:
            raise NoBudget(year=decided_on.year)
        if amount_ore > budget.remaining_ore:
            raise BudgetExceeded(remaining=format_kronor(max(budget.remaining_ore, 0)))
        if amount_ore:
            budget.committed_ore += amount_ore
            budget.save(update_fields=["committed_ore"])
        decision = Decision.objects.create(
            application=application,
            outcome=outcome,
            amount_ore=amount_ore,
            conditions=conditions,
            reason=reason,
            decided_on=decided_on,
            budget=budget,
            recorded_by=actor,
        )
        application.status = (
            ApplicationStatus.GRANTED
            if outcome == DecisionOutcome.GRANTED
            else ApplicationStatus.REJECTED
        )
        application.save(update_fields=["status", "updated_at"])
        audit_record(
            actor=actor,
            action=AuditEntry.Action.CREATE,
            target=decision,
            target_label=f"decision on {application.reference}",
            request=request,
            details={
                "application": application.reference,
                "outcome": outcome,
                "amount_ore": amount_ore,
                "decided_on": decided_on.isoformat(),
                "budget_year": budget.year,
                "committed_ore": budget.committed_ore,
            },
        )
        notification_queue_templated(
            channel=OutboxMessage.Channel.EMAIL,
            template_prefix=f"grants/email/decision_{outcome}",
            context={
                "application": application,
                "programme": programme,
                "decision": decision,
                "amount": format_kronor(amount_ore),
                "applications_url": _link("grants:application", application.uuid),
            },
            user=application.applicant,
            idempotency_key=f"grants-decision:{decision.uuid}",
        )
    return decision


def payment_record(
    *,
    actor: User,
    decision: Decision,
    paid_on: date,
    amount_ore: int,
    reference: str,
    request: HttpRequest | None = None,
) -> Payment:
    """Record a payment of a grant (whole or in part).

    Locks the decision so that payments recorded at once never add up to
    more than the granted amount. Not before the decision date. Needs
    ``grants.decide_application`` on the application and no conflict of
    interest; audit-logged."""
    require_declared_free(actor, decision.application, "grants.decide_application")
    reference = " ".join((reference or "").split())
    if not reference:
        raise PaymentReferenceMissing()
    if not _is_int(amount_ore) or amount_ore <= 0:
        raise PaymentNotPositive()
    with transaction.atomic():
        decision = (
            Decision.objects.select_for_update(of=("self",))
            .select_related("application")
            .get(pk=decision.pk)
        )
        if decision.outcome != DecisionOutcome.GRANTED:
            raise PaymentNotGranted()
        if paid_on < decision.decided_on:
            raise PaymentBeforeDecision(date=decision.decided_on.isoformat())
        paid = decision.payments.aggregate(total=Sum("amount_ore"))["total"] or 0
        remaining = decision.amount_ore - paid
        if amount_ore > remaining:
            raise PaymentAboveGranted(remaining=format_kronor(remaining))
        payment = Payment.objects.create(
            decision=decision,
            paid_on=paid_on,
            amount_ore=amount_ore,
            reference=reference[:100],
            recorded_by=actor,
        )
        audit_record(
            actor=actor,
            action=AuditEntry.Action.CREATE,
            target=payment,
            target_label=f"payment for {decision.application.reference}",
            request=request,
            details={
                "application": decision.application.reference,
                "amount_ore": amount_ore,
                "paid_on": paid_on.isoformat(),
                "paid_total_ore": paid + amount_ore,
            },
        )
    return payment
