"""Signing up as a volunteer (also through a campaign), joining a campaign
later, and erasing sign-ups nobody confirmed.

A second sign-up with an address that is already known (a double click, a
second tab, someone who forgot they signed up):

- If the address belongs to a sign-up nobody has confirmed yet, the new
  details replace the old ones: nobody has proved that the address is theirs,
  so the latest submission wins, and whoever confirms sees what they confirm.
- If it belongs to a confirmed volunteer, nothing is changed: their personal
  link is sent to them again, so they can change their details themselves.
- Either way the page answers exactly as for a new sign-up, so the form never
  tells anyone whether an address is known. A link is sent at most once every
  ``LINK_RESEND_INTERVAL`` per volunteer, so a double submission gives one
  volunteer and one message.

Two identical sign-ups at the same moment meet at the unique constraints on
e-mail and phone: the second one's insert fails, it retries once and then
takes the path above.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from allauth.account.models import EmailAddress
from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tillsammans.audit.models import AuditEntry
from tillsammans.audit.services import RequestOrigin, audit_record
from tillsammans.volunteering.models import (
    Campaign,
    CampaignQuestion,
    CampaignSignup,
    Volunteer,
    VolunteerStatus,
)
from tillsammans.volunteering.services.campaigns import campaign_require_open
from tillsammans.volunteering.services.volunteer_details import (
    ChoiceNotAvailable,
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
from tillsammans.volunteering.services.volunteer_link import EMAIL, SMS, link_may_send, link_send

if TYPE_CHECKING:
    from django.http import HttpRequest

    from tillsammans.accounts.models import User

# Sign-ups nobody confirms are erased after this long (see the consent text).
UNCONFIRMED_RETENTION = timedelta(days=30)
ANSWER_MAX_LENGTH = 500


class ConsentMissing(VolunteerError):
    message = _("To sign up you need to agree to how we use your details.")
    field = "consent"


class AlreadyVolunteer(VolunteerError):
    message = _("You are already signed up as a volunteer.")


class AlreadyInCampaign(VolunteerError):
    message = _("You have already signed up for this campaign.")


class AnswerMissing(VolunteerError):
    message = _("Answer this question.")


class AnswerTooLong(VolunteerError):
    message = _("Keep the answer under %(limit)s characters.")


def campaign_answers_clean(*, campaign: Campaign, answers: Mapping[str, Any]) -> dict[str, str]:
    """The answers to the campaign's questions keyed by question pk (as text);
    a required question left empty raises ``AnswerMissing`` on its field."""
    cleaned: dict[str, str] = {}
    for question in campaign.questions.all():
        key = str(question.pk)
        value = str(answers.get(key) or "").strip()
        if question.kind == CampaignQuestion.Kind.YES_NO and value not in ("", "yes", "no"):
            raise volunteer_error(ChoiceNotAvailable, field=f"question_{key}")
        if len(value) > ANSWER_MAX_LENGTH:
            raise volunteer_error(AnswerTooLong, field=f"question_{key}", limit=ANSWER_MAX_LENGTH)
        if question.required and not value:
            raise volunteer_error(AnswerMissing, field=f"question_{key}")
        if value:
            cleaned[key] = value
    return cleaned


def _campaign_lock(campaign: Campaign | None) -> Campaign | None:
    """The campaign's row, locked until the transaction ends and checked open
    (``CampaignClosed``): a close either commits first, and the sign-up sees
    it, or waits until the sign-up has committed."""
    if campaign is None:
        return None
    locked = Campaign.objects.select_for_update().get(pk=campaign.pk)
    campaign_require_open(locked)
    return locked


def sign_up_language(language: str | None) -> str:
    """The language of the volunteer's messages: the page's, if we have it."""
    codes = [code for code, _name in settings.LANGUAGES]
    language = (language or "").split("-")[0]
    return language if language in codes else settings.LANGUAGE_CODE


# --- Sign-up ---------------------------------------------------------------------------


@dataclass(frozen=True)
class SignUpReceipt:
    """What a sign-up did. Views show the same page whatever ``created`` says
    (so the form reveals nothing about who is signed up); ``active`` is true
    when a signed-in person's verified e-mail made confirmation unnecessary."""

    volunteer: Volunteer
    created: bool
    channel: str
    address: str
    active: bool


