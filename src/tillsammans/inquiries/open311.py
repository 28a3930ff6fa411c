"""Open311 GeoReport v2 for inquiries, under ``/api/open311/v2/``.

Plain Django views, not a django-ninja router: Open311 clients expect every
error as a bare JSON list ``[{"code": 400, "description": "..."}]`` and send
``POST requests.json`` form-encoded. Ninja's validation errors are the
project's ``{detail, errors}`` object and its handlers apply API-wide, so a
router inside the one NinjaAPI could not give exactly the Open311 shape
without changing every other router's errors. The endpoints are therefore
listed in the README, not in the OpenAPI document.

Requests are public, so what is read back holds no personal data: never the
name, phone, e-mail address nor the free text (an inquiry may be about a
person); ``description`` is the category's name.
"""

from __future__ import annotations

import datetime
import json

from django.db.models import Max, OuterRef, Subquery
from django.http import JsonResponse
from django.urls import path
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from tillsammans.core.errors import DomainError
from tillsammans.inquiries.models import (
    TEXT_MAX_LENGTH,
    CallBack,
    Category,
    ContactLanguage,
    Handover,
    Inquiry,
    InquiryStatus,
)
from tillsammans.inquiries.services import inquiries as services
from tillsammans.inquiries.views import SUBMISSIONS

MAX_REQUESTS = 1000
TRUE_VALUES = ("1", "true", "True", "on", "yes")


def _errors(status: int, *descriptions: str) -> JsonResponse:
    return JsonResponse(
        [{"code": status, "description": str(d)} for d in descriptions], status=status, safe=False
    )


def _json(data, status: int = 200) -> JsonResponse:
    return JsonResponse(data, status=status, safe=False, json_dumps_params={"ensure_ascii": False})


def _localised(view):
    """``?locale=sv|en`` wins over ``Accept-Language`` (already applied by LocaleMiddleware)."""

    def wrapped(request, *args, **kwargs):
        locale = (request.GET.get("locale") or "").lower()[:2]
        if locale in ("sv", "en"):
            with translation.override(locale):
                return view(request, *args, **kwargs)
        return view(request, *args, **kwargs)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


# --- Services -------------------------------------------------------------------------------


def _active_categories():
    return Category.objects.filter(is_active=True).select_related("area", "department")


def _service(category: Category) -> dict:
    return {
        "service_code": category.slug,
        "service_name": category.name,
        "description": category.name,
        "metadata": False,
        "type": "realtime",
        "keywords": ", ".join(dict.fromkeys([category.slug, category.area.slug])),
        "group": category.area.name,
    }


@require_GET
@_localised
def services_list(request):
    return _json([_service(category) for category in _active_categories()])


@require_GET
@_localised
def service_definition(request, code):
    category = _active_categories().filter(slug=code).first()
    if category is None:
        return _errors(404, _("There is no service with this code."))
    return _json({"service_code": category.slug, "attributes": []})


# --- Submitting -----------------------------------------------------------------------------


def _posted(request) -> dict:
    if (request.content_type or "").startswith("application/json"):
        try:
            data = json.loads(request.body or b"{}")
        except (ValueError, UnicodeDecodeError):
            return {}
        return (
            {str(k): "" if v is None else str(v) for k, v in data.items()}
            if isinstance(data, dict)
            else {}
        )
    return request.POST.dict()


@csrf_exempt
@require_http_methods(["GET", "POST"])
@_localised
def requests_endpoint(request):
    if request.method == "POST":
        return _submit(request)
    return _requests_list(request)


def _submit(request):
    if SUBMISSIONS.exceeded(request):
        return _errors(429, _("Too many requests from this address. Try again in an hour."))
    data = _posted(request)
    if data.get("website"):  # the form's honeypot, for clients that copy it
        return _errors(
            400, _("The form could not be sent. Try again, or call us and we will help you.")
        )
    missing = [
        name for name in ("service_code", "description") if not (data.get(name) or "").strip()
    ]
    if not (data.get("email") or "").strip() and not (data.get("phone") or "").strip():
        missing.append("email")
    if missing:
        return _errors(
            400,
            *[_("%(field)s is required.") % {"field": name} for name in missing],
        )
    description = data["description"].strip()
    if len(description) > TEXT_MAX_LENGTH:
        return _errors(400, services.TextTooLong(limit=TEXT_MAX_LENGTH))
    category = _active_categories().filter(slug=data["service_code"].strip()).first()
    if category is None:
        return _errors(400, _("There is no service with this code."))
    language = data.get("language") or translation.get_language() or ""
    language = language[:2] if language[:2] in ContactLanguage.values else ContactLanguage.SV
    try:
        submitted = services.inquiry_submit(
            category=category,
            text=description,
            name=(data.get("first_name") or "").strip(),
            phone=data.get("phone") or "",
            email=data.get("email") or "",
            preferred_time=data.get("preferred_time") or "",
            language=language,
            consent_to_organization=data.get("consent_to_pass_on") in TRUE_VALUES,
            request=request,
        )
    except DomainError as error:
        return _errors(400, error)
    SUBMISSIONS.count(request)
    notice = _(
        "Thank you. Your case number is %(case_number)s. We call or write to you "
        "within %(days)s working days."
    ) % {"case_number": submitted.case_number, "days": services.first_contact_days()}
    return _json(
        [{"service_request_id": submitted.case_number, "service_notice": notice, "token": None}],
        status=201,
    )


