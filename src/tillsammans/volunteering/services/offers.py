"""The life of an offer: a coordinator confirms a proposal and it is sent to one
volunteer, who accepts or declines through a link; a decline or a missed
deadline passes the request on to the next-best candidate; an accepted offer
is an assignment the volunteer marks done.

Concurrency: every service that changes what a request or a volunteer holds
locks, in this order, the HelpRequest row, then Volunteer rows (ascending
primary key), then the Offer row, and reads capacity and need only after
that. Two coordinators acting at once therefore can never send a volunteer
more offers than their weekly limit, nor a request more volunteers than it
needs. No transaction locks more than one request.

Volunteers are never broadcast to: each sent offer is one message to one
volunteer, of kind "request", capped by the volunteer's own weekly limit in
the outbox too.
"""

from __future__ import annotations

import datetime
import hashlib
import secrets
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tillsammans.audit.models import AuditEntry
from tillsammans.audit.services import audit_record
from tillsammans.core.errors import DomainError
from tillsammans.notifications.models import OutboxMessage
from tillsammans.notifications.services import notification_queue_templated
from tillsammans.volunteering.models import Campaign, Concern, HelpRequest, Offer, Volunteer
from tillsammans.volunteering.selectors.capacity import (
    request_remaining_need,
    volunteer_free_capacity,
    volunteer_is_askable,
    volunteer_safeguarding_valid,
)
from tillsammans.volunteering.selectors.offers import offer_details_visible

if TYPE_CHECKING:
    from django.http import HttpRequest

    from tillsammans.accounts.models import User

Status = Offer.Status

# Offers of a request that end a volunteer's chance at it: they are not asked again.
CLOSED_FOR_VOLUNTEER = (
    Status.REJECTED,
    Status.DECLINED,
    Status.EXPIRED,
    Status.WITHDRAWN,
    Status.STOOD_DOWN,
)
LIVE = (Status.PROPOSED, Status.SENT, Status.ACCEPTED)
MAX_MINUTES = 24 * 60
# How far down the engine's ranking a coordinator's choice may come from.
REPLACE_CANDIDATES = 200


# --- Errors ------------------------------------------------------------------


class OfferNotProposed(DomainError):
    message = _("This proposal has already been dealt with: it is now “%(status)s”.")
    code = "offer_not_proposed"
    status_code = 409


class OfferNotAwaitingAnswer(DomainError):
    message = _("This request is no longer waiting for your answer: it is now “%(status)s”.")
    code = "offer_not_awaiting_answer"
    status_code = 409


class OfferDeadlinePassed(DomainError):
    message = _(
        "The time to answer ran out at %(deadline)s, so we have asked someone else. "
        "Thank you all the same."
    )
    code = "offer_deadline_passed"
    status_code = 409


class OfferNotWithdrawable(DomainError):
    message = _(
        "Only offers waiting for an answer or accepted can be withdrawn; this one is “%(status)s”."
    )
    code = "offer_not_withdrawable"
    status_code = 409


class OfferNotAccepted(DomainError):
    message = _("Only an accepted assignment can be marked as done; this one is “%(status)s”.")
    code = "offer_not_accepted"
    status_code = 409


class RequestNotOpen(DomainError):
    message = _("The help request is no longer open: it is “%(status)s”.")
    code = "request_not_open"
    status_code = 409


class RequestNeedMet(DomainError):
    message = _("The help request already has the volunteers it needs.")
    code = "request_need_met"
    status_code = 409


class VolunteerNotAskable(DomainError):
    message = _(
        "%(name)s cannot be asked now: they have paused, not confirmed their contact "
        "details or left."
    )
    code = "volunteer_not_askable"
    status_code = 409


class VolunteerAtCapacity(DomainError):
    message = _("%(name)s has already been asked as often this week as they allow (%(limit)s).")
    code = "volunteer_at_capacity"
    status_code = 409


class SafeguardingMissing(DomainError):
    message = _("%(name)s has no valid police-record check, which this kind of help requires.")
    code = "safeguarding_missing"
    status_code = 409


