"""Residents' details are erased a while after their request ended."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from tests.volunteering.factories import HelpRequestFactory
from tillsammans.audit.models import AuditEntry
from tillsammans.volunteering.models import HelpRequest
from tillsammans.volunteering.services.retention import help_requests_forget_residents

pytestmark = pytest.mark.django_db
Status = HelpRequest.Status


def _ended(status, days_ago, **fields):
    request = HelpRequestFactory(status=status, notes="Ring på två gånger.", **fields)
    moment = timezone.now() - datetime.timedelta(days=days_ago)
    HelpRequest.objects.filter(pk=request.pk).update(
        done_at=moment if status == Status.DONE else None, updated_at=moment
    )
    return request


def test_details_of_requests_ended_long_ago_are_erased(settings):
    settings.VOLUNTEERING_RESIDENT_DETAILS_DAYS = 90
    old_done = _ended(Status.DONE, 91)
    old_cancelled = _ended(Status.CANCELLED, 120)
    recent_done = _ended(Status.DONE, 10)
    open_request = _ended(Status.OPEN, 400)

    assert help_requests_forget_residents() == 2

    for request in (old_done, old_cancelled):
        request.refresh_from_db()
        assert (request.resident_name, request.resident_phone, request.address, request.notes) == (
            "",
            "",
            "",
            "",
        )
        # What, where and when stay for statistics.
        assert request.help_type_id and request.locality_id and request.starts_at
    for request in (recent_done, open_request):
        request.refresh_from_db()
        assert request.resident_name == "Gunnel Andersson"
        assert request.resident_phone == "+46701234567"
    entry = AuditEntry.objects.get(action="erase", target_type="volunteering.helprequest")
    assert entry.details["count"] == 2
    assert "Gunnel" not in entry.target_label


def test_running_it_again_erases_nothing_more_and_writes_no_entry(settings):
    settings.VOLUNTEERING_RESIDENT_DETAILS_DAYS = 30
    _ended(Status.DONE, 31)
    call_command("help_requests_forget_residents", stdout=io.StringIO())
    assert help_requests_forget_residents() == 0
    assert AuditEntry.objects.filter(action="erase").count() == 1
