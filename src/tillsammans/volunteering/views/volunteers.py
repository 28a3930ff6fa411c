"""Pages for volunteers (sign-up, the personal link, their own page) and the
coordinators' list and page of a volunteer.

A volunteer needs no account: their pages serve ``current_volunteer(request)``
(the volunteer of the signed-in user, or of the personal link opened in this
session). Without one, they lead to the page that sends the link again.
"""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tillsammans.core.permissions import permission_required
from tillsammans.core.phone import mask_phone
from tillsammans.notifications.addresses import mask_email
from tillsammans.volunteering import rate_limits
from tillsammans.volunteering.forms.volunteers import (
    CampaignJoinForm,
    LinkRequestForm,
    PauseForm,
    SafeguardingCheckForm,
    VolunteerFilterForm,
    VolunteerForm,
    VolunteerSignUpForm,
    volunteer_initial,
)
from tillsammans.volunteering.models import VolunteerStatus
from tillsammans.volunteering.selectors import volunteers as selectors
from tillsammans.volunteering.services import volunteer_intake as intake_services
from tillsammans.volunteering.services import volunteer_link as link_services
from tillsammans.volunteering.services import volunteer_profile as profile_services
from tillsammans.volunteering.services import volunteer_signup as signup_services
from tillsammans.volunteering.services.campaigns import CampaignClosed
from tillsammans.volunteering.services.volunteer_details import VolunteerError

SENT_SESSION_KEY = "volunteering_signup_sent"
PAGE_SIZE = 50


