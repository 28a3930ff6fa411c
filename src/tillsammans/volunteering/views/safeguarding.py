"""Coordinators' pages for police-record checks: record one, revoke one, and
the list of checks that must be renewed soon."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _

from tillsammans.core.permissions import permission_required
from tillsammans.volunteering.forms.volunteers import RevokeForm, SafeguardingCheckForm
from tillsammans.volunteering.models import SafeguardingCheck
from tillsammans.volunteering.selectors import volunteers as selectors
from tillsammans.volunteering.services import safeguarding as services

EXPIRING_WITHIN_DAYS = 30


@permission_required("volunteering.check_safeguarding")
def expiring(request):
    volunteers = selectors.volunteers_safeguarding_expiring(within_days=EXPIRING_WITHIN_DAYS)
    context = {"volunteers": volunteers, "days": EXPIRING_WITHIN_DAYS}
    return render(request, "volunteering/safeguarding_expiring.html", context)


@permission_required("volunteering.check_safeguarding")
def record(request, uuid):
    volunteer = get_object_or_404(selectors.volunteer_for_coordinator(uuid))
    form = SafeguardingCheckForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            check = services.safeguarding_check_record(
                volunteer=volunteer,
                extract_issued_on=form.cleaned_data["extract_issued_on"],
                valid_until=form.cleaned_data["valid_until"],
                actor=request.user,
                request=request,
            )
        except services.SafeguardingError as error:
            form.apply_error(error)
        else:
            messages.success(
                request,
                _("The check is recorded. It must be renewed by %(date)s.")
                % {"date": check.valid_until.strftime("%Y-%m-%d")},
            )
            return redirect("volunteering:volunteer_detail", volunteer.uuid)
    context = {"volunteer": volunteer, "form": form}
    return render(request, "volunteering/safeguarding_record.html", context)


@permission_required("volunteering.check_safeguarding")
def revoke(request, uuid, pk):
    check = get_object_or_404(
        SafeguardingCheck.objects.select_related("volunteer"), pk=pk, volunteer__uuid=uuid
    )
    form = RevokeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.safeguarding_check_revoke(
                check=check, reason=form.cleaned_data["reason"], actor=request.user, request=request
            )
        except services.SafeguardingError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("The check is revoked."))
        return redirect("volunteering:volunteer_detail", check.volunteer.uuid)
    context = {"check": check, "volunteer": check.volunteer, "form": form}
    return render(request, "volunteering/safeguarding_revoke.html", context)


urlpatterns = [
    path("staff/volunteers/police-record-checks/", expiring, name="safeguarding_expiring"),
    path(
        "staff/volunteers/<uuid:uuid>/police-record-checks/new/",
        record,
        name="safeguarding_record",
    ),
    path(
        "staff/volunteers/<uuid:uuid>/police-record-checks/<int:pk>/revoke/",
        revoke,
        name="safeguarding_revoke",
    ),
]
