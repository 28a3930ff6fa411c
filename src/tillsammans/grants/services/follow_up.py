"""Follow-up (återrapportering): what a grant achieved, reported after payment.

A programme with ``report_due_months`` asks every recipient for a report
that many months after the first payment. ``follow_up_schedule`` (run daily:
``manage.py grants_follow_up``) creates the reports that have become due to
ask for and sends reminders two weeks before and the day after the due date.
The recipient answers the programme's follow-up questions
(``report_submit``); an officer of the programme approves it, asks for
completion, or claims repayment (``report_review``). Messages go to the
applicant in their language.
"""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import transaction
from django.db.models import Min, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tillsammans.audit.models import AuditEntry
from tillsammans.audit.services import audit_record
from tillsammans.core.errors import DomainError, NotPermitted
from tillsammans.core.money import format_kronor
from tillsammans.grants.models import (
    Decision,
    DecisionOutcome,
    FollowUpAttachment,
    FollowUpReport,
    Payment,
    ReportStatus,
)
from tillsammans.grants.services.applications import attachment_check
from tillsammans.notifications.models import OutboxMessage
from tillsammans.notifications.services import notification_queue_templated

if TYPE_CHECKING:
    from django.core.files.uploadedfile import UploadedFile

    from tillsammans.accounts.models import User

REMIND_DAYS_BEFORE = 14
MAX_ATTACHMENTS = 5
ANSWER_MAX_LENGTH = 5000
OPEN_STATUSES = (ReportStatus.DUE, ReportStatus.NEEDS_COMPLETION)


class FollowUpError(DomainError):
    """A failed rule about a follow-up report; ``field`` names the form field."""

    field: str | None = None


class ReportNotOpen(FollowUpError):
    message = _("This report has been sent and cannot be changed now.")
    status_code = 409


class ReportAnswerMissing(FollowUpError):
    message = _("Answer this question.")


class ReportAnswerTooLong(FollowUpError):
    message = _("Keep the answer under %(limit)s characters.")


class TooManyAttachments(FollowUpError):
    message = _("Send at most %(limit)s files with a report.")
    field = "attachments"


class ReportNotSubmitted(FollowUpError):
    message = _("Only a submitted report can be reviewed.")
    status_code = 409


class ReviewNoteMissing(FollowUpError):
    message = _("Write what the recipient needs to complete or why money is claimed back.")
    field = "note"