def volunteer_required(view):
    """The page serves the current volunteer; without one, it leads to the
    page that sends the personal link again."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        volunteer = selectors.current_volunteer(request)
        if volunteer is None:
            return redirect("volunteering:volunteer_link_request")
        return view(request, volunteer, *args, **kwargs)

    return wrapper


# --- Sign-up ---------------------------------------------------------------------------


def _campaign_closed(request, campaign, *, status=200):
    return render(
        request,
        "volunteering/volunteer_campaign_closed.html",
        {"campaign": campaign},
        status=status,
    )


def signup(request, slug=None):
    campaign = None
    if slug is not None:
        campaign = get_object_or_404(selectors.campaign_for_signup(slug))
        if not campaign.is_open:
            return _campaign_closed(request, campaign)
    volunteer = selectors.current_volunteer(request)
    if volunteer is not None:
        if campaign is not None:
            return campaign_join(request, volunteer, campaign)
        messages.info(request, _("You are already signed up as a volunteer. Here is your page."))
        return redirect("volunteering:volunteer_profile")
    if request.method == "POST" and rate_limits.SIGN_UPS.exceeded(request):
        return render(request, "volunteering/volunteer_signup_too_many.html", status=429)
    initial = {}
    if request.user.is_authenticated:
        initial = {"full_name": request.user.full_name, "email": request.user.email}
    form = VolunteerSignUpForm(request.POST or None, campaign=campaign, initial=initial)
    if request.method == "POST" and form.is_valid():
        arguments = {
            "details": form.details(),
            "consent": form.cleaned_data["consent"],
            "language": request.LANGUAGE_CODE,
            "campaign": campaign,
            "answers": form.answers(),
            "request": request,
        }
        try:
            if request.user.is_authenticated:
                receipt = signup_services.volunteer_sign_up(actor=request.user, **arguments)
            else:
                # Stored for a task worker, so that a surge of sign-ups waits for
                # one short transaction each (services.volunteer_intake).
                receipt = intake_services.volunteer_sign_up_accept(**arguments)
        except signup_services.AlreadyVolunteer:
            messages.info(
                request, _("You are already signed up as a volunteer. Here is your page.")
            )
            return redirect("volunteering:volunteer_profile")
        except CampaignClosed:  # closed while the form was filled in
            return _campaign_closed(request, campaign, status=409)
        except VolunteerError as error:
            form.apply_error(error)
        else:
            rate_limits.SIGN_UPS.count(request)
            if receipt.active and receipt.volunteer.user_id == request.user.pk:
                messages.success(request, _("Welcome as a volunteer! You are signed up."))
                return redirect("volunteering:volunteer_profile")
            masked = (
                mask_email(receipt.address)
                if receipt.channel == "email"
                else mask_phone(receipt.address)
            )
            request.session[SENT_SESSION_KEY] = {"channel": receipt.channel, "address": masked}
            return redirect("volunteering:volunteer_signup_sent")
    context = {"form": form, "campaign": campaign}
    return render(request, "volunteering/volunteer_signup.html", context)


def campaign_join(request, volunteer, campaign):
    if campaign.signups.filter(volunteer=volunteer).exists():
        return render(
            request,
            "volunteering/volunteer_campaign_join.html",
            {"campaign": campaign, "already": True},
        )
    # A campaign without questions posts an empty form: bound all the same.
    form = CampaignJoinForm(request.POST if request.method == "POST" else None, campaign=campaign)
    if request.method == "POST" and form.is_valid():
        try:
            signup_services.volunteer_campaign_join(
                volunteer=volunteer, campaign=campaign, answers=form.answers(), request=request
            )
        except CampaignClosed:
            return _campaign_closed(request, campaign, status=409)
        except VolunteerError as error:
            form.apply_error(error)
        else:
            messages.success(
                request,
                _("You have joined “%(title)s”. Thank you!") % {"title": campaign.title},
            )
            return redirect("volunteering:volunteer_profile")
    context = {"campaign": campaign, "form": form, "already": False}
    return render(request, "volunteering/volunteer_campaign_join.html", context)


def signup_sent(request):
    sent = request.session.get(SENT_SESSION_KEY) or {}
    return render(request, "volunteering/volunteer_signup_sent.html", {"sent": sent})


def link_request(request):
    form = LinkRequestForm(request.POST or None)
    sent = False
    if request.method == "POST" and form.is_valid():
        try:
            link_services.volunteer_link_resend(address=form.cleaned_data["address"])
        except VolunteerError as error:
            form.add_error("address", str(error))
        else:
            sent = True
    return render(request, "volunteering/volunteer_link_request.html", {"form": form, "sent": sent})


def link_open(request, token):
    try:
        volunteer, confirmed = link_services.volunteer_link_open(token=token, actor=request.user)
    except link_services.LinkInvalid:
        return render(request, "volunteering/volunteer_link_invalid.html", status=404)
    selectors.remember_volunteer(request, volunteer)
    request.session.pop(SENT_SESSION_KEY, None)
    if confirmed:
        messages.success(
            request,
            _("Thank you! Your sign-up is confirmed. Keep the link: it takes you back here."),
        )
    # The page itself has an address without the secret, so it stays out of
    # browser history and referrers.
    return redirect("volunteering:volunteer_profile")


# --- The volunteer's own page ---------------------------------------------------------------


@volunteer_required
def profile(request, volunteer):
    volunteer = selectors.volunteer_for_self(volunteer)
    context = {
        "volunteer": volunteer,
        "paused": selectors.volunteer_is_paused(volunteer),
        "availability": selectors.availability_display(volunteer.availability),
        "needs_safeguarding": any(
            help_type.requires_safeguarding for help_type in volunteer.help_types.all()
        ),
    }
    return render(request, "volunteering/volunteer_profile.html", context)


@volunteer_required
def edit(request, volunteer):
    form = VolunteerForm(request.POST or None, initial=volunteer_initial(volunteer))
    if request.method == "POST" and form.is_valid():
        try:
            updated = profile_services.volunteer_update(
                volunteer=volunteer,
                details=form.details(),
                actor=request.user if request.user.is_authenticated else None,
                request=request,
            )
        except VolunteerError as error:
            form.apply_error(error)
        else:
            text = _("Your details are saved.")
            if not updated.is_verified:
                text = _(
                    "Your details are saved. Open the link we sent to your new address to "
                    "confirm it; until then we cannot ask you for help."
                )
            messages.success(request, text)
            return redirect("volunteering:volunteer_profile")
    return render(request, "volunteering/volunteer_edit.html", {"form": form})


@volunteer_required
def pause(request, volunteer):
    form = PauseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            profile_services.volunteer_pause(volunteer=volunteer, until=form.cleaned_data["until"])
        except VolunteerError as error:
            form.add_error("until" if error.field == "paused_until" else None, str(error))
        else:
            messages.success(request, _("You are paused. We will not ask you for help until then."))
            return redirect("volunteering:volunteer_profile")
    return render(request, "volunteering/volunteer_pause.html", {"form": form})


@require_POST
@volunteer_required
def resume(request, volunteer):
    try:
        profile_services.volunteer_resume(volunteer=volunteer)
    except VolunteerError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Welcome back! We may ask you for help again."))
    return redirect("volunteering:volunteer_profile")


@volunteer_required
def leave(request, volunteer):
    if request.method == "POST":
        profile_services.volunteer_leave(
            volunteer=volunteer,
            actor=request.user if request.user.is_authenticated else None,
            request=request,
        )
        selectors.forget_volunteer(request)
        messages.success(
            request,
            _(
                "You are no longer a volunteer, and your details are erased. "
                "Thank you for your help!"
            ),
        )
        return redirect("core:home")
    return render(request, "volunteering/volunteer_leave.html", {"volunteer": volunteer})


@require_POST
@volunteer_required
def export(request, volunteer):
    data = profile_services.volunteer_export(
        volunteer=volunteer,
        actor=request.user if request.user.is_authenticated else None,
        request=request,
    )
    response = HttpResponse(data, content_type="application/json; charset=utf-8")
    filename = f"tillsammans-volunteer-{timezone.localdate():%Y-%m-%d}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# --- Coordinators ------------------------------------------------------------------------------


@permission_required("volunteering.coordinate")
def staff_list(request):
    form = VolunteerFilterForm(request.GET or None)
    page = Paginator(selectors.volunteer_list(form.filters()), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "query": query.urlencode()}
    return render(request, "volunteering/volunteer_staff_list.html", context)


@permission_required("volunteering.coordinate")
def staff_detail(request, uuid):
    volunteer = get_object_or_404(selectors.volunteer_for_coordinator(uuid))
    if volunteer.status != VolunteerStatus.LEFT:  # one who left has no contact details
        profile_services.volunteer_contact_details_read(
            volunteer=volunteer, actor=request.user, request=request
        )
    context = {
        "volunteer": volunteer,
        "paused": selectors.volunteer_is_paused(volunteer),
        "availability": selectors.availability_display(volunteer.availability),
        "checks": selectors.safeguarding_checks_of(volunteer),
        "check_form": SafeguardingCheckForm(),
    }
    return render(request, "volunteering/volunteer_staff_detail.html", context)


urlpatterns = [
    path("volunteer/", signup, name="volunteer_signup"),
    path("volunteer/sent/", signup_sent, name="volunteer_signup_sent"),
    path("volunteer/link/", link_request, name="volunteer_link_request"),
    path("volunteer/me/", profile, name="volunteer_profile"),
    path("volunteer/me/edit/", edit, name="volunteer_edit"),
    path("volunteer/me/pause/", pause, name="volunteer_pause"),
    path("volunteer/me/resume/", resume, name="volunteer_resume"),
    path("volunteer/me/leave/", leave, name="volunteer_leave"),
    path("volunteer/me/export/", export, name="volunteer_export"),
    # After the fixed paths above: a token is never "edit" or "pause".
    path("volunteer/me/<str:token>/", link_open, name="volunteer_link"),
    path("volunteer/campaigns/<slug:slug>/", signup, name="campaign_signup"),
    path("staff/volunteers/", staff_list, name="volunteer_list"),
    path("staff/volunteers/<uuid:uuid>/", staff_detail, name="volunteer_detail"),
]
