"""``Activity.occurrences``: the dates an activity takes place (no database)."""

import datetime

from hypothesis import given
from hypothesis import strategies as st

from tillsammans.activities.models import Activity, Recurrence

D = datetime.date


def activity(**fields) -> Activity:
    defaults = {"recurrence": Recurrence.WEEKLY, "weekdays": "2", "starts_on": D(2026, 1, 7)}
    return Activity(**{**defaults, **fields})


def test_weekly_on_two_weekdays():
    monday_and_wednesday = activity(weekdays="02", starts_on=D(2026, 1, 5))
    assert monday_and_wednesday.occurrences(D(2026, 1, 1), D(2026, 1, 14)) == [
        D(2026, 1, 5),
        D(2026, 1, 7),
        D(2026, 1, 12),
        D(2026, 1, 14),
    ]


def test_nothing_before_the_first_date():
    assert activity().occurrences(D(2025, 12, 1), D(2026, 1, 6)) == []


def test_weekly_stops_at_the_last_date():
    wednesdays = activity(ends_on=D(2026, 1, 21))
    assert wednesdays.occurrences(D(2026, 1, 1), D(2026, 3, 1)) == [
        D(2026, 1, 7),
        D(2026, 1, 14),
        D(2026, 1, 21),
    ]


def test_biweekly_every_other_week_from_the_first_date():
    fortnightly = activity(recurrence=Recurrence.BIWEEKLY)
    assert fortnightly.occurrences(D(2026, 1, 1), D(2026, 2, 10)) == [
        D(2026, 1, 7),
        D(2026, 1, 21),
        D(2026, 2, 4),
    ]


def test_once_only_on_its_date():
    once = activity(recurrence=Recurrence.ONCE, weekdays="5", starts_on=D(2026, 12, 5))
    assert once.occurrences(D(2026, 1, 1), D(2026, 12, 31)) == [D(2026, 12, 5)]
    assert once.occurrences(D(2026, 12, 6), D(2026, 12, 31)) == []


def test_cancelled_dates_are_left_out():
    wednesdays = activity()
    cancelled = {D(2026, 1, 14)}
    assert wednesdays.occurrences(D(2026, 1, 1), D(2026, 1, 21), cancelled) == [
        D(2026, 1, 7),
        D(2026, 1, 21),
    ]


dates = st.dates(min_value=D(2025, 1, 1), max_value=D(2027, 12, 31))


@given(
    recurrence=st.sampled_from([Recurrence.WEEKLY, Recurrence.BIWEEKLY]),
    weekdays=st.sets(st.integers(0, 6), min_size=1),
    starts_on=dates,
    length=st.one_of(st.none(), st.integers(0, 200)),
    start=dates,
    span=st.integers(0, 120),
    cancelled=st.sets(dates, max_size=20),
)
def test_occurrences_are_in_range_on_listed_weekdays_and_never_cancelled(
    recurrence, weekdays, starts_on, length, start, span, cancelled
):
    ends_on = None if length is None else starts_on + datetime.timedelta(days=length)
    recurring = activity(
        recurrence=recurrence,
        weekdays="".join(str(day) for day in sorted(weekdays)),
        starts_on=starts_on,
        ends_on=ends_on,
    )
    end = start + datetime.timedelta(days=span)
    found = recurring.occurrences(start, end, cancelled)
    assert found == sorted(set(found))
    for day in found:
        assert start <= day <= end
        assert starts_on <= day
        assert ends_on is None or day <= ends_on
        assert day.weekday() in weekdays
        assert day not in cancelled
        if recurrence == Recurrence.BIWEEKLY:
            assert ((day - starts_on).days // 7) % 2 == 0
    # Nothing is missed: every listed weekday in range that is not cancelled is found
    # (weekly activities).
    if recurrence == Recurrence.WEEKLY:
        first, last = max(start, starts_on), min(end, ends_on) if ends_on else end
        expected = [
            first + datetime.timedelta(days=n)
            for n in range((last - first).days + 1)
            if (first + datetime.timedelta(days=n)).weekday() in weekdays
            and first + datetime.timedelta(days=n) not in cancelled
        ]
        assert found == expected


@given(starts_on=dates, start=dates, span=st.integers(0, 400), cancelled=st.booleans())
def test_once_happens_at_most_once(starts_on, start, span, cancelled):
    once = activity(
        recurrence=Recurrence.ONCE,
        weekdays=str(starts_on.weekday()),
        starts_on=starts_on,
        ends_on=starts_on,
    )
    end = start + datetime.timedelta(days=span)
    found = once.occurrences(start, end, {starts_on} if cancelled else set())
    in_range = start <= starts_on <= end
    assert found == ([starts_on] if in_range and not cancelled else [])
