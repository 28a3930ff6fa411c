"""Applying for a grant: start a draft, save it, attach files, submit,
withdraw, and answer an officer's request to complete it.

A draft keeps whatever the applicant typed, complete or not; the checks that
matter (required answers, a budget within the programme's maximum, who may
apply, the window) are made when the application is submitted, with the
application row locked so a double click submits once and sends one receipt.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from pathlib import PurePath
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models.functions import Length
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext_lazy as _

from tillsammans.audit.models import AuditEntry
from tillsammans.audit.services import audit_record
from tillsammans.core.errors import DomainError, NotPermitted
from tillsammans.core.money import format_kronor
from tillsammans.grants.models import (
    Application,
    ApplicationAttachment,
    ApplicationStatus,
    BudgetLine,
    Programme,
    Question,
    QuestionKind,
)
from tillsammans.grants.services.eligibility import (
    STOCKHOLM,
    eligibility_problems,
    next_window,
    programme_is_open,
)
from tillsammans.notifications.services import notification_queue_templated
from tillsammans.organizations.models import Organization
from tillsammans.organizations.rules import represents
from tillsammans.organizations.uploads import DOCUMENT_MAX_BYTES, sniff

if TYPE_CHECKING:
    from django.core.files.uploadedfile import UploadedFile
    from django.http import HttpRequest

    from tillsammans.accounts.models import User

ATTACHMENT_MAX_BYTES = DOCUMENT_MAX_BYTES  # 10 MB, as for the register's documents
# The extension a file may have, and the type its content must then be.
ATTACHMENT_EXTENSIONS = {
    "pdf": "pdf",
    "jpg": "jpeg",
    "jpeg": "jpeg",
    "png": "png",
    "docx": "docx",
    "odt": "odt",
}
ATTACHMENT_CONTENT_TYPES = {
    "pdf": "application/pdf",
    "jpeg": "image/jpeg",
    "png": "image/png",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "odt": "application/vnd.oasis.opendocument.text",
}
EDITABLE = (ApplicationStatus.DRAFT, ApplicationStatus.NEEDS_COMPLETION)
WITHDRAWABLE = (
    ApplicationStatus.DRAFT,
    ApplicationStatus.SUBMITTED,
    ApplicationStatus.NEEDS_COMPLETION,
)
REFERENCE_ATTEMPTS = 20


# --- Errors ------------------------------------------------------------------------------


class NotEligible(DomainError):
    message = _("You may not apply to this programme.")
    code = "not_eligible"

    def __init__(self, problems: Sequence[Any] = (), **params):
        self.problems = list(problems)
        message = self.problems[0].message if len(self.problems) == 1 else None
        super().__init__(message, **params)


class ProgrammeClosed(DomainError):
    message = _("This programme takes no applications now, and no new round is planned.")
    code = "programme_closed"


class DeadlinePassed(DomainError):
    message = _(
        "The application window closed on %(closed)s (Swedish time). "
        "Applications sent after that cannot be accepted."
    )
    code = "deadline_passed"


class WindowNotOpen(DomainError):
    message = _("Applications are not taken now. The next round opens on %(opens)s.")
    code = "window_not_open"


class ApplicationNotEditable(DomainError):
    message = _("This application has been sent and can no longer be changed.")
    code = "not_editable"


class ApplicationNotWithdrawable(DomainError):
    message = _("This application can no longer be withdrawn.")
    code = "not_withdrawable"


class CompletionNotRequested(DomainError):
    message = _("No completion has been asked for on this application.")
    code = "completion_not_requested"


class BudgetLineInvalid(DomainError):
    message = _("Each budget line needs a description and an amount that is not negative.")
    code = "budget_line_invalid"


class AnswerInvalid(DomainError):
    message = _("An answer does not fit its question.")
    code = "answer_invalid"


class AttachmentInvalid(DomainError):
    code = "attachment_invalid"
    field = None


class ApplicationIncomplete(DomainError):
    """The application cannot be sent yet. ``errors`` maps a form field name
    (``title``, ``purpose``, ``q_<question pk>``, ``budget``) to its message."""

    message = _("The application is not complete yet: correct the marked fields.")
    code = "incomplete"

    def __init__(self, errors: dict[str, str], **params):
        self.errors = errors
        super().__init__(**params)


# --- Helpers -----------------------------------------------------------------------------


def local_time(moment: datetime) -> str:
    """A moment as people in the municipality read it: "30 juni 2026 23:59"."""
    return formats.date_format(timezone.localtime(moment, STOCKHOLM), "j F Y H:i")


def _require(actor: User, perm: str, application: Application) -> None:
    if not actor.has_perm(perm, application):
        raise NotPermitted()


def _locked(application: Application) -> Application:
    return (
        Application.objects.select_for_update(of=("self",))
        .select_related("programme", "organization", "applicant")
        .get(pk=application.pk)
    )


def _next_reference(year: int) -> str:
    prefix = f"B-{year}-"
    last = (
        Application.objects.filter(reference__startswith=prefix)
        .order_by(Length("reference").desc(), "-reference")
        .values_list("reference", flat=True)
        .first()
    )
    number = int(last.removeprefix(prefix)) + 1 if last else 1
    return f"{prefix}{number:04d}"


def _create_with_reference(**fields) -> Application:
    """Insert with the year's next reference ("B-2026-0001"). Two applications
    started at once may pick the same number: the unique constraint refuses
    the second, which tries the next number (in a savepoint, so the caller's
    transaction goes on)."""
    year = timezone.localtime(timezone.now(), STOCKHOLM).year
    for _attempt in range(REFERENCE_ATTEMPTS):
        try:
            with transaction.atomic():
                return Application.objects.create(reference=_next_reference(year), **fields)
        except IntegrityError:
            continue
    raise IntegrityError("No free application reference after several attempts.")


# --- Start -------------------------------------------------------------------------------


def application_start(
    *,
    actor: User,
    programme: Programme,
    organization: Organization | None = None,
    as_individual: bool = False,
    now: datetime | None = None,
    request: HttpRequest | None = None,
) -> Application:
    """A draft for ``actor`` (for ``organization``, which they must represent,
    or for themselves where the programme allows individuals). ``NotEligible``
    with the problems when they may not apply, ``ProgrammeClosed`` when the
    programme is neither open nor has a round ahead. An open draft of the same
    applicant for the programme is returned instead of a second one."""
    if as_individual:
        organization = None
    if organization is not None and not represents(actor, organization):
        raise NotPermitted()
    problems = eligibility_problems(
        programme, organization=organization, as_individual=as_individual
    )
    if problems:
        raise NotEligible(problems)
    window = programme_is_open(programme, now)
    if window is None and next_window(programme, now) is None:
        raise ProgrammeClosed()
    with transaction.atomic():
        existing = Application.objects.filter(
            programme=programme, status=ApplicationStatus.DRAFT
        ).order_by("-created_at")
        if organization is not None:
            existing = existing.filter(organization=organization)
        else:
            existing = existing.filter(organization=None, applicant=actor)
        draft = existing.first()
        if draft is not None:
            return draft
        application = _create_with_reference(
            programme=programme,
            window=window if window is not None and window.pk else None,
            organization=organization,
            applicant=actor,
        )
        audit_record(
            actor=actor,
            action=AuditEntry.Action.CREATE,
            target=application,
            request=request,
            details={"event": "grant_application_start", "programme": programme.slug},
        )
    return application


# --- Drafts ------------------------------------------------------------------------------


def _clean_answers(programme: Programme, answers: dict[str, Any]) -> dict[str, Any]:
    """Keep answers to the programme's own questions (files are attachments)."""
    questions = {str(q.pk): q for q in programme.questions.all()}
    cleaned: dict[str, Any] = {}
    for key, value in answers.items():
        question = questions.get(str(key))
        if question is None or question.kind == QuestionKind.FILE:
            continue
        if value in (None, ""):
            continue
        if question.kind == QuestionKind.CHOICE and value not in question.choice_list():
            raise AnswerInvalid()
        if question.kind == QuestionKind.AMOUNT and (not isinstance(value, int) or value < 0):
            raise AnswerInvalid()
        cleaned[str(key)] = value
    return cleaned


