"""Our public records as Open Referral HSDS 3.1 objects.

Organisation → organization; a department that organises activities → a
synthetic organization with the department's UUID; public activity → service
with one schedule and one service_at_location; a distinct (locality, place,
address) → location. Empty values are left out: HSDS fields are strings or
numbers, never null.
"""

from __future__ import annotations

import math
import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.conf import settings

from tillsammans.activities.models import ActivityStatus, Recurrence
from tillsammans.organizations.models import LegalForm

if TYPE_CHECKING:
    from tillsammans.accounts.models import Department
    from tillsammans.activities.models import Activity
    from tillsammans.core.models import Language, Locality
    from tillsammans.opendata.selectors import Place
    from tillsammans.organizations.models import Organization

HSDS_VERSION = "3.1.2"
HSDS_PROFILE = "https://docs.openreferral.org/en/latest/hsds/"
NAMESPACE = uuid.UUID("9a1f5c52-4be8-5e0a-8a53-0c6b1f0d7e21")
# XOR masks that keep the UUID version and variant bits: a service_at_location
# id is its activity's UUID masked, so it can be looked up without a table.
_SERVICE_AT_LOCATION_MASK = 0x5A5A5A5A_5A5A_0A5A_3A5A_5A5A5A5A5A5A
ICAL_DAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]
STATE_PROVINCE = "Stockholms län"


def derived_id(*parts: object) -> str:
    return str(uuid.uuid5(NAMESPACE, "|".join(str(part) for part in parts)))


def service_at_location_id(activity_uuid: uuid.UUID) -> uuid.UUID:
    return uuid.UUID(int=activity_uuid.int ^ _SERVICE_AT_LOCATION_MASK)


def activity_uuid_of_service_at_location(value: uuid.UUID) -> uuid.UUID:
    return uuid.UUID(int=value.int ^ _SERVICE_AT_LOCATION_MASK)


def location_id(locality: Locality, place_name: str, street_address: str) -> str:
    return derived_id("location", locality.uuid, place_name.strip(), street_address.strip())


def _compact(data: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in data.items() if value not in (None, "")}


def _absolute(path: str) -> str:
    return settings.SITE_URL + path


@dataclass(frozen=True)
class Page:
    number: int
    size: int
    total: int

    @property
    def offset(self) -> int:
        return (self.number - 1) * self.size

    def wrap(self, contents: list[dict]) -> dict[str, Any]:
        total_pages = math.ceil(self.total / self.size) if self.total else 0
        return {
            "total_items": self.total,
            "total_pages": total_pages,
            "page_number": self.number,
            "size": self.size,
            "first_page": self.number == 1,
            "last_page": self.number >= total_pages,
            "empty": not contents,
            "contents": contents,
        }


def phone(owner: str, owner_id: str, number: str, **links: str) -> dict[str, Any]:
    return _compact({"id": derived_id("phone", owner, owner_id, number), "number": number, **links})


def language(language: Language, **links: str) -> dict[str, Any]:
    owner = ",".join(f"{key}={value}" for key, value in sorted(links.items()))
    return {
        "id": derived_id("language", language.code, owner),
        "name": language.name_en,
        "code": language.code,
        **links,
    }


def organization(org: Organization) -> dict[str, Any]:
    org_id = str(org.uuid)
    data = {
        "id": org_id,
        "name": org.name,
        "description": org.purpose,
        "email": org.email,
        "website": org.website,
        "legal_status": str(LegalForm(org.legal_form).label),
        "uri": _absolute(f"/api/v1/hsds/organizations/{org_id}"),
    }
    if org.founding_year:
        data["year_incorporated"] = org.founding_year
    data = _compact(data)
    data["organization_identifiers"] = (
        [
            {
                "id": derived_id("identifier", org_id, "SE-ON"),
                "organization_id": org_id,
                "identifier_scheme": "SE-ON",
                "identifier_type": "Organisationsnummer",
                "identifier": org.organisation_number,
            }
        ]
        if org.organisation_number
        else []
    )
    data["phones"] = (
        [phone("organization", org_id, org.phone, organization_id=org_id)] if org.phone else []
    )
    data["contacts"] = []
    data["locations"] = []
    return data


def department_organization(department: Department) -> dict[str, Any]:
    dep_id = str(department.uuid)
    data = _compact(
        {
            "id": dep_id,
            "name": f"{settings.MUNICIPALITY_NAME} – {department.name_sv}",
            "alternate_name": department.name_en,
            "description": (
                f"{department.name_sv}, {settings.MUNICIPALITY_NAME}. "
                "Municipal department that organises public activities."
            ),
            "email": department.email,
            "legal_status": "Municipality (kommun)",
            "uri": _absolute(f"/api/v1/hsds/organizations/{dep_id}"),
        }
    )
    data["organization_identifiers"] = []
    data["phones"] = (
        [phone("organization", dep_id, department.phone, organization_id=dep_id)]
        if department.phone
        else []
    )
    data["contacts"] = []
    data["locations"] = []
    return data


