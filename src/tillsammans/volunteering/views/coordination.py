"""Coordinators' pages: open requests, running the matching, reviewing its
proposals, offers waiting for an answer, and volunteers' concerns. Every
page works without JavaScript (plain forms that POST and redirect)."""

from __future__ import annotations

import uuid as uuid_module

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from tillsammans.core.errors import DomainError
from tillsammans.core.permissions import permission_required
from tillsammans.volunteering.forms.offers import (
    CampaignFilterForm,
    MatchingRunForm,
    ProposalEditForm,
    WithdrawForm,
)
from tillsammans.volunteering.models import Concern, Offer, Volunteer
from tillsammans.volunteering.selectors import offers as selectors
from tillsammans.volunteering.services import matching_run as matching
from tillsammans.volunteering.services import offers as services

PER_PAGE = 50
COORDINATE = "volunteering.coordinate"


def _campaign_filter(request) -> tuple[CampaignFilterForm, object]:
    form = CampaignFilterForm(request.GET or None)
    campaign = form.cleaned_data.get("campaign") if form.is_valid() else None
    return form, campaign


def _with_campaign(url_name: str, campaign) -> str:
    url = reverse(url_name)
    return f"{url}?campaign={campaign.slug}" if campaign else url


def _page(request, queryset, per_page=PER_PAGE):
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))


@permission_required(COORDINATE)
def coordination_home(request):
    filter_form, campaign = _campaign_filter(request)
    page = _page(request, selectors.requests_for_coordination(campaign=campaign))
    context = {
        "filter_form": filter_form,
        "campaign": campaign,
        "page": page,
        "run_form": MatchingRunForm(initial={"campaign": campaign}),
        "proposal_count": selectors.proposals_for_review(campaign=campaign).count(),
    }
    return render(request, "volunteering/coordination_home.html", context)


@permission_required(COORDINATE)
@require_POST
def coordination_run(request):
    form = MatchingRunForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a campaign that is open, or all open requests."))
        return redirect("volunteering:coordination")
    campaign = form.cleaned_data["campaign"]
    result = matching.matching_run(actor=request.user, campaign=campaign, request=request)
    messages.success(
        request,
        ngettext(
            "Matching proposed %(proposals)s volunteer for %(requests)s open requests; "
            "%(unmatched)s places remain without a candidate.",
            "Matching proposed %(proposals)s volunteers for %(requests)s open requests; "
            "%(unmatched)s places remain without a candidate.",
            result.proposals,
        )
        % {
            "proposals": result.proposals,
            "requests": result.requests,
            "unmatched": result.unmatched_places,
        },
    )
    return redirect(_with_campaign("volunteering:coordination_proposals", campaign))


def _annotate_explanations(offers: list[Offer]) -> None:
    """Attach the translated reasons, and the runner-up's name (one query)."""
    runner_ids = {
        (o.explanation.get("runner_up") or {}).get("volunteer_id")
        for o in offers
        if isinstance(o.explanation, dict)
    } - {None}
    names = dict(Volunteer.objects.filter(pk__in=runner_ids).values_list("pk", "full_name"))
    languages = matching.language_names() if offers else {}
    for offer in offers:
        offer.why, offer.lacked = matching.explanation_lines(offer.explanation, languages)
        runner_up = (offer.explanation or {}).get("runner_up") or {}
        offer.runner_up_name = names.get(runner_up.get("volunteer_id"), "")


@permission_required(COORDINATE)
def coordination_proposals(request):
    filter_form, campaign = _campaign_filter(request)
    page = _page(request, selectors.proposals_for_review(campaign=campaign), per_page=100)
    page.object_list = list(page.object_list)
    _annotate_explanations(page.object_list)
    context = {"filter_form": filter_form, "campaign": campaign, "page": page}
    return render(request, "volunteering/coordination_proposals.html", context)


def _back_to_proposals(request):
    campaign_slug = request.POST.get("campaign", "")
    url = reverse("volunteering:coordination_proposals")
    return redirect(f"{url}?campaign={campaign_slug}" if campaign_slug else url)


def _proposal(uuid) -> Offer:
    return get_object_or_404(
        Offer.objects.select_related("request", "volunteer", "request__help_type"), uuid=uuid
    )


@permission_required(COORDINATE)
@require_POST
def coordination_proposal_send(request, uuid):
    offer = _proposal(uuid)
    try:
        services.offer_send(offer=offer, actor=request.user, request=request)
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("The request was sent to %(name)s.") % {"name": offer.volunteer.full_name},
        )
    return _back_to_proposals(request)


@permission_required(COORDINATE)
@require_POST
def coordination_proposal_reject(request, uuid):
    offer = _proposal(uuid)
    try:
        services.offer_reject(offer=offer, actor=request.user, request=request)
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("%(name)s will not be asked for this request.") % {"name": offer.volunteer.full_name},
        )
    return _back_to_proposals(request)