def _clean_lines(budget_lines: Iterable[tuple[str, int]]) -> list[tuple[str, int]]:
    lines = []
    for description, amount in budget_lines:
        description = (description or "").strip()
        if not description and not amount:
            continue
        if not description or not isinstance(amount, int) or amount < 0:
            raise BudgetLineInvalid()
        lines.append((description[:200], amount))
    return lines


def application_save_draft(
    *,
    actor: User,
    application: Application,
    title: str,
    purpose: str,
    answers: dict[str, Any],
    budget_lines: Iterable[tuple[str, int]],
) -> Application:
    """Store what the applicant has written so far, complete or not: the
    answers given (keyed by question pk), the budget lines as (description,
    öre), replacing the earlier ones, and the amount applied for as their sum.
    Allowed while the application is a draft or its completion is asked for;
    ``ApplicationNotEditable`` otherwise."""
    _require(actor, "grants.edit_own_application", application)
    lines = _clean_lines(budget_lines)
    with transaction.atomic():
        locked = _locked(application)
        if locked.status not in EDITABLE:
            raise ApplicationNotEditable()
        # Keys that are not the programme's questions (kept, never dropped by a save).
        question_keys = {str(pk) for pk in locked.programme.questions.values_list("pk", flat=True)}
        kept = {key: value for key, value in locked.answers.items() if key not in question_keys}
        locked.title = (title or "").strip()[:200]
        locked.purpose = (purpose or "").strip()
        locked.answers = {**kept, **_clean_answers(locked.programme, answers)}
        locked.requested_ore = sum(amount for _description, amount in lines)
        locked.save(update_fields=["title", "purpose", "answers", "requested_ore", "updated_at"])
        locked.budget_lines.all().delete()
        BudgetLine.objects.bulk_create(
            BudgetLine(application=locked, description=description, amount_ore=amount, order=i)
            for i, (description, amount) in enumerate(lines)
        )
    return locked


