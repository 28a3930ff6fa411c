"""Who represents an organisation: invitations, requests to join, roles and
removal. An organisation always keeps at least one administrator."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tillsammans.audit.models import AuditEntry
from tillsammans.core.errors import DomainError
from tillsammans.notifications.services import notification_queue_templated
from tillsammans.organizations.models import Invitation, JoinRequest, Organization, Representative
from tillsammans.organizations.services._common import (
    InvalidDetails,
    Role,
    audit,
    link,
    notify_representatives,
    require_admin,
)

if TYPE_CHECKING:
    from django.http import HttpRequest

    from tillsammans.accounts.models import User

INVITATION_VALIDITY = timedelta(days=14)


class LastAdmin(DomainError):
    message = _(
        "An organisation needs at least one administrator. Make someone else an "
        "administrator first."
    )
    code = "last_admin"
    status_code = 409


class LastAdminCannotLeave(LastAdmin):
    message = _(
        "You are the only administrator of %(organization)s. Make another representative "
        "an administrator first; then you can leave."
    )


class NotRepresentative(DomainError):
    message = _("You do not represent %(organization)s.")
    code = "not_representative"
    status_code = 404


class AlreadyRepresentative(DomainError):
    message = _("%(person)s already represents %(organization)s.")
    code = "already_representative"
    status_code = 409


class JoinRequestPending(DomainError):
    message = _("You have already asked to join %(organization)s. An administrator will answer.")
    code = "join_request_pending"
    status_code = 409


class JoinRequestDecided(DomainError):
    message = _("This request has already been answered.")
    code = "join_request_decided"
    status_code = 409


class InvitationUnusable(DomainError):
    code = "invitation_unusable"
    status_code = 409


def _check_role(role: str) -> None:
    if role not in Role.values:
        raise InvalidDetails(_("Choose a role from the list."), field="role")


def _representative_locked(representative: Representative, *, new_role: str | None = None):
    """The representative read again under a lock, after the organisation's
    administrators are locked, so two changes cannot both pass the check.
    ``LastAdmin`` if the only administrator would stop being one (removed, or
    given ``new_role``)."""
    admins = list(
        Representative.objects.select_for_update()
        .filter(organization_id=representative.organization_id, role=Role.ADMIN)
        .values_list("pk", flat=True)
    )
    locked = Representative.objects.select_for_update().get(pk=representative.pk)
    if locked.role == Role.ADMIN and new_role != Role.ADMIN and len(admins) <= 1:
        raise LastAdmin()
    return locked


def _representative_delete(
    representative: Representative, *, actor: User, event: str, request: HttpRequest | None
) -> Representative:
    """Delete the representative under the administrators' lock
    (``LastAdmin`` for the only one) and audit it; the row as it was."""
    locked = _representative_locked(representative)
    Representative.objects.filter(pk=locked.pk).delete()  # keeps locked.pk for the caller
    audit(
        actor=actor,
        action=AuditEntry.Action.REVOKE,
        organization=representative.organization,
        event=event,
        request=request,
        user=str(representative.user.uuid),
        role=locked.role,
    )
    return locked


# --- Invitations ----------------------------------------------------------------------


def invitation_create(
    *,
    organization: Organization,
    actor: User,
    email: str,
    role: str = Role.EDITOR,
    now: datetime | None = None,
) -> Invitation:
    """An administrator invites someone by e-mail. The invitation is valid for
    14 days; the link reaches the person through the outbox. Someone who
    already represents the organisation cannot be invited."""
    now = now or timezone.now()
    email = (email or "").strip().lower()
    _check_role(role)
    with transaction.atomic():
        require_admin(organization, actor)
        if Representative.objects.filter(
            organization=organization, user__email__iexact=email
        ).exists():
            raise AlreadyRepresentative(person=email, organization=organization.name)
        invitation = Invitation(
            organization=organization,
            email=email,
            role=role,
            invited_by=actor,
            expires_at=now + INVITATION_VALIDITY,
        )
        try:
            invitation.full_clean(exclude=["invited_by"])
        except ValidationError:
            raise InvalidDetails(
                _("“%(address)s” is not a valid e-mail address."), field="email", address=email
            ) from None
        invitation.save()
        notification_queue_templated(
            channel="email",
            address=email,
            template_prefix="organizations/emails/invitation",
            context={
                "organization": organization,
                "invitation": invitation,
                "inviter": actor,
                "accept_url": link("organizations:invitation", invitation.uuid),
            },
            idempotency_key=f"organization-invitation:{invitation.uuid}",
        )
    return invitation


def invitation_accept(
    *, invitation: Invitation, actor: User, now: datetime | None = None
) -> Representative:
    """The invited person accepts, signed in with the invited e-mail address.
    Refused when expired, already used, or signed in with another address."""
    now = now or timezone.now()
    with transaction.atomic():
        invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if invitation.accepted_at is not None:
            raise InvitationUnusable(_("This invitation has already been used."))
        if invitation.expires_at <= now:
            raise InvitationUnusable(
                _("This invitation has expired. Ask the organisation to invite you again.")
            )
        if actor.email.lower() != invitation.email.lower():
            raise InvitationUnusable(
                _(
                    "This invitation was sent to another e-mail address. Sign in with the "
                    "address the invitation was sent to."
                )
            )
        representative, _created = Representative.objects.get_or_create(
            organization=invitation.organization, user=actor, defaults={"role": invitation.role}
        )
        invitation.accepted_at = now
        invitation.save(update_fields=["accepted_at"])
        audit(
            actor=actor,
            action=AuditEntry.Action.GRANT,
            organization=invitation.organization,
            event="invitation_accept",
            role=representative.role,
        )
    return representative


# --- Roles and removal ---------------------------------------------------------------------


def representative_remove(
    *, representative: Representative, actor: User, request: HttpRequest | None = None
) -> None:
    """An administrator removes a representative (or someone removes
    themselves). The last administrator can never be removed (``LastAdmin``)."""
    with transaction.atomic():
        organization = representative.organization
        if representative.user_id != actor.pk:
            require_admin(organization, actor)
        _representative_delete(
            representative, actor=actor, event="representative_remove", request=request
        )


def representative_leave(
    *, organization: Organization, actor: User, request: HttpRequest | None = None
) -> None:
    """A representative stops representing the organisation. The only
    administrator cannot leave (``LastAdminCannotLeave``: make someone else an
    administrator first); someone who does not represent it gets
    ``NotRepresentative``. Audited; the remaining administrators are told by
    e-mail."""
    with transaction.atomic():
        representative = Representative.objects.filter(
            organization=organization, user=actor
        ).first()
        if representative is None:
            raise NotRepresentative(organization=organization.name)
        try:
            representative = _representative_delete(
                representative, actor=actor, event="representative_leave", request=request
            )
        except LastAdmin:
            raise LastAdminCannotLeave(organization=organization.name) from None
        notify_representatives(
            organization,
            template="left",
            key=f"organization-representative-left:{organization.uuid}:{representative.pk}",
            context={"leaver": actor},
            admins_only=True,
        )


def representative_change_role(
    *,
    representative: Representative,
    role: str,
    actor: User,
    request: HttpRequest | None = None,
) -> Representative:
    """An administrator changes a representative's role; the last
    administrator cannot become an editor (``LastAdmin``)."""
    _check_role(role)
    with transaction.atomic():
        organization = representative.organization
        require_admin(organization, actor)
        representative = _representative_locked(representative, new_role=role)
        previous = representative.role
        representative.role = role
        representative.save(update_fields=["role"])
        audit(
            actor=actor,
            action=AuditEntry.Action.GRANT,
            organization=organization,
            event="representative_change_role",
            request=request,
            user=str(representative.user.uuid),
            previous_role=previous,
            role=role,
        )
    return representative


# --- Requests to join ---------------------------------------------------------------------


def join_request_create(
    *, organization: Organization, actor: User, message: str = ""
) -> JoinRequest:
    """A person asks to represent an organisation; its administrators are told
    by e-mail. One pending request per person and organisation."""
    message = (message or "").strip()
    if len(message) > 1000:
        raise InvalidDetails(
            _("Keep the message under 1,000 characters (it has %(count)d)."),
            field="message",
            count=len(message),
        )
    with transaction.atomic():
        if Representative.objects.filter(organization=organization, user=actor).exists():
            raise AlreadyRepresentative(person=str(actor), organization=organization.name)
        try:
            with transaction.atomic():
                join_request = JoinRequest.objects.create(
                    organization=organization, user=actor, message=message
                )
        except IntegrityError:
            # The database allows one pending request per person and organisation.
            raise JoinRequestPending(organization=organization.name) from None
        notify_representatives(
            organization,
            template="join_request",
            key=f"organization-join-request:{join_request.uuid}",
            context={"join_request": join_request, "requester": actor},
            admins_only=True,
        )
    return join_request


def join_request_decide(
    *,
    join_request: JoinRequest,
    actor: User,
    approve: bool,
    now: datetime | None = None,
    request: HttpRequest | None = None,
) -> JoinRequest:
    """An administrator approves (the person becomes an editor) or declines;
    the person is told by e-mail either way."""
    now = now or timezone.now()
    with transaction.atomic():
        join_request = JoinRequest.objects.select_for_update().get(pk=join_request.pk)
        organization = join_request.organization
        require_admin(organization, actor)
        if join_request.status != JoinRequest.Status.PENDING:
            raise JoinRequestDecided()
        join_request.status = (
            JoinRequest.Status.APPROVED if approve else JoinRequest.Status.DECLINED
        )
        join_request.decided_at = now
        join_request.decided_by = actor
        join_request.save(update_fields=["status", "decided_at", "decided_by"])
        if approve:
            Representative.objects.get_or_create(
                organization=organization, user=join_request.user, defaults={"role": Role.EDITOR}
            )
        audit(
            actor=actor,
            action=AuditEntry.Action.GRANT if approve else AuditEntry.Action.CHANGE,
            organization=organization,
            event="join_request_decide",
            request=request,
            user=str(join_request.user.uuid),
            status=join_request.status,
        )
        notification_queue_templated(
            channel="email",
            template_prefix="organizations/emails/join_decided",
            context={
                "organization": organization,
                "approved": approve,
                "manage_url": link("organizations:manage"),
            },
            user=join_request.user,
            idempotency_key=f"organization-join-decided:{join_request.uuid}",
        )
    return join_request
