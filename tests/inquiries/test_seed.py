"""The demo inquiries of seed_demo."""

import io

import pytest

from tillsammans.accounts.seed import build_municipality
from tillsammans.core.seed import build_taxonomy
from tillsammans.inquiries.models import CallBack, Category, Handover, Inquiry, InquiryStatus
from tillsammans.inquiries.seed import build_inquiries

pytestmark = pytest.mark.django_db


def test_the_demo_inquiries_once():
    build_taxonomy(io.StringIO())
    build_municipality(io.StringIO())
    build_inquiries(io.StringIO())
    assert Category.objects.filter(is_active=True).count() == 5
    assert Inquiry.objects.count() == 3
    assert Handover.objects.count() == 1 and CallBack.objects.count() == 1
    routed = Inquiry.objects.get(handovers__isnull=False)
    assert routed.status == InquiryStatus.IN_PROGRESS and routed.first_contact_at
    build_inquiries(io.StringIO())
    assert Inquiry.objects.count() == 3 and Category.objects.count() == 5


def test_skipped_without_the_taxonomy():
    out = io.StringIO()
    build_inquiries(out)
    assert "skipped" in out.getvalue()
    assert not Category.objects.exists()
