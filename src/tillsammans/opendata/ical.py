"""Public activities as an iCalendar (RFC 5545) feed.

Times are local Europe/Stockholm with TZID and a VTIMEZONE. A weekly or
biweekly activity is one VEVENT with an RRULE; WKST is the weekday of the
first date, so INTERVAL=2 counts the same two-week blocks as
``Activity.occurrences()``. Cancelled dates are EXDATEs.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event, Timezone, vRecur

from tillsammans.activities.models import Activity, Recurrence
from tillsammans.opendata.hsds import ICAL_DAYS

STOCKHOLM = ZoneInfo("Europe/Stockholm")


def _first_date(activity: Activity):
    if activity.recurrence == Recurrence.ONCE or not activity.weekday_numbers:
        return activity.starts_on
    found = activity.occurrences(activity.starts_on, activity.starts_on + timedelta(days=6))
    return found[0] if found else activity.starts_on


def _local(day, at: time) -> datetime:
    return datetime.combine(day, at, tzinfo=STOCKHOLM)


def activity_event(activity: Activity) -> Event:
    event = Event()
    first = _first_date(activity)
    event.add("uid", f"{activity.uuid}@tillsammans")
    event.add("dtstamp", activity.updated_at or timezone.now())
    event.add("summary", activity.title)
    event.add("description", activity.description)
    event.add("dtstart", _local(first, activity.start_time))
    end_day = first if activity.end_time > activity.start_time else first + timedelta(days=1)
    event.add("dtend", _local(end_day, activity.end_time))
    place = ", ".join(
        part
        for part in (activity.place_name, activity.street_address, activity.locality.name_sv)
        if part
    )
    event.add("location", place)
    event.add("url", f"{settings.SITE_URL}/activities/{activity.slug}/")
    organiser = activity.organization.name if activity.organization else activity.department.name_sv
    event.add("categories", [organiser])
    if activity.recurrence != Recurrence.ONCE:
        days = activity.weekday_numbers or [activity.starts_on.weekday()]
        rule = {
            "freq": "weekly",
            "byday": [ICAL_DAYS[day] for day in days],
            "wkst": ICAL_DAYS[activity.starts_on.weekday()],
        }
        if activity.recurrence == Recurrence.BIWEEKLY:
            rule["interval"] = 2
        if activity.ends_on:
            rule["until"] = _local(activity.ends_on, time(23, 59, 59)).astimezone(UTC)
        event.add("rrule", vRecur(rule))
        cancelled = [
            _local(cancellation.date, activity.start_time)
            for cancellation in activity.cancellations.all()
        ]
        if cancelled:
            event.add("exdate", cancelled)
    return event


def activities_calendar(activities: Iterable[Activity], *, name: str) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//Tillsammans//Activities//SV")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", "Europe/Stockholm")
    calendar.add_component(Timezone.from_tzid("Europe/Stockholm"))
    for activity in activities:
        calendar.add_component(activity_event(activity))
    return calendar.to_ical()
