"""Writing to the audit log."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import models, transaction

from tillsammans.audit.models import AuditEntry
from tillsammans.core.client_ip import client_ip

if TYPE_CHECKING:
    from django.http import HttpRequest


@dataclass(frozen=True)
class RequestOrigin:
    """Where a request came from, kept for an entry written later (by a task)
    about what the request asked for."""

    ip_address: str | None = None
    user_agent: str = ""

    @classmethod
    def of(cls, request: HttpRequest | None) -> RequestOrigin:
        if request is None:
            return cls()
        return cls(client_ip(request), request.META.get("HTTP_USER_AGENT", "")[:200])


def audit_record(
    *,
    actor,
    action: str,
    target: models.Model | None = None,
    target_type: str = "",
    target_id: str = "",
    target_label: str = "",
    reason: str = "",
    request: HttpRequest | None = None,
    origin: RequestOrigin | None = None,
    details: dict[str, Any] | None = None,
) -> AuditEntry:
    """Append one entry. Runs in the caller's transaction (or its own), so an
    entry about a change is stored if and only if the change is. The address
    and browser come from ``request``, or from ``origin`` when a task writes
    the entry for a request that has already been answered."""
    origin = origin or RequestOrigin.of(request)
    if target is not None:
        target_type = target_type or target._meta.label_lower
        target_id = target_id or str(getattr(target, "uuid", None) or target.pk)
        target_label = target_label or str(target)[:200]
    actor_is_user = actor is not None and getattr(actor, "is_authenticated", False)
    # No savepoint: if the entry cannot be written, the change it describes
    # must not be stored either (and it saves two round trips per change).
    with transaction.atomic(savepoint=False):
        return AuditEntry.objects.create(
            actor=actor if actor_is_user else None,
            actor_label=(actor.email if actor_is_user else "")[:200],
            action=action,
            target_type=target_type,
            target_id=target_id,
            target_label=target_label[:200],
            reason=reason[:200],
            ip_address=origin.ip_address,
            user_agent=origin.user_agent,
            details=details or {},
        )


def audit_forget_actor(*, user) -> int:
    """On erasure: keep the entries (they document what happened to other
    people's records) but remove the link to the person and their address."""
    return AuditEntry.objects.filter(actor=user).update(
        actor=None, actor_label=f"erased account {user.uuid}", ip_address=None, user_agent=""
    )