class VolunteerNotFeasible(DomainError):
    message = _(
        "%(name)s cannot take this request (help type, language, police-record check, "
        "time or distance)."
    )
    code = "volunteer_not_feasible"
    status_code = 409


class NotYourOffer(DomainError):
    message = _("This assignment is not yours.")
    code = "not_your_offer"
    status_code = 404


class InvalidMinutes(DomainError):
    message = _("Give the time you spent in minutes, between 1 and %(max)s.")
    code = "invalid_minutes"
    status_code = 422
    field = "minutes_spent"


class DetailsNotVisible(DomainError):
    message = _(
        "The resident's details are shown only while the assignment lasts and for "
        "%(days)s days after it is done."
    )
    code = "details_not_visible"
    status_code = 404


# --- Helpers -----------------------------------------------------------------


def hash_response_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def _link(name: str, *args) -> str:
    return settings.SITE_URL + reverse(name, args=args)


def _volunteer_language(volunteer: Volunteer) -> str:
    return volunteer.language or settings.LANGUAGE_CODE


def volunteer_channel(volunteer: Volunteer) -> tuple[str, str]:
    """Where a volunteer is reached: the confirmed address first, e-mail before
    SMS; an unconfirmed one only if there is nothing else."""
    candidates = [
        (volunteer.email_verified_at is not None, 0, OutboxMessage.Channel.EMAIL, volunteer.email),
        (volunteer.phone_verified_at is not None, 1, OutboxMessage.Channel.SMS, volunteer.phone),
    ]
    usable = sorted((c for c in candidates if c[3]), key=lambda c: (not c[0], c[1]))
    if not usable:
        raise VolunteerNotAskable(name=str(volunteer))
    return usable[0][2], usable[0][3]


def _notify_volunteer(
    volunteer: Volunteer,
    *,
    template: str,
    key: str,
    context: dict,
    kind: str = OutboxMessage.Kind.TRANSACTIONAL,
) -> OutboxMessage:
    channel, address = volunteer_channel(volunteer)
    suffix = "_sms" if channel == OutboxMessage.Channel.SMS else ""
    return notification_queue_templated(
        channel=channel,
        template_prefix=f"volunteering/notifications/{template}{suffix}",
        context={"volunteer": volunteer, **context},
        idempotency_key=key,
        user=volunteer.user if volunteer.user_id else None,
        address=address,
        kind=kind,
        language=_volunteer_language(volunteer),
        weekly_cap=volunteer.max_requests_per_week if kind == OutboxMessage.Kind.REQUEST else None,
    )


def _audit(
    offer: Offer,
    *,
    actor: User | None,
    event: str,
    request: HttpRequest | None = None,
    action: str = AuditEntry.Action.CHANGE,
    reason: str = "",
    **details,
) -> None:
    audit_record(
        actor=actor,
        action=action,
        target=offer,
        request=request,
        reason=reason,
        details={
            "event": event,
            "help_request": str(offer.request.uuid),
            "volunteer": str(offer.volunteer.uuid),
            **details,
        },
    )


@dataclass
class Locked:
    help_request: HelpRequest
    volunteer: Volunteer
    offer: Offer


def _lock(offer: Offer) -> Locked:
    """Lock request → volunteer → offer (the order every service keeps) and
    return fresh copies."""
    help_request = (
        HelpRequest.objects.select_for_update()
        .select_related("help_type", "locality")
        .get(pk=offer.request_id)
    )
    volunteer = (
        Volunteer.objects.select_for_update(of=("self",))
        .select_related("user")
        .get(pk=offer.volunteer_id)
    )
    fresh = Offer.objects.select_for_update().get(pk=offer.pk)
    fresh.request = help_request
    fresh.volunteer = volunteer
    return Locked(help_request, volunteer, fresh)


