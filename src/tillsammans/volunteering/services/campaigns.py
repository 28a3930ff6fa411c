"""Campaigns: opening one in minutes, closing it, standing its volunteers down.

A campaign gathers volunteers and help requests for a crisis or a season.
While it is open it has a public page, its own sign-up page and (optionally) a
banner on the start page; closing it stops sign-ups and requests for it
(``campaign_require_open`` is the one check every service uses).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from tillsammans.audit.models import AuditEntry
from tillsammans.audit.services import audit_record
from tillsammans.core.errors import DomainError, NotPermitted
from tillsammans.notifications.models import OutboxMessage
from tillsammans.notifications.services import (
    InvalidEmailAddress,
    InvalidPhoneNumber,
    notification_queue_templated,
)
from tillsammans.volunteering.models import (
    Campaign,
    CampaignQuestion,
    HelpType,
    Volunteer,
    VolunteerStatus,
)
from tillsammans.volunteering.services.offers import offers_stand_down_for_campaign

if TYPE_CHECKING:
    from django.http import HttpRequest

    from tillsammans.accounts.models import User

# The start page reads the open campaigns' banners from the cache; opening and
# closing a campaign delete the entry (see selectors.campaigns.campaign_banners).
BANNER_CACHE_KEY = "volunteering:campaign-banners"
MAX_QUESTIONS = 10
# Fixed paths beside the campaign pages (staff/campaigns/new/).
RESERVED_SLUGS = frozenset({"new"})
STAND_DOWN_MAX_LENGTH = 1000


class InvalidCampaign(DomainError):
    """A field failed validation; ``field`` names it so a form can show it there."""

    code = "invalid_campaign"
    status_code = 400

    def __init__(self, message, *, field: str | None = None, **params):
        self.field = field
        super().__init__(message, **params)


class CampaignClosed(DomainError):
    message = _("The campaign “%(title)s” is closed and takes no more sign-ups or requests.")
    code = "campaign_closed"
    status_code = 409


class CampaignStillOpen(DomainError):
    message = _(
        "Volunteers can only be stood down when the campaign is closed. Close “%(title)s” first."
    )
    code = "campaign_still_open"
    status_code = 409


@dataclass(frozen=True)
class QuestionSpec:
    """An extra question on the campaign's sign-up page."""

    text: str
    kind: str = CampaignQuestion.Kind.TEXT
    required: bool = False


@dataclass(frozen=True)
class StandDownResult:
    queued: int
    already_told: int
    unreachable: int


def campaign_require_open(campaign: Campaign | None) -> None:
    """Raise ``CampaignClosed`` unless ``campaign`` is None or open.

    Every service that signs a volunteer up for a campaign or files a request
    in one calls this (after locking or re-reading the campaign)."""
    if campaign is not None and not campaign.is_open:
        raise CampaignClosed(title=campaign.title)


def _unique_slug(title: str, wanted: str = "") -> str:
    base = slugify(wanted or title)[:70].strip("-") or "kampanj"
    taken = set(Campaign.objects.filter(slug__startswith=base).values_list("slug", flat=True))
    if base not in taken and base not in RESERVED_SLUGS:
        return base
    number = 2
    while f"{base}-{number}" in taken:
        number += 1
    return f"{base}-{number}"


def _forget_banners() -> None:
    transaction.on_commit(partial(cache.delete, BANNER_CACHE_KEY))


def campaign_open(
    *,
    actor: User,
    title: str,
    description: str,
    help_types: Iterable[HelpType],
    questions: Sequence[QuestionSpec] = (),
    show_banner: bool = True,
    slug: str = "",
    request: HttpRequest | None = None,
) -> Campaign:
    """Open a campaign: its public page and sign-up page are live at once.

    The slug comes from the title unless given, made unique with ``-2``,
    ``-3``, … Needs at least one help type; questions without text are
    skipped. Audited; the start page's banner cache is cleared after commit.
    Raises ``InvalidCampaign`` naming the field, and ``NotPermitted`` unless
    the actor may manage campaigns.
    """
    if not actor.has_perm("volunteering.manage_campaigns"):
        raise NotPermitted
    title = " ".join((title or "").split())
    description = (description or "").strip()
    help_types = list(help_types)
    questions = [q for q in questions if (q.text or "").strip()]
    if not title:
        raise InvalidCampaign(_("Give the campaign a title."), field="title")
    if not description:
        raise InvalidCampaign(
            _("Describe the campaign: who it is for and what volunteers do."), field="description"
        )
    if not help_types:
        raise InvalidCampaign(
            _("Choose at least one kind of help the campaign offers."), field="help_types"
        )
    if len(questions) > MAX_QUESTIONS:
        raise InvalidCampaign(
            _("A campaign can ask at most %(count)d extra questions."), count=MAX_QUESTIONS
        )
    for question in questions:
        if question.kind not in CampaignQuestion.Kind.values:
            raise InvalidCampaign(_("Choose a kind of answer for every question."))
    if slug and slugify(slug) != slug:
        raise InvalidCampaign(
            _("Use only lower-case letters, digits and hyphens in the web address."), field="slug"
        )
    with transaction.atomic():
        campaign = Campaign(
            slug=_unique_slug(title, slug),
            title=title,
            description=description,
            show_banner=show_banner,
            opened_by=actor,
        )
        campaign.full_clean(exclude=["help_types"])
        campaign.save()
        campaign.help_types.set(help_types)
        CampaignQuestion.objects.bulk_create(
            CampaignQuestion(
                campaign=campaign,
                text=question.text.strip(),
                kind=question.kind,
                required=question.required,
                order=order,
            )
            for order, question in enumerate(questions)
        )
        audit_record(
            actor=actor,
            action=AuditEntry.Action.CREATE,
            target=campaign,
            request=request,
            details={"event": "campaign_open", "help_types": [h.slug for h in help_types]},
        )
        _forget_banners()
    return campaign


