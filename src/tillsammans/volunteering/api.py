"""Volunteering in the API (/api/v1/volunteering/): sign-up and help requests
for everyone, coordination for coordinators.

The same services and rules as the pages: a public endpoint is as open as
its form (sign-up answers the same whether or not the address is known; help
requests share the form's hourly limit per address), a coordinator endpoint
needs a bearer token of a user with ``volunteering.coordinate`` (401 without
a valid token, 403 without the permission). Bad input answers 422 with the
field it concerns; a refused action (capacity used, need met, already
answered) answers the service's 4xx, each with the API's error body.
"""

from __future__ import annotations

import datetime
import uuid as uuid_module
from typing import Literal

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import Field, Router, Schema, Status
from ninja.errors import ValidationError

from tillsammans.accounts.api_auth import ApiTokenAuth
from tillsammans.core.errors import DomainError
from tillsammans.core.models import Language, Locality
from tillsammans.organizations.models import Organization
from tillsammans.volunteering import rate_limits
from tillsammans.volunteering.models import (
    Campaign,
    HelpType,
    Offer,
    Recurrence,
    Volunteer,
)
from tillsammans.volunteering.selectors import offers as offer_selectors
from tillsammans.volunteering.selectors.terms import signup_terms
from tillsammans.volunteering.services import matching_run as matching
from tillsammans.volunteering.services import offers as offer_services
from tillsammans.volunteering.services.volunteer_details import VolunteerDetails, VolunteerError
from tillsammans.volunteering.services.volunteer_intake import volunteer_sign_up_accept

router = Router(tags=["volunteering"])
coordination = Router(tags=["volunteering: coordination"], auth=ApiTokenAuth())

MAX_PAGE = 200


def _field_error(field: str, message: str) -> ValidationError:
    """A 422 naming the field, in the API's error body."""
    return ValidationError([{"loc": ["body", "payload", field], "msg": message}])


def _raise_as_field_error(error: DomainError):
    field = getattr(error, "field", None)
    if field:
        raise _field_error(field, str(error)) from error
    raise error


def _by_slugs(model, slugs: list[str], field: str, *, key: str = "slug"):
    wanted = list(dict.fromkeys(slugs))
    found = {getattr(o, key): o for o in model.objects.filter(**{f"{key}__in": wanted})}
    unknown = [s for s in wanted if s not in found]
    if unknown:
        raise _field_error(field, _("Unknown: %(values)s") % {"values": ", ".join(unknown)})
    return [found[s] for s in wanted]


def _known(terms: dict, keys: list[str], field: str) -> list:
    """The terms with these keys (slugs or codes) from a cached mapping."""
    wanted = list(dict.fromkeys(keys))
    unknown = [key for key in wanted if key not in terms]
    if unknown:
        raise _field_error(field, _("Unknown: %(values)s") % {"values": ", ".join(unknown)})
    return [terms[key] for key in wanted]


def _one(model, value: str | None, field: str, *, key: str = "slug", queryset=None):
    if not value:
        return None
    found = (queryset if queryset is not None else model.objects).filter(**{key: value}).first()
    if found is None:
        raise _field_error(field, _("Unknown: %(values)s") % {"values": value})
    return found


# --- Public: sign-up -----------------------------------------------------------------


class SignUpIn(Schema):
    full_name: str = Field(..., max_length=120)
    email: str = Field("", max_length=254)
    phone: str = Field("", max_length=30)
    postal_code: str = Field("", max_length=10)
    locality: str | None = Field(None, description="Slug of the locality (or give postal_code)")
    languages: list[str] = Field(..., description="ISO 639 codes, e.g. ['sv', 'ar']")
    help_types: list[str] = Field(..., description="Slugs, e.g. ['handla', 'ledsagning']")
    skills: list[str] = []
    availability: list[str] = Field([], description="'<ISO weekday>-<slot>', e.g. '1-morning'")
    max_requests_per_week: int = 1
    max_distance_km: int = 10
    organization: uuid_module.UUID | None = None
    consent: bool = Field(..., description="The person agrees to the consent text")
    language: Literal["sv", "en"] = "sv"
    campaign: str | None = Field(None, description="Slug of an open campaign")
    answers: dict[str, str] = {}


class SignUpOut(Schema):
    detail: str
    channel: Literal["email", "sms"]


