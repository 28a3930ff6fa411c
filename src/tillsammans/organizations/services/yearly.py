"""The yearly confirmation: an organisation confirms its details once a year,
or it leaves the public directory and, later, becomes inactive."""

from __future__ import annotations

import calendar
from datetime import datetime
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models.functions import Coalesce
from django.utils import timezone

from tillsammans.audit.models import AuditEntry
from tillsammans.organizations.models import Organization
from tillsammans.organizations.services._common import (
    Status,
    audit,
    notify_representatives,
    organization_locked,
)

if TYPE_CHECKING:
    from tillsammans.accounts.models import User

# In months since the details were last confirmed.
REMIND_AFTER_MONTHS = 11
NEEDS_UPDATE_AFTER_MONTHS = 12
INACTIVE_AFTER_MONTHS = 14


def months_before(moment: datetime, months: int) -> datetime:
    """The same moment ``months`` calendar months earlier (31 March − 1 month
    is 28/29 February)."""
    month_index = moment.year * 12 + moment.month - 1 - months
    year, month = divmod(month_index, 12)
    month += 1
    day = min(moment.day, calendar.monthrange(year, month)[1])
    return moment.replace(year=year, month=month, day=day)


def organization_confirm_details(
    *, organization: Organization, actor: User, now: datetime | None = None
) -> Organization:
    """ "Our details are still correct": sets ``confirmed_at``; an organisation
    that needed its yearly update is verified again. An inactive one goes to
    the register officers' queue, since it has not been checked for over a
    year. Pending and returned organisations have nothing to confirm yet."""
    now = now or timezone.now()
    with transaction.atomic():
        organization = organization_locked(
            organization, statuses=[Status.VERIFIED, Status.NEEDS_UPDATE, Status.INACTIVE]
        )
        previous = organization.status
        organization.confirmed_at = now
        if organization.status == Status.NEEDS_UPDATE:
            organization.status = Status.VERIFIED
        elif organization.status == Status.INACTIVE:
            organization.status = Status.PENDING
        organization.save(update_fields=["confirmed_at", "status", "updated_at"])
        audit(
            actor=actor,
            action=AuditEntry.Action.CHANGE,
            organization=organization,
            event="organization_confirm_details",
            previous_status=previous,
            status=organization.status,
        )
    return organization


def register_yearly_update(*, now: datetime | None = None) -> dict[str, int]:
    """The yearly confirmation round; safe to run as often as you like.

    Counting from ``confirmed_at`` (or ``verified_at`` if never confirmed):

    - after 11 months, the representatives of a verified organisation are
      reminded to confirm (once per confirmation period: the outbox's
      idempotency key holds the date being counted from);
    - after 12 months a verified organisation becomes ``needs_update`` (it
      leaves the public directory) and the representatives are told;
    - after 14 months a verified or needs_update organisation becomes
      ``inactive`` and the representatives are told.

    Status changes are made under row locks and audited (no actor: the
    system). Returns how many organisations each step touched."""
    now = now or timezone.now()
    counts = {"reminded": 0, "needs_update": 0, "inactive": 0}
    active = Organization.objects.annotate(
        last_confirmed=Coalesce("confirmed_at", "verified_at")
    ).filter(last_confirmed__isnull=False)

    steps = [
        (
            "inactive",
            INACTIVE_AFTER_MONTHS,
            (Status.VERIFIED, Status.NEEDS_UPDATE),
            Status.INACTIVE,
        ),
        ("needs_update", NEEDS_UPDATE_AFTER_MONTHS, (Status.VERIFIED,), Status.NEEDS_UPDATE),
    ]
    for name, months, from_statuses, new_status in steps:
        cutoff = months_before(now, months)
        due = active.filter(status__in=from_statuses, last_confirmed__lte=cutoff)
        for pk in due.values_list("pk", flat=True):
            with transaction.atomic():
                organization = (
                    Organization.objects.select_for_update()
                    .annotate(last_confirmed=Coalesce("confirmed_at", "verified_at"))
                    .get(pk=pk)
                )
                if organization.status not in from_statuses or organization.last_confirmed > cutoff:
                    continue  # Confirmed or changed since we looked.
                previous = organization.status
                organization.status = new_status
                organization.save(update_fields=["status", "updated_at"])
                audit(
                    actor=None,
                    action=AuditEntry.Action.CHANGE,
                    organization=organization,
                    event="register_yearly_update",
                    previous_status=previous,
                    status=new_status,
                )
                notify_representatives(
                    organization,
                    template=name,
                    key=(
                        f"organization-{name}:{organization.uuid}:"
                        f"{organization.last_confirmed:%Y-%m-%d}"
                    ),
                )
                counts[name] += 1

    cutoff = months_before(now, REMIND_AFTER_MONTHS)
    due = active.filter(status=Status.VERIFIED, last_confirmed__lte=cutoff)
    for organization in due:
        with transaction.atomic():
            notify_representatives(
                organization,
                template="yearly_reminder",
                key=(
                    f"organization-yearly-reminder:{organization.uuid}:"
                    f"{organization.last_confirmed:%Y-%m-%d}"
                ),
            )
        counts["reminded"] += 1
    return counts