@permission_required(COORDINATE)
@require_POST
def coordination_proposals_send_all(request):
    uuids = request.POST.getlist("offer")[:200]
    offers = list(
        Offer.objects.filter(
            uuid__in=_valid_uuids(uuids), status=Offer.Status.PROPOSED
        ).select_related("request", "volunteer")
    )
    result = services.offers_send_all(offers=offers, actor=request.user, request=request)
    if result.sent:
        messages.success(
            request,
            ngettext(
                "%(count)s request was sent.", "%(count)s requests were sent.", len(result.sent)
            )
            % {"count": len(result.sent)},
        )
    for offer, error in result.failed:
        messages.error(request, f"{offer.request.reference}: {error}")
    if not offers:
        messages.info(request, _("There was no proposal to send."))
    return _back_to_proposals(request)


def _valid_uuids(values: list[str]) -> list[str]:
    valid = []
    for value in values:
        try:
            valid.append(str(uuid_module.UUID(value)))
        except ValueError:
            continue
    return valid


def _candidate_label(candidate, languages) -> str:
    why, _lacked = matching.explanation_lines(candidate.explanation, languages)
    return _("%(name)s (%(locality)s) – %(reasons)s – score %(score)s") % {
        "name": candidate.volunteer.full_name,
        "locality": candidate.volunteer.locality.name,
        "reasons": ", ".join(why),
        "score": candidate.score,
    }


@permission_required(COORDINATE)
def coordination_proposal_edit(request, uuid):
    offer = _proposal(uuid)
    if offer.status != Offer.Status.PROPOSED:
        messages.error(request, str(services.OfferNotProposed(status=offer.get_status_display())))
        return redirect("volunteering:coordination_proposals")
    candidates = matching.request_candidates(
        help_request=offer.request, limit=matching.SHORT_LIST, include_proposed=False
    )
    by_uuid = {str(c.volunteer.uuid): c for c in candidates}
    languages = matching.language_names()
    form = ProposalEditForm(
        request.POST if request.method == "POST" else None,
        choices=[(key, _candidate_label(c, languages)) for key, c in by_uuid.items()],
    )
    if request.method == "POST" and form.is_valid():
        chosen = by_uuid[form.cleaned_data["volunteer"]]
        try:
            services.proposal_replace(
                offer=offer, volunteer=chosen.volunteer, actor=request.user, request=request
            )
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _("%(name)s is proposed instead.") % {"name": chosen.volunteer.full_name},
            )
            return redirect("volunteering:coordination_proposals")
    context = {"offer": offer, "form": form, "candidates": candidates}
    return render(request, "volunteering/coordination_proposal_edit.html", context)


@permission_required(COORDINATE)
def coordination_offers(request):
    filter_form, campaign = _campaign_filter(request)
    page = _page(request, selectors.offers_for_coordinators(campaign=campaign))
    context = {"filter_form": filter_form, "campaign": campaign, "page": page}
    return render(request, "volunteering/coordination_offers.html", context)


@permission_required(COORDINATE)
@require_POST
def coordination_offer_withdraw(request, uuid):
    offer = get_object_or_404(Offer.objects.select_related("volunteer"), uuid=uuid)
    form = WithdrawForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        services.offer_withdraw(offer=offer, actor=request.user, request=request, reason=reason)
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("The offer to %(name)s was withdrawn and they have been told.")
            % {"name": offer.volunteer.full_name},
        )
    return redirect("volunteering:coordination_offers")


@permission_required(COORDINATE)
def coordination_concerns(request):
    status = request.GET.get("status") or Concern.Status.OPEN
    if status not in Concern.Status.values:
        status = Concern.Status.OPEN
    page = _page(request, selectors.concerns_for_coordinators(status=status))
    context = {"page": page, "status": status, "statuses": Concern.Status.choices}
    return render(request, "volunteering/coordination_concerns.html", context)


@permission_required(COORDINATE)
@require_POST
def coordination_concern_handle(request, uuid):
    concern = get_object_or_404(Concern, uuid=uuid)
    try:
        services.concern_mark_handled(concern=concern, actor=request.user, request=request)
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The concern is marked as handled."))
    return redirect("volunteering:coordination_concerns")


urlpatterns = [
    path("staff/coordination/", coordination_home, name="coordination"),
    path("staff/coordination/run/", coordination_run, name="coordination_run"),
    path("staff/coordination/proposals/", coordination_proposals, name="coordination_proposals"),
    path(
        "staff/coordination/proposals/send-all/",
        coordination_proposals_send_all,
        name="coordination_proposals_send_all",
    ),
    path(
        "staff/coordination/proposals/<uuid:uuid>/send/",
        coordination_proposal_send,
        name="coordination_proposal_send",
    ),
    path(
        "staff/coordination/proposals/<uuid:uuid>/reject/",
        coordination_proposal_reject,
        name="coordination_proposal_reject",
    ),
    path(
        "staff/coordination/proposals/<uuid:uuid>/edit/",
        coordination_proposal_edit,
        name="coordination_proposal_edit",
    ),
    path("staff/coordination/offers/", coordination_offers, name="coordination_offers"),
    path(
        "staff/coordination/offers/<uuid:uuid>/withdraw/",
        coordination_offer_withdraw,
        name="coordination_offer_withdraw",
    ),
    path("staff/coordination/concerns/", coordination_concerns, name="coordination_concerns"),
    path(
        "staff/coordination/concerns/<uuid:uuid>/handle/",
        coordination_concern_handle,
        name="coordination_concern_handle",
    ),
]