# --- Attachments -------------------------------------------------------------------------


def attachment_check(upload: UploadedFile) -> str:
    """The file's real type (pdf, jpeg, png, docx, odt), or ``AttachmentInvalid``
    saying why not: the name's extension, the size (at most 10 MB) and the
    content, read by its signature as for the register's documents."""
    extension = PurePath(upload.name or "").suffix.lower().lstrip(".")
    if extension not in ATTACHMENT_EXTENSIONS:
        raise AttachmentInvalid(
            _(
                "An attachment must be a PDF, a JPEG or PNG image, a Word file (DOCX) or an "
                "OpenDocument text (ODT)."
            )
        )
    if upload.size > ATTACHMENT_MAX_BYTES:
        raise AttachmentInvalid(
            _("The file is too large (%(size)s). The largest allowed is %(limit)s."),
            size=filesizeformat(upload.size),
            limit=filesizeformat(ATTACHMENT_MAX_BYTES),
        )
    upload.seek(0)
    head = upload.read()
    upload.seek(0)
    kind = sniff(head)
    if kind != ATTACHMENT_EXTENSIONS[extension]:
        raise AttachmentInvalid(
            _("The file is called “%(name)s” but its content is not a %(kind)s file."),
            name=upload.name,
            kind=extension.upper(),
        )
    return kind


