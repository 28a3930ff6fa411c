"""Police-record checks (utdrag ur belastningsregistret).

Help types that mean home visits to vulnerable people or contact with
children need a volunteer whose extract a coordinator has seen. The platform
records the fact — who saw it, when, the date the extract was issued and when
it must be renewed — and never a copy of the document. Every check and every
revocation is in the audit log.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tillsammans.audit.models import AuditEntry
from tillsammans.audit.services import audit_record
from tillsammans.core.errors import DomainError, NotPermitted
from tillsammans.volunteering.models import SafeguardingCheck, Volunteer, VolunteerStatus

if TYPE_CHECKING:
    from django.http import HttpRequest

    from tillsammans.accounts.models import User

# How old an extract may be when a coordinator sees it (the usual rule for
# work with children and vulnerable adults), and how long a check lasts.
EXTRACT_MAX_AGE = timedelta(days=365)


class SafeguardingError(DomainError):
    field: str | None = None


class ExtractDateInFuture(SafeguardingError):
    message = _("The extract cannot be issued after today.")
    field = "extract_issued_on"


class ExtractTooOld(SafeguardingError):
    message = _("The extract was issued more than a year ago. Ask the volunteer for a new one.")
    field = "extract_issued_on"


class RenewalDateInvalid(SafeguardingError):
    message = _("The renewal date must be after today and after the date of issue.")
    field = "valid_until"


class VolunteerNotCheckable(SafeguardingError):
    message = _("This volunteer has left; there is nothing to check.")


class CheckAlreadyRevoked(SafeguardingError):
    message = _("This check was already revoked.")


class ReasonMissing(SafeguardingError):
    message = _("Say why the check is revoked.")
    field = "reason"


def default_renewal_date(extract_issued_on: date) -> date:
    """One year after the extract was issued (29 February → 28 February)."""
    try:
        return extract_issued_on.replace(year=extract_issued_on.year + 1)
    except ValueError:
        return extract_issued_on.replace(year=extract_issued_on.year + 1, day=28)


def _actor_label(actor: User) -> str:
    return (actor.full_name or actor.email)[:200]


def safeguarding_check_record(
    *,
    volunteer: Volunteer,
    extract_issued_on: date,
    valid_until: date | None = None,
    actor: User,
    request: HttpRequest | None = None,
    today: date | None = None,
) -> SafeguardingCheck:
    """Record that ``actor`` saw the volunteer's police-record extract.

    ``valid_until`` defaults to a year after the date of issue. The coordinator
    and the time are recorded automatically; no document is stored. Needs the
    ``volunteering.check_safeguarding`` permission; locks the volunteer;
    audit-logged."""
    if not actor.has_perm("volunteering.check_safeguarding"):
        raise NotPermitted()
    today = today or timezone.localdate()
    if extract_issued_on > today:
        raise ExtractDateInFuture()
    if extract_issued_on < today - EXTRACT_MAX_AGE:
        raise ExtractTooOld()
    valid_until = valid_until or default_renewal_date(extract_issued_on)
    if valid_until <= today or valid_until <= extract_issued_on:
        raise RenewalDateInvalid()
    with transaction.atomic():
        volunteer = Volunteer.objects.select_for_update().get(pk=volunteer.pk)
        if volunteer.status == VolunteerStatus.LEFT:
            raise VolunteerNotCheckable()
        check = SafeguardingCheck.objects.create(
            volunteer=volunteer,
            checked_by=actor,
            checked_by_label=_actor_label(actor),
            extract_issued_on=extract_issued_on,
            valid_until=valid_until,
        )
        audit_record(
            actor=actor,
            action=AuditEntry.Action.CREATE,
            target=check,
            target_id=str(check.pk),
            target_label=f"police-record check of volunteer {str(volunteer.uuid)[:8]}",
            request=request,
            details={
                "volunteer": str(volunteer.uuid),
                "extract_issued_on": extract_issued_on.isoformat(),
                "valid_until": valid_until.isoformat(),
            },
        )
    return check


def safeguarding_check_revoke(
    *,
    check: SafeguardingCheck,
    reason: str,
    actor: User,
    request: HttpRequest | None = None,
    today: date | None = None,
) -> SafeguardingCheck:
    """The check no longer counts (e.g. new information about the volunteer).

    Kept for the record with who revoked it and when; its renewal date moves
    to yesterday, so every selector that asks "valid today?" says no. Needs
    ``volunteering.check_safeguarding``; audit-logged with the reason."""
    if not actor.has_perm("volunteering.check_safeguarding"):
        raise NotPermitted()
    reason = " ".join((reason or "").split())
    if not reason:
        raise ReasonMissing()
    today = today or timezone.localdate()
    with transaction.atomic():
        check = SafeguardingCheck.objects.select_for_update().get(pk=check.pk)
        if check.revoked_at is not None:
            raise CheckAlreadyRevoked()
        was_valid_until = check.valid_until
        check.revoked_at = timezone.now()
        check.revoked_by = actor
        check.valid_until = min(check.valid_until, today - timedelta(days=1))
        check.save(update_fields=["revoked_at", "revoked_by", "valid_until"])
        audit_record(
            actor=actor,
            action=AuditEntry.Action.REVOKE,
            target=check,
            target_id=str(check.pk),
            target_label=f"police-record check of volunteer {str(check.volunteer.uuid)[:8]}",
            reason=reason,
            request=request,
            details={
                "volunteer": str(check.volunteer.uuid),
                "was_valid_until": was_valid_until.isoformat(),
            },
        )
    return check
