"""An activity's schedule in plain words: "Wednesdays 14:00–16:00"."""

from __future__ import annotations

from datetime import date, time

from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import pgettext, pgettext_lazy

from tillsammans.activities.models import Activity, Recurrence

# "On Wednesdays": Swedish says "onsdagar", so these are their own strings.
WEEKDAYS_PLURAL = {
    0: pgettext_lazy("every week on", "Mondays"),
    1: pgettext_lazy("every week on", "Tuesdays"),
    2: pgettext_lazy("every week on", "Wednesdays"),
    3: pgettext_lazy("every week on", "Thursdays"),
    4: pgettext_lazy("every week on", "Fridays"),
    5: pgettext_lazy("every week on", "Saturdays"),
    6: pgettext_lazy("every week on", "Sundays"),
}
# "Every other Wednesday": Swedish says "varannan onsdag" (lower case).
WEEKDAYS_EVERY_OTHER = {
    0: pgettext_lazy("every other", "Monday"),
    1: pgettext_lazy("every other", "Tuesday"),
    2: pgettext_lazy("every other", "Wednesday"),
    3: pgettext_lazy("every other", "Thursday"),
    4: pgettext_lazy("every other", "Friday"),
    5: pgettext_lazy("every other", "Saturday"),
    6: pgettext_lazy("every other", "Sunday"),
}


def format_time(value: time) -> str:
    # Swedish writes 14.00; the catalogue gives each language its own format.
    return date_format(value, pgettext("time of day format", "H:i"))


def format_day(value: date) -> str:
    return date_format(value, pgettext("day with weekday format", "l j F Y"))


def time_range(activity: Activity) -> str:
    return f"{format_time(activity.start_time)}–{format_time(activity.end_time)}"


def _join(words: list[str]) -> str:
    if len(words) <= 1:
        return "".join(words)
    return _("%(first)s and %(last)s") % {"first": ", ".join(words[:-1]), "last": words[-1]}


def days_in_words(activity: Activity) -> str:
    """ "Wednesdays", "Every other Monday and Thursday", "Wednesday 7 January 2026"."""
    if activity.recurrence == Recurrence.ONCE:
        return capfirst(format_day(activity.starts_on))
    numbers = sorted(set(activity.weekday_numbers))
    if activity.recurrence == Recurrence.BIWEEKLY:
        names = _join([str(WEEKDAYS_EVERY_OTHER[day]) for day in numbers])
        return _("Every other %(days)s") % {"days": names}
    # Translators of WEEKDAYS_PLURAL write them as they stand mid-sentence
    # ("onsdagar" in Swedish); the whole phrase gets a capital first letter.
    return capfirst(_join([str(WEEKDAYS_PLURAL[day]) for day in numbers]))


def schedule_in_words(activity: Activity) -> str:
    """Days and time in one line: "Wednesdays 14:00–16:00"."""
    # Translators: "Wednesdays 14:00–16:00".
    return _("%(days)s %(times)s") % {
        "days": days_in_words(activity),
        "times": time_range(activity),
    }


def period_in_words(activity: Activity, *, today: date | None = None) -> str:
    """When a recurring activity starts or ends, if that matters; else ""."""
    if activity.recurrence == Recurrence.ONCE:
        return ""
    today = today or date.today()  # noqa: DTZ011 - compared with local dates only
    starts = activity.starts_on > today
    if starts and activity.ends_on:
        return _("From %(start)s to %(end)s") % {
            "start": date_format(activity.starts_on, "j F Y"),
            "end": date_format(activity.ends_on, "j F Y"),
        }
    if starts:
        return _("Starts %(start)s") % {"start": date_format(activity.starts_on, "j F Y")}
    if activity.ends_on:
        return _("Until %(end)s") % {"end": date_format(activity.ends_on, "j F Y")}
    return ""