def _check_can_hold(help_request: HelpRequest, volunteer: Volunteer, *, now) -> None:
    """Under the locks: may this volunteer take one more place of this request?"""
    if help_request.status != HelpRequest.Status.OPEN:
        raise RequestNotOpen(status=help_request.get_status_display())
    if request_remaining_need(help_request) <= 0:
        raise RequestNeedMet()
    if not volunteer_is_askable(volunteer, now=now):
        raise VolunteerNotAskable(name=str(volunteer))
    if volunteer_free_capacity(volunteer, now=now) <= 0:
        raise VolunteerAtCapacity(name=str(volunteer), limit=volunteer.max_requests_per_week)
    if help_request.help_type.requires_safeguarding and not volunteer_safeguarding_valid(
        volunteer, now=now
    ):
        raise SafeguardingMissing(name=str(volunteer))


def _accepted_or_done(help_request: HelpRequest) -> int:
    return help_request.offers.filter(status__in=(Status.ACCEPTED, Status.DONE)).count()


def _reopen_if_short(help_request: HelpRequest) -> None:
    """After an accepted offer ends early: a matched request that lacks a
    volunteer again waits for one."""
    if (
        help_request.status == HelpRequest.Status.MATCHED
        and _accepted_or_done(help_request) < help_request.volunteers_needed
    ):
        help_request.status = HelpRequest.Status.OPEN
        help_request.matched_at = None
        help_request.save(update_fields=["status", "matched_at", "updated_at"])


# --- Sending -------------------------------------------------------------------


def offer_send(
    *,
    offer: Offer,
    actor: User | None,
    request: HttpRequest | None = None,
    automatic: bool = False,
) -> Offer:
    """Send a proposed offer to its volunteer.

    Under the locks (request → volunteer → offer) it checks that the proposal
    is still a proposal, the request is open and still needs someone, and the
    volunteer may be asked and has a free place this week; then the offer is
    ``sent`` with ``respond_by`` = now + ``VOLUNTEERING_OFFER_HOURS``, a new
    response token (only its hash is stored; the secret is on
    ``offer.response_token`` for the caller), and the volunteer's
    ``last_asked_at`` is now. One message of kind "request" goes to the
    volunteer by e-mail or SMS with the accept/decline link, capped by their
    weekly limit (``WeeklyCapReached`` then undoes everything). Audited.
    ``automatic`` marks sends made by the system after a decline or expiry.
    """
    now = timezone.now()
    with transaction.atomic():
        locked = _lock(offer)
        offer, help_request, volunteer = locked.offer, locked.help_request, locked.volunteer
        if offer.status != Status.PROPOSED:
            raise OfferNotProposed(status=offer.get_status_display())
        _check_can_hold(help_request, volunteer, now=now)
        raw = secrets.token_urlsafe(32)
        offer.status = Status.SENT
        offer.sent_at = now
        offer.respond_by = now + datetime.timedelta(hours=settings.VOLUNTEERING_OFFER_HOURS)
        offer.response_token_hash = hash_response_token(raw)
        offer.decided_by = actor if actor is not None and actor.is_authenticated else None
        offer.save(
            update_fields=["status", "sent_at", "respond_by", "response_token_hash", "decided_by"]
        )
        volunteer.last_asked_at = now
        volunteer.save(update_fields=["last_asked_at"])
        _notify_volunteer(
            volunteer,
            template="offer_sent",
            key=f"volunteering-offer:{offer.uuid}",
            kind=OutboxMessage.Kind.REQUEST,
            context={
                "offer": offer,
                "help_request": help_request,
                "respond_url": _link("volunteering:offer_respond", raw),
            },
        )
        _audit(offer, actor=actor, event="offer_send", request=request, automatic=automatic)
    offer.response_token = raw
    return offer


@dataclass
class BatchResult:
    sent: list[Offer]
    failed: list[tuple[Offer, DomainError]]


def offers_send_all(
    *, offers: list[Offer], actor: User, request: HttpRequest | None = None
) -> BatchResult:
    """Confirm many proposals: each is sent on its own (``offer_send``), so one
    that can no longer be sent (need met, capacity used) does not stop the rest."""
    result = BatchResult(sent=[], failed=[])
    for offer in sorted(offers, key=lambda o: (o.request_id, -o.score, o.pk)):
        try:
            result.sent.append(offer_send(offer=offer, actor=actor, request=request))
        except DomainError as error:
            result.failed.append((offer, error))
    return result


