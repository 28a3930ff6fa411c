import datetime

import pytest
from allauth.mfa.totp.internal.auth import TOTP
from django.utils import timezone

from tests.factories import (
    AreaFactory,
    DepartmentFactory,
    LanguageFactory,
    LocalityFactory,
    StaffMembershipFactory,
    TargetGroupFactory,
    UserFactory,
)
from tests.organizations.factories import OrganizationFactory, RepresentativeFactory
from tests.roles import TEST_TOTP_SECRET
from tillsammans.accounts.models import Capability


def next_weekday(weekday: int, *, after: datetime.date | None = None) -> datetime.date:
    """The first date on ``weekday`` (Monday = 0) strictly after ``after`` (today)."""
    day = (after or timezone.localdate()) + datetime.timedelta(days=1)
    return day + datetime.timedelta(days=(weekday - day.weekday()) % 7)


@pytest.fixture
def locality(db):
    return LocalityFactory(slug="ekero-centrum", name_sv="Ekerö centrum")


@pytest.fixture
def organization(db):
    return OrganizationFactory(name="PRO Ekerö", slug="pro-ekero")


@pytest.fixture
def representative(organization):
    """Sara represents PRO Ekerö."""
    return RepresentativeFactory(
        organization=organization, user=UserFactory(email="sara@example.se", full_name="Sara")
    ).user


@pytest.fixture
def department(db):
    return DepartmentFactory(slug="kultur", name_sv="Kultur- och fritidsförvaltningen")


@pytest.fixture
def editor(department):
    """Eva is editor in the culture department."""
    user = UserFactory(email="eva@kommun.example.se", full_name="Eva Redaktör", verified=True)
    StaffMembershipFactory(user=user, department=department, capability=Capability.EDITOR)
    return with_totp(user)


def with_totp(user):
    """Staff and site administrators must have two-factor sign-in set up."""
    TOTP.activate(user, TEST_TOTP_SECRET)
    return user


@pytest.fixture
def activity_fields(locality):
    """Everything a valid weekly activity needs."""

    def build(**overrides):
        fields = {
            "title": "Språkcafé",
            "description": "Öva svenska över en kopp kaffe.",
            "locality": locality,
            "place_name": "Biblioteket",
            "street_address": "Tappström 1",
            "recurrence": "weekly",
            "weekdays": "2",
            "starts_on": datetime.date(2026, 1, 7),
            "ends_on": None,
            "start_time": datetime.time(14, 0),
            "end_time": datetime.time(16, 0),
            "is_free": True,
            "cost": "",
            "areas": [AreaFactory()],
            "target_groups": [TargetGroupFactory()],
            "languages": [LanguageFactory(code="sv", name_sv="svenska", name_en="Swedish")],
        }
        fields.update(overrides)
        return fields

    return build
