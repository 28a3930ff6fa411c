"""Concurrency of help requests on PostgreSQL, with real threads and their
own connections: the same request sent at once is one request, and a request
never lands in a campaign that closed at the same moment."""

import datetime
import threading

import pytest
from django.utils import timezone

from tests.factories import LocalityFactory
from tests.roles import staff
from tests.volunteering.factories import CampaignFactory, HelpTypeFactory
from tillsammans.notifications.models import OutboxMessage
from tillsammans.volunteering.models import Campaign, HelpRequest
from tillsammans.volunteering.services.campaigns import CampaignClosed, campaign_close
from tillsammans.volunteering.services.requests import TimeWindow, help_request_create

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def run_at_once(*jobs) -> list[str]:
    barrier = threading.Barrier(len(jobs))
    outcomes: list[str] = []
    lock = threading.Lock()

    def run(job) -> None:
        from django.db import connections

        try:
            barrier.wait()
            outcome = job()
        except CampaignClosed:
            outcome = "refused"
        except Exception as error:  # reported by the callers' assertions
            outcome = f"error {error!r}"
        finally:
            connections.close_all()
        with lock:
            outcomes.append(outcome)

    threads = [threading.Thread(target=run, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def arguments(**extra):
    day = timezone.localdate() + datetime.timedelta(days=1)
    return {
        "actor": None,
        "help_type": HelpTypeFactory(slug="handla"),
        "resident_name": "Gunnel Andersson",
        "resident_phone": "070-123 45 67",
        "address": "Bryggvägen 3",
        "locality": LocalityFactory(),
        "window": TimeWindow(day, datetime.time(10), datetime.time(12)),
        **extra,
    }


def test_the_same_request_sent_at_once_is_one_request():
    kwargs = arguments()
    outcomes = run_at_once(*[lambda: help_request_create(**kwargs).reference] * 6)

    assert not [o for o in outcomes if o.startswith("error")], outcomes
    assert HelpRequest.objects.count() == 1
    assert len(set(outcomes)) == 1
    assert OutboxMessage.objects.count() == 1


def test_a_request_and_the_closing_of_its_campaign():
    kwargs = arguments()
    campaign = CampaignFactory(help_types=[kwargs["help_type"]])
    karin = staff("coordinator")()
    outcomes = run_at_once(
        lambda: help_request_create(**kwargs, campaign=campaign).reference,
        lambda: f"closed {campaign_close(campaign=campaign, actor=karin).pk}",
    )

    assert not [o for o in outcomes if o.startswith("error")], outcomes
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.CLOSED
    filed = HelpRequest.objects.filter(campaign=campaign)
    if "refused" in outcomes:
        assert not filed.exists()
    else:
        # The request committed first; the close came after it.
        assert filed.get().created_at <= campaign.closed_at
