"""Pages for inquiries: the public form, its receipt and the secret status
page; staff's triage list, case page and phone form."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Case, IntegerField, Value, When
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from tillsammans.core.errors import DomainError
from tillsammans.core.permissions import permission_required
from tillsammans.core.rate_limits import HourlyLimit
from tillsammans.inquiries.forms import CallBackForm, InquiryForm, RouteForm, TakeOverForm
from tillsammans.inquiries.models import Inquiry, InquiryStatus
from tillsammans.inquiries.services import inquiries as services

# Inquiries one network address may send in an hour.
SUBMISSIONS = HourlyLimit("inquiries", lambda: 10)
SENT_SESSION_KEY = "inquiries_sent"
TRIAGE_LIST_SIZE = 200


def apply_domain_error(form, error: DomainError) -> None:
    field = getattr(error, "field", None)
    visible = field in form.fields and not form.fields[field].widget.is_hidden
    form.add_error(field if visible else None, str(error))


def _submit(request, form, *, actor=None):
    try:
        return services.inquiry_submit(actor=actor, request=request, **form.service_arguments())
    except DomainError as error:
        apply_domain_error(form, error)
        return None


# --- The public -----------------------------------------------------------------------------


def inquiry_new(request):
    """“Vad vill du?” Anyone may ask; no account needed."""
    if request.method == "POST" and SUBMISSIONS.exceeded(request):
        return render(request, "inquiries/too_many.html", status=429)
    under_16 = (request.POST or request.GET).get("under_16") in ("1", "True", "true", "on")
    initial = {"language": "en" if translation.get_language() == "en" else "sv"}
    form = InquiryForm(request.POST or None, under_16=under_16, initial=initial)
    if request.method == "POST" and form.is_valid():
        submitted = _submit(request, form)
        if submitted is not None:
            SUBMISSIONS.count(request)
            request.session[SENT_SESSION_KEY] = {
                "uuid": str(submitted.inquiry.uuid),
                "status_url": submitted.status_url,
            }
            return redirect("inquiries:sent")
    return render(request, "inquiries/form.html", {"form": form, "under_16": under_16})


def inquiry_sent(request):
    """The receipt: the case number and the status link (only in the session that sent it)."""
    sent = request.session.get(SENT_SESSION_KEY) or {}
    inquiry = (
        Inquiry.objects.select_related("category").filter(uuid=sent.get("uuid")).first()
        if sent.get("uuid")
        else None
    )
    if inquiry is None:
        return redirect("inquiries:new")
    context = {"inquiry": inquiry, "status_url": sent.get("status_url", "")}
    return render(request, "inquiries/sent.html", context)


def inquiry_status(request, token):
    """The person's own inquiry, by the secret link: status, who has it, call-back done."""
    inquiry = services.inquiry_by_token(token)
    if inquiry is None:
        raise Http404
    return render(request, "inquiries/status.html", {"inquiry": inquiry})


# --- Staff ----------------------------------------------------------------------------------


