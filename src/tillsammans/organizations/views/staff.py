"""The register officers' queue and review, and the whole register with
export and import."""

from __future__ import annotations

import hashlib

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tillsammans.core.errors import DomainError
from tillsammans.core.permissions import permission_required
from tillsammans.organizations import exports, selectors, services
from tillsammans.organizations.forms import (
    ImportForm,
    RegisterFilterForm,
    ReturnForm,
)
from tillsammans.organizations.register_import import (
    UnreadableFile,
    decode,
    register_import,
    register_import_preview,
)
from tillsammans.organizations.views._common import apply_domain_error

IMPORT_SESSION_KEY = "organizations_import"


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
            apply_domain_error(form, error)
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