def campaign_close(
    *, campaign: Campaign, actor: User, request: HttpRequest | None = None
) -> Campaign:
    """Close a campaign: no more sign-ups or requests for it, no banner.

    Under a row lock, so a sign-up or request that locks the campaign either
    commits before the close or sees it closed. Requests already filed stay as
    they are. Audited; the banner cache is cleared after commit. Raises
    ``CampaignClosed`` if it is closed already.
    """
    if not actor.has_perm("volunteering.manage_campaigns"):
        raise NotPermitted
    with transaction.atomic():
        campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
        campaign_require_open(campaign)
        campaign.status = Campaign.Status.CLOSED
        campaign.closed_at = timezone.now()
        campaign.save(update_fields=["status", "closed_at"])
        audit_record(
            actor=actor,
            action=AuditEntry.Action.CHANGE,
            target=campaign,
            request=request,
            details={"event": "campaign_close"},
        )
        _forget_banners()
    return campaign


def campaign_stand_down(
    *,
    campaign: Campaign,
    actor: User,
    message: str,
    request: HttpRequest | None = None,
) -> StandDownResult:
    """Thank and stand down every volunteer signed up to a closed campaign.

    Each volunteer who has not left gets the coordinator's message once, by
    e-mail if they gave an address, else by SMS, in their own language; the
    outbox key is per campaign and volunteer, so sending again reaches only
    volunteers who signed up since (the rest are counted as already told).
    Transactional messages: the weekly cap does not apply. Then every live
    offer of the campaign's requests ends (``offers_stand_down_for_campaign``);
    a volunteer with an offer who never signed up to the campaign gets one
    message from that hook, nobody gets two. Audited with the counts.
    """
    if not actor.has_perm("volunteering.manage_campaigns"):
        raise NotPermitted
    message = (message or "").strip()
    if not message:
        raise InvalidCampaign(_("Write the message the volunteers will get."), field="message")
    if len(message) > STAND_DOWN_MAX_LENGTH:
        raise InvalidCampaign(
            _("Keep the message under %(count)d characters."),
            field="message",
            count=STAND_DOWN_MAX_LENGTH,
        )
    with transaction.atomic():
        campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
        if campaign.is_open:
            raise CampaignStillOpen(title=campaign.title)
        volunteers = list(
            Volunteer.objects.filter(campaign_signups__campaign=campaign)
            .exclude(status=VolunteerStatus.LEFT)
            .select_related("user")
            .order_by("pk")
        )
        keys = {v.pk: _stand_down_key(campaign, v) for v in volunteers}
        told = set(
            OutboxMessage.objects.filter(idempotency_key__in=keys.values()).values_list(
                "idempotency_key", flat=True
            )
        )
        queued = already = unreachable = 0
        for volunteer in volunteers:
            if keys[volunteer.pk] in told:
                already += 1
                continue
            channel, address = _volunteer_channel(volunteer)
            try:
                notification_queue_templated(
                    channel=channel,
                    address=address,
                    template_prefix=f"volunteering/messages/campaign_stand_down_{channel}",
                    context={
                        "campaign_title": campaign.title,
                        "volunteer_name": volunteer.full_name,
                        "message": message,
                    },
                    idempotency_key=keys[volunteer.pk],
                    user=volunteer.user,
                    language=volunteer.language,
                )
            except (InvalidEmailAddress, InvalidPhoneNumber):
                unreachable += 1
            else:
                queued += 1
        offers_ended = offers_stand_down_for_campaign(
            campaign=campaign, actor=actor, http_request=request
        )
        audit_record(
            actor=actor,
            action=AuditEntry.Action.CHANGE,
            target=campaign,
            request=request,
            details={
                "event": "campaign_stand_down",
                "offers_ended": offers_ended,
                "queued": queued,
                "already_told": already,
                "unreachable": unreachable,
            },
        )
    return StandDownResult(queued=queued, already_told=already, unreachable=unreachable)


def _stand_down_key(campaign: Campaign, volunteer: Volunteer) -> str:
    return f"campaign-stand-down:{campaign.uuid}:{volunteer.uuid}"


def _volunteer_channel(volunteer: Volunteer) -> tuple[str, str]:
    if volunteer.email:
        return "email", volunteer.email
    return "sms", volunteer.phone
