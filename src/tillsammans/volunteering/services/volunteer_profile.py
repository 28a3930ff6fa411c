"""A volunteer's own record after sign-up: changing it, pausing and resuming,
leaving (which erases it), exporting it, and coordinators reading it.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import TYPE_CHECKING

from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tillsammans.audit.models import AuditEntry
from tillsammans.audit.services import audit_record
from tillsammans.volunteering.models import CampaignSignup, Volunteer, VolunteerStatus
from tillsammans.volunteering.selectors.volunteers import volunteer_data
from tillsammans.volunteering.services.offers import offers_end_for_volunteer
from tillsammans.volunteering.services.volunteer_details import (
    AddressTaken,
    VolunteerDetails,
    VolunteerError,
    audit_label,
    details_apply,
    relations_set,
    volunteer_details_clean,
    volunteer_error,
    volunteer_fields_check,
    volunteer_lock,
    volunteer_messages_erase,
)
from tillsammans.volunteering.services.volunteer_link import EMAIL, SMS, link_send

if TYPE_CHECKING:
    from django.http import HttpRequest

    from tillsammans.accounts.models import User


class NotConfirmed(VolunteerError):
    message = _("Confirm your sign-up first, with the link we sent you.")


class PauseDateInvalid(VolunteerError):
    message = _("Choose a date after today, or pause until further notice.")
    field = "paused_until"


class NotPaused(VolunteerError):
    message = _("You are not paused.")


# --- Changing, pausing, resuming -----------------------------------------------------------------


def volunteer_update(
    *,
    volunteer: Volunteer,
    details: VolunteerDetails,
    actor: User | None = None,
    request: HttpRequest | None = None,
) -> Volunteer:
    """Change a volunteer's details (by themselves or a coordinator).

    A changed e-mail address or mobile number is unconfirmed until the
    volunteer opens the link sent to it (a new e-mail address wins over a new
    number); until then the volunteer is asked through a confirmed one only,
    or not at all. Locks the volunteer; audit-logged."""
    data = volunteer_details_clean(details)
    try:
        with transaction.atomic():
            volunteer = volunteer_lock(volunteer)
            others = Volunteer.objects.exclude(pk=volunteer.pk)
            if data.email and others.filter(email=data.email).exists():
                raise volunteer_error(AddressTaken, field="email")
            if data.phone and others.filter(phone=data.phone).exists():
                raise volunteer_error(AddressTaken, field="phone")
            email_changed = data.email != volunteer.email
            phone_changed = data.phone != volunteer.phone
            details_apply(volunteer, data)
            if email_changed:
                volunteer.email_verified_at = None
            if phone_changed:
                volunteer.phone_verified_at = None
            volunteer_fields_check(volunteer)
            volunteer.save()
            relations_set(volunteer, data)
            now = timezone.now()
            if email_changed and data.email:
                link_send(volunteer, channel=EMAIL, template="confirm_change", now=now)
            elif phone_changed and data.phone:
                link_send(volunteer, channel=SMS, template="confirm_change", now=now)
            audit_record(
                actor=actor,
                action=AuditEntry.Action.CHANGE,
                target=volunteer,
                target_label=audit_label(volunteer),
                request=request,
                details={"email_changed": email_changed, "phone_changed": phone_changed},
            )
    except IntegrityError as error:
        raise volunteer_error(AddressTaken, field="email") from error
    return volunteer


def volunteer_pause(
    *,
    volunteer: Volunteer,
    until: date | None,
    actor: User | None = None,
    today: date | None = None,
) -> Volunteer:
    """Stop asking the volunteer: up to and including ``until``, or until they resume.

    A pause with an end date keeps the status ``active`` and sets
    ``paused_until``: it ends by itself (the capacity selectors ask only
    volunteers whose ``paused_until`` has passed), with no job to run. A pause
    until further notice sets the status ``paused``."""
    today = today or timezone.localdate()
    if until is not None and until <= today:
        raise PauseDateInvalid()
    with transaction.atomic():
        volunteer = volunteer_lock(volunteer)
        if volunteer.status == VolunteerStatus.UNVERIFIED:
            raise NotConfirmed()
        volunteer.paused_until = until
        volunteer.status = VolunteerStatus.ACTIVE if until else VolunteerStatus.PAUSED
        volunteer.save(update_fields=["paused_until", "status", "updated_at"])
    return volunteer


def volunteer_resume(
    *, volunteer: Volunteer, actor: User | None = None, today: date | None = None
) -> Volunteer:
    """End a pause now."""
    today = today or timezone.localdate()
    with transaction.atomic():
        volunteer = volunteer_lock(volunteer)
        paused_with_date = volunteer.paused_until is not None and volunteer.paused_until >= today
        if volunteer.status != VolunteerStatus.PAUSED and not paused_with_date:
            raise NotPaused()
        volunteer.paused_until = None
        volunteer.status = VolunteerStatus.ACTIVE
        volunteer.save(update_fields=["paused_until", "status", "updated_at"])
    return volunteer


# --- Leaving, erasure, export ------------------------------------------------------------------


def _erase(volunteer: Volunteer, *, now: datetime) -> int:
    """Empty every field that identifies the person, and erase the outbox's
    messages to their addresses; keep what anonymous statistics need
    (locality and its coordinates, languages, help types, skills,
    organisation, dates, offers with their minutes). Returns how many
    messages were erased."""
    messages_erased = volunteer_messages_erase(volunteer)
    volunteer.full_name = ""
    volunteer.email = ""
    volunteer.phone = ""
    volunteer.postal_code = ""
    volunteer.user = None
    volunteer.access_token_hash = ""
    volunteer.link_channel = ""
    volunteer.link_sent_at = None
    volunteer.email_verified_at = None
    volunteer.phone_verified_at = None
    volunteer.paused_until = None
    volunteer.status = VolunteerStatus.LEFT
    volunteer.left_at = now
    volunteer.save()
    CampaignSignup.objects.filter(volunteer=volunteer).update(answers={})
    volunteer.safeguarding_checks.all().delete()
    return messages_erased


def _leave(
    volunteer: Volunteer, *, actor: User | None = None, request: HttpRequest | None = None
) -> tuple[Volunteer, int | None]:
    """Within the caller's transaction: end the live offers, then erase the
    volunteer under a row lock. The volunteer's row, and how many outbox
    messages were erased (None: they had left already, nothing was done)."""
    # First, in the lock order every offer service keeps (requests, then the
    # volunteer): live offers end and their requests reopen.
    offers_end_for_volunteer(volunteer=volunteer, actor=actor, http_request=request)
    volunteer = Volunteer.objects.select_for_update().get(pk=volunteer.pk)
    if volunteer.status == VolunteerStatus.LEFT:
        return volunteer, None
    return volunteer, _erase(volunteer, now=timezone.now())


def volunteer_leave(
    *, volunteer: Volunteer, actor: User | None = None, request: HttpRequest | None = None
) -> Volunteer:
    """The volunteer leaves: their live offers end (the requests reopen for
    coordinators, see ``offers_end_for_volunteer``), their personal data is
    erased at once (name, addresses, postal code, account link, personal
    link, campaign answers, police-record checks, and every message to their
    e-mail address and mobile number in the outbox), and the row stays for
    anonymous statistics with status ``left`` (done offers keep their
    minutes). Idempotent; locks the volunteer; audit-logged."""
    with transaction.atomic():
        volunteer, messages_erased = _leave(volunteer, actor=actor, request=request)
        if messages_erased is not None:
            audit_record(
                actor=actor,
                action=AuditEntry.Action.ERASE,
                target=volunteer,
                target_label=audit_label(volunteer),
                reason="volunteer left",
                request=request,
                details={"outbox_messages_erased": messages_erased},
            )
    return volunteer


def volunteer_erase_for_user(*, user: User) -> None:
    """Account erasure: the volunteer profile linked to ``user`` leaves.
    Runs in the erasure's transaction."""
    for volunteer in Volunteer.objects.filter(user=user):
        _leave(volunteer)


def volunteer_export(
    *, volunteer: Volunteer, actor: User | None = None, request: HttpRequest | None = None
) -> str:
    """Everything stored about the volunteer, as JSON (GDPR art. 15 and 20).
    Audit-logged."""
    data = {
        "exported_at": timezone.now(),
        "format": "tillsammans-volunteer/1",
        "volunteer": volunteer_data(volunteer),
    }
    audit_record(
        actor=actor,
        action=AuditEntry.Action.EXPORT,
        target=volunteer,
        target_label=audit_label(volunteer),
        request=request,
    )
    return json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)


# --- Coordinators -------------------------------------------------------------------------


def volunteer_contact_details_read(
    *, volunteer: Volunteer, actor: User, request: HttpRequest | None = None
) -> None:
    """Record that a coordinator saw a volunteer's contact details."""
    audit_record(
        actor=actor,
        action=AuditEntry.Action.READ,
        target=volunteer,
        target_label=audit_label(volunteer),
        request=request,
        details={"fields": ["full_name", "email", "phone", "postal_code"]},
    )
