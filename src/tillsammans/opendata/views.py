"""Open-data downloads: public to everyone, no sign-in, no personal data beyond
what organisations publish themselves."""

from django.conf import settings
from django.http import HttpResponse, HttpResponseBadRequest, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from tillsammans.core.models import Area, Locality
from tillsammans.opendata import exports
from tillsammans.opendata.ical import activities_calendar
from tillsammans.opendata.selectors import public_activities, public_organizations


@require_GET
def index(request):
    return render(
        request,
        "opendata/index.html",
        {
            "areas": Area.objects.filter(is_active=True),
            "localities": Locality.objects.filter(is_active=True),
        },
    )


def _download(content, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _json(items: list[dict], title: str, filename: str) -> JsonResponse:
    response = JsonResponse(
        {
            "title": title,
            "publisher": settings.MUNICIPALITY_NAME,
            "generated": timezone.now().isoformat(timespec="seconds"),
            "count": len(items),
            "items": items,
        },
        json_dumps_params={"ensure_ascii": False, "indent": 1},
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_GET
def organisations_csv(request):
    records = map(exports.organisation_record, public_organizations())
    return _download(
        exports.to_csv(records, exports.ORGANISATION_FIELDS),
        "text/csv; charset=utf-8",
        "organisations.csv",
    )


@require_GET
def organisations_json(request):
    items = [exports.organisation_record(org) for org in public_organizations()]
    return _json(items, "Organisations", "organisations.json")


@require_GET
def activities_csv(request):
    records = map(exports.activity_record, public_activities())
    return _download(
        exports.to_csv(records, exports.ACTIVITY_FIELDS),
        "text/csv; charset=utf-8",
        "activities.csv",
    )


@require_GET
def activities_json(request):
    items = [exports.activity_record(activity) for activity in public_activities()]
    return _json(items, "Activities", "activities.json")


@require_GET
def activities_ics(request):
    filters = {}
    for name, model, message in (
        ("area", Area, _("There is no area with the identifier “%(value)s”.")),
        ("locality", Locality, _("There is no locality with the identifier “%(value)s”.")),
    ):
        value = request.GET.get(name, "").strip()
        if value:
            term = model.objects.filter(slug=value, is_active=True).first()
            if term is None:
                return HttpResponseBadRequest(
                    message % {"value": value}, content_type="text/plain; charset=utf-8"
                )
            filters[name] = term
    name = _("Activities in %(municipality)s") % {"municipality": settings.MUNICIPALITY_NAME}
    return _download(
        activities_calendar(public_activities(**filters), name=name),
        "text/calendar; charset=utf-8",
        "activities.ics",
    )
