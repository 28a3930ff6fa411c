import datetime

import pytest

from tillsammans.inquiries.services.inquiries import is_working_day, working_days_after

D = datetime.date


@pytest.mark.parametrize(
    ("day", "n", "expected"),
    [
        (D(2026, 11, 23), 2, D(2026, 11, 25)),  # Monday → Wednesday
        (D(2026, 11, 26), 2, D(2026, 11, 30)),  # Thursday → Monday over the weekend
        (D(2026, 11, 27), 0, D(2026, 11, 27)),
        # Midsommar 2026: afton Friday 19 June, dag Saturday 20 June.
        (D(2026, 6, 18), 1, D(2026, 6, 22)),
        (D(2026, 6, 17), 2, D(2026, 6, 22)),
        # Jul: julafton (Thu 24), juldagen (Fri 25), annandag (Sat 26) 2026.
        (D(2026, 12, 23), 1, D(2026, 12, 28)),
        # Nyår: nyårsafton (Thu 31), nyårsdagen (Fri 1 Jan).
        (D(2026, 12, 30), 1, D(2027, 1, 4)),
        # Trettondagen 2027 is a Wednesday.
        (D(2027, 1, 5), 1, D(2027, 1, 7)),
        # Påsk 2026: långfredag 3 April, annandag 6 April.
        (D(2026, 4, 2), 1, D(2026, 4, 7)),
    ],
)
def test_working_days_after(day, n, expected):
    assert working_days_after(day, n) == expected


def test_holidays_and_weekends_are_not_working_days():
    assert not is_working_day(D(2026, 6, 19))  # midsommarafton
    assert not is_working_day(D(2026, 6, 6))  # nationaldagen (a Saturday, too)
    assert not is_working_day(D(2025, 6, 6))  # nationaldagen on a Friday
    assert not is_working_day(D(2026, 11, 22))  # a Sunday
    assert is_working_day(D(2026, 6, 22))