def offer_reject(*, offer: Offer, actor: User, request: HttpRequest | None = None) -> Offer:
    """A coordinator turns a proposal down; the volunteer never hears of it and
    is not proposed for this request again. Audited."""
    with transaction.atomic():
        offer = (
            Offer.objects.select_for_update()
            .select_related("request", "volunteer")
            .get(pk=offer.pk)
        )
        if offer.status != Status.PROPOSED:
            raise OfferNotProposed(status=offer.get_status_display())
        offer.status = Status.REJECTED
        offer.decided_by = actor
        offer.save(update_fields=["status", "decided_by"])
        _audit(offer, actor=actor, event="offer_reject", request=request)
    return offer


def proposal_replace(
    *,
    offer: Offer,
    volunteer: Volunteer,
    actor: User,
    request: HttpRequest | None = None,
) -> Offer:
    """Edit a proposal: propose another feasible volunteer instead. The old
    proposal is rejected and a new one made with the engine's score and
    explanation for the chosen volunteer; ``VolunteerNotFeasible`` if the
    engine would not consider them for this request. Audited."""
    from tillsammans.volunteering.services.matching_run import request_candidates

    with transaction.atomic():
        help_request = HelpRequest.objects.select_for_update().get(pk=offer.request_id)
        offer = Offer.objects.select_for_update().select_related("volunteer").get(pk=offer.pk)
        if offer.status != Status.PROPOSED:
            raise OfferNotProposed(status=offer.get_status_display())
        # Everyone feasible who is not already proposed, not only the short list shown.
        candidates = {
            c.volunteer.pk: c
            for c in request_candidates(
                help_request=help_request, limit=REPLACE_CANDIDATES, include_proposed=False
            )
        }
        candidate = candidates.get(volunteer.pk)
        if candidate is None:
            raise VolunteerNotFeasible(name=str(volunteer))
        offer.request = help_request
        offer.status = Status.REJECTED
        offer.decided_by = actor
        offer.save(update_fields=["status", "decided_by"])
        replacement = Offer.objects.create(
            request=help_request,
            volunteer=candidate.volunteer,
            status=Status.PROPOSED,
            score=candidate.score,
            explanation={**candidate.explanation, "chosen_by_coordinator": True},
        )
        _audit(
            replacement,
            actor=actor,
            event="proposal_replace",
            request=request,
            action=AuditEntry.Action.CREATE,
            replaces=str(offer.uuid),
        )
    return replacement


# --- Answering -----------------------------------------------------------------


def offer_accept(
    *, offer: Offer, actor: User | None = None, request: HttpRequest | None = None
) -> Offer:
    """The volunteer says yes (through the link or their page).

    Under the locks: the offer must still wait for an answer and its deadline
    not have passed. It becomes ``accepted`` (an assignment); when accepted
    and done offers meet the request's need, the request is ``matched``.
    Capacity and need were taken when the offer was sent, so an accept never
    exceeds either. Audited.
    """
    now = timezone.now()
    with transaction.atomic():
        locked = _lock(offer)
        offer, help_request = locked.offer, locked.help_request
        if offer.status != Status.SENT:
            raise OfferNotAwaitingAnswer(status=offer.get_status_display())
        if offer.respond_by is not None and offer.respond_by <= now:
            raise OfferDeadlinePassed(
                deadline=timezone.localtime(offer.respond_by).strftime("%Y-%m-%d %H:%M")
            )
        if help_request.status != HelpRequest.Status.OPEN:
            raise RequestNotOpen(status=help_request.get_status_display())
        offer.status = Status.ACCEPTED
        offer.responded_at = now
        offer.save(update_fields=["status", "responded_at"])
        if _accepted_or_done(help_request) >= help_request.volunteers_needed:
            help_request.status = HelpRequest.Status.MATCHED
            help_request.matched_at = now
            help_request.save(update_fields=["status", "matched_at", "updated_at"])
        _audit(offer, actor=actor, event="offer_accept", request=request)
    return offer


