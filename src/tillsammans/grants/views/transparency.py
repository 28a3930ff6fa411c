"""The public list of grant decisions (with its CSV) and the grant statistics.

Public to everyone, no sign-in. Only granted decisions, and never an
individual's name (see ``selectors.transparency``). The 360Giving export is
in ``grants.api``.
"""

from __future__ import annotations

import csv
import io
from urllib.parse import urlencode

from django import forms
from django.core.paginator import Paginator
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.urls import path
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from tillsammans.core.selectors import term_choices
from tillsammans.core.widgets import PlainSelect
from tillsammans.grants.models import ProgrammeKind
from tillsammans.grants.selectors import transparency as selectors

PAGE_SIZE = 25

UNKNOWN_CHOICE = _("We do not know this choice, so it was left out. Pick one from the list.")


class DecisionFilterForm(forms.Form):
    """The list's filters, from the address: an unknown value is left out
    with a message next to its field, never an error page."""

    programme = forms.ChoiceField(label=_("Programme"), required=False, widget=PlainSelect)
    year = forms.TypedChoiceField(
        label=_("Year"), required=False, coerce=int, empty_value=None, widget=PlainSelect
    )
    area = forms.ChoiceField(label=_("Area"), required=False, widget=PlainSelect)
    kind = forms.ChoiceField(
        label=_("Kind of grant"),
        required=False,
        choices=[("", _("All kinds")), *ProgrammeKind.choices],
        widget=PlainSelect,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programme"].choices = [
            ("", _("All programmes")),
            *selectors.programmes_with_decisions(),
        ]
        self.fields["year"].choices = [
            ("", _("All years")),
            *((str(year), str(year)) for year in selectors.decision_years()),
        ]
        self.fields["area"].choices = [("", _("All areas")), *term_choices("area")]
        for form_field in self.fields.values():
            form_field.error_messages["invalid_choice"] = UNKNOWN_CHOICE

    def filters(self) -> selectors.DecisionFilters:
        """The valid filters; one with an error counts as "all"."""
        if not hasattr(self, "cleaned_data"):
            self.is_valid()
        data = self.cleaned_data
        return selectors.DecisionFilters(
            programme=data.get("programme") or "",
            year=data.get("year"),
            area=data.get("area") or "",
            kind=data.get("kind") or "",
        )


@require_GET
def decisions(request):
    form = DecisionFilterForm(request.GET)
    page = Paginator(selectors.granted_decisions(form.filters()), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    rows = list(selectors.public_decisions(page.object_list))
    # The download repeats the filters that were used, not those left out.
    used = {name: value for name, value in form.cleaned_data.items() if value not in ("", None)}
    context = {"form": form, "page": page, "rows": rows, "query": urlencode(used)}
    return render(request, "grants/transparency_decisions.html", context)


CSV_FIELDS = [
    "id",
    "decided_on",
    "recipient",
    "recipient_identifier",
    "programme",
    "kind",
    "amount_sek",
    "purpose",
]


def csv_safe(value: str) -> str:
    """Text a spreadsheet will not run as a formula."""
    return f"'{value}" if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


@require_GET
def decisions_csv(request):
    form = DecisionFilterForm(request.GET)
    if not form.is_valid():
        messages = [
            f"{form.fields[name].label}: {error}"
            for name, errors in form.errors.items()
            for error in errors
        ]
        return HttpResponseBadRequest("\n".join(messages), content_type="text/plain; charset=utf-8")
    buffer = io.StringIO()
    buffer.write("\ufeff")  # so spreadsheet programs read å, ä and ö right
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_FIELDS)
    decisions_list = selectors.granted_decisions(form.filters()).iterator(chunk_size=500)
    for row in selectors.public_decisions(decisions_list):
        writer.writerow(
            [
                row.uuid,
                row.decided_on.isoformat(),
                csv_safe(row.recipient_name),
                row.recipient_identifier,
                csv_safe(row.programme_title),
                row.programme_kind,
                selectors.kronor_text(row.amount_ore),
                csv_safe(row.purpose),
            ]
        )
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="grant-decisions.csv"'
    return response


@require_GET
def statistics(request):
    return render(
        request,
        "grants/transparency_statistics.html",
        {"statistics": selectors.grant_statistics()},
    )


urlpatterns = [
    path("grants/decisions/", decisions, name="decisions"),
    path("grants/decisions/decisions.csv", decisions_csv, name="decisions_csv"),
    path("grants/statistics/", statistics, name="statistics"),
]
