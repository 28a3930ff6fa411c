"""Awards: the public nomination and list of winners, and the officers' page
of the year's nominations where the board's choice is recorded."""

from __future__ import annotations

from contextlib import suppress

from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone

from tillsammans.core.permissions import permission_required
from tillsammans.core.rate_limits import HourlyLimit
from tillsammans.grants.forms.awards import NominationForm, WinnerForm
from tillsammans.grants.models import ProgrammeKind
from tillsammans.grants.selectors import awards as selectors
from tillsammans.grants.selectors.programmes import programme_for_staff, programme_public
from tillsammans.grants.services import awards as services
from tillsammans.grants.services.eligibility import programme_is_open
from tillsammans.grants.views import programmes  # noqa: F401 (registers <programme:slug>)

# Nominations from one address: enough for a club's members, not for a flood.
NOMINATIONS = HourlyLimit("grants-nominations", lambda: 10)


def _public_award(slug):
    programme = get_object_or_404(programme_public(slug))
    if programme.kind != ProgrammeKind.AWARD:
        raise Http404
    return programme


def _apply_error(form, error: services.AwardError) -> None:
    field = error.field if error.field in form.fields else None
    form.add_error(field, str(error))


def nominate(request, slug):
    programme = _public_award(slug)
    is_open = programme_is_open(programme) is not None
    form = NominationForm(
        request.POST if request.method == "POST" else None,
        organizations=selectors.nominable_organizations(programme),
    )
    if request.method == "POST" and is_open and NOMINATIONS.exceeded(request):
        return render(
            request,
            "grants/award_nominate.html",
            {"programme": programme, "limited": True},
            status=429,
        )
    if request.method == "POST" and is_open and form.is_valid():
        try:
            services.nomination_create(programme=programme, **form.cleaned_data)
        except services.NominationsClosed:
            is_open = False
        except services.AwardError as error:
            _apply_error(form, error)
        else:
            NOMINATIONS.count(request)
            return redirect("grants:award_nominated", slug=programme.slug)
    context = {"programme": programme, "form": form, "is_open": is_open}
    return render(request, "grants/award_nominate.html", context)


def nominated(request, slug):
    return render(request, "grants/award_nominated.html", {"programme": _public_award(slug)})


def winners(request, slug):
    programme = _public_award(slug)
    context = {"programme": programme, "winners": list(selectors.award_winners(programme))}
    return render(request, "grants/award_winners.html", context)


@permission_required("grants.view_staff_pages")
def staff_nominations(request, slug):
    programme = programme_for_staff(request.user, slug).first()
    if (
        programme is None
        or programme.kind != ProgrammeKind.AWARD
        or not request.user.has_perm("grants.manage_programme", programme)
    ):
        raise Http404
    year = timezone.localdate().year
    with suppress(ValueError):
        year = int(request.GET.get("year") or year)
    nominated_rows = selectors.nominations_by_organization(programme, year)
    winner = selectors.award_winners(programme).filter(year=year).first()
    form = None
    if winner is None:
        form = WinnerForm(
            request.POST if request.method == "POST" else None,
            organizations=selectors.nominable_organizations(programme),
            initial={"organization": nominated_rows[0].organization if nominated_rows else None},
        )
        if request.method == "POST" and form.is_valid():
            try:
                services.award_winner_record(
                    actor=request.user,
                    programme=programme,
                    year=year,
                    request=request,
                    **form.cleaned_data,
                )
            except services.AwardError as error:
                _apply_error(form, error)
            else:
                return redirect(f"{request.path}?year={year}")
    context = {
        "programme": programme,
        "year": year,
        "rows": nominated_rows,
        "winner": winner,
        "form": form,
    }
    return render(request, "grants/award_staff_nominations.html", context)


urlpatterns = [
    path("grants/<programme:slug>/nominate/", nominate, name="award_nominate"),
    path("grants/<programme:slug>/nominate/thanks/", nominated, name="award_nominated"),
    path("grants/<programme:slug>/winners/", winners, name="award_winners"),
    path(
        "staff/grants/<programme:slug>/nominations/",
        staff_nominations,
        name="award_staff_nominations",
    ),
]