def offer_decline(
    *, offer: Offer, actor: User | None = None, request: HttpRequest | None = None
) -> Offer:
    """The volunteer says no, which is always fine. The offer becomes
    ``declined`` (audited); then, in a transaction of its own, the request is
    offered to the next-best feasible candidate (``request_offer_next``)."""
    now = timezone.now()
    with transaction.atomic():
        locked = _lock(offer)
        offer = locked.offer
        if offer.status != Status.SENT:
            raise OfferNotAwaitingAnswer(status=offer.get_status_display())
        offer.status = Status.DECLINED
        offer.responded_at = now
        offer.save(update_fields=["status", "responded_at"])
        _audit(offer, actor=actor, event="offer_decline", request=request)
    request_offer_next(help_request=locked.help_request)
    return offer


def offers_expire_due(*, now: datetime.datetime | None = None) -> int:
    """Offers whose deadline passed without an answer become ``expired`` and
    their requests go to the next-best candidates. Idempotent (each offer is
    re-checked under the locks; a second run finds nothing to do), so the
    worker may run it as often as it likes. Returns how many expired."""
    now = now or timezone.now()
    due = list(
        Offer.objects.filter(status=Status.SENT, respond_by__lte=now).order_by("request_id", "pk")
    )
    expired = 0
    expired_requests: dict[int, HelpRequest] = {}
    for candidate in due:
        with transaction.atomic():
            locked = _lock(candidate)
            offer = locked.offer
            if offer.status != Status.SENT or offer.respond_by is None or offer.respond_by > now:
                continue
            offer.status = Status.EXPIRED
            offer.save(update_fields=["status"])
            _audit(offer, actor=None, event="offer_expire")
            expired += 1
            expired_requests[locked.help_request.pk] = locked.help_request
    for help_request in expired_requests.values():
        request_offer_next(help_request=help_request)
    return expired


def request_offer_next(*, help_request: HelpRequest, max_rounds: int = 5) -> list[Offer]:
    """Offer a request that still needs volunteers to the next-best feasible
    candidates, without waiting for a coordinator.

    The engine is re-run for this request alone, excluding everyone who
    already has or had an offer for it (declined, expired, rejected,
    withdrawn, or holding one); its best proposals are sent with
    ``offer_send`` (``automatic``). A candidate that cannot be sent to (their
    week filled up meanwhile, the outbox cap) is skipped and the next tried.
    Nothing happens when the request is not open or its need is met.
    """
    from tillsammans.volunteering.services.matching_run import request_candidates

    sent: list[Offer] = []
    tried: set[int] = set()
    for _round in range(max_rounds):
        help_request.refresh_from_db()
        need = request_remaining_need(help_request)
        if need <= 0:
            break
        candidates = [
            c
            for c in request_candidates(help_request=help_request, limit=need)
            if c.volunteer.pk not in tried
        ]
        if not candidates:
            break
        for candidate in candidates[:need]:
            tried.add(candidate.volunteer.pk)
            try:
                with transaction.atomic():
                    offer = _proposal_for(help_request, candidate)
                    sent.append(offer_send(offer=offer, actor=None, automatic=True))
            except DomainError:
                continue
    return sent


def _proposal_for(help_request: HelpRequest, candidate) -> Offer:
    """The volunteer's pending proposal for the request, or a new one."""
    offer = Offer.objects.filter(
        request=help_request, volunteer=candidate.volunteer, status=Status.PROPOSED
    ).first()
    if offer is not None:
        return offer
    return Offer.objects.create(
        request=help_request,
        volunteer=candidate.volunteer,
        status=Status.PROPOSED,
        score=candidate.score,
        explanation=candidate.explanation,
    )


# --- Withdrawing -----------------------------------------------------------------