@permission_required("inquiries.triage")
def triage_list(request):
    """Open inquiries, new and overdue first, then by due date."""
    today = timezone.localdate()
    inquiries = (
        Inquiry.objects.exclude(status=InquiryStatus.CLOSED)
        .select_related(
            "category", "routed_to_department", "routed_to_user", "routed_to_organization"
        )
        .annotate(
            urgency=Case(
                When(status=InquiryStatus.NEW, then=Value(0)),
                When(first_contact_at__isnull=True, first_contact_due__lt=today, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .order_by("urgency", "first_contact_due", "created_at")[:TRIAGE_LIST_SIZE]
    )
    return render(request, "inquiries/triage_list.html", {"inquiries": inquiries, "today": today})


def _visible_inquiry(request, uuid) -> Inquiry:
    inquiry = get_object_or_404(
        Inquiry.objects.select_related(
            "category",
            "routed_to_department",
            "routed_to_user",
            "routed_to_organization",
            "filed_by",
        ),
        uuid=uuid,
    )
    if not request.user.has_perm("inquiries.view_inquiry", inquiry):
        raise Http404
    return inquiry


@permission_required("accounts.view_staff_tools")
def inquiry_detail(request, uuid):
    """The case: what was asked, routing (triage), take over and call-backs (receivers)."""
    inquiry = _visible_inquiry(request, uuid)
    may_triage = request.user.has_perm("inquiries.triage")
    action = request.POST.get("action") if request.method == "POST" else None
    route_form = RouteForm(request.POST if action == "route" else None, prefix="route")
    callback_form = CallBackForm(request.POST if action == "callback" else None, prefix="callback")
    take_over_form = TakeOverForm(request.POST if action == "take_over" else None, prefix="take")
    if action == "route" and may_triage and route_form.is_valid():
        data = route_form.cleaned_data
        try:
            services.inquiry_route(
                inquiry=inquiry,
                actor=request.user,
                department=data.get("department"),
                user=data.get("user"),
                organization=data.get("organization"),
                note=data.get("note", ""),
                request=request,
            )
        except DomainError as error:
            apply_domain_error(route_form, error)
        else:
            messages.success(request, _("The inquiry is routed."))
            return redirect("inquiries:detail", uuid=inquiry.uuid)
    elif action == "callback" and callback_form.is_valid():
        try:
            services.callback_record(
                inquiry=inquiry,
                actor=request.user,
                outcome=callback_form.cleaned_data["outcome"],
                close=callback_form.cleaned_data["close"],
                request=request,
            )
        except DomainError as error:
            apply_domain_error(callback_form, error)
        else:
            messages.success(request, _("The call-back is recorded."))
            return redirect("inquiries:detail", uuid=inquiry.uuid)
    elif action == "take_over" and take_over_form.is_valid():
        try:
            services.inquiry_take_over(
                inquiry=inquiry,
                actor=request.user,
                note=take_over_form.cleaned_data["note"],
                request=request,
            )
        except DomainError as error:
            apply_domain_error(take_over_form, error)
        else:
            messages.success(request, _("The inquiry is yours now."))
            return redirect("inquiries:detail", uuid=inquiry.uuid)
    context = {
        "inquiry": inquiry,
        "may_triage": may_triage,
        "route_form": route_form,
        "callback_form": callback_form,
        "take_over_form": take_over_form,
        "handovers": inquiry.handovers.select_related(
            "from_department",
            "from_user",
            "from_organization",
            "to_department",
            "to_user",
            "to_organization",
            "by",
        ),
        "callbacks": inquiry.callbacks.select_related("by"),
        "is_open": inquiry.status != InquiryStatus.CLOSED,
    }
    return render(request, "inquiries/detail.html", context)


@permission_required("inquiries.file_by_phone")
def inquiry_by_phone(request):
    """Staff take a phone call and file the inquiry on the person's behalf."""
    form = InquiryForm(request.POST or None, by_phone=True)
    if request.method == "POST" and form.is_valid():
        submitted = _submit(request, form, actor=request.user)
        if submitted is not None:
            messages.success(
                request,
                _("Inquiry %(case)s is filed. Read the case number aloud.")
                % {"case": submitted.case_number},
            )
            if request.user.has_perm("inquiries.view_inquiry", submitted.inquiry):
                return redirect("inquiries:detail", uuid=submitted.inquiry.uuid)
            return redirect("inquiries:by_phone")
    return render(request, "inquiries/form.html", {"form": form, "by_phone": True})


urlpatterns = [
    path("inquiries/new/", inquiry_new, name="new"),
    path("inquiries/sent/", inquiry_sent, name="sent"),
    path("inquiries/status/<str:token>/", inquiry_status, name="status"),
    path("staff/inquiries/", triage_list, name="triage"),
    path("staff/inquiries/phone/", inquiry_by_phone, name="by_phone"),
    path("staff/inquiries/<uuid:uuid>/", inquiry_detail, name="detail"),
]
