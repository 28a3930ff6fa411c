"""My organisations: details, the yearly confirmation, representatives,
invitations, requests to join, and leaving."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tillsammans.core.errors import DomainError
from tillsammans.organizations import selectors, services
from tillsammans.organizations.forms import (
    InvitationForm,
    OrganizationForm,
    RoleForm,
)
from tillsammans.organizations.models import (
    Invitation,
    JoinRequest,
    Organization,
    Representative,
)
from tillsammans.organizations.rules import represents
from tillsammans.organizations.views._common import apply_domain_error, organization_or_deny


@login_required
def manage(request):
    context = {
        "representations": selectors.organizations_of_user(request.user),
        "join_requests": selectors.join_requests_of_user(request.user),
    }
    return render(request, "organizations/manage.html", context)


@login_required
def manage_detail(request, uuid):
    organization = organization_or_deny(
        request, selectors.organization_for_manage(uuid), "organizations.change_organization", uuid
    )
    return render(
        request, "organizations/manage_detail.html", _manage_context(request, organization)
    )


def _manage_context(request, organization, **extra):
    is_admin = request.user.has_perm("organizations.manage_representatives", organization)
    context = {
        "organization": organization,
        "is_admin": is_admin,
        "is_representative": represents(request.user, organization),
        "representatives": selectors.representatives_of(organization),
        "role_choices": Representative.Role.choices,
    }
    if is_admin:
        context["invitations"] = selectors.open_invitations_of(organization)
        context["join_requests"] = selectors.pending_join_requests_of(organization)
    context.update(extra)
    return context


@login_required
def edit(request, uuid):
    organization = organization_or_deny(
        request, selectors.organization_for_manage(uuid), "organizations.change_organization", uuid
    )
    form = OrganizationForm(request.POST or None, request.FILES or None, instance=organization)
    if request.method == "POST" and form.is_valid():
        was_public = organization.is_public
        try:
            organization = services.organization_update(
                organization=organization,
                actor=request.user,
                request=request,
                **form.service_arguments(),
            )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            if was_public and not organization.is_public:
                messages.warning(
                    request,
                    _(
                        "The changes are saved. Because you changed key details, the register "
                        "officers will check them again; until then the organisation is not "
                        "shown in the public directory."
                    ),
                )
            else:
                messages.success(request, _("The changes are saved."))
            return redirect("organizations:manage_detail", organization.uuid)
    return render(request, "organizations/edit.html", {"form": form, "organization": organization})


@login_required
@require_POST
def confirm(request, uuid):
    organization = organization_or_deny(
        request, Organization.objects.all(), "organizations.confirm_details", uuid
    )
    try:
        services.organization_confirm_details(organization=organization, actor=request.user)
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Thank you. The details are confirmed for another year."))
    return redirect("organizations:manage_detail", organization.uuid)


# --- Representatives ------------------------------------------------------------------------


@login_required
def invite(request, uuid):
    organization = organization_or_deny(
        request, Organization.objects.all(), "organizations.manage_representatives", uuid
    )
    form = InvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.invitation_create(
                organization=organization,
                actor=request.user,
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
            )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(
                request,
                _("The invitation was sent to %(email)s. It is valid for 14 days.")
                % {"email": form.cleaned_data["email"]},
            )
            return redirect("organizations:manage_detail", organization.uuid)
    return render(
        request, "organizations/invite.html", {"form": form, "organization": organization}
    )


def _representative(request, uuid, user_uuid):
    organization = organization_or_deny(
        request, Organization.objects.all(), "organizations.manage_representatives", uuid
    )
    representative = get_object_or_404(
        Representative.objects.select_related("user", "organization"),
        organization=organization,
        user__uuid=user_uuid,
    )
    return organization, representative


@login_required
@require_POST
def representative_role(request, uuid, user_uuid):
    organization, representative = _representative(request, uuid, user_uuid)
    form = RoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a role from the list."))
    else:
        try:
            services.representative_change_role(
                representative=representative,
                role=form.cleaned_data["role"],
                actor=request.user,
                request=request,
            )
        except DomainError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request, _("%(person)s's role is changed.") % {"person": representative.user}
            )
    return redirect("organizations:manage_detail", organization.uuid)


@login_required
@require_POST
def representative_remove(request, uuid, user_uuid):
    organization, representative = _representative(request, uuid, user_uuid)
    try:
        services.representative_remove(
            representative=representative, actor=request.user, request=request
        )
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("%(person)s no longer represents the organisation.")
            % {"person": representative.user},
        )
    return redirect("organizations:manage_detail", organization.uuid)


@login_required
def leave(request, uuid):
    """A confirmation page, then the representative leaves. The only
    administrator is told to appoint another one first."""
    organization = organization_or_deny(
        request, Organization.objects.all(), "organizations.leave_organization", uuid
    )
    representative = get_object_or_404(Representative, organization=organization, user=request.user)
    error = None
    if request.method == "POST":
        try:
            services.representative_leave(
                organization=organization, actor=request.user, request=request
            )
        except DomainError as failure:
            error = str(failure)
        else:
            messages.success(
                request, _("You no longer represent %(name)s.") % {"name": organization.name}
            )
            return redirect("organizations:manage")
    elif selectors.is_only_admin(representative):
        error = str(services.LastAdminCannotLeave(organization=organization.name))
    context = {"organization": organization, "representative": representative, "error": error}
    return render(request, "organizations/leave.html", context)


@login_required
@require_POST
def join_request_decide(request, uuid, request_uuid):
    organization = organization_or_deny(
        request, Organization.objects.all(), "organizations.manage_representatives", uuid
    )
    join_request = get_object_or_404(
        JoinRequest.objects.select_related("user"), organization=organization, uuid=request_uuid
    )
    decision = request.POST.get("decision")
    if decision not in ("approve", "decline"):
        messages.error(request, _("Choose whether to approve or decline the request."))
        return redirect("organizations:manage_detail", organization.uuid)
    try:
        services.join_request_decide(
            join_request=join_request,
            actor=request.user,
            approve=decision == "approve",
            request=request,
        )
    except DomainError as error:
        messages.error(request, str(error))
    else:
        text = (
            _("%(person)s is now an editor of the organisation.")
            if decision == "approve"
            else _("The request from %(person)s was declined.")
        )
        messages.success(request, text % {"person": join_request.user})
    return redirect("organizations:manage_detail", organization.uuid)


@login_required
def invitation(request, uuid):
    invitation = get_object_or_404(Invitation.objects.select_related("organization"), uuid=uuid)
    error = None
    if request.method == "POST":
        try:
            services.invitation_accept(invitation=invitation, actor=request.user)
        except DomainError as failure:
            error = str(failure)
        else:
            messages.success(
                request,
                _("You now represent %(name)s.") % {"name": invitation.organization.name},
            )
            return redirect("organizations:manage_detail", invitation.organization.uuid)
    context = {
        "invitation": invitation,
        "error": error,
        "expired": invitation.expires_at <= timezone.now(),
        "wrong_address": request.user.email.lower() != invitation.email.lower(),
    }
    return render(request, "organizations/invitation.html", context)