def offer_withdraw(
    *, offer: Offer, actor: User, request: HttpRequest | None = None, reason: str = ""
) -> Offer:
    """A coordinator takes back an offer that waits for an answer or was
    accepted. The volunteer is told (transactional message); a matched request
    that now lacks a volunteer is open again. Audited."""
    with transaction.atomic():
        locked = _lock(offer)
        offer = locked.offer
        if offer.status not in Offer.HOLDING:
            raise OfferNotWithdrawable(status=offer.get_status_display())
        _end_offer(offer, status=Status.WITHDRAWN, actor=actor, template="offer_withdrawn")
        _reopen_if_short(locked.help_request)
        _audit(offer, actor=actor, event="offer_withdraw", request=request, reason=reason)
    return offer


def _end_offer(offer: Offer, *, status: str, actor: User | None, template: str | None) -> None:
    was = offer.status
    offer.status = status
    offer.decided_by = actor if actor is not None and actor.is_authenticated else None
    offer.save(update_fields=["status", "decided_by"])
    if template and was in Offer.HOLDING:
        _notify_volunteer(
            offer.volunteer,
            template=template,
            key=f"volunteering-{template}:{offer.uuid}",
            context={"offer": offer, "help_request": offer.request},
        )


def offers_withdraw_for_request(
    *, request: HelpRequest, actor: User | None, http_request: HttpRequest | None = None
) -> int:
    """Hook for a cancelled help request: every live offer of it ends —
    proposals silently, sent and accepted ones with a message to their
    volunteer that they are no longer needed. Runs in the caller's
    transaction (it locks the offers itself). Audited per offer. Returns how
    many offers ended."""
    with transaction.atomic():
        offers = list(
            Offer.objects.select_for_update()
            .filter(request=request, status__in=LIVE)
            .order_by("pk")
        )
        volunteers = Volunteer.objects.select_related("user").in_bulk(
            [o.volunteer_id for o in offers]
        )
        for offer in offers:
            offer.request = request
            offer.volunteer = volunteers[offer.volunteer_id]
            _end_offer(offer, status=Status.WITHDRAWN, actor=actor, template="offer_withdrawn")
            _audit(offer, actor=actor, event="offer_withdraw_for_request", request=http_request)
    return len(offers)


def offers_stand_down_for_campaign(
    *,
    campaign: Campaign,
    actor: User | None,
    http_request: HttpRequest | None = None,
    notify: bool = True,
) -> int:
    """Hook for a closed campaign: every live offer of its requests ends.
    Proposals are withdrawn silently; sent and accepted offers are ``stood
    down`` and each volunteer concerned gets one message (not one per offer).
    The outbox key is the one ``campaign_stand_down`` uses for its thank-you
    (``campaign-stand-down:<campaign>:<volunteer>``): called after it, only
    volunteers it did not reach (those matched without signing up to the
    campaign) get this message, nobody gets two. Audited per offer. Returns
    how many offers ended."""
    with transaction.atomic():
        offers = list(
            Offer.objects.select_for_update()
            .filter(request__campaign=campaign, status__in=LIVE)
            .order_by("pk")
        )
        requests = HelpRequest.objects.in_bulk([o.request_id for o in offers])
        volunteers = Volunteer.objects.select_related("user").in_bulk(
            [o.volunteer_id for o in offers]
        )
        to_notify: dict[int, Volunteer] = {}
        for offer in offers:
            offer.request = requests[offer.request_id]
            offer.volunteer = volunteers[offer.volunteer_id]
            if offer.status in Offer.HOLDING:
                to_notify[offer.volunteer_id] = offer.volunteer
                _end_offer(offer, status=Status.STOOD_DOWN, actor=actor, template=None)
            else:
                _end_offer(offer, status=Status.WITHDRAWN, actor=actor, template=None)
            _audit(offer, actor=actor, event="offer_stand_down", request=http_request)
        if notify:
            for volunteer in to_notify.values():
                if volunteer.status == "left":
                    continue
                _notify_volunteer(
                    volunteer,
                    template="stood_down",
                    key=f"campaign-stand-down:{campaign.uuid}:{volunteer.uuid}",
                    context={"campaign": campaign},
                )
    return len(offers)


