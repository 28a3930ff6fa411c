"""Registering an organisation, and asking to join one that is registered."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from tillsammans.core.errors import DomainError
from tillsammans.core.permissions import permission_required
from tillsammans.organizations import services
from tillsammans.organizations.forms import (
    JoinRequestForm,
    OrganizationForm,
)
from tillsammans.organizations.models import Organization
from tillsammans.organizations.rules import represents
from tillsammans.organizations.views._common import apply_domain_error


@permission_required("organizations.register_organization")
def register(request):
    form = OrganizationForm(request.POST or None, request.FILES or None)
    taken = None
    if request.method == "POST":
        valid = form.is_valid()
        try:
            # Said even while other fields need correcting: the person may not
            # need to register at all.
            services.organisation_number_check_free(
                number=form.cleaned_data.get("organisation_number", ""), actor=request.user
            )
            if valid:
                organization = services.organization_register(
                    actor=request.user, request=request, **form.service_arguments()
                )
                messages.success(
                    request,
                    _(
                        "%(name)s is registered. The municipality's register officers will "
                        "check the details; you will get an e-mail when it is verified."
                    )
                    % {"name": organization.name},
                )
                return redirect("organizations:manage_detail", organization.uuid)
        except services.AlreadyRegistered as error:
            taken = error
            form.add_error("organisation_number", str(error))
        except DomainError as error:
            apply_domain_error(form, error)
    return render(request, "organizations/register.html", {"form": form, "taken": taken})


@permission_required("organizations.register_organization")
def join(request, uuid):
    organization = get_object_or_404(Organization, uuid=uuid)
    if represents(request.user, organization):
        # Nothing to ask: the page says so and leads to the organisation.
        context = {"organization": organization, "already_representative": True}
        return render(request, "organizations/join.html", context)
    form = JoinRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.join_request_create(
                organization=organization, actor=request.user, message=form.cleaned_data["message"]
            )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(
                request,
                _("Your request was sent. You will get an e-mail when an administrator answers."),
            )
            return redirect("organizations:manage")
    return render(request, "organizations/join.html", {"form": form, "organization": organization})
