"""Downloadable CSV and JSON of the public register and activities.

Only public records, and no payment details (bankgiro, plusgiro) or
internal fields (review messages, representatives).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from typing import Any

from django.conf import settings

from tillsammans.activities.models import Activity, Recurrence
from tillsammans.opendata.hsds import ICAL_DAYS
from tillsammans.organizations.models import LegalForm, Organization

ORGANISATION_FIELDS = [
    "id",
    "name",
    "organisation_number",
    "legal_form",
    "purpose",
    "areas",
    "localities",
    "languages",
    "email",
    "phone",
    "website",
    "postal_address",
    "member_count",
    "founding_year",
    "premises_accessibility",
    "url",
]

ACTIVITY_FIELDS = [
    "id",
    "slug",
    "title",
    "description",
    "organiser",
    "organiser_id",
    "areas",
    "target_groups",
    "languages",
    "locality",
    "place",
    "address",
    "recurrence",
    "weekdays",
    "starts_on",
    "ends_on",
    "start_time",
    "end_time",
    "is_free",
    "cost",
    "registration_required",
    "registration_info",
    "accessibility",
    "contact_name",
    "contact_email",
    "contact_phone",
    "cancelled_dates",
    "url",
]

LIST_FIELDS = {"areas", "localities", "languages", "target_groups", "weekdays", "cancelled_dates"}


def organisation_record(org: Organization) -> dict[str, Any]:
    return {
        "id": str(org.uuid),
        "name": org.name,
        "organisation_number": org.organisation_number_display,
        "legal_form": str(LegalForm(org.legal_form).label),
        "purpose": org.purpose,
        "areas": [area.slug for area in org.areas.all()],
        "localities": [locality.slug for locality in org.localities.all()],
        "languages": [language.code for language in org.languages.all()],
        "email": org.email,
        "phone": org.phone,
        "website": org.website,
        "postal_address": org.postal_address,
        "member_count": org.member_count,
        "founding_year": org.founding_year,
        "premises_accessibility": org.premises_accessibility,
        "url": f"{settings.SITE_URL}/organisations/{org.slug}/",
    }


def activity_record(activity: Activity) -> dict[str, Any]:
    organiser = activity.organization or activity.department
    days = activity.weekday_numbers
    return {
        "id": str(activity.uuid),
        "slug": activity.slug,
        "title": activity.title,
        "description": activity.description,
        "organiser": organiser.name if activity.organization else organiser.name_sv,
        "organiser_id": str(organiser.uuid),
        "areas": [area.slug for area in activity.areas.all()],
        "target_groups": [group.slug for group in activity.target_groups.all()],
        "languages": [language.code for language in activity.languages.all()],
        "locality": activity.locality.slug,
        "place": activity.place_name,
        "address": activity.street_address,
        "recurrence": Recurrence(activity.recurrence).value,
        "weekdays": [ICAL_DAYS[day] for day in days],
        "starts_on": activity.starts_on.isoformat(),
        "ends_on": activity.ends_on.isoformat() if activity.ends_on else None,
        "start_time": activity.start_time.strftime("%H:%M"),
        "end_time": activity.end_time.strftime("%H:%M"),
        "is_free": activity.is_free,
        "cost": activity.cost,
        "registration_required": activity.registration_required,
        "registration_info": activity.registration_info,
        "accessibility": activity.accessibility,
        "contact_name": activity.contact_name,
        "contact_email": activity.contact_email,
        "contact_phone": activity.contact_phone,
        "cancelled_dates": [
            cancellation.date.isoformat() for cancellation in activity.cancellations.all()
        ],
        "url": f"{settings.SITE_URL}/activities/{activity.slug}/",
    }


def _csv_value(field: str, value: Any) -> str:
    if field in LIST_FIELDS:
        return ";".join(value)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def to_csv(records: Iterable[dict[str, Any]], fields: list[str]) -> str:
    """UTF-8 with a byte order mark, so Excel shows å, ä and ö correctly."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(fields)
    for record in records:
        writer.writerow([_csv_value(field, record[field]) for field in fields])
    return buffer.getvalue()