def offers_end_for_volunteer(
    *, volunteer: Volunteer, actor: User | None = None, http_request: HttpRequest | None = None
) -> int:
    """Hook for a volunteer who leaves: every live offer of theirs ends
    (``withdrawn``) without a message, and a matched request that now lacks a
    volunteer is open again, so coordinators see it. Call it first in the
    leaving transaction, before locking the volunteer row: it locks the
    requests, then the volunteer, then the offers (the order every service
    keeps). Audited per offer. Returns how many offers ended."""
    with transaction.atomic():
        request_ids = sorted(
            set(
                Offer.objects.filter(volunteer=volunteer, status__in=LIVE).values_list(
                    "request_id", flat=True
                )
            )
        )
        requests = {
            r.pk: r
            for r in HelpRequest.objects.select_for_update()
            .filter(pk__in=request_ids)
            .order_by("pk")
        }
        Volunteer.objects.select_for_update(of=("self",)).filter(pk=volunteer.pk).first()
        offers = list(
            Offer.objects.select_for_update()
            .filter(volunteer=volunteer, status__in=LIVE)
            .order_by("pk")
        )
        for offer in offers:
            if offer.request_id not in requests:  # sent in the meantime
                requests[offer.request_id] = HelpRequest.objects.select_for_update().get(
                    pk=offer.request_id
                )
            offer.request = requests[offer.request_id]
            offer.volunteer = volunteer
            _end_offer(offer, status=Status.WITHDRAWN, actor=actor, template=None)
            _reopen_if_short(offer.request)
            _audit(offer, actor=actor, event="offer_end_volunteer_left", request=http_request)
    return len(offers)


# --- Assignments -----------------------------------------------------------------


def offer_mark_done(
    *,
    offer: Offer,
    volunteer: Volunteer,
    minutes_spent: int,
    actor: User | None = None,
    request: HttpRequest | None = None,
) -> Offer:
    """The volunteer has helped. Under the locks: the assignment must be
    theirs and accepted; it becomes ``done`` with the minutes spent, and the
    resident's details stay visible to them for
    ``VOLUNTEERING_DETAILS_DAYS_AFTER_DONE`` more days. When no accepted offer
    of the request remains and the done ones meet its need, the request is
    ``done``. Audited."""
    if not isinstance(minutes_spent, int) or not 1 <= minutes_spent <= MAX_MINUTES:
        raise InvalidMinutes(max=MAX_MINUTES)
    now = timezone.now()
    with transaction.atomic():
        locked = _lock(offer)
        offer, help_request = locked.offer, locked.help_request
        if offer.volunteer_id != volunteer.pk:
            raise NotYourOffer()
        if offer.status != Status.ACCEPTED:
            raise OfferNotAccepted(status=offer.get_status_display())
        offer.status = Status.DONE
        offer.done_at = now
        offer.minutes_spent = minutes_spent
        offer.details_visible_until = now + datetime.timedelta(
            days=settings.VOLUNTEERING_DETAILS_DAYS_AFTER_DONE
        )
        offer.save(update_fields=["status", "done_at", "minutes_spent", "details_visible_until"])
        counts = help_request.offers.aggregate(
            accepted=_count(Status.ACCEPTED), done=_count(Status.DONE)
        )
        if (
            help_request.status in (HelpRequest.Status.OPEN, HelpRequest.Status.MATCHED)
            and counts["accepted"] == 0
            and counts["done"] >= help_request.volunteers_needed
        ):
            help_request.status = HelpRequest.Status.DONE
            help_request.done_at = now
            help_request.save(update_fields=["status", "done_at", "updated_at"])
        _audit(offer, actor=actor, event="offer_done", request=request, minutes=minutes_spent)
    return offer


def _count(status: str) -> Count:
    return Count("pk", filter=Q(status=status))


@dataclass(frozen=True)
class ResidentDetails:
    name: str
    phone: str
    address: str
    locality: str
    visible_until: datetime.datetime | None