def application_attachment_add(
    *, actor: User, application: Application, question: Question, upload: UploadedFile
) -> ApplicationAttachment:
    """Attach ``upload`` as the answer to a ``file`` question, replacing an
    earlier file for that question (its file is removed once the change is
    stored). Checked with ``attachment_check``."""
    _require(actor, "grants.edit_own_application", application)
    if question.programme_id != application.programme_id or question.kind != QuestionKind.FILE:
        raise AnswerInvalid()
    attachment_check(upload)
    with transaction.atomic():
        locked = _locked(application)
        if locked.status not in EDITABLE:
            raise ApplicationNotEditable()
        earlier = list(locked.attachments.filter(question=question))
        attachment = ApplicationAttachment(
            application=locked,
            question=question,
            original_name=PurePath((upload.name or "").replace("\\", "/")).name[:200],
            size=upload.size,
        )
        attachment.file.save(upload.name, upload, save=False)
        attachment.save()
        for old in earlier:
            name, storage = old.file.name, old.file.storage
            old.delete()
            transaction.on_commit(lambda name=name, storage=storage: storage.delete(name))
    return attachment


def attachment_content_type(attachment: ApplicationAttachment) -> str:
    extension = PurePath(attachment.file.name).suffix.lower().lstrip(".")
    return ATTACHMENT_CONTENT_TYPES.get(ATTACHMENT_EXTENSIONS.get(extension, ""), "")


def attachment_open(
    *, actor: User, attachment: ApplicationAttachment, request: HttpRequest | None = None
):
    """Open the attachment for reading and log who read it. The caller has
    checked ``grants.download_attachment``. ``FileNotFoundError`` when the
    file is gone from the storage."""
    file = attachment.file.storage.open(attachment.file.name, "rb")
    audit_record(
        actor=actor,
        action=AuditEntry.Action.READ,
        target=attachment,
        request=request,
        details={
            "event": "grant_attachment_download",
            "application": attachment.application.reference,
        },
    )
    return file


# --- Submit ------------------------------------------------------------------------------


def application_problems(application: Application) -> dict[str, str]:
    """What is missing before the application can be sent, by form field name."""
    errors: dict[str, str] = {}
    if not application.title.strip():
        errors["title"] = str(_("Say what the money is for."))
    if not application.purpose.strip():
        errors["purpose"] = str(_("Describe the purpose."))
    attached = {a.question_id for a in application.attachments.all()}
    for question in application.programme.questions.all():
        if not question.required:
            continue
        if question.kind == QuestionKind.FILE:
            if question.pk not in attached:
                errors[f"q_{question.pk}"] = str(_("Attach a file."))
        elif application.answers.get(str(question.pk)) in (None, ""):
            errors[f"q_{question.pk}"] = str(_("Answer this question."))
    lines = list(application.budget_lines.all())
    total = sum(line.amount_ore for line in lines)
    maximum = application.programme.max_amount_ore
    if not lines:
        errors["budget"] = str(_("Add at least one line to the budget."))
    elif total <= 0:
        errors["budget"] = str(_("The budget must add up to more than 0 kr."))
    elif maximum and total > maximum:
        errors["budget"] = str(
            _("The budget adds up to %(total)s; this programme grants at most %(max)s.")
            % {"total": format_kronor(total), "max": format_kronor(maximum)}
        )
    return errors


def _check_window(application: Application, now: datetime):
    window = programme_is_open(application.programme, now)
    if window is not None:
        return window
    closed = [w for w in application.programme.windows.all() if w.closes_at <= now]
    if closed:
        last = max(closed, key=lambda w: w.closes_at)
        raise DeadlinePassed(closed=local_time(last.closes_at))
    upcoming = next_window(application.programme, now)
    if upcoming is not None:
        raise WindowNotOpen(opens=local_time(upcoming.opens_at))
    raise ProgrammeClosed()


def _check_eligible(application: Application) -> None:
    problems = eligibility_problems(
        application.programme,
        organization=application.organization,
        as_individual=application.organization_id is None,
    )
    if problems:
        raise NotEligible(problems)


