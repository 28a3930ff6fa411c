"""The decision list for the board (beslutsunderlag, printable), recording
the board's decision on an application, and recording payments."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _

from tillsammans.core.errors import DomainError
from tillsammans.core.money import format_kronor
from tillsammans.core.permissions import permission_required
from tillsammans.grants.forms.assessment import DecisionForm, PaymentForm
from tillsammans.grants.models import ApplicationStatus
from tillsammans.grants.selectors import assessment as selectors
from tillsammans.grants.services import decisions as services

STAFF = "grants.view_staff_pages"


def _year(request) -> int:
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        return timezone.localdate().year
    return year if 2000 <= year <= 2100 else timezone.localdate().year


@permission_required(STAFF)
def decision_list(request, slug):
    programme = get_object_or_404(selectors.programmes_for_officer(request.user), slug=slug)
    report = selectors.decision_list(request.user, programme, _year(request))
    return render(request, "grants/decision_list.html", {"programme": programme, "report": report})


@permission_required(STAFF)
def decide(request, uuid):
    application = get_object_or_404(selectors.application_to_assess(request.user, uuid))
    if selectors.declaration_of(request.user, application) is None:
        messages.info(request, _("Declare first whether you have a conflict of interest."))
        return redirect("grants:assessment", application.uuid)
    if not request.user.has_perm("grants.decide_application", application):
        raise PermissionDenied
    decided = application.status not in services.DECIDABLE
    form = DecisionForm(request.POST or None)
    if request.method == "POST" and not decided and form.is_valid():
        try:
            decision = services.decision_record(
                actor=request.user,
                application=application,
                request=request,
                **form.service_arguments(),
            )
        except DomainError as error:
            form.apply_error(error)
        else:
            messages.success(
                request,
                _("The decision is recorded and the applicant has been told: %(outcome)s.")
                % {"outcome": decision.get_outcome_display()},
            )
            return redirect("grants:assessment", application.uuid)
    context = {
        "application": application,
        "programme": application.programme,
        "form": form,
        "decided": decided,
        "granted": ApplicationStatus.GRANTED,
    }
    return render(request, "grants/decision_form.html", context)


@permission_required(STAFF)
def payments(request, uuid):
    decision = get_object_or_404(selectors.decision_for_officer(request.user, uuid))
    application = decision.application
    if selectors.declaration_of(request.user, application) is None:
        messages.info(request, _("Declare first whether you have a conflict of interest."))
        return redirect("grants:assessment", application.uuid)
    if not request.user.has_perm("grants.decide_application", application):
        raise PermissionDenied
    form = PaymentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.payment_record(
                actor=request.user,
                decision=decision,
                paid_on=form.cleaned_data["paid_on"],
                amount_ore=form.cleaned_data["amount"],
                reference=form.cleaned_data["reference"],
                request=request,
            )
        except DomainError as error:
            form.apply_error(error)
        else:
            messages.success(request, _("The payment is recorded."))
            return redirect("grants:payments", decision.uuid)
    payment_rows = [
        (payment, format_kronor(payment.amount_ore)) for payment in decision.payments.all()
    ]
    paid = sum(payment.amount_ore for payment, _amount in payment_rows)
    context = {
        "decision": decision,
        "application": application,
        "form": form,
        "payments": payment_rows,
        "granted": format_kronor(decision.amount_ore),
        "paid": format_kronor(paid),
        "left": format_kronor(decision.amount_ore - paid),
    }
    return render(request, "grants/payment_list.html", context)


urlpatterns = [
    path("staff/grants/<slug:slug>/decision-list/", decision_list, name="decision_list"),
    path("staff/grants/applications/<uuid:uuid>/decide/", decide, name="decide"),
    path("staff/grants/decisions/<uuid:uuid>/payments/", payments, name="payments"),
]
