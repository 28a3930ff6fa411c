"""Assessing applications: conflict-of-interest declarations (jäv), scores
and proposals, and requests to complete an application.

An officer declares — a conflict or none — before seeing an application's
answers. An officer with a conflict is kept out of the application entirely:
no scoring, no proposal, no decision. Site admins pass every permission, so
the conflict is checked here explicitly as well as in ``rules``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from tillsammans.audit.models import AuditEntry
from tillsammans.audit.services import audit_record
from tillsammans.core.errors import DomainError, NotPermitted
from tillsammans.core.money import format_kronor
from tillsammans.grants.models import (
    Application,
    ApplicationStatus,
    Assessment,
    ConflictOfInterest,
    CriterionScore,
)
from tillsammans.notifications.models import OutboxMessage
from tillsammans.notifications.services import notification_queue_templated

if TYPE_CHECKING:
    from django.http import HttpRequest

    from tillsammans.accounts.models import User


class AssessmentError(DomainError):
    field: str | None = None


class ConflictDeclared(AssessmentError):
    message = _("You have declared a conflict of interest on this application.")
    status_code = 403


class DeclarationMissing(AssessmentError):
    message = _("Declare first whether you have a conflict of interest.")


class AlreadyDeclared(AssessmentError):
    message = _("You have already declared on this application.")


class NotAssessable(AssessmentError):
    message = _("Only submitted applications can be assessed.")


class ScoreMissing(AssessmentError):
    message = _("Give a score for “%(criterion)s”.")


class ScoreOutOfRange(AssessmentError):
    message = _("The score for “%(criterion)s” must be between 0 and %(maximum)s.")


class UnknownCriterion(AssessmentError):
    message = _("A score was given for a criterion this programme does not have.")


class ProposalNegative(AssessmentError):
    message = _("The proposed amount cannot be negative.")
    field = "proposed"


class ProposalAboveRequested(AssessmentError):
    message = _("The proposed amount is more than the %(requested)s applied for.")
    field = "proposed"


class ProposalAboveMaximum(AssessmentError):
    message = _("The proposed amount is more than the programme's largest amount, %(maximum)s.")
    field = "proposed"


class CompletionMessageMissing(AssessmentError):
    message = _("Write what the applicant must complete.")
    field = "message"


class NoteTooLong(AssessmentError):
    message = _("The note can be at most 300 characters.")
    field = "note"


def _may_officiate(actor: User, application: Application, perm: str) -> None:
    # The conflict first: its message is the clearer one (``rules`` refuses it too).
    if ConflictOfInterest.objects.filter(
        application=application, officer=actor, has_conflict=True
    ).exists():
        raise ConflictDeclared()
    if not actor.has_perm(perm, application):
        raise NotPermitted()


def require_declared_free(actor: User, application: Application, perm: str) -> None:
    """``actor`` may act on the application under ``perm`` and has declared no
    conflict (``NotPermitted``, ``ConflictDeclared`` or ``DeclarationMissing``)."""
    _may_officiate(actor, application, perm)
    if not ConflictOfInterest.objects.filter(
        application=application, officer=actor, has_conflict=False
    ).exists():
        raise DeclarationMissing()


def conflict_declare(
    *,
    actor: User,
    application: Application,
    has_conflict: bool,
    note: str = "",
    request: HttpRequest | None = None,
) -> ConflictOfInterest:
    """Record the officer's declaration (jäv or none) on the application.

    Once, and final: a declaration cannot be changed here (a mistaken one is
    corrected by a site admin, in the audit log). Needs
    ``grants.declare_conflict``; audit-logged."""
    if not actor.has_perm("grants.declare_conflict", application):
        raise NotPermitted()
    note = " ".join((note or "").split())
    if len(note) > 300:
        raise NoteTooLong()
    with transaction.atomic():
        application = Application.objects.select_for_update().get(pk=application.pk)
        if ConflictOfInterest.objects.filter(application=application, officer=actor).exists():
            raise AlreadyDeclared()
        declaration = ConflictOfInterest.objects.create(
            application=application, officer=actor, has_conflict=bool(has_conflict), note=note
        )
        audit_record(
            actor=actor,
            action=AuditEntry.Action.CREATE,
            target=declaration,
            target_label=f"conflict declaration on {application.reference}",
            request=request,
            details={"application": application.reference, "has_conflict": bool(has_conflict)},
        )
    return declaration


def assessment_save(
    *,
    actor: User,
    application: Application,
    scores: dict[int, tuple[int, str]],
    proposed_ore: int,
    comment: str = "",
    request: HttpRequest | None = None,
) -> Assessment:
    """Store (or replace) the officer's scores and proposed amount.

    Every criterion of the programme needs a score in 0..its scale; the
    proposal is at most what was applied for and the programme's largest
    amount. Only submitted applications; the officer must have declared no
    conflict. Needs ``grants.assess_application``; audit-logged."""
    require_declared_free(actor, application, "grants.assess_application")
    criteria = {criterion.pk: criterion for criterion in application.programme.criteria.all()}
    if set(scores) - set(criteria):
        raise UnknownCriterion()
    clean: dict[int, tuple[int, str]] = {}
    for pk, criterion in criteria.items():
        if pk not in scores or scores[pk][0] is None:
            raise ScoreMissing(criterion=criterion.title)
        score, score_comment = scores[pk]
        if isinstance(score, bool) or not isinstance(score, int):
            raise ScoreOutOfRange(criterion=criterion.title, maximum=criterion.scale_max)
        if not 0 <= score <= criterion.scale_max:
            raise ScoreOutOfRange(criterion=criterion.title, maximum=criterion.scale_max)
        clean[pk] = (score, (score_comment or "").strip()[:500])
    if not isinstance(proposed_ore, int) or isinstance(proposed_ore, bool):
        raise ProposalNegative()
    if proposed_ore < 0:
        raise ProposalNegative()
    with transaction.atomic():
        application = (
            Application.objects.select_for_update(of=("self",))
            .select_related("programme")
            .get(pk=application.pk)
        )
        if application.status != ApplicationStatus.SUBMITTED:
            raise NotAssessable()
        if proposed_ore > application.requested_ore:
            raise ProposalAboveRequested(requested=format_kronor(application.requested_ore))
        maximum = application.programme.max_amount_ore
        if maximum and proposed_ore > maximum:
            raise ProposalAboveMaximum(maximum=format_kronor(maximum))
        assessment, created = Assessment.objects.update_or_create(
            application=application,
            officer=actor,
            defaults={"proposed_ore": proposed_ore, "comment": (comment or "").strip()},
        )
        assessment.scores.all().delete()
        CriterionScore.objects.bulk_create(
            CriterionScore(assessment=assessment, criterion_id=pk, score=score, comment=text)
            for pk, (score, text) in clean.items()
        )
        audit_record(
            actor=actor,
            action=AuditEntry.Action.CREATE if created else AuditEntry.Action.CHANGE,
            target=assessment,
            target_label=f"assessment of {application.reference}",
            request=request,
            details={
                "application": application.reference,
                "proposed_ore": proposed_ore,
                "scores": {str(pk): score for pk, (score, _text) in clean.items()},
            },
        )
    return assessment


def completion_request(
    *,
    actor: User,
    application: Application,
    message: str,
    request: HttpRequest | None = None,
) -> Application:
    """Ask the applicant to complete the application: its status becomes
    "completion requested" and the applicant gets the message by e-mail (in
    their language, through the outbox, after commit). Only submitted
    applications; needs ``grants.assess_application`` and no conflict;
    audit-logged."""
    require_declared_free(actor, application, "grants.assess_application")
    message = (message or "").strip()
    if not message:
        raise CompletionMessageMissing()
    with transaction.atomic():
        application = (
            Application.objects.select_for_update(of=("self",))
            .select_related("programme", "applicant")
            .get(pk=application.pk)
        )
        if application.status != ApplicationStatus.SUBMITTED:
            raise NotAssessable()
        application.status = ApplicationStatus.NEEDS_COMPLETION
        application.completion_request = message
        application.save(update_fields=["status", "completion_request", "updated_at"])
        audit_record(
            actor=actor,
            action=AuditEntry.Action.CHANGE,
            target=application,
            target_label=f"completion requested for {application.reference}",
            request=request,
            details={"status": application.status},
        )
        notification_queue_templated(
            channel=OutboxMessage.Channel.EMAIL,
            template_prefix="grants/email/completion_request",
            context={
                "application": application,
                "programme": application.programme,
                "message": message,
                "site_url": settings.SITE_URL,
                "applications_url": settings.SITE_URL + _application_path(application),
            },
            user=application.applicant,
            idempotency_key=f"grants-completion:{application.uuid}:{application.updated_at.isoformat()}",
        )
    return application


def _application_path(application: Application) -> str:
    """The applicant's own page of the application (the start page if the
    applicants' pages are not installed)."""
    try:
        return reverse("grants:application", args=[application.uuid])
    except NoReverseMatch:  # pragma: no cover
        return reverse("core:home")
