"""What the register's services share: the errors every subject can raise,
the row lock on an organisation, the audit entry and the e-mail to its
representatives."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from tillsammans.audit.services import audit_record
from tillsammans.core.errors import DomainError, NotPermitted
from tillsammans.notifications.services import notification_queue_templated
from tillsammans.organizations.models import Organization, OrganizationStatus, Representative

if TYPE_CHECKING:
    from django.core.exceptions import ValidationError
    from django.http import HttpRequest

    from tillsammans.accounts.models import User

Status = OrganizationStatus
Role = Representative.Role


class InvalidDetails(DomainError):
    """A field failed validation; ``field`` names it so a form can show it there."""

    code = "invalid_details"

    def __init__(self, message, *, field: str | None = None, **params):
        self.field = field
        super().__init__(message, **params)


class WrongStatus(DomainError):
    message = _("This cannot be done while the organisation's status is “%(status)s”.")
    code = "wrong_status"
    status_code = 409


def message_of(error: ValidationError) -> str:
    return " ".join(error.messages)


def organization_locked(
    organization: Organization, *, statuses: Iterable[str] | None = None
) -> Organization:
    """The organisation read again under a row lock (call inside a
    transaction). ``WrongStatus`` unless its status is one of ``statuses``."""
    locked = Organization.objects.select_for_update().get(pk=organization.pk)
    if statuses is not None and locked.status not in statuses:
        raise WrongStatus(status=locked.get_status_display())
    return locked


def require_admin(organization: Organization, actor: User) -> None:
    """The organisation's administrators, and site administrators (who act on
    anyone's behalf), manage its representatives; anyone else: ``NotPermitted``."""
    if actor.is_superuser:
        return
    if not Representative.objects.filter(
        organization=organization, user=actor, role=Role.ADMIN
    ).exists():
        raise NotPermitted()


def audit(
    *,
    actor: User | None,
    action: str,
    organization: Organization,
    event: str,
    request: HttpRequest | None = None,
    reason: str = "",
    **details: Any,
) -> None:
    """One audit entry about the organisation; ``event`` names the service."""
    audit_record(
        actor=actor,
        action=action,
        target=organization,
        request=request,
        reason=reason,
        details={"event": event, **details},
    )


def link(name: str, *args) -> str:
    """An absolute link for an e-mail."""
    return settings.SITE_URL + reverse(name, args=args)


def notify_representatives(
    organization: Organization,
    *,
    template: str,
    key: str,
    context: dict[str, Any] | None = None,
    admins_only: bool = False,
) -> None:
    """E-mail every representative (or only the administrators) through the
    outbox, each in their own language; ``key`` plus the person makes the
    idempotency key, so a retried run sends nothing twice."""
    recipients = Representative.objects.filter(organization=organization).select_related("user")
    if admins_only:
        recipients = recipients.filter(role=Role.ADMIN)
    for representative in recipients:
        notification_queue_templated(
            channel="email",
            template_prefix=f"organizations/emails/{template}",
            context={
                "organization": organization,
                "person": representative.user,
                "manage_url": link("organizations:manage_detail", organization.uuid),
                **(context or {}),
            },
            user=representative.user,
            idempotency_key=f"{key}:{representative.user.uuid}",
        )