@router.post(
    "/volunteers",
    response={202: SignUpOut},
    summary="Sign up as a volunteer",
    description=(
        "Sends a personal link to the e-mail address (or by SMS to the mobile number) that "
        "confirms the sign-up. The answer is the same whether or not the address was known."
    ),
)
def sign_up(request, payload: SignUpIn):
    with rate_limits.SIGN_UPS.use(request, TooManySignUps):
        receipt = _sign_up_accept(request, payload)
    return Status(
        202,
        {
            "detail": _("Thank you! Open the link we sent you to confirm."),
            "channel": receipt.channel,
        },
    )


def _sign_up_accept(request, payload: SignUpIn):
    terms = signup_terms()  # from memory: no queries for the terms
    locality = None
    if payload.locality:
        [locality] = _known(terms.localities, [payload.locality], "locality")
    details = VolunteerDetails(
        full_name=payload.full_name,
        email=payload.email,
        phone=payload.phone,
        postal_code=payload.postal_code,
        locality=locality,
        languages=_known(terms.languages, payload.languages, "languages"),
        help_types=_known(terms.help_types, payload.help_types, "help_types"),
        skills=_known(terms.skills, payload.skills, "skills"),
        availability=tuple(payload.availability),
        max_requests_per_week=payload.max_requests_per_week,
        max_distance_km=payload.max_distance_km,
        organization=_one(
            Organization,
            payload.organization and str(payload.organization),
            "organization",
            key="uuid",
        ),
    )
    try:
        # Stored for a task worker (services.volunteer_intake): a surge of
        # sign-ups waits for one INSERT each, not for the e-mail.
        return volunteer_sign_up_accept(
            details=details,
            consent=payload.consent,
            language=payload.language,
            campaign=_one(Campaign, payload.campaign, "campaign"),
            answers=payload.answers,
            request=request,
        )
    except VolunteerError as error:
        _raise_as_field_error(error)


# --- Public: help requests -----------------------------------------------------------------


class HelpRequestIn(Schema):
    help_type: str = Field(..., description="Slug, e.g. 'handla'")
    resident_name: str = Field(..., max_length=120)
    resident_phone: str = Field(..., max_length=30)
    address: str = Field(..., max_length=200)
    postal_code: str = Field("", max_length=10)
    locality: str | None = None
    date: datetime.date
    time_from: datetime.time
    time_to: datetime.time
    recurrence: Literal["once", "weekly", "biweekly"] = "once"
    recurrence_until: datetime.date | None = None
    language: str | None = Field(
        None, description="ISO 639 code of a language the volunteer must speak"
    )
    volunteers_needed: int = 1
    notes: str = ""
    campaign: str | None = None
    preferred_organization: uuid_module.UUID | None = None
    receipt_language: Literal["sv", "en"] = "sv"


class HelpRequestOut(Schema):
    id: uuid_module.UUID
    reference: str
    status: str


class TooManySignUps(DomainError):
    message = gettext_lazy("Too many sign-ups from this address in an hour. Please try later.")
    status_code = 429
    code = "too_many_requests"


class TooManyHelpRequests(DomainError):
    message = gettext_lazy(
        "Too many requests for help from this address in an hour. Please call us instead."
    )
    status_code = 429
    code = "too_many_requests"


@router.post(
    "/help-requests",
    response={201: HelpRequestOut},
    summary="Ask for help",
    description=(
        "Files a request for help; the resident gets an SMS receipt with the reference. "
        "Do not write health details in the notes."
    ),
)
def help_request_create(request, payload: HelpRequestIn):
    from tillsammans.volunteering.services.requests import (
        InvalidHelpRequest,
        TimeWindow,
    )
    from tillsammans.volunteering.services.requests import (
        help_request_create as create,
    )

    if rate_limits.HELP_REQUESTS.exceeded(request):
        raise TooManyHelpRequests()
    try:
        help_request = create(
            actor=None,
            help_type=_one(HelpType, payload.help_type, "help_type"),
            resident_name=payload.resident_name,
            resident_phone=payload.resident_phone,
            address=payload.address,
            window=TimeWindow(
                date=payload.date, time_from=payload.time_from, time_to=payload.time_to
            ),
            locality=_one(Locality, payload.locality, "locality"),
            postal_code=payload.postal_code,
            recurrence=Recurrence(payload.recurrence),
            recurrence_until=payload.recurrence_until,
            language=_one(Language, payload.language, "language", key="code"),
            volunteers_needed=payload.volunteers_needed,
            notes=payload.notes,
            campaign=_one(Campaign, payload.campaign, "campaign"),
            preferred_organization=_one(
                Organization,
                payload.preferred_organization and str(payload.preferred_organization),
                "preferred_organization",
                key="uuid",
                queryset=Organization.objects.public(),
            ),
            receipt_language=payload.receipt_language,
            request=request,
        )
    except InvalidHelpRequest as error:
        _raise_as_field_error(error)
    rate_limits.HELP_REQUESTS.count(request)
    return Status(
        201,
        {
            "id": help_request.uuid,
            "reference": help_request.reference,
            "status": help_request.status,
        },
    )