def sign_up_clean(
    *,
    details: VolunteerDetails,
    consent: bool,
    campaign: Campaign | None,
    answers: Mapping[str, Any] | None,
) -> tuple[VolunteerDetails, dict[str, str]]:
    """The cleaned details and campaign answers of a sign-up, or the first
    failure (``VolunteerError``, ``CampaignClosed``). Writes nothing."""
    data = volunteer_details_clean(details)
    if not consent:
        raise ConsentMissing()
    cleaned_answers: dict[str, str] = {}
    if campaign is not None:
        campaign_require_open(campaign)  # early; again under the lock when writing
        cleaned_answers = campaign_answers_clean(campaign=campaign, answers=answers or {})
    return data, cleaned_answers


def volunteer_sign_up(
    *,
    details: VolunteerDetails,
    consent: bool,
    actor: User | None = None,
    language: str | None = None,
    campaign: Campaign | None = None,
    answers: Mapping[str, Any] | None = None,
    request: HttpRequest | None = None,
    origin: RequestOrigin | None = None,
) -> SignUpReceipt:
    """Sign someone up as a volunteer (optionally through a campaign).

    Validates everything before writing (``VolunteerError`` with the field it
    concerns, nothing written). A signed-in ``actor`` is linked to the
    volunteer; when the e-mail given is their verified account address, the
    volunteer is active at once. Otherwise the volunteer waits for the link
    sent to the e-mail address (or by SMS). Known addresses: see the module
    docstring. Locks the campaign (a closed one raises ``CampaignClosed``,
    also when it closed a moment ago), then the volunteers holding the
    addresses; audit-logged (with ``origin`` when a task signs up for a
    request already answered: ``volunteer_intake``).
    """
    data, cleaned_answers = sign_up_clean(
        details=details, consent=consent, campaign=campaign, answers=answers
    )
    user = actor if actor is not None and actor.is_authenticated else None
    for attempt in (1, 2):
        try:
            with transaction.atomic():
                return _sign_up(
                    data=data,
                    user=user,
                    language=sign_up_language(language),
                    campaign=campaign,
                    answers=cleaned_answers,
                    origin=origin or RequestOrigin.of(request),
                )
        except IntegrityError:
            # A concurrent sign-up with the same address (or account) committed
            # first; the second pass finds it and treats it as known.
            if attempt == 2:
                raise
    raise AssertionError("unreachable")  # pragma: no cover


