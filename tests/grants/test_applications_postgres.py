"""Applicants acting at the same moment, with real concurrent connections:
every draft gets its own reference, and a double submission sends one
application and one receipt."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections
from django.utils import timezone

from tests.grants.test_applications_services import complete_draft, open_programme, representative
from tillsammans.audit.models import AuditEntry
from tillsammans.grants.models import Application, ApplicationStatus
from tillsammans.grants.services import applications as services
from tillsammans.grants.services.eligibility import STOCKHOLM
from tillsammans.notifications.models import OutboxMessage

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


def test_drafts_started_at_once_get_distinct_references():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL")
    programme = open_programme()
    applicants = [representative() for _ in range(8)]

    def start(number):
        user, organization = applicants[number]
        return services.application_start(
            actor=user, programme=programme, organization=organization
        ).reference

    outcomes = run_at_once(8, start)

    year = timezone.localtime(timezone.now(), STOCKHOLM).year
    assert sorted(outcomes) == [f"B-{year}-{n:04d}" for n in range(1, 9)], outcomes
    assert Application.objects.count() == 8


def test_a_double_submission_at_once_sends_one_application_and_one_receipt():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL")
    programme = open_programme()
    user, organization = representative()
    application = complete_draft(programme, user, organization)

    def submit(_number):
        return services.application_submit(actor=user, application=application).status

    outcomes = run_at_once(4, submit)

    assert outcomes == [ApplicationStatus.SUBMITTED] * 4, outcomes
    assert OutboxMessage.objects.count() == 1
    assert AuditEntry.objects.filter(details__event="grant_application_submit").count() == 1