# --- Coordinators ----------------------------------------------------------------------


def _coordinator(request):
    if not request.auth.has_perm("volunteering.coordinate"):
        raise PermissionDenied
    return request.auth


def _campaign_filter(slug: str | None) -> Campaign | None:
    if not slug:
        return None
    return get_object_or_404(Campaign, slug=slug)


def _window(limit: int, offset: int) -> tuple[int, int]:
    return max(0, offset), max(1, min(limit, MAX_PAGE))


class Ref(Schema):
    id: uuid_module.UUID
    name: str


class OpenRequestOut(Schema):
    id: uuid_module.UUID
    reference: str
    help_type: str
    locality: str
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    recurrence: str
    language: str | None
    volunteers_needed: int
    remaining_need: int
    proposals: int
    campaign: str | None


@coordination.get(
    "/requests",
    response=list[OpenRequestOut],
    summary="Open requests that still need volunteers",
    description="Soonest first; without the resident's personal details.",
)
def open_requests(request, campaign: str | None = None, limit: int = 50, offset: int = 0):
    _coordinator(request)
    offset, limit = _window(limit, offset)
    rows = offer_selectors.requests_for_coordination(campaign=_campaign_filter(campaign))
    return [
        {
            "id": r.uuid,
            "reference": r.reference,
            "help_type": r.help_type.slug,
            "locality": r.locality.slug,
            "starts_at": r.starts_at,
            "ends_at": r.ends_at,
            "recurrence": r.recurrence,
            "language": r.language.code if r.language_id else None,
            "volunteers_needed": r.volunteers_needed,
            "remaining_need": r.remaining_need,
            "proposals": r.proposals,
            "campaign": r.campaign.slug if r.campaign_id else None,
        }
        for r in rows[offset : offset + limit]
    ]


class MatchingRunIn(Schema):
    campaign: str | None = Field(None, description="Slug of an open campaign; none: all")


class MatchingRunOut(Schema):
    requests: int
    volunteers: int
    proposals: int
    unmatched_places: int
    replaced_proposals: int
    proven_optimal: bool | None


@coordination.post(
    "/matching-runs",
    response={201: MatchingRunOut},
    summary="Run the matching",
    description=(
        "Proposes volunteers for the open requests of a campaign (or all), replacing "
        "earlier unconfirmed proposals. Nothing is sent until a proposal is confirmed."
    ),
)
def run_matching(request, payload: MatchingRunIn):
    actor = _coordinator(request)
    campaign = _one(
        Campaign,
        payload.campaign,
        "campaign",
        queryset=Campaign.objects.filter(status=Campaign.Status.OPEN),
    )
    result = matching.matching_run(actor=actor, campaign=campaign, request=request)
    return Status(
        201,
        {
            "requests": result.requests,
            "volunteers": result.volunteers,
            "proposals": result.proposals,
            "unmatched_places": result.unmatched_places,
            "replaced_proposals": result.replaced,
            "proven_optimal": result.stats.get("proven_optimal"),
        },
    )


class Reason(Schema):
    code: str
    params: list
    text: str


class RunnerUp(Schema):
    volunteer: Ref | None
    score: int | None
    reasons: list[Reason]


class OfferOut(Schema):
    id: uuid_module.UUID
    status: str
    request: Ref
    volunteer: Ref
    score: int
    reasons: list[Reason]
    runner_up: RunnerUp | None
    sent_at: datetime.datetime | None
    respond_by: datetime.datetime | None
    responded_at: datetime.datetime | None


