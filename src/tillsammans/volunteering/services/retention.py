"""How long the platform keeps the details of the people who were helped.

A help request's resident name, phone, address and notes are needed while
volunteers are found and the help is given, and a while after for questions
and follow-up. After ``VOLUNTEERING_RESIDENT_DETAILS_DAYS`` days from the end
of a done or cancelled request they are erased; what was asked, where
(locality), when and by how many volunteers stays for anonymous statistics.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from tillsammans.audit.services import audit_record
from tillsammans.volunteering.models import HelpRequest

Status = HelpRequest.Status


def help_requests_forget_residents(*, now: datetime | None = None) -> int:
    """Erase the resident's details of requests done or cancelled longer ago
    than the retention period. Idempotent; returns how many were erased and
    writes one audit entry for the run (no names)."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.VOLUNTEERING_RESIDENT_DETAILS_DAYS)
    ended_long_ago = Q(status=Status.DONE, done_at__lt=cutoff) | Q(
        status=Status.CANCELLED, updated_at__lt=cutoff
    )
    with transaction.atomic():
        requests = HelpRequest.objects.filter(ended_long_ago).exclude(
            resident_name="", resident_phone="", address="", notes=""
        )
        count = requests.update(resident_name="", resident_phone="", address="", notes="")
        if count:
            audit_record(
                actor=None,
                action="erase",
                target_type="volunteering.helprequest",
                target_label=f"{count} help requests",
                reason="retention",
                details={"count": count, "ended_before": cutoff.isoformat()},
            )
    return count
