"""Pages for campaigns: the public campaign page, and the coordinators' list,
opening form, campaign page with live counters, closing and standing down."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from tillsammans.core.errors import DomainError
from tillsammans.core.permissions import permission_required
from tillsammans.volunteering.forms.campaigns import (
    CampaignForm,
    QuestionFormSet,
    StandDownForm,
    question_specs,
)
from tillsammans.volunteering.selectors import campaigns as selectors
from tillsammans.volunteering.services import campaigns as services
from tillsammans.volunteering.views.requests import apply_domain_error


def _sign_up_url(campaign) -> str:
    return reverse("volunteering:campaign_signup", args=[campaign.slug])


def campaign_public(request, slug):
    campaign = get_object_or_404(selectors.campaign_public(slug))
    context = {"campaign": campaign, "sign_up_url": _sign_up_url(campaign)}
    return render(request, "volunteering/campaign_public.html", context)


@permission_required("volunteering.manage_campaigns")
def staff_campaigns(request):
    campaigns = selectors.campaigns_for_staff()
    return render(request, "volunteering/campaign_list.html", {"campaigns": campaigns})


@permission_required("volunteering.manage_campaigns")
def staff_campaign_new(request):
    form = CampaignForm(request.POST or None)
    questions = QuestionFormSet(request.POST or None, prefix="questions")
    if request.method == "POST" and form.is_valid() and questions.is_valid():
        try:
            campaign = services.campaign_open(
                actor=request.user,
                questions=question_specs(questions),
                request=request,
                **form.service_arguments(),
            )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            public_path = reverse("volunteering:campaign", args=[campaign.slug])
            messages.success(
                request,
                _("The campaign “%(title)s” is open. Its public page: %(path)s")
                % {"title": campaign.title, "path": public_path},
            )
            return redirect("volunteering:staff_campaign", campaign.slug)
    context = {"form": form, "questions": questions}
    return render(request, "volunteering/campaign_form.html", context)


@permission_required("volunteering.manage_campaigns")
def staff_campaign(request, slug):
    """The campaign with its live counters; htmx refreshes only the counters."""
    campaign = get_object_or_404(selectors.campaign_for_staff(slug))
    template = "volunteering/campaign_staff.html"
    if request.headers.get("HX-Request"):
        template += "#counters"
    context = {"campaign": campaign, "sign_up_url": _sign_up_url(campaign)}
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


@permission_required("volunteering.manage_campaigns")
@require_http_methods(["GET", "POST"])
def staff_campaign_close(request, slug):
    campaign = get_object_or_404(selectors.campaign_for_staff(slug))
    if request.method == "POST":
        try:
            services.campaign_close(campaign=campaign, actor=request.user, request=request)
        except DomainError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                _(
                    "The campaign “%(title)s” is closed: no more sign-ups or requests, and "
                    "the banner is gone."
                )
                % {"title": campaign.title},
            )
        return redirect("volunteering:staff_campaign", campaign.slug)
    return render(request, "volunteering/campaign_close.html", {"campaign": campaign})


@permission_required("volunteering.manage_campaigns")
def staff_campaign_stand_down(request, slug):
    campaign = get_object_or_404(selectors.campaign_for_staff(slug))
    form = StandDownForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            result = services.campaign_stand_down(
                campaign=campaign,
                actor=request.user,
                message=form.cleaned_data["message"],
                request=request,
            )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            text = ngettext(
                "The message is on its way to %(count)d volunteer.",
                "The message is on its way to %(count)d volunteers.",
                result.queued,
            ) % {"count": result.queued}
            if result.already_told:
                text += " " + ngettext(
                    "%(count)d had already been stood down and gets nothing new.",
                    "%(count)d had already been stood down and get nothing new.",
                    result.already_told,
                ) % {"count": result.already_told}
            if result.unreachable:
                text += " " + ngettext(
                    "%(count)d has no address we can reach.",
                    "%(count)d have no address we can reach.",
                    result.unreachable,
                ) % {"count": result.unreachable}
            messages.success(request, text)
            return redirect("volunteering:staff_campaign", campaign.slug)
    context = {"campaign": campaign, "form": form}
    return render(request, "volunteering/campaign_stand_down.html", context)


urlpatterns = [
    path("campaigns/<slug:slug>/", campaign_public, name="campaign"),
    path("staff/campaigns/", staff_campaigns, name="staff_campaigns"),
    path("staff/campaigns/new/", staff_campaign_new, name="staff_campaign_new"),
    path("staff/campaigns/<slug:slug>/", staff_campaign, name="staff_campaign"),
    path("staff/campaigns/<slug:slug>/close/", staff_campaign_close, name="staff_campaign_close"),
    path(
        "staff/campaigns/<slug:slug>/stand-down/",
        staff_campaign_stand_down,
        name="staff_campaign_stand_down",
    ),
]
