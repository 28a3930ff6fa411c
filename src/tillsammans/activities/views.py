"""Managing activities: "My activities" for representatives, create and
edit, cancelled dates, and the editors' list of the municipality's own."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tillsammans.activities import selectors, services
from tillsammans.activities.forms import (
    ActivityForm,
    CancelDateForm,
    MunicipalActivityForm,
    OrganizationActivityForm,
)
from tillsammans.activities.models import Activity
from tillsammans.core.errors import DomainError
from tillsammans.core.permissions import permission_required
from tillsammans.organizations.models import Organization, OrganizationStatus


def _activity_or_deny(request, uuid) -> Activity:
    """The activity if the user may change it; 403 if they may see it but not
    change it, 404 if they may not even know it exists."""
    activity = get_object_or_404(selectors.activity_for_manage(uuid))
    if request.user.has_perm("activities.change_activity", activity):
        return activity
    if request.user.has_perm("activities.view_activity_for_manage", activity):
        raise PermissionDenied
    raise Http404


def _apply_domain_error(form, error: DomainError) -> None:
    if isinstance(error, services.InvalidActivity):
        for field, texts in error.errors.items():
            for text in texts:
                form.add_error(field if field in form.fields else None, text)
        return
    field = getattr(error, "field", None)
    form.add_error(field if field in form.fields else None, str(error))


def _after_save(activity: Activity):
    if activity.organization_id is None:
        return redirect("activities:staff_list")
    return redirect("activities:manage")


# --- My activities ---------------------------------------------------------------


@permission_required("activities.view_own_activities")
def manage(request):
    context = {
        "representations": selectors.representations_with_activities(request.user),
        "may_manage_municipal": request.user.has_perm("activities.manage_municipal_activities"),
    }
    return render(request, "activities/manage.html", context)


@permission_required("activities.add_activity")
def create(request):
    organization = None
    if "organization" in request.GET:
        organization = _organization_or_deny(request, request.GET["organization"])
        form = ActivityForm(request.POST or None)
    else:
        form = OrganizationActivityForm(
            request.POST or None,
            organizations=selectors.organizations_for_new_activity(request.user),
        )
    if request.method == "POST" and form.is_valid():
        arguments = form.service_arguments()
        try:
            activity = services.activity_create(
                actor=request.user,
                organization=organization or form.cleaned_data["organization"],
                **arguments,
            )
        except DomainError as error:
            _apply_domain_error(form, error)
        else:
            messages.success(request, _("%(title)s is saved.") % {"title": activity.title})
            return _after_save(activity)
    return render(
        request,
        "activities/activity_form.html",
        {"form": form, "organization": organization, "creating": True},
    )


def _organization_or_deny(request, value: str) -> Organization:
    try:
        organization = Organization.objects.get(uuid=value)
    except (Organization.DoesNotExist, ValidationError, ValueError) as error:
        raise Http404 from error
    # Checked apart from the rule: site administrators hold every permission,
    # yet an inactive organisation gets no new activities from anyone.
    active = organization.status != OrganizationStatus.INACTIVE
    if active and request.user.has_perm("activities.add_activity_for_organization", organization):
        return organization
    if organization.is_public or request.user.has_perm(
        "organizations.view_organization", organization
    ):
        raise PermissionDenied
    raise Http404


@login_required
def edit(request, uuid):
    activity = _activity_or_deny(request, uuid)
    form = ActivityForm(request.POST or None, activity=activity)
    if request.method == "POST" and form.is_valid():
        try:
            activity = services.activity_update(
                actor=request.user, activity=activity, **form.service_arguments()
            )
        except DomainError as error:
            _apply_domain_error(form, error)
        else:
            messages.success(request, _("The changes are saved."))
            return _after_save(activity)
    return render(
        request,
        "activities/activity_form.html",
        {"form": form, "activity": activity, "organization": activity.organization},
    )


@login_required
@require_POST
def deactivate(request, uuid):
    return _change_status(
        request,
        uuid,
        services.activity_deactivate,
        _("%(title)s is no longer shown in the directory."),
    )


@login_required
@require_POST
def reactivate(request, uuid):
    return _change_status(
        request, uuid, services.activity_reactivate, _("%(title)s is shown in the directory again.")
    )


def _change_status(request, uuid, service, success: str):
    activity = _activity_or_deny(request, uuid)
    try:
        activity = service(actor=request.user, activity=activity)
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, success % {"title": activity.title})
    return _after_save(activity)


# --- Cancelled dates ---------------------------------------------------------------


@login_required
def cancellations(request, uuid):
    activity = _activity_or_deny(request, uuid)
    form = CancelDateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.activity_cancel_date(
                actor=request.user,
                activity=activity,
                date=form.cleaned_data["date"],
                reason=form.cleaned_data["reason"],
            )
        except DomainError as error:
            _apply_domain_error(form, error)
        else:
            messages.success(request, _("The date is cancelled."))
            return redirect("activities:cancellations", activity.uuid)
    context = {"activity": activity, "form": form, "dates": selectors.dates_of(activity)}
    return render(request, "activities/cancellations.html", context)


@login_required
@require_POST
def uncancel(request, uuid):
    activity = _activity_or_deny(request, uuid)
    try:
        day = CancelDateForm.base_fields["date"].clean(request.POST.get("date", ""))
        services.activity_uncancel_date(actor=request.user, activity=activity, date=day)
    except ValidationError:
        messages.error(request, _("Choose a date."))
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The activity takes place on that date after all."))
    return redirect("activities:cancellations", activity.uuid)


# --- The municipality's own activities -----------------------------------------------


@permission_required("activities.manage_municipal_activities")
def staff_list(request):
    return render(
        request,
        "activities/staff_list.html",
        {"activities": selectors.municipal_activities()},
    )


@permission_required("activities.manage_municipal_activities")
def staff_create(request):
    form = MunicipalActivityForm(
        request.POST or None, departments=selectors.departments_for_new_activity(request.user)
    )
    if request.method == "POST" and form.is_valid():
        try:
            activity = services.activity_create(
                actor=request.user,
                department=form.cleaned_data["department"],
                **form.service_arguments(),
            )
        except DomainError as error:
            _apply_domain_error(form, error)
        else:
            messages.success(request, _("%(title)s is saved.") % {"title": activity.title})
            return _after_save(activity)
    return render(
        request,
        "activities/activity_form.html",
        {"form": form, "creating": True, "municipal": True},
    )