def location(place: Place) -> dict[str, Any]:
    locality = place.locality
    loc_id = location_id(locality, place.place_name, place.street_address)
    postal_codes = list(locality.postal_codes.all())
    name = ", ".join(part for part in (place.place_name, locality.name_sv) if part)
    return {
        "id": loc_id,
        "location_type": "physical",
        "name": name,
        "latitude": float(locality.latitude),
        "longitude": float(locality.longitude),
        "addresses": [
            {
                "id": derived_id("address", loc_id),
                "location_id": loc_id,
                "address_1": place.street_address or place.place_name or locality.name_sv,
                "city": locality.name_sv,
                "state_province": STATE_PROVINCE,
                "postal_code": postal_codes[0].code if postal_codes else "",
                "country": "SE",
                "address_type": "physical",
            }
        ],
    }


def _place_of(activity: Activity) -> Place:
    from tillsammans.opendata.selectors import Place

    return Place(activity.locality, activity.place_name, activity.street_address)


def schedule(activity: Activity) -> dict[str, Any]:
    service_id = str(activity.uuid)
    data: dict[str, Any] = {
        "id": derived_id("schedule", service_id),
        "service_id": service_id,
        "valid_from": activity.starts_on.isoformat(),
        "dtstart": activity.starts_on.isoformat(),
        "opens_at": activity.start_time.strftime("%H:%M"),
        "closes_at": activity.end_time.strftime("%H:%M"),
        "description": str(Recurrence(activity.recurrence).label),
        # A fixed UTC offset would be wrong half the year (summer time).
        "notes": "Times are local time in Europe/Stockholm.",
    }
    if activity.recurrence == Recurrence.ONCE:
        data["valid_to"] = activity.starts_on.isoformat()
    else:
        days = activity.weekday_numbers or [activity.starts_on.weekday()]
        data["freq"] = "WEEKLY"
        data["interval"] = 2 if activity.recurrence == Recurrence.BIWEEKLY else 1
        data["byday"] = ",".join(ICAL_DAYS[day] for day in days)
        data["wkst"] = ICAL_DAYS[activity.starts_on.weekday()]
        if activity.ends_on:
            data["valid_to"] = activity.ends_on.isoformat()
            data["until"] = activity.ends_on.isoformat()
    return data


def organizer_id(activity: Activity) -> str:
    organiser = activity.organization or activity.department
    return str(organiser.uuid)


def service(activity: Activity, *, with_locations: bool = True) -> dict[str, Any]:
    service_id = str(activity.uuid)
    fees = activity.cost if not activity.is_free else "Free of charge"
    data = _compact(
        {
            "id": service_id,
            "organization_id": organizer_id(activity),
            "name": activity.title,
            "description": activity.description,
            "url": _absolute(f"/activities/{activity.slug}/"),
            "email": activity.contact_email,
            "status": "active" if activity.status == ActivityStatus.ACTIVE else "inactive",
            "fees_description": fees,
            "application_process": activity.registration_info
            if activity.registration_required
            else "",
            "eligibility_description": ", ".join(
                group.name_en for group in activity.target_groups.all()
            ),
        }
    )
    data["languages"] = [language(lang, service_id=service_id) for lang in activity.languages.all()]
    data["schedules"] = [schedule(activity)]
    data["phones"] = (
        [phone("service", service_id, activity.contact_phone, service_id=service_id)]
        if activity.contact_phone
        else []
    )
    contact_id = derived_id("contact", service_id)
    data["contacts"] = (
        [
            _compact(
                {
                    "id": contact_id,
                    "service_id": service_id,
                    "name": activity.contact_name,
                    "email": activity.contact_email,
                }
            )
        ]
        if activity.contact_name or activity.contact_email
        else []
    )
    if with_locations:
        data["service_at_locations"] = [service_at_location(activity, with_service=False)]
    return data


def service_at_location(activity: Activity, *, with_service: bool = True) -> dict[str, Any]:
    place = location(_place_of(activity))
    data = {
        "id": str(service_at_location_id(activity.uuid)),
        "service_id": str(activity.uuid),
        "location_id": place["id"],
        "location": place,
    }
    if with_service:
        data["service"] = service(activity, with_locations=False)
    return data