# --- Reading back, without personal data ----------------------------------------------------


def _requests_queryset():
    last_handover = (
        Handover.objects.filter(inquiry=OuterRef("pk"))
        .values("inquiry")
        .annotate(last=Max("at"))
        .values("last")
    )
    last_callback = (
        CallBack.objects.filter(inquiry=OuterRef("pk"))
        .values("inquiry")
        .annotate(last=Max("at"))
        .values("last")
    )
    return (
        Inquiry.objects.select_related("category", "category__department", "routed_to_department")
        .only(
            "case_number",
            "status",
            "created_at",
            "closed_at",
            "first_contact_at",
            "routed_to_user",
            "routed_to_organization",
            "category__slug",
            "category__name_sv",
            "category__name_en",
            "category__department__name_sv",
            "category__department__name_en",
            "routed_to_department__name_sv",
            "routed_to_department__name_en",
        )
        .annotate(last_handover=Subquery(last_handover), last_callback=Subquery(last_callback))
        .order_by("-created_at", "-pk")
    )


def _status_notes(inquiry: Inquiry) -> str:
    notes = []
    if inquiry.status == InquiryStatus.NEW:
        notes.append(_("received"))
    elif inquiry.routed_to_department_id:
        notes.append(
            _("routed to %(department)s") % {"department": inquiry.routed_to_department.name}
        )
    elif inquiry.routed_to_organization_id:
        notes.append(_("passed to a participating organisation"))
    elif inquiry.routed_to_user_id:
        notes.append(_("handled by a staff member"))
    if inquiry.first_contact_at is not None:
        notes.append(_("called back"))
    if inquiry.status == InquiryStatus.CLOSED:
        notes.append(_("closed"))
    return "; ".join(notes)


def _iso(moment: datetime.datetime | None) -> str | None:
    return timezone.localtime(moment).isoformat(timespec="seconds") if moment else None


def _request(inquiry: Inquiry) -> dict:
    moments = [
        m
        for m in (
            inquiry.created_at,
            inquiry.closed_at,
            inquiry.first_contact_at,
            inquiry.last_handover,
            inquiry.last_callback,
        )
        if m is not None
    ]
    department = inquiry.routed_to_department or inquiry.category.department
    return {
        "service_request_id": inquiry.case_number,
        "status": "closed" if inquiry.status == InquiryStatus.CLOSED else "open",
        "status_notes": _status_notes(inquiry),
        "service_name": inquiry.category.name,
        "service_code": inquiry.category.slug,
        "description": inquiry.category.name,
        "agency_responsible": department.name,
        "service_notice": None,
        "requested_datetime": _iso(inquiry.created_at),
        "updated_datetime": _iso(max(moments)),
        "expected_datetime": None,
        "address": None,
        "lat": None,
        "long": None,
        "media_url": None,
    }


def _parse_moment(value: str) -> datetime.datetime | None:
    try:
        moment = datetime.datetime.fromisoformat(value)
    except ValueError:
        return None
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


def _requests_list(request):
    inquiries = _requests_queryset()
    problems = []
    if code := request.GET.get("service_code"):
        inquiries = inquiries.filter(category__slug__in=[c.strip() for c in code.split(",")])
    if status := request.GET.get("status"):
        wanted = {s.strip() for s in status.split(",")}
        if not wanted <= {"open", "closed"}:
            problems.append(_("status must be open or closed."))
        elif wanted == {"open"}:
            inquiries = inquiries.exclude(status=InquiryStatus.CLOSED)
        elif wanted == {"closed"}:
            inquiries = inquiries.filter(status=InquiryStatus.CLOSED)
    for name, lookup in (("start_date", "created_at__gte"), ("end_date", "created_at__lte")):
        if value := request.GET.get(name):
            moment = _parse_moment(value)
            if moment is None:
                problems.append(
                    _("%(field)s must be a date and time in ISO 8601.") % {"field": name}
                )
            else:
                inquiries = inquiries.filter(**{lookup: moment})
    if problems:
        return _errors(400, *problems)
    return _json([_request(inquiry) for inquiry in inquiries[:MAX_REQUESTS]])


@require_GET
@_localised
def request_detail(request, request_id):
    inquiry = _requests_queryset().filter(case_number=request_id).first()
    if inquiry is None:
        return _errors(404, _("There is no request with this id."))
    return _json([_request(inquiry)])


urlpatterns = [
    path("services.json", services_list, name="open311-services"),
    path("services/<str:code>.json", service_definition, name="open311-service"),
    path("requests.json", requests_endpoint, name="open311-requests"),
    path("requests/<str:request_id>.json", request_detail, name="open311-request"),
]
