"""Pages of the register: registration, "My organisations", representatives,
the register officers' queue and the staff list with export and import."""

from __future__ import annotations

import hashlib

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tillsammans.core.errors import DomainError
from tillsammans.core.permissions import permission_required
from tillsammans.organizations import exports, selectors, services
from tillsammans.organizations.forms import (
    ImportForm,
    InvitationForm,
    JoinRequestForm,
    OrganizationForm,
    RegisterFilterForm,
    ReturnForm,
    RoleForm,
)
from tillsammans.organizations.models import (
    Invitation,
    JoinRequest,
    Organization,
    OrganizationDocument,
    Representative,
)
from tillsammans.organizations.register_import import (
    UnreadableFile,
    decode,
    register_import,
    register_import_preview,
)
from tillsammans.organizations.rules import represents

IMPORT_SESSION_KEY = "organizations_import"


def _organization_or_deny(request, queryset, perm: str, uuid) -> Organization:
    """The organisation if the user has ``perm`` on it; 403 if they may see it
    but not do this, 404 if they may not even see it."""
    organization = get_object_or_404(queryset, uuid=uuid)
    if request.user.has_perm(perm, organization):
        return organization
    if request.user.has_perm("organizations.view_organization", organization):
        raise PermissionDenied
    raise Http404


def _apply_domain_error(form, error: DomainError) -> None:
    field = getattr(error, "field", None)
    form.add_error(field if field in form.fields else None, str(error))


# --- Registration ---------------------------------------------------------------------


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
            _apply_domain_error(form, error)
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
            _apply_domain_error(form, error)
        else:
            messages.success(
                request,
                _("Your request was sent. You will get an e-mail when an administrator answers."),
            )
            return redirect("organizations:manage")
    return render(request, "organizations/join.html", {"form": form, "organization": organization})


# --- My organisations -------------------------------------------------------------------


@login_required
def manage(request):
    context = {
        "representations": selectors.organizations_of_user(request.user),
        "join_requests": selectors.join_requests_of_user(request.user),
    }
    return render(request, "organizations/manage.html", context)


@login_required
def manage_detail(request, uuid):
    organization = _organization_or_deny(
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
    organization = _organization_or_deny(
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
            _apply_domain_error(form, error)
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
    organization = _organization_or_deny(
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
    organization = _organization_or_deny(
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
            _apply_domain_error(form, error)
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
    organization = _organization_or_deny(
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
    organization = _organization_or_deny(
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
    organization = _organization_or_deny(
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


# --- Documents -----------------------------------------------------------------------------


@login_required
def document_download(request, uuid):
    """Statutes, annual report or minutes, as an attachment. Whoever may not
    read them gets 404, as if the document did not exist."""
    document = get_object_or_404(
        OrganizationDocument.objects.select_related("organization"), uuid=uuid
    )
    if not request.user.has_perm("organizations.view_documents", document.organization):
        raise Http404
    try:
        opened = services.document_open(document=document, actor=request.user, request=request)
    except services.DocumentMissing as error:
        raise Http404(str(error)) from None
    response = FileResponse(
        opened.file,
        as_attachment=True,
        filename=opened.filename,
        content_type=opened.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    patch_cache_control(response, private=True, no_store=True)
    return response


# --- Register officers ---------------------------------------------------------------------


@permission_required("organizations.review_organization")
def queue(request):
    page = Paginator(selectors.review_queue(), 50).get_page(request.GET.get("page"))
    return render(request, "organizations/staff_queue.html", {"page": page})


@permission_required("organizations.review_organization")
def review(request, uuid):
    organization = get_object_or_404(selectors.organization_for_review(uuid))
    form = ReturnForm(request.POST if request.POST.get("action") == "return" else None)
    if request.method == "POST":
        try:
            if request.POST.get("action") == "verify":
                services.organization_verify(
                    organization=organization, actor=request.user, request=request
                )
                messages.success(request, _("%(name)s is verified.") % {"name": organization.name})
                return redirect("organizations:queue")
            if form.is_valid():
                services.organization_return(
                    organization=organization,
                    actor=request.user,
                    message=form.cleaned_data["message"],
                    request=request,
                )
                messages.success(
                    request,
                    _("%(name)s was returned to its representatives.")
                    % {"name": organization.name},
                )
                return redirect("organizations:queue")
        except DomainError as error:
            _apply_domain_error(form, error)
            if not form.is_bound:
                messages.error(request, str(error))
    return render(
        request, "organizations/staff_review.html", {"organization": organization, "form": form}
    )


# --- The whole register -------------------------------------------------------------------------


@permission_required("organizations.view_register")
def register_list(request):
    form = RegisterFilterForm(request.GET or None)
    queryset = selectors.register_list(form.filters())
    page = Paginator(queryset, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "query": query.urlencode()}
    return render(request, "organizations/staff_list.html", context)


@permission_required("organizations.view_register")
def register_export(request, file_format):
    form = RegisterFilterForm(request.GET or None)
    organizations = selectors.register_list(form.filters())
    stamp = timezone.localdate().isoformat()
    if file_format == "csv":
        response = HttpResponse(
            exports.register_csv(organizations), content_type="text/csv; charset=utf-8"
        )
    else:
        response = HttpResponse(
            exports.register_xlsx(organizations),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="organisations-{stamp}.{file_format}"'
    return response


@permission_required("organizations.import_register")
def import_upload(request):
    form = ImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        try:
            content = decode(form.cleaned_data["file"].read())
        except UnreadableFile as error:
            form.add_error("file", str(error))
        else:
            report = register_import_preview(content=content)
            if report.ok:
                request.session[IMPORT_SESSION_KEY] = content
            else:
                request.session.pop(IMPORT_SESSION_KEY, None)
    context = {
        "form": form,
        "report": report,
        "digest": hashlib.sha256(request.session.get(IMPORT_SESSION_KEY, "").encode()).hexdigest(),
    }
    return render(request, "organizations/staff_import.html", context)


@permission_required("organizations.import_register")
@require_POST
def import_accept(request):
    content = request.session.get(IMPORT_SESSION_KEY)
    digest = hashlib.sha256((content or "").encode()).hexdigest()
    if not content or request.POST.get("digest") != digest:
        messages.error(request, _("There is no checked file to import. Upload the file again."))
        return redirect("organizations:import")
    try:
        created = register_import(content=content, actor=request.user)
    except DomainError as error:
        messages.error(request, str(error))
        return redirect("organizations:import")
    request.session.pop(IMPORT_SESSION_KEY, None)
    messages.success(request, _("%(count)d organisations were imported.") % {"count": len(created)})
    return redirect("organizations:register_list")
