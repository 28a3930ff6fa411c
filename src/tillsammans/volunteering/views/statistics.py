"""The coordinators' statistics page and its tables as CSV."""

from __future__ import annotations

import csv

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _

from tillsammans.core.permissions import permission_required
from tillsammans.volunteering.forms.campaigns import StatisticsFilterForm
from tillsammans.volunteering.selectors.statistics import TABLE_KEYS, volunteering_statistics


def _overview(request):
    form = StatisticsFilterForm(request.GET or None)
    campaign = form.cleaned_data.get("campaign") if form.is_valid() else None
    return form, volunteering_statistics(campaign=campaign)


@permission_required("volunteering.view_statistics")
def statistics_page(request):
    form, overview = _overview(request)
    query = request.GET.urlencode()
    context = {"form": form, "overview": overview, "query": query}
    return render(request, "volunteering/statistics_page.html", context)


@permission_required("volunteering.view_statistics")
def statistics_csv(request, table):
    if table not in (*TABLE_KEYS, "summary"):
        raise Http404
    _form, overview = _overview(request)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    stamp = timezone.localdate().isoformat()
    suffix = f"-{overview.campaign.slug}" if overview.campaign else ""
    response["Content-Disposition"] = (
        f'attachment; filename="volunteering-{table}{suffix}-{stamp}.csv"'
    )
    # A byte-order mark, so spreadsheet programs read the Swedish letters right.
    response.write("\ufeff")
    writer = csv.writer(response)
    if table == "summary":
        writer.writerow([_("Figure"), _("Value")])
        writer.writerow([_("Requests matched"), overview.matched_count])
        writer.writerow(
            [
                _("Median time from request to match (hours)"),
                overview.median_hours if overview.median_hours is not None else "",
            ]
        )
        writer.writerow([_("Hours given"), overview.hours_given])
        return response
    data = overview.table(table)
    writer.writerow([data.label_heading, data.count_heading])
    for row in data.rows:
        writer.writerow([row.label, row.count])
    return response


urlpatterns = [
    path("staff/volunteering/statistics/", statistics_page, name="statistics"),
    path("staff/volunteering/statistics/<slug:table>.csv", statistics_csv, name="statistics_csv"),
]
