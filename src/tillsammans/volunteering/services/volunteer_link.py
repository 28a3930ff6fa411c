"""The volunteer's personal link: sending it, sending it again, opening it.

A volunteer needs no account. Signing up sends a link to the e-mail address
(or, without one, by SMS to the mobile number); opening it confirms that
address and activates the volunteer. The same link is their key to their own
page afterwards. Only a SHA-256 hash of its secret is stored; a new link
replaces the old one.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tillsammans.notifications.models import OutboxMessage
from tillsammans.notifications.services import notification_queue_templated
from tillsammans.volunteering.models import Campaign, Volunteer, VolunteerStatus
from tillsammans.volunteering.services.volunteer_details import (
    ContactMissing,
    VolunteerError,
    email_clean,
    phone_clean,
)

if TYPE_CHECKING:
    from tillsammans.accounts.models import User

# A new personal link goes out at most this often per volunteer.
LINK_RESEND_INTERVAL = timedelta(minutes=5)

EMAIL = OutboxMessage.Channel.EMAIL
SMS = OutboxMessage.Channel.SMS


class LinkInvalid(VolunteerError):
    message = _("This link does not work any more. Ask for a new one.")
    status_code = 404


def link_token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def link_may_send(volunteer: Volunteer, now: datetime) -> bool:
    """Whether ``LINK_RESEND_INTERVAL`` has passed since the last link."""
    return volunteer.link_sent_at is None or now - volunteer.link_sent_at >= LINK_RESEND_INTERVAL


def link_send(
    volunteer: Volunteer,
    *,
    channel: str,
    template: str,
    now: datetime,
    campaign: Campaign | None = None,
) -> None:
    """A new personal link (the old one stops working), written to the outbox
    in the volunteer's language; delivered when the transaction commits.
    Call it with the volunteer's row locked."""
    token = secrets.token_urlsafe(24)
    volunteer.access_token_hash = link_token_hash(token)
    volunteer.link_channel = channel
    volunteer.link_sent_at = now
    volunteer.save(
        update_fields=["access_token_hash", "link_channel", "link_sent_at", "updated_at"]
    )
    folder = "email" if channel == EMAIL else "sms"
    context = {
        "volunteer": volunteer,
        "link_url": settings.SITE_URL
        + reverse("volunteering:volunteer_link", kwargs={"token": token}),
        "campaign": campaign,
        "campaign_url": (
            settings.SITE_URL
            + reverse("volunteering:campaign_signup", kwargs={"slug": campaign.slug})
            if campaign is not None
            else ""
        ),
    }
    notification_queue_templated(
        channel=channel,
        template_prefix=f"volunteering/{folder}/volunteer_{template}",
        context=context,
        idempotency_key=f"volunteer-link:{volunteer.uuid}:{volunteer.access_token_hash[:24]}",
        address=volunteer.email if channel == EMAIL else volunteer.phone,
        user=volunteer.user,
        kind=OutboxMessage.Kind.TRANSACTIONAL,
        language=volunteer.language,
    )


def volunteer_link_resend(*, address: str) -> None:
    """Send the personal link again to the volunteer with this e-mail address
    or mobile number, by the channel it names.

    Answers the same (nothing) whether or not the address is known, and sends
    at most one link per ``LINK_RESEND_INTERVAL``. ``InvalidEmail`` /
    ``InvalidPhone`` only when the text is neither kind of address."""
    address = (address or "").strip()
    if "@" in address:
        email, phone = email_clean(address), ""
    else:
        email, phone = "", phone_clean(address)
        if not phone:
            raise ContactMissing()
    with transaction.atomic():
        lookup = Q(email=email) if email else Q(phone=phone)
        volunteer = (
            Volunteer.objects.select_for_update()
            .filter(lookup)
            .exclude(status=VolunteerStatus.LEFT)
            .first()
        )
        now = timezone.now()
        if volunteer is None or not link_may_send(volunteer, now):
            return
        link_send(
            volunteer,
            channel=EMAIL if email else SMS,
            template="again" if volunteer.is_verified else "confirm",
            now=now,
        )


def volunteer_link_open(*, token: str, actor: User | None = None) -> tuple[Volunteer, bool]:
    """The volunteer whose personal link this is, and whether opening it just
    confirmed their sign-up.

    Opening the link confirms the address it was sent to and activates a new
    volunteer. A signed-in person whose account has the volunteer's e-mail
    address (and no volunteer profile of its own) is linked to it. Raises
    ``LinkInvalid`` for an unknown or replaced link, or a volunteer who left."""
    if not token or len(token) > 100:
        raise LinkInvalid()
    with transaction.atomic():
        volunteer = (
            Volunteer.objects.select_for_update()
            .exclude(status=VolunteerStatus.LEFT)
            .filter(access_token_hash=link_token_hash(token))
            .first()
        )
        if volunteer is None:
            raise LinkInvalid()
        now = timezone.now()
        changed = []
        if volunteer.link_channel == EMAIL and volunteer.email and not volunteer.email_verified_at:
            volunteer.email_verified_at = now
            changed.append("email_verified_at")
        if volunteer.link_channel == SMS and volunteer.phone and not volunteer.phone_verified_at:
            volunteer.phone_verified_at = now
            changed.append("phone_verified_at")
        confirmed = volunteer.status == VolunteerStatus.UNVERIFIED and volunteer.is_verified
        if confirmed:
            volunteer.status = VolunteerStatus.ACTIVE
            changed.append("status")
        if (
            actor is not None
            and actor.is_authenticated
            and volunteer.user_id is None
            and volunteer.email
            and actor.email.lower() == volunteer.email
            and not Volunteer.objects.filter(user=actor).exists()
        ):
            volunteer.user = actor
            changed.append("user")
        if changed:
            volunteer.save(update_fields=[*changed, "updated_at"])
    return volunteer, confirmed
