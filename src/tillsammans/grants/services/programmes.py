"""Grant programmes: creating and changing them, their windows, yearly
budgets, assessment criteria and application questions.

Only a grant officer of the programme's department (or a site admin) may
change a programme (``grants.manage_programme``). Every change runs in a
transaction and is audited. A yearly budget is changed under a row lock and
never set below what decisions have already committed against it.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from tillsammans.accounts.models import Department
from tillsammans.audit.models import AuditEntry
from tillsammans.audit.services import audit_record
from tillsammans.core.errors import DomainError, NotPermitted
from tillsammans.core.money import format_kronor
from tillsammans.grants.models import (
    ApplicationWindow,
    Criterion,
    FollowUpQuestion,
    Programme,
    ProgrammeBudget,
    ProgrammeKind,
    Question,
    QuestionKind,
)
from tillsammans.grants.selectors.programmes import departments_for_officer
from tillsammans.organizations.models import DocumentKind, LegalForm

if TYPE_CHECKING:
    from django.http import HttpRequest

    from tillsammans.accounts.models import User

# Fixed paths beside the programme pages (/grants/mine/, /grants/decisions/,
# /staff/grants/new/ …): never a programme's slug, and the URL converter of
# /grants/<slug>/ lets them through to their own pages.
RESERVED_SLUGS = frozenset(
    {
        "new",
        "apply",
        "mine",
        "applications",
        "attachments",
        "decisions",
        "statistics",
        "nominations",
        "winners",
        "awards",
        "reports",
        "follow-up",
        "payments",
        "export",
        "staff",
        "360giving",
        "open-data",
    }
)

PROGRAMME_FIELDS = (
    "title",
    "slug",
    "summary",
    "description",
    "kind",
    "department",
    "deciding_body",
    "max_amount_ore",
    "is_rolling",
    "allowed_legal_forms",
    "requires_verified_organization",
    "requires_local_activity",
    "allows_networks",
    "allows_individuals",
    "required_documents",
    "report_due_months",
    "is_published",
)


class InvalidProgramme(DomainError):
    """A value failed a rule; ``field`` names it so a form can show it there."""

    code = "invalid_programme"
    status_code = 400
    field: str | None = None

    def __init__(self, message=None, *, field: str | None = None, **params):
        if field is not None:
            self.field = field
        super().__init__(message, **params)


class SlugTaken(InvalidProgramme):
    message = _("Another programme already uses the web address “%(slug)s”. Choose another.")
    code = "slug_taken"
    status_code = 409
    field = "slug"


class WindowClosesBeforeItOpens(InvalidProgramme):
    message = _("The window must close after it opens.")
    code = "window_closes_before_it_opens"
    field = "closes_at"


class BudgetBelowCommitted(InvalidProgramme):
    message = _(
        "%(committed)s of the budget for %(year)s is already committed by decisions: "
        "the budget cannot be lower than that."
    )
    code = "budget_below_committed"
    status_code = 409
    field = "amount"


class InUse(DomainError):
    """Something applications, assessments or decisions refer to cannot be deleted."""

    code = "in_use"
    status_code = 409


def _require_manage(actor: User, programme: Programme) -> None:
    if not actor.has_perm("grants.manage_programme", programme):
        raise NotPermitted


def _require_department(actor: User, department: Department) -> None:
    if not departments_for_officer(actor).filter(pk=department.pk).exists():
        raise InvalidProgramme(
            _("You may only manage programmes of your own department."), field="department"
        )


def _clean_programme(values: dict[str, Any]) -> dict[str, Any]:
    """Check the values a form cannot check alone; raise ``InvalidProgramme``."""
    slug = (values.get("slug") or "").strip()
    if not slug:
        raise InvalidProgramme(_("Give the programme a web address."), field="slug")
    if slug in RESERVED_SLUGS:
        raise InvalidProgramme(
            _("“%(slug)s” is reserved for another page. Choose another."), field="slug", slug=slug
        )
    if values.get("kind") not in ProgrammeKind.values:
        raise InvalidProgramme(_("Choose a kind of programme."), field="kind")
    if (values.get("max_amount_ore") or 0) < 0:
        raise InvalidProgramme(_("The amount cannot be negative."), field="max_amount")
    forms = list(values.get("allowed_legal_forms") or [])
    if any(form not in LegalForm.values for form in forms):
        raise InvalidProgramme(_("Choose legal forms from the list."), field="allowed_legal_forms")
    documents = list(values.get("required_documents") or [])
    if any(document not in DocumentKind.values for document in documents):
        raise InvalidProgramme(_("Choose documents from the list."), field="required_documents")
    return {
        **values,
        "slug": slug,
        "allowed_legal_forms": sorted(set(forms), key=forms.index),
        "required_documents": sorted(set(documents), key=documents.index),
    }


def programme_create(*, actor: User, request: HttpRequest | None = None, **values) -> Programme:
    """Create a programme in one of the actor's departments (every department
    for a site admin). ``values`` are ``PROGRAMME_FIELDS``."""
    unknown = set(values) - set(PROGRAMME_FIELDS)
    if unknown:
        raise TypeError(f"unknown programme fields: {sorted(unknown)}")
    values = _clean_programme(values)
    if not actor.has_perm("grants.view_staff_pages"):
        raise NotPermitted
    _require_department(actor, values["department"])
    with transaction.atomic():
        if Programme.objects.filter(slug=values["slug"]).exists():
            raise SlugTaken(slug=values["slug"])
        try:
            with transaction.atomic():
                programme = Programme.objects.create(**values)
        except IntegrityError as error:  # a concurrent create took the slug
            raise SlugTaken(slug=values["slug"]) from error
        audit_record(
            actor=actor,
            action=AuditEntry.Action.CREATE,
            target=programme,
            request=request,
            details={"event": "grant_programme_create", "department": programme.department.slug},
        )
    return programme


def programme_update(
    *, programme: Programme, actor: User, request: HttpRequest | None = None, **values
) -> Programme:
    """Change a programme's fields (those given). Moving it to another
    department needs the right to that department too."""
    unknown = set(values) - set(PROGRAMME_FIELDS)
    if unknown:
        raise TypeError(f"unknown programme fields: {sorted(unknown)}")
    _require_manage(actor, programme)
    with transaction.atomic():
        programme = Programme.objects.select_for_update().get(pk=programme.pk)
        current = {name: getattr(programme, name) for name in PROGRAMME_FIELDS}
        values = _clean_programme({**current, **values})
        if values["department"].pk != programme.department_id:
            _require_department(actor, values["department"])
        if Programme.objects.filter(slug=values["slug"]).exclude(pk=programme.pk).exists():
            raise SlugTaken(slug=values["slug"])
        changed = sorted(name for name in PROGRAMME_FIELDS if values[name] != current[name])
        for name in changed:
            setattr(programme, name, values[name])
        if changed:
            programme.save()
            audit_record(
                actor=actor,
                action=AuditEntry.Action.CHANGE,
                target=programme,
                request=request,
                details={"event": "grant_programme_update", "fields": changed},
            )
    return programme


# --- Windows -----------------------------------------------------------------------------


def window_save(
    *,
    programme: Programme,
    actor: User,
    opens_at: datetime,
    closes_at: datetime,
    decision_meeting_on: date | None = None,
    window: ApplicationWindow | None = None,
    request: HttpRequest | None = None,
) -> ApplicationWindow:
    """Add a window to the programme, or change ``window`` (one of its windows)."""
    _require_manage(actor, programme)
    if closes_at <= opens_at:
        raise WindowClosesBeforeItOpens()
    if decision_meeting_on is not None and decision_meeting_on < opens_at.date():
        raise InvalidProgramme(
            _("The board meeting cannot be before the window opens."), field="decision_meeting_on"
        )
    with transaction.atomic():
        if window is None:
            window = ApplicationWindow(programme=programme)
            action = AuditEntry.Action.CREATE
        else:
            window = ApplicationWindow.objects.select_for_update().get(
                pk=window.pk, programme=programme
            )
            action = AuditEntry.Action.CHANGE
        window.opens_at = opens_at
        window.closes_at = closes_at
        window.decision_meeting_on = decision_meeting_on
        window.save()
        audit_record(
            actor=actor,
            action=action,
            target=window,
            request=request,
            details={
                "event": "grant_window_save",
                "programme": programme.slug,
                "opens_at": opens_at.isoformat(),
                "closes_at": closes_at.isoformat(),
            },
        )
    return window


def window_delete(
    *, window: ApplicationWindow, actor: User, request: HttpRequest | None = None
) -> None:
    _require_manage(actor, window.programme)
    with transaction.atomic():
        if window.applications.exists():
            raise InUse(_("Applications were made in this window: it cannot be deleted."))
        audit_record(
            actor=actor,
            action=AuditEntry.Action.DELETE,
            target=window,
            request=request,
            details={"event": "grant_window_delete", "programme": window.programme.slug},
        )
        window.delete()


# --- Budgets -----------------------------------------------------------------------------


def budget_set(
    *,
    programme: Programme,
    actor: User,
    year: int,
    amount_ore: int,
    request: HttpRequest | None = None,
) -> ProgrammeBudget:
    """Set the programme's budget for ``year``. The row is locked, so a
    decision committing money at the same time cannot slip under the check:
    the budget is never set below what is already committed."""
    _require_manage(actor, programme)
    if amount_ore < 0:
        raise InvalidProgramme(_("The amount cannot be negative."), field="amount")
    if not 2000 <= year <= 2100:
        raise InvalidProgramme(_("Give a year between 2000 and 2100."), field="year")
    with transaction.atomic():
        budget = (
            ProgrammeBudget.objects.select_for_update()
            .filter(programme=programme, year=year)
            .first()
        )
        if budget is None:
            try:
                with transaction.atomic():
                    budget = ProgrammeBudget.objects.create(
                        programme=programme, year=year, amount_ore=amount_ore
                    )
            except IntegrityError:  # created at the same moment: lock it and go on
                budget = ProgrammeBudget.objects.select_for_update().get(
                    programme=programme, year=year
                )
            else:
                audit_record(
                    actor=actor,
                    action=AuditEntry.Action.CREATE,
                    target=budget,
                    request=request,
                    details={"event": "grant_budget_set", "amount_ore": amount_ore},
                )
                return budget
        if amount_ore < budget.committed_ore:
            raise BudgetBelowCommitted(committed=format_kronor(budget.committed_ore), year=year)
        previous = budget.amount_ore
        if previous != amount_ore:
            budget.amount_ore = amount_ore
            budget.save(update_fields=["amount_ore"])
            audit_record(
                actor=actor,
                action=AuditEntry.Action.CHANGE,
                target=budget,
                request=request,
                details={
                    "event": "grant_budget_set",
                    "amount_ore": amount_ore,
                    "previous_ore": previous,
                },
            )
    return budget


# --- Criteria and questions ----------------------------------------------------------------


def criterion_save(
    *,
    programme: Programme,
    actor: User,
    title: str,
    description: str = "",
    weight: int = 1,
    scale_max: int = 5,
    order: int = 0,
    criterion: Criterion | None = None,
    request: HttpRequest | None = None,
) -> Criterion:
    _require_manage(actor, programme)
    title = (title or "").strip()
    if not title:
        raise InvalidProgramme(_("Name the criterion."), field="title")
    if not 1 <= weight <= 10:
        raise InvalidProgramme(_("The weight is a whole number from 1 to 10."), field="weight")
    if not 2 <= scale_max <= 10:
        raise InvalidProgramme(
            _("The highest score is a whole number from 2 to 10."), field="scale_max"
        )
    with transaction.atomic():
        if criterion is None:
            criterion = Criterion(programme=programme)
            action = AuditEntry.Action.CREATE
        else:
            criterion = Criterion.objects.select_for_update().get(
                pk=criterion.pk, programme=programme
            )
            if (
                scale_max < criterion.scale_max
                and criterion.scores.filter(score__gt=scale_max).exists()
            ):
                raise InvalidProgramme(
                    _("Assessments already gave scores above %(max)s: keep the scale."),
                    field="scale_max",
                    max=scale_max,
                )
            action = AuditEntry.Action.CHANGE
        criterion.title = title
        criterion.description = description
        criterion.weight = weight
        criterion.scale_max = scale_max
        criterion.order = order
        criterion.save()
        audit_record(
            actor=actor,
            action=action,
            target=criterion,
            request=request,
            details={"event": "grant_criterion_save", "programme": programme.slug},
        )
    return criterion


def criterion_delete(
    *, criterion: Criterion, actor: User, request: HttpRequest | None = None
) -> None:
    _require_manage(actor, criterion.programme)
    with transaction.atomic():
        if criterion.scores.exists():
            raise InUse(_("Assessments already scored this criterion: it cannot be deleted."))
        audit_record(
            actor=actor,
            action=AuditEntry.Action.DELETE,
            target=criterion,
            request=request,
            details={"event": "grant_criterion_delete", "programme": criterion.programme.slug},
        )
        criterion.delete()


def question_save(
    *,
    programme: Programme,
    actor: User,
    label: str,
    kind: str,
    help_text: str = "",
    choices: str = "",
    required: bool = True,
    order: int = 0,
    question: Question | None = None,
    request: HttpRequest | None = None,
) -> Question:
    _require_manage(actor, programme)
    label = (label or "").strip()
    if not label:
        raise InvalidProgramme(_("Write the question."), field="label")
    if kind not in QuestionKind.values:
        raise InvalidProgramme(_("Choose a kind of answer."), field="kind")
    options = [line.strip() for line in (choices or "").splitlines() if line.strip()]
    if kind == QuestionKind.CHOICE and len(options) < 2:
        raise InvalidProgramme(_("Give at least two options, one per line."), field="choices")
    with transaction.atomic():
        if question is None:
            question = Question(programme=programme)
            action = AuditEntry.Action.CREATE
        else:
            question = Question.objects.select_for_update().get(pk=question.pk, programme=programme)
            if kind != question.kind and question.attachments.exists():
                raise InvalidProgramme(
                    _("Files were already sent in answer: keep the kind of answer."), field="kind"
                )
            action = AuditEntry.Action.CHANGE
        question.label = label
        question.kind = kind
        question.help_text = help_text
        question.choices = "\n".join(options) if kind == QuestionKind.CHOICE else ""
        question.required = required
        question.order = order
        question.save()
        audit_record(
            actor=actor,
            action=action,
            target=question,
            request=request,
            details={"event": "grant_question_save", "programme": programme.slug},
        )
    return question


def question_delete(*, question: Question, actor: User, request: HttpRequest | None = None) -> None:
    _require_manage(actor, question.programme)
    with transaction.atomic():
        if question.attachments.exists():
            raise InUse(_("Files were sent in answer to this question: it cannot be deleted."))
        audit_record(
            actor=actor,
            action=AuditEntry.Action.DELETE,
            target=question,
            request=request,
            details={"event": "grant_question_delete", "programme": question.programme.slug},
        )
        question.delete()


def follow_up_question_save(
    *,
    programme: Programme,
    actor: User,
    label: str,
    help_text: str = "",
    required: bool = True,
    order: int = 0,
    question: FollowUpQuestion | None = None,
    request: HttpRequest | None = None,
) -> FollowUpQuestion:
    """Add or change a question of the programme's follow-up report."""
    _require_manage(actor, programme)
    label = (label or "").strip()
    if not label:
        raise InvalidProgramme(_("Write the question."), field="label")
    with transaction.atomic():
        if question is None:
            question = FollowUpQuestion(programme=programme)
            action = AuditEntry.Action.CREATE
        else:
            question = FollowUpQuestion.objects.select_for_update().get(
                pk=question.pk, programme=programme
            )
            action = AuditEntry.Action.CHANGE
        question.label = label[:300]
        question.help_text = (help_text or "").strip()[:300]
        question.required = required
        question.order = order
        question.save()
        audit_record(
            actor=actor,
            action=action,
            target=question,
            request=request,
            details={"event": "grant_follow_up_question_save", "programme": programme.slug},
        )
    return question


def follow_up_question_delete(
    *, question: FollowUpQuestion, actor: User, request: HttpRequest | None = None
) -> None:
    """Delete a follow-up question. Reports already sent keep their answers
    (stored with the report), shown without the question."""
    _require_manage(actor, question.programme)
    with transaction.atomic():
        audit_record(
            actor=actor,
            action=AuditEntry.Action.DELETE,
            target=question,
            request=request,
            details={
                "event": "grant_follow_up_question_delete",
                "programme": question.programme.slug,
            },
        )
        question.delete()