def application_submit(
    *,
    actor: User,
    application: Application,
    now: datetime | None = None,
    request: HttpRequest | None = None,
) -> Application:
    """Send the application. Locks its row; an application that is already
    submitted is returned as it is (a double click sends one application and
    one receipt). Checks, in this order: the window is open
    (``DeadlinePassed`` names the closing time in Swedish time), the applicant
    may still apply (``NotEligible``), and everything required is there
    (``ApplicationIncomplete`` with a message per field). Logs the submission
    and queues a receipt to the applicant in their language."""
    _require(actor, "grants.edit_own_application", application)
    now = now or timezone.now()
    with transaction.atomic():
        locked = _locked(application)
        if locked.status == ApplicationStatus.SUBMITTED:
            return locked
        if locked.status != ApplicationStatus.DRAFT:
            raise ApplicationNotEditable()
        window = _check_window(locked, now)
        _check_eligible(locked)
        errors = application_problems(locked)
        if errors:
            raise ApplicationIncomplete(errors)
        locked.status = ApplicationStatus.SUBMITTED
        locked.submitted_at = now
        if window.pk:
            locked.window = window
        locked.save(update_fields=["status", "submitted_at", "window", "updated_at"])
        audit_record(
            actor=actor,
            action=AuditEntry.Action.CHANGE,
            target=locked,
            request=request,
            details={
                "event": "grant_application_submit",
                "programme": locked.programme.slug,
                "requested_ore": locked.requested_ore,
            },
        )
        notification_queue_templated(
            channel="email",
            template_prefix="grants/email/application_receipt",
            context={
                "application": locked,
                "programme_title": locked.programme.title,
                "organization_name": locked.organization.name if locked.organization else "",
                "requested": _in_language(locked.applicant, format_kronor, locked.requested_ore),
                "submitted_at": now,
                "decision_meeting_on": window.decision_meeting_on if window.pk else None,
                "path": reverse("grants:application", args=[locked.uuid]),
            },
            idempotency_key=f"grants-application-receipt-{locked.uuid}",
            user=locked.applicant,
        )
    return locked


def _in_language(user: User, function, *args):
    """``function(*args)`` in the user's language (numbers read as they write them)."""
    with translation.override(user.preferred_language or settings.LANGUAGE_CODE):
        return function(*args)


# --- Withdraw and complete ---------------------------------------------------------------


def application_withdraw(
    *, actor: User, application: Application, request: HttpRequest | None = None
) -> Application:
    """Withdraw a draft or a sent application that has not been decided
    (``ApplicationNotWithdrawable`` otherwise). Locks the row and logs it."""
    _require(actor, "grants.edit_own_application", application)
    with transaction.atomic():
        locked = _locked(application)
        if locked.status == ApplicationStatus.WITHDRAWN:
            return locked
        if locked.status not in WITHDRAWABLE:
            raise ApplicationNotWithdrawable()
        previous = locked.status
        locked.status = ApplicationStatus.WITHDRAWN
        locked.save(update_fields=["status", "updated_at"])
        audit_record(
            actor=actor,
            action=AuditEntry.Action.CHANGE,
            target=locked,
            request=request,
            details={"event": "grant_application_withdraw", "previous_status": previous},
        )
    return locked


def application_complete(
    *,
    actor: User,
    application: Application,
    reply: str = "",
    request: HttpRequest | None = None,
) -> Application:
    """Answer an officer's request to complete the application: the applicant
    has changed the draft (answers, budget, files) and sends it back, with an
    optional note. Everything required must be there
    (``ApplicationIncomplete``); the window need not be open. The status goes
    from ``needs_completion`` back to ``submitted``; the note is kept in the
    audit log entry."""
    _require(actor, "grants.edit_own_application", application)
    with transaction.atomic():
        locked = _locked(application)
        if locked.status != ApplicationStatus.NEEDS_COMPLETION:
            raise CompletionNotRequested()
        errors = application_problems(locked)
        if errors:
            raise ApplicationIncomplete(errors)
        locked.status = ApplicationStatus.SUBMITTED
        locked.save(update_fields=["status", "updated_at"])
        audit_record(
            actor=actor,
            action=AuditEntry.Action.CHANGE,
            target=locked,
            request=request,
            details={
                "event": "grant_application_complete",
                "completion_request": locked.completion_request,
                "reply": reply.strip()[:2000],
            },
        )
    return locked
