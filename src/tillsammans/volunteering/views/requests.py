"""Pages for help requests: asking for help (no account needed), a resident's
own requests, and the coordinators' list, phone form and detail page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import translation
from django.utils.translation import gettext as _

from tillsammans.audit.models import AuditEntry
from tillsammans.audit.services import audit_record
from tillsammans.core.errors import DomainError
from tillsammans.core.permissions import permission_required
from tillsammans.notifications.addresses import mask_phone
from tillsammans.volunteering import rate_limits
from tillsammans.volunteering.forms.requests import CancelForm, HelpRequestForm, RequestFilterForm
from tillsammans.volunteering.models import Campaign, HelpRequest
from tillsammans.volunteering.selectors import requests as selectors
from tillsammans.volunteering.services import requests as services

# Requests one address (a home, a care home's network) may send in an hour.
RATE_LIMIT = rate_limits.HELP_REQUESTS_PER_HOUR
SENT_SESSION_KEY = "volunteering_help_request_sent"
PAGE_SIZE = 50


def apply_domain_error(form, error: DomainError) -> None:
    """Show a service's error next to its field, or above the form."""
    field = getattr(error, "field", None)
    visible = field in form.fields and not form.fields[field].widget.is_hidden
    form.add_error(field if visible else None, str(error))


def _campaign_of(request) -> Campaign | None:
    slug = request.POST.get("campaign") or request.GET.get("campaign")
    if not slug:
        return None
    return Campaign.objects.prefetch_related("help_types").filter(slug=slug).first()


# --- Residents ---------------------------------------------------------------------------


def help_request_new(request):
    """Ask for help. Anyone may; a signed-in resident's request is linked to
    their account so they can follow and cancel it."""
    if request.method == "POST" and rate_limits.HELP_REQUESTS.exceeded(request):
        return render(request, "volunteering/request_too_many.html", status=429)
    campaign = _campaign_of(request)
    initial = {}
    if request.user.is_authenticated and not request.user.has_perm("volunteering.coordinate"):
        initial["resident_name"] = request.user.full_name
    form = HelpRequestForm(
        request.POST or None,
        campaign=campaign if campaign and campaign.is_open else None,
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        try:
            help_request = services.help_request_create(
                actor=request.user,
                receipt_language=translation.get_language(),
                request=request,
                **form.service_arguments(),
            )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            rate_limits.HELP_REQUESTS.count(request)
            request.session[SENT_SESSION_KEY] = str(help_request.uuid)
            return redirect("volunteering:help_request_sent")
    context = {"form": form, "campaign": campaign}
    return render(request, "volunteering/request_form.html", context)


def help_request_sent(request):
    """The receipt: the reference and what happens next (only in the session
    that sent the request; no personal details beyond a masked number)."""
    uuid = request.session.get(SENT_SESSION_KEY)
    help_request = (
        HelpRequest.objects.select_related("help_type", "campaign").filter(uuid=uuid).first()
        if uuid
        else None
    )
    if help_request is None:
        return redirect("volunteering:help_request_new")
    context = {
        "help_request": help_request,
        "sms_sent": services.can_receive_sms(help_request.resident_phone),
        "masked_phone": mask_phone(help_request.resident_phone),
    }
    return render(request, "volunteering/request_sent.html", context)


@permission_required("volunteering.view_own_help_requests")
def my_help_requests(request):
    help_requests = selectors.help_requests_of_user(request.user)
    return render(request, "volunteering/request_mine.html", {"help_requests": help_requests})


@login_required
def help_request_cancel(request, uuid):
    """Cancel with a reason: the resident who asked, or a coordinator. Anyone
    else is told the request does not exist."""
    help_request = get_object_or_404(
        HelpRequest.objects.select_related("help_type", "locality"), uuid=uuid
    )
    if not request.user.has_perm("volunteering.cancel_help_request", help_request):
        raise Http404
    is_coordinator = request.user.has_perm("volunteering.coordinate")
    back = (
        reverse("volunteering:staff_help_request", args=[help_request.uuid])
        if is_coordinator
        else reverse("volunteering:my_help_requests")
    )
    form = CancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.help_request_cancel(
                help_request=help_request,
                actor=request.user,
                reason=form.cleaned_data["reason"],
                request=request,
            )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(
                request,
                _("Request %(reference)s is cancelled.") % {"reference": help_request.reference},
            )
            return redirect(back)
    context = {"form": form, "help_request": help_request, "back": back}
    return render(request, "volunteering/request_cancel.html", context)


# --- Coordinators -------------------------------------------------------------------------


@permission_required("volunteering.coordinate")
def staff_help_requests(request):
    form = RequestFilterForm(request.GET or None)
    page = Paginator(selectors.requests_for_coordinator(**form.filters()), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "query": query.urlencode()}
    return render(request, "volunteering/request_list.html", context)


@permission_required("volunteering.take_request_by_phone")
def staff_help_request_new(request):
    form = HelpRequestForm(request.POST or None, by_phone=True)
    if request.method == "POST" and form.is_valid():
        try:
            help_request = services.help_request_create(
                actor=request.user, by_phone=True, request=request, **form.service_arguments()
            )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(
                request,
                _(
                    "Request %(reference)s is registered. Give the resident the reference "
                    "and tell them a coordinator will call when a volunteer is found."
                )
                % {"reference": help_request.reference},
            )
            return redirect("volunteering:staff_help_request", help_request.uuid)
    return render(request, "volunteering/request_form.html", {"form": form, "by_phone": True})


@permission_required("volunteering.coordinate")
def staff_help_request(request, uuid):
    """The resident's details. Every view is a read in the audit log."""
    help_request = get_object_or_404(selectors.help_request_for_coordinator(uuid))
    audit_record(
        actor=request.user, action=AuditEntry.Action.READ, target=help_request, request=request
    )
    context = {
        "help_request": help_request,
        "cancellation": selectors.help_request_cancellation(help_request),
        "cancellable": help_request.status in (HelpRequest.Status.OPEN, HelpRequest.Status.MATCHED),
    }
    return render(request, "volunteering/request_detail.html", context)


urlpatterns = [
    path("help/", help_request_new, name="help_request_new"),
    path("help/sent/", help_request_sent, name="help_request_sent"),
    path("help/mine/", my_help_requests, name="my_help_requests"),
    path("help/<uuid:uuid>/cancel/", help_request_cancel, name="help_request_cancel"),
    path("staff/help-requests/", staff_help_requests, name="staff_help_requests"),
    path("staff/help-requests/new/", staff_help_request_new, name="staff_help_request_new"),
    path("staff/help-requests/<uuid:uuid>/", staff_help_request, name="staff_help_request"),
]