class RepaymentInvalid(FollowUpError):
    message = _("The repayment must be more than 0 and at most what was paid (%(paid)s).")
    field = "repayment"


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later (the month's last day where it is shorter)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


# --- Scheduling and reminders ---------------------------------------------------------------


def follow_up_schedule(*, today: date | None = None) -> dict[str, int]:
    """Create the reports that are now to be asked for, and send the
    reminders that are due. Idempotent; returns what it did."""
    today = today or timezone.localdate()
    created = _reports_create(today)
    before = after = 0
    for report in _open_reports().filter(
        due_on__lte=today + timedelta(days=REMIND_DAYS_BEFORE),
        due_on__gte=today,
        reminded_before_at__isnull=True,
    ):
        before += _remind(report, "report_due_soon", "reminded_before_at")
    for report in _open_reports().filter(due_on__lt=today, reminded_after_at__isnull=True):
        after += _remind(report, "report_overdue", "reminded_after_at")
    return {"created": created, "reminded_before": before, "reminded_after": after}


def _reports_create(today: date) -> int:
    decisions = (
        Decision.objects.filter(
            outcome=DecisionOutcome.GRANTED,
            application__programme__report_due_months__isnull=False,
            follow_up_report__isnull=True,
        )
        .annotate(first_paid_on=Min("payments__paid_on"))
        .filter(first_paid_on__isnull=False)
        .select_related("application__programme")
    )
    created = 0
    for decision in decisions:
        months = decision.application.programme.report_due_months
        with transaction.atomic():
            _report, was_created = FollowUpReport.objects.get_or_create(
                decision=decision,
                defaults={"due_on": add_months(decision.first_paid_on, months)},
            )
        created += was_created
    return created


def _open_reports():
    return FollowUpReport.objects.filter(status__in=OPEN_STATUSES).select_related(
        "decision__application__applicant", "decision__application__programme"
    )


def _remind(report: FollowUpReport, template: str, stamp: str) -> int:
    with transaction.atomic():
        locked = FollowUpReport.objects.select_for_update().get(pk=report.pk)
        if getattr(locked, stamp) is not None or locked.status not in OPEN_STATUSES:
            return 0
        _tell_applicant(report, template, key=f"grant-report:{report.uuid}:{template}")
        setattr(locked, stamp, timezone.now())
        locked.save(update_fields=[stamp])
    return 1


def _tell_applicant(report: FollowUpReport, template: str, *, key: str) -> None:
    application = report.decision.application
    notification_queue_templated(
        channel=OutboxMessage.Channel.EMAIL,
        template_prefix=f"grants/email/{template}",
        context={
            "application": application,
            "report": report,
            "repayment": format_kronor(report.repayment_ore),
            "report_url": settings.SITE_URL
            + reverse("grants:follow_up_report", args=[report.uuid]),
        },
        idempotency_key=key,
        user=application.applicant,
        kind=OutboxMessage.Kind.TRANSACTIONAL,
    )


# --- The recipient's report -----------------------------------------------------------------


def report_answers_clean(report: FollowUpReport, answers: dict[str, Any]) -> dict[str, str]:
    """The answers by question pk (as text); ``ReportAnswerMissing`` or
    ``ReportAnswerTooLong`` on the question's field (``question_<pk>``)."""
    cleaned: dict[str, str] = {}
    programme = report.decision.application.programme
    for question in programme.follow_up_questions.all():
        key = str(question.pk)
        value = str(answers.get(key) or "").strip()
        if question.required and not value:
            error = ReportAnswerMissing()
            error.field = f"question_{key}"
            raise error
        if len(value) > ANSWER_MAX_LENGTH:
            error = ReportAnswerTooLong(limit=ANSWER_MAX_LENGTH)
            error.field = f"question_{key}"
            raise error
        if value:
            cleaned[key] = value
    return cleaned


def report_submit(
    *,
    actor: User,
    report: FollowUpReport,
    answers: dict[str, Any],
    money_used_ore: int,
    attachments: Sequence[UploadedFile] = (),
    request=None,
) -> FollowUpReport:
    """The recipient (the applicant, or a representative of the organisation)
    sends the report, with files if they like (checked as an application's
    attachments are: ``AttachmentInvalid``). Only a due report, or one whose
    completion was asked for, can be sent (``ReportNotOpen``, also for a
    second click)."""
    if not actor.has_perm("grants.edit_own_application", report.decision.application):
        raise NotPermitted()
    cleaned = report_answers_clean(report, answers)
    if len(attachments) > MAX_ATTACHMENTS:
        raise TooManyAttachments(limit=MAX_ATTACHMENTS)
    for upload in attachments:
        attachment_check(upload)
    with transaction.atomic():
        locked = FollowUpReport.objects.select_for_update().get(pk=report.pk)
        if locked.status not in OPEN_STATUSES:
            raise ReportNotOpen()
        locked.answers = cleaned
        locked.money_used_ore = money_used_ore
        locked.status = ReportStatus.SUBMITTED
        locked.submitted_at = timezone.now()
        locked.submitted_by = actor
        locked.save()
        for upload in attachments:
            FollowUpAttachment.objects.create(
                report=locked,
                file=upload,
                original_name=(upload.name or "file")[:200],
                size=upload.size,
            )
        audit_record(
            actor=actor,
            action=AuditEntry.Action.CHANGE,
            target=locked,
            request=request,
            details={"report": "submitted"},
        )
    return locked


# --- The officer's review -------------------------------------------------------------------


def paid_ore(report: FollowUpReport) -> int:
    return (
        Payment.objects.filter(decision=report.decision).aggregate(total=Sum("amount_ore"))["total"]
        or 0
    )


def report_review(
    *,
    actor: User,
    report: FollowUpReport,
    outcome: str,
    note: str = "",
    repayment_ore: int = 0,
    request=None,
) -> FollowUpReport:
    """An officer of the programme (without a declared conflict) approves a
    submitted report, asks for completion, or claims money back (at most
    what was paid). The recipient is told unless it is approved."""
    application = report.decision.application
    if not actor.has_perm("grants.decide_application", application):
        raise NotPermitted()
    note = (note or "").strip()
    if outcome not in (
        ReportStatus.APPROVED,
        ReportStatus.NEEDS_COMPLETION,
        ReportStatus.REPAYMENT_CLAIMED,
    ):
        raise ValueError(f"Unknown review outcome {outcome!r}")
    if outcome != ReportStatus.APPROVED and not note:
        raise ReviewNoteMissing()
    with transaction.atomic():
        locked = FollowUpReport.objects.select_for_update().get(pk=report.pk)
        if locked.status != ReportStatus.SUBMITTED:
            raise ReportNotSubmitted()
        if outcome == ReportStatus.REPAYMENT_CLAIMED:
            paid = paid_ore(locked)
            if not 0 < repayment_ore <= paid:
                raise RepaymentInvalid(paid=format_kronor(paid))
            locked.repayment_ore = repayment_ore
        locked.status = outcome
        locked.review_note = note
        locked.reviewed_at = timezone.now()
        locked.reviewed_by = actor
        locked.save()
        if outcome != ReportStatus.APPROVED:
            _tell_applicant(
                locked,
                "report_reviewed",
                key=f"grant-report:{locked.uuid}:review:{locked.reviewed_at.isoformat()}",
            )
        audit_record(
            actor=actor,
            action=AuditEntry.Action.CHANGE,
            target=locked,
            request=request,
            details={"report": outcome, "repayment_ore": locked.repayment_ore},
        )
    return locked


def report_attachment_open(*, actor: User, attachment: FollowUpAttachment, request=None):
    """Open a report's file for reading and log who read it. The caller has
    checked ``grants.download_attachment`` on the application."""
    file = attachment.file.storage.open(attachment.file.name, "rb")
    audit_record(
        actor=actor,
        action=AuditEntry.Action.READ,
        target=attachment,
        request=request,
        details={"event": "grant_report_attachment_download"},
    )
    return file
