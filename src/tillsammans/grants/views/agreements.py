"""Officers' page of a programme's long-term agreements."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.views.decorators.http import require_POST

from tillsammans.core.money import format_kronor
from tillsammans.core.permissions import permission_required
from tillsammans.grants.forms.agreements import AgreementEndForm, AgreementForm
from tillsammans.grants.models import Agreement
from tillsammans.grants.selectors.programmes import programme_for_staff
from tillsammans.grants.services import agreements as services
from tillsammans.grants.views import programmes  # noqa: F401 (registers <programme:slug>)


def _managed(request, slug):
    programme = programme_for_staff(request.user, slug).first()
    if programme is None or not request.user.has_perm("grants.manage_programme", programme):
        raise Http404
    return programme


def _apply_error(form, error: services.AgreementError) -> None:
    form.add_error(error.field if error.field in form.fields else None, str(error))


def _page(request, programme, form, *, end_error="", status=200):
    agreements = list(Agreement.objects.filter(programme=programme).select_related("organization"))
    rows = [
        {"agreement": agreement, "yearly": format_kronor(agreement.yearly_ore)}
        for agreement in agreements
    ]
    context = {"programme": programme, "rows": rows, "form": form, "end_error": end_error}
    return render(request, "grants/agreement_list.html", context, status=status)


@permission_required("grants.view_staff_pages")
def agreements(request, slug):
    programme = _managed(request, slug)
    form = AgreementForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.agreement_create(
                actor=request.user,
                programme=programme,
                organization=data["organization"],
                title=data["title"],
                first_year=data["first_year"],
                last_year=data["last_year"],
                yearly_ore=data["yearly_amount"],
                decided_on=data["decided_on"],
                request=request,
            )
        except services.AgreementError as error:
            _apply_error(form, error)
        else:
            return redirect("grants:agreements", slug=programme.slug)
    return _page(request, programme, form)


@require_POST
@permission_required("grants.view_staff_pages")
def agreement_end(request, slug, uuid):
    programme = _managed(request, slug)
    agreement = get_object_or_404(Agreement, uuid=uuid, programme=programme)
    form = AgreementEndForm(request.POST)
    if not form.is_valid():
        error = form.errors["last_year"][0]
    else:
        try:
            services.agreement_end(
                actor=request.user,
                agreement=agreement,
                last_year=form.cleaned_data["last_year"],
                request=request,
            )
        except services.AgreementError as failure:
            error = str(failure)
        else:
            return redirect("grants:agreements", slug=programme.slug)
    return _page(request, programme, AgreementForm(), end_error=error, status=400)


urlpatterns = [
    path("staff/grants/<programme:slug>/agreements/", agreements, name="agreements"),
    path(
        "staff/grants/<programme:slug>/agreements/<uuid:uuid>/end/",
        agreement_end,
        name="agreement_end",
    ),
]