def _reasons(raw, languages) -> list[dict]:
    return [
        {
            "code": str(reason[0]) if reason else "",
            "params": list(reason[1:]) if reason else [],
            "text": matching.reason_text(reason, languages),
        }
        for reason in raw or []
    ]


def _offers_out(offers: list[Offer]) -> list[dict]:
    explanations = [o.explanation if isinstance(o.explanation, dict) else {} for o in offers]
    runner_ids = {(e.get("runner_up") or {}).get("volunteer_id") for e in explanations} - {None}
    runners = {
        v["pk"]: v
        for v in Volunteer.objects.filter(pk__in=runner_ids).values("pk", "uuid", "full_name")
    }
    languages = matching.language_names() if offers else {}
    out = []
    for offer, explanation in zip(offers, explanations, strict=True):
        runner_up = explanation.get("runner_up")
        runner = runners.get((runner_up or {}).get("volunteer_id"))
        out.append(
            {
                "id": offer.uuid,
                "status": offer.status,
                "request": {"id": offer.request.uuid, "name": offer.request.reference},
                "volunteer": {"id": offer.volunteer.uuid, "name": offer.volunteer.full_name},
                "score": offer.score,
                "reasons": _reasons(explanation.get("reasons"), languages),
                "runner_up": None
                if runner_up is None
                else {
                    "volunteer": {"id": runner["uuid"], "name": runner["full_name"]}
                    if runner
                    else None,
                    "score": runner_up.get("score"),
                    "reasons": _reasons(runner_up.get("reasons"), languages),
                },
                "sent_at": offer.sent_at,
                "respond_by": offer.respond_by,
                "responded_at": offer.responded_at,
            }
        )
    return out


@coordination.get(
    "/proposals",
    response=list[OfferOut],
    summary="Proposals waiting for review",
    description="Grouped by request, best first, each with why and what the runner-up lacked.",
)
def proposals(request, campaign: str | None = None, limit: int = 100, offset: int = 0):
    _coordinator(request)
    offset, limit = _window(limit, offset)
    rows = offer_selectors.proposals_for_review(campaign=_campaign_filter(campaign))
    return _offers_out(list(rows[offset : offset + limit]))


def _offer(uuid) -> Offer:
    return get_object_or_404(Offer.objects.select_related("request", "volunteer"), uuid=uuid)


@coordination.post(
    "/proposals/{uuid}/confirm",
    response=OfferOut,
    summary="Confirm a proposal: send it to the volunteer",
)
def proposal_confirm(request, uuid: uuid_module.UUID):
    actor = _coordinator(request)
    offer = offer_services.offer_send(offer=_offer(uuid), actor=actor, request=request)
    return _offers_out([_offer(offer.uuid)])[0]


@coordination.post(
    "/proposals/{uuid}/reject",
    response=OfferOut,
    summary="Reject a proposal: that volunteer is not asked for this request",
)
def proposal_reject(request, uuid: uuid_module.UUID):
    actor = _coordinator(request)
    offer = offer_services.offer_reject(offer=_offer(uuid), actor=actor, request=request)
    return _offers_out([_offer(offer.uuid)])[0]


@coordination.get(
    "/offers",
    response=list[OfferOut],
    summary="Offers waiting for an answer or accepted",
)
def offers(
    request,
    status: Literal["sent", "accepted"] | None = None,
    campaign: str | None = None,
    limit: int = 100,
    offset: int = 0,
):
    _coordinator(request)
    offset, limit = _window(limit, offset)
    statuses = (status,) if status else Offer.HOLDING
    rows = offer_selectors.offers_for_coordinators(
        statuses=statuses, campaign=_campaign_filter(campaign)
    )
    return _offers_out(list(rows[offset : offset + limit]))


class WithdrawIn(Schema):
    reason: str = Field("", max_length=200)


@coordination.post(
    "/offers/{uuid}/withdraw",
    response=OfferOut,
    summary="Withdraw an offer; the volunteer is told",
)
def offer_withdraw(request, uuid: uuid_module.UUID, payload: WithdrawIn):
    actor = _coordinator(request)
    offer = offer_services.offer_withdraw(
        offer=_offer(uuid), actor=actor, request=request, reason=payload.reason
    )
    return _offers_out([_offer(offer.uuid)])[0]


router.add_router("/coordination/", coordination)
