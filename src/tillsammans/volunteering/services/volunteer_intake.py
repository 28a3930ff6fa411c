"""Sign-ups in a surge: checked and stored at once, turned into volunteers by a task.

When the municipality asks for volunteers in a crisis, thousands answer in
an hour. A sign-up from someone who is not signed in therefore does only
what the answer depends on while they wait:

1. ``volunteer_sign_up_accept`` checks everything the form and the API check
   (the same rules as ``volunteer_sign_up``, each failure on its field, with
   the terms read from memory), then stores the cleaned details as a
   ``SignUpIntake`` (one INSERT) and wakes the task worker. The person is
   told that a link is on its way, which is what they are told for any
   sign-up (known address or not), so nothing about who is signed up shows.
2. ``tasks.process_signup_intakes`` (``signup_intakes_work_off``) takes the
   waiting intakes in batches, oldest first, and runs ``volunteer_sign_up``
   for each: it creates the volunteer, or handles an address that is already
   known exactly as a direct sign-up would, sends the personal link, writes
   the audit entry with the request's address, and deletes the intake. Two
   intakes with the same address (a double click) give one volunteer and
   one message. In a surge one task is enqueued at a time, not one per
   sign-up (``_wake_worker``), and several workers share the backlog.
3. If a rule fails by then (the campaign closed, a term was taken out of use
   in the meantime), the person gets a message saying so, with a link to the
   form, and the intake is deleted. An unexpected error leaves the intake for
   the next attempt and gives up after ``MAX_ATTEMPTS``; those wait for staff
   in the admin and are erased with the unconfirmed sign-ups
   (``signup_intakes_erase_stale``).
4. ``manage.py volunteering_process_signups --loop 5`` goes through whatever
   is waiting: an intake whose task was lost, or stored while another
   process's cache said a task was waiting (without a shared cache).

Signed-in people sign up directly (``volunteer_sign_up``): their verified
account address can make them a volunteer at once, which they see on the
next page.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from tillsammans.audit.services import RequestOrigin
from tillsammans.core.errors import DomainError
from tillsammans.core.models import Language, Locality
from tillsammans.notifications.models import OutboxMessage
from tillsammans.notifications.services import notification_queue_templated
from tillsammans.organizations.models import Organization
from tillsammans.volunteering.models import Campaign, HelpType, SignUpIntake, Skill
from tillsammans.volunteering.services.campaigns import campaign_require_open
from tillsammans.volunteering.services.volunteer_details import VolunteerDetails
from tillsammans.volunteering.services.volunteer_link import EMAIL, SMS
from tillsammans.volunteering.services.volunteer_signup import (
    UNCONFIRMED_RETENTION,
    sign_up_clean,
    sign_up_language,
    volunteer_sign_up,
)

if TYPE_CHECKING:
    from django.db.models import Model
    from django.http import HttpRequest

logger = logging.getLogger(__name__)

# After this many unexpected failures an intake waits for staff (see the admin).
MAX_ATTEMPTS = 5
# Set while a processing task waits to start: in a surge, one task (not one
# per sign-up) is enqueued until a worker takes it. Should that task be lost,
# the key expires and the next sign-up enqueues another.
WAKE_KEY = "volunteering:signup-intakes:task-waiting"
WAKE_SECONDS = 10
BATCH = 100


@dataclass(frozen=True)
class IntakeReceipt:
    """Where the personal link will go (``channel`` "email" or "sms"), as in
    ``SignUpReceipt``; nobody is a volunteer yet (``active`` is false)."""

    intake: SignUpIntake
    channel: str
    address: str
    active = False


def volunteer_sign_up_accept(
    *,
    details: VolunteerDetails,
    consent: bool,
    language: str | None = None,
    campaign: Campaign | None = None,
    answers: Mapping[str, Any] | None = None,
    request: HttpRequest | None = None,
) -> IntakeReceipt:
    """Check a sign-up (``VolunteerError`` on its field, or ``CampaignClosed``;
    nothing written), store it for the task worker and wake it. Call it
    outside a transaction: the intake must be committed when the task looks."""
    data, cleaned_answers = sign_up_clean(
        details=details, consent=consent, campaign=campaign, answers=answers
    )
    if campaign is not None:
        # Read again: closing a campaign takes effect for every sign-up not yet
        # accepted (one that is accepted and not yet processed is told by message).
        campaign_require_open(Campaign.objects.get(pk=campaign.pk))
    origin = RequestOrigin.of(request)
    # One INSERT, its own transaction: the person waits for one round trip.
    intake = SignUpIntake.objects.create(
        payload=intake_payload(
            data,
            language=sign_up_language(language),
            campaign=campaign,
            answers=cleaned_answers,
        ),
        ip_address=origin.ip_address,
        user_agent=origin.user_agent,
    )
    _wake_worker()
    channel, address = (EMAIL, data.email) if data.email else (SMS, data.phone)
    return IntakeReceipt(intake=intake, channel=channel, address=address)


def _wake_worker() -> None:
    """Enqueue ``tasks.process_signup_intakes`` unless one is already waiting
    to start: the task clears ``WAKE_KEY`` when it starts and then processes
    everything stored until then, so with a shared cache (Redis) every
    intake is covered by a task that starts after it was stored. Call it
    after the intake is committed."""
    if cache.add(WAKE_KEY, 1, WAKE_SECONDS):
        from tillsammans.volunteering.tasks import process_signup_intakes  # tasks imports this

        process_signup_intakes.enqueue()


def intake_payload(
    data: VolunteerDetails, *, language: str, campaign: Campaign | None, answers: dict[str, str]
) -> dict[str, Any]:
    """Cleaned details as JSON, the terms by primary key."""
    return {
        "full_name": data.full_name,
        "email": data.email,
        "phone": data.phone,
        "postal_code": data.postal_code,
        "locality": data.locality.pk,
        "languages": [language_.pk for language_ in data.languages],
        "help_types": [help_type.pk for help_type in data.help_types],
        "skills": [skill.pk for skill in data.skills],
        "availability": list(data.availability),
        "max_requests_per_week": data.max_requests_per_week,
        "max_distance_km": data.max_distance_km,
        "organization": data.organization.pk if data.organization else None,
        "campaign": campaign.pk if campaign else None,
        "answers": answers,
        "language": language,
    }


def _in_order(model: type[Model], pks: Sequence[int]) -> list:
    """The rows with these keys in the same order; a deleted one is left out
    (and the rules then say what is missing)."""
    rows = model.objects.in_bulk(pks)
    return [rows[pk] for pk in pks if pk in rows]


def intake_details(payload: Mapping[str, Any]) -> VolunteerDetails:
    organization_pk = payload.get("organization")
    return VolunteerDetails(
        full_name=payload["full_name"],
        email=payload["email"],
        phone=payload["phone"],
        postal_code=payload["postal_code"],
        locality=Locality.objects.filter(pk=payload["locality"]).first(),
        languages=_in_order(Language, payload["languages"]),
        help_types=_in_order(HelpType, payload["help_types"]),
        skills=_in_order(Skill, payload["skills"]),
        availability=tuple(payload["availability"]),
        max_requests_per_week=payload["max_requests_per_week"],
        max_distance_km=payload["max_distance_km"],
        organization=(
            Organization.objects.filter(pk=organization_pk).first() if organization_pk else None
        ),
    )


# --- Processing (the task and the safety net) ------------------------------------------


def signup_intake_process(intake_id: int) -> str:
    """Turn one intake into a volunteer (see the module docstring). Returns
    what happened: ``"signed-up"``, ``"refused"`` (the person was told why),
    ``"failed"`` (kept for another attempt) or ``"gone"`` (already processed,
    or being processed by another worker: duplicate tasks are harmless)."""
    with transaction.atomic():
        intake = (
            SignUpIntake.objects.select_for_update(skip_locked=True).filter(pk=intake_id).first()
        )
        if intake is None:
            return "gone"
        return _process(intake)


def signup_intakes_work_off() -> dict[str, int]:
    """The task: process what is waiting, batch after batch, until nothing
    more is done. Clears ``WAKE_KEY`` first, so that a sign-up stored from
    now on enqueues the next task (with several workers, they share the
    backlog: each takes rows the others have not locked)."""
    cache.delete(WAKE_KEY)
    outcomes: dict[str, int] = {}
    while True:
        batch = signup_intakes_process_waiting(limit=BATCH)
        for outcome, count in batch.items():
            outcomes[outcome] = outcomes.get(outcome, 0) + count
        if not batch.get("signed-up") and not batch.get("refused"):
            return outcomes


def signup_intakes_process_waiting(*, limit: int = 500) -> dict[str, int]:
    """Process the intakes still waiting (oldest first, at most ``limit``,
    skipping those that have failed ``MAX_ATTEMPTS`` times). Safe to run
    beside the task workers. Returns how many ended which way."""
    outcomes: dict[str, int] = {}
    pks = SignUpIntake.objects.filter(attempts__lt=MAX_ATTEMPTS).values_list("pk", flat=True)
    for pk in list(pks[:limit]):
        outcome = signup_intake_process(pk)
        outcomes[outcome] = outcomes.get(outcome, 0) + 1
    return outcomes


def signup_intakes_retry(*, pks: Sequence[int]) -> dict[str, int]:
    """Staff try these intakes again (also those that have failed
    ``MAX_ATTEMPTS`` times). Returns how many ended which way."""
    outcomes: dict[str, int] = {}
    for pk in pks:
        with transaction.atomic():
            SignUpIntake.objects.filter(pk=pk).update(attempts=0)
        outcome = signup_intake_process(pk)
        outcomes[outcome] = outcomes.get(outcome, 0) + 1
    return outcomes


def _process(intake: SignUpIntake) -> str:
    payload = intake.payload
    try:
        with transaction.atomic():
            campaign = (
                Campaign.objects.filter(pk=payload["campaign"]).first()
                if payload.get("campaign")
                else None
            )
            volunteer_sign_up(
                details=intake_details(payload),
                consent=True,  # given on the form; checked when the intake was accepted
                language=payload["language"],
                campaign=campaign,
                answers=payload["answers"],
                origin=RequestOrigin(intake.ip_address, intake.user_agent),
            )
        outcome = "signed-up"
    except DomainError as error:
        _tell_refused(intake, error)
        outcome = "refused"
    except Exception as error:  # kept for the next attempt, and logged
        intake.attempts += 1
        # The class only: a database error's text can hold the address.
        intake.last_error = type(error).__name__[:200]
        intake.save(update_fields=["attempts", "last_error"])
        logger.warning(
            "Sign-up intake %s failed (attempt %s): %s",
            intake.pk,
            intake.attempts,
            intake.last_error,
        )
        return "failed"
    intake.delete()
    return outcome


def _tell_refused(intake: SignUpIntake, error: DomainError) -> None:
    """Tell the person that the sign-up could not be completed, and why."""
    payload = intake.payload
    channel, address = (EMAIL, payload["email"]) if payload["email"] else (SMS, payload["phone"])
    folder = "email" if channel == EMAIL else "sms"
    notification_queue_templated(
        channel=channel,
        template_prefix=f"volunteering/{folder}/volunteer_signup_refused",
        context={
            "full_name": payload["full_name"],
            # Rendered in the person's language (the error's text is translated lazily).
            "reason": error,
            "signup_url": settings.SITE_URL + reverse("volunteering:volunteer_signup"),
        },
        idempotency_key=f"signup-intake:{intake.pk}:refused",
        address=address,
        kind=OutboxMessage.Kind.TRANSACTIONAL,
        language=payload["language"],
    )


# --- Retention -------------------------------------------------------------------------


def signup_intakes_erase_stale(*, now: datetime | None = None) -> int:
    """Delete intakes that could not be processed within
    ``UNCONFIRMED_RETENTION`` (the consent text's 30 days for unconfirmed
    sign-ups). Returns how many."""
    cutoff = (now or timezone.now()) - UNCONFIRMED_RETENTION
    with transaction.atomic():
        deleted, _by_model = SignUpIntake.objects.filter(received_at__lt=cutoff).delete()
    return deleted