def _sign_up(
    *,
    data: VolunteerDetails,
    user: User | None,
    language: str,
    campaign: Campaign | None,
    answers: dict[str, str],
    origin: RequestOrigin,
) -> SignUpReceipt:
    # The campaign first, the volunteers after: the order campaign services keep.
    campaign = _campaign_lock(campaign)
    if user is not None and Volunteer.objects.filter(user=user).exists():
        raise AlreadyVolunteer()
    now = timezone.now()
    channel, address = (EMAIL, data.email) if data.email else (SMS, data.phone)
    addresses = Q(pk__in=[])
    if data.email:
        addresses |= Q(email=data.email)
    if data.phone:
        addresses |= Q(phone=data.phone)
    known = list(Volunteer.objects.select_for_update().filter(addresses).order_by("pk"))
    account_verified = bool(
        user is not None
        and data.email
        and EmailAddress.objects.filter(user=user, email__iexact=data.email, verified=True).exists()
    )
    replaceable = (
        len(known) == 1
        and not known[0].is_verified
        and known[0].user_id in (None, user.pk if user else None)
    )
    if known and not replaceable:
        for volunteer in known:
            volunteer_channel = EMAIL if data.email and volunteer.email == data.email else SMS
            if link_may_send(volunteer, now):
                link_send(
                    volunteer,
                    channel=volunteer_channel,
                    template="again",
                    now=now,
                    campaign=campaign,
                )
        return SignUpReceipt(
            volunteer=known[0], created=False, channel=channel, address=address, active=False
        )

    created = not known
    volunteer = known[0] if known else Volunteer(status=VolunteerStatus.UNVERIFIED)
    details_apply(volunteer, data)
    volunteer.language = language
    volunteer.consent_version = settings.VOLUNTEERING_CONSENT_VERSION
    volunteer.consented_at = now
    if user is not None:
        volunteer.user = user
    if account_verified:
        volunteer.email_verified_at = now
        volunteer.status = VolunteerStatus.ACTIVE
    volunteer_fields_check(volunteer)
    volunteer.save()
    relations_set(volunteer, data, created=created)
    if campaign is not None:
        CampaignSignup.objects.update_or_create(
            volunteer=volunteer, campaign=campaign, defaults={"answers": answers}
        )
    if created or link_may_send(volunteer, now):
        link_send(
            volunteer,
            channel=channel,
            template="welcome" if account_verified else "confirm",
            now=now,
            campaign=campaign,
        )
    audit_record(
        actor=user,
        action=AuditEntry.Action.CREATE if created else AuditEntry.Action.CHANGE,
        target=volunteer,
        target_label=audit_label(volunteer),
        origin=origin,
        details={"signed_up": True, "campaign": campaign.slug if campaign else None},
    )
    return SignUpReceipt(
        volunteer=volunteer,
        created=created,
        channel=channel,
        address=address,
        active=volunteer.status == VolunteerStatus.ACTIVE,
    )


def volunteer_campaign_join(
    *,
    volunteer: Volunteer,
    campaign: Campaign,
    answers: Mapping[str, Any],
    request: HttpRequest | None = None,
) -> CampaignSignup:
    """A signed-up volunteer joins an open campaign, answering its questions.

    Locks the campaign (so a close cannot slip in between the check and the
    sign-up: ``CampaignClosed``), then the volunteer; audit-logged."""
    campaign_require_open(campaign)
    cleaned = campaign_answers_clean(campaign=campaign, answers=answers)
    with transaction.atomic():
        campaign = _campaign_lock(campaign)
        volunteer = volunteer_lock(volunteer)
        if CampaignSignup.objects.filter(volunteer=volunteer, campaign=campaign).exists():
            raise AlreadyInCampaign()
        signup = CampaignSignup.objects.create(
            volunteer=volunteer, campaign=campaign, answers=cleaned
        )
        audit_record(
            actor=volunteer.user,
            action=AuditEntry.Action.CHANGE,
            target=volunteer,
            target_label=audit_label(volunteer),
            request=request,
            details={"joined_campaign": campaign.slug},
        )
    return signup


# --- Retention ---------------------------------------------------------------------------


def volunteers_unconfirmed_erase(*, now: datetime | None = None) -> int:
    """Delete sign-ups nobody confirmed within ``UNCONFIRMED_RETENTION`` (as
    the consent text promises), with the outbox's messages to their
    addresses. Locks the rows, so a link opened meanwhile either confirms
    first (and the sign-up stays) or finds it gone. Safe to run daily;
    returns how many."""
    cutoff = (now or timezone.now()) - UNCONFIRMED_RETENTION
    stale = Volunteer.objects.filter(
        status=VolunteerStatus.UNVERIFIED,
        email_verified_at__isnull=True,
        phone_verified_at__isnull=True,
        created_at__lt=cutoff,
    )
    with transaction.atomic():
        for volunteer in stale.select_for_update().only("pk", "email", "phone"):
            volunteer_messages_erase(volunteer)
        _total, deleted = stale.delete()
    return deleted.get(Volunteer._meta.label, 0)
