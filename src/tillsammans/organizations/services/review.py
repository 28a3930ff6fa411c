"""The register officers' decision on a pending organisation: verify it, or
return it to its representatives with a message."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tillsammans.audit.models import AuditEntry
from tillsammans.organizations.models import Organization
from tillsammans.organizations.services._common import (
    InvalidDetails,
    Status,
    audit,
    notify_representatives,
    organization_locked,
)

if TYPE_CHECKING:
    from django.http import HttpRequest

    from tillsammans.accounts.models import User


def organization_verify(
    *,
    organization: Organization,
    actor: User,
    now: datetime | None = None,
    request: HttpRequest | None = None,
) -> Organization:
    """A register officer verifies a pending organisation: it becomes public,
    counts as confirmed now, and its representatives are told. Audited."""
    now = now or timezone.now()
    with transaction.atomic():
        organization = organization_locked(organization, statuses=[Status.PENDING])
        organization.status = Status.VERIFIED
        organization.verified_at = now
        organization.confirmed_at = now
        organization.review_message = ""
        organization.save(
            update_fields=["status", "verified_at", "confirmed_at", "review_message", "updated_at"]
        )
        audit(
            actor=actor,
            action=AuditEntry.Action.CHANGE,
            organization=organization,
            event="organization_verify",
            request=request,
        )
        notify_representatives(
            organization,
            template="verified",
            key=f"organization-verified:{organization.uuid}:{now.isoformat()}",
        )
    return organization


def organization_return(
    *,
    organization: Organization,
    actor: User,
    message: str,
    now: datetime | None = None,
    request: HttpRequest | None = None,
) -> Organization:
    """A register officer returns a pending organisation with a message saying
    what to change; the representatives get the message by e-mail. Audited."""
    now = now or timezone.now()
    message = (message or "").strip()
    if not message:
        raise InvalidDetails(_("Write what the organisation needs to change."), field="message")
    with transaction.atomic():
        organization = organization_locked(organization, statuses=[Status.PENDING])
        organization.status = Status.RETURNED
        organization.review_message = message
        organization.save(update_fields=["status", "review_message", "updated_at"])
        audit(
            actor=actor,
            action=AuditEntry.Action.CHANGE,
            organization=organization,
            event="organization_return",
            request=request,
            reason=message,
        )
        notify_representatives(
            organization,
            template="returned",
            key=f"organization-returned:{organization.uuid}:{now.isoformat()}",
            context={"message": message},
        )
    return organization
