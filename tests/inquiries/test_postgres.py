"""Simultaneous inquiries never share a case number (PostgreSQL, real threads)."""

import threading

import pytest
from django.db import connections

from tests.inquiries.factories import CategoryFactory
from tillsammans.inquiries.models import Inquiry
from tillsammans.inquiries.services.inquiries import inquiry_submit

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def run_at_once(count, target):
    barrier = threading.Barrier(count)
    outcomes: list[str] = []
    lock = threading.Lock()

    def run(number: int) -> None:
        try:
            barrier.wait()
            outcome = target(number)
        except Exception as error:  # reported by the assertions below
            outcome = f"error {error!r}"
        finally:
            connections.close_all()
        with lock:
            outcomes.append(outcome)

    threads = [threading.Thread(target=run, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def test_simultaneous_inquiries_get_distinct_consecutive_case_numbers():
    category = CategoryFactory()

    def send(number: int) -> str:
        return inquiry_submit(
            category=category, text=f"Fråga {number}", phone=f"070123456{number}"
        ).case_number

    outcomes = run_at_once(8, send)

    assert not [outcome for outcome in outcomes if outcome.startswith("error")], outcomes
    assert len(set(outcomes)) == 8
    assert sorted(int(number.rsplit("-", 1)[1]) for number in outcomes) == list(range(1, 9))
    assert Inquiry.objects.count() == 8