def offer_resident_details(
    *,
    offer: Offer,
    volunteer: Volunteer,
    actor: User | None = None,
    request: HttpRequest | None = None,
) -> ResidentDetails:
    """The resident's name, phone and address for the volunteer of an
    accepted (or recently done) assignment. Every call is a read in the audit
    log; ``DetailsNotVisible`` for anyone else or after the allowed period."""
    if offer.volunteer_id != volunteer.pk or not offer_details_visible(offer, volunteer):
        raise DetailsNotVisible(days=settings.VOLUNTEERING_DETAILS_DAYS_AFTER_DONE)
    help_request = offer.request
    audit_record(
        actor=actor,
        action=AuditEntry.Action.READ,
        target=help_request,
        request=request,
        details={
            "event": "resident_details_read",
            "offer": str(offer.uuid),
            "volunteer": str(volunteer.uuid),
        },
    )
    return ResidentDetails(
        name=help_request.resident_name,
        phone=help_request.resident_phone,
        address=help_request.address,
        locality=str(help_request.locality),
        visible_until=offer.details_visible_until,
    )


# --- Concerns --------------------------------------------------------------------


class ConcernTextInvalid(DomainError):
    message = _("Write what happened, in at most %(max)s characters.")
    code = "concern_text_invalid"
    status_code = 422
    field = "text"


class ConcernAlreadyHandled(DomainError):
    message = _("This concern has already been marked as handled.")
    code = "concern_already_handled"
    status_code = 409


CONCERN_MAX_LENGTH = 4000


def coordinators_to_notify() -> QuerySet[User]:
    """Active staff with the coordinator capability, each once."""
    from tillsammans.accounts.models import Capability, User

    return User.objects.filter(
        is_active=True, staff_memberships__capability=Capability.COORDINATOR
    ).distinct()


def concern_report(
    *,
    volunteer: Volunteer,
    text: str,
    offer: Offer | None = None,
    actor: User | None = None,
    request: HttpRequest | None = None,
) -> Concern:
    """A volunteer tells the coordinators something worrying, about one of
    their own assignments or in general. The concern is stored, audited, and
    every coordinator gets an e-mail with a link to the list of concerns (the
    text itself stays on the platform, not in the mail)."""
    text = (text or "").strip()
    if not text or len(text) > CONCERN_MAX_LENGTH:
        raise ConcernTextInvalid(max=CONCERN_MAX_LENGTH)
    if offer is not None and offer.volunteer_id != volunteer.pk:
        raise NotYourOffer()
    with transaction.atomic():
        concern = Concern.objects.create(volunteer=volunteer, offer=offer, text=text)
        audit_record(
            actor=actor,
            action=AuditEntry.Action.CREATE,
            target=concern,
            request=request,
            details={
                "event": "concern_report",
                "volunteer": str(volunteer.uuid),
                "offer": str(offer.uuid) if offer else None,
            },
        )
        for coordinator in coordinators_to_notify():
            notification_queue_templated(
                channel=OutboxMessage.Channel.EMAIL,
                template_prefix="volunteering/notifications/concern_reported",
                context={
                    "concern": concern,
                    "reference": offer.request.reference if offer else "",
                    "concerns_url": _link("volunteering:coordination_concerns"),
                },
                user=coordinator,
                idempotency_key=f"volunteering-concern:{concern.uuid}:{coordinator.uuid}",
            )
    return concern


def concern_mark_handled(
    *, concern: Concern, actor: User, request: HttpRequest | None = None
) -> Concern:
    """A coordinator has dealt with a concern. Under a row lock; audited."""
    with transaction.atomic():
        concern = Concern.objects.select_for_update().get(pk=concern.pk)
        if concern.status != Concern.Status.OPEN:
            raise ConcernAlreadyHandled()
        concern.status = Concern.Status.HANDLED
        concern.handled_by = actor
        concern.handled_at = timezone.now()
        concern.save(update_fields=["status", "handled_by", "handled_at"])
        audit_record(
            actor=actor,
            action=AuditEntry.Action.CHANGE,
            target=concern,
            request=request,
            details={"event": "concern_mark_handled"},
        )
    return concern
