"""The yearly confirmation round, with frozen dates passed as ``now``."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command

from tests.organizations.factories import OrganizationFactory, RepresentativeFactory
from tillsammans.notifications.models import OutboxMessage
from tillsammans.organizations import services
from tillsammans.organizations.models import Organization, OrganizationStatus
from tillsammans.organizations.tasks import yearly_update

pytestmark = pytest.mark.django_db

STOCKHOLM = ZoneInfo("Europe/Stockholm")
CONFIRMED = datetime(2025, 3, 15, 10, 0, tzinfo=STOCKHOLM)


def at(year, month, day):
    return datetime(year, month, day, 12, 0, tzinfo=STOCKHOLM)


@pytest.fixture
def representative():
    return RepresentativeFactory(organization__confirmed_at=CONFIRMED)


def status_of(representative):
    return Organization.objects.get(pk=representative.organization.pk).status


def messages_to(representative):
    return OutboxMessage.objects.filter(address=representative.user.email)


@pytest.mark.parametrize(
    ("now", "status", "messages"),
    [
        (at(2026, 1, 15), OrganizationStatus.VERIFIED, 0),  # 10 months
        (at(2026, 2, 16), OrganizationStatus.VERIFIED, 1),  # 11 months: reminder
        (at(2026, 3, 16), OrganizationStatus.NEEDS_UPDATE, 1),  # 12 months
        (at(2026, 5, 16), OrganizationStatus.INACTIVE, 1),  # 14 months
    ],
)
def test_transitions(representative, now, status, messages):
    services.register_yearly_update(now=now)
    assert status_of(representative) == status
    assert messages_to(representative).count() == messages


def test_a_year_step_by_step_is_idempotent(representative):
    for now in [at(2026, 2, 16), at(2026, 2, 17), at(2026, 3, 16), at(2026, 3, 20)]:
        services.register_yearly_update(now=now)
        services.register_yearly_update(now=now)
    assert status_of(representative) == OrganizationStatus.NEEDS_UPDATE
    # One reminder, one "needs update" notice, however often it ran.
    assert messages_to(representative).count() == 2
    services.register_yearly_update(now=at(2026, 5, 16))
    services.register_yearly_update(now=at(2026, 5, 17))
    assert status_of(representative) == OrganizationStatus.INACTIVE
    assert messages_to(representative).count() == 3


def test_verified_at_counts_when_never_confirmed():
    representative = RepresentativeFactory(organization__verified_at=CONFIRMED)
    services.register_yearly_update(now=at(2026, 3, 16))
    assert status_of(representative) == OrganizationStatus.NEEDS_UPDATE


def test_pending_and_returned_organisations_are_left_alone():
    for status in (OrganizationStatus.PENDING, OrganizationStatus.RETURNED):
        OrganizationFactory(status=status, verified_at=CONFIRMED)
    services.register_yearly_update(now=at(2027, 1, 1))
    assert set(Organization.objects.values_list("status", flat=True)) == {
        OrganizationStatus.PENDING,
        OrganizationStatus.RETURNED,
    }


def test_confirming_brings_a_needs_update_organisation_back(representative):
    services.register_yearly_update(now=at(2026, 3, 16))
    organization = services.organization_confirm_details(
        organization=representative.organization, actor=representative.user, now=at(2026, 3, 17)
    )
    assert organization.status == OrganizationStatus.VERIFIED
    assert organization.confirmed_at == at(2026, 3, 17)
    services.register_yearly_update(now=at(2026, 4, 1))
    assert status_of(representative) == OrganizationStatus.VERIFIED


def test_confirming_an_inactive_organisation_sends_it_to_the_queue(representative):
    services.register_yearly_update(now=at(2026, 5, 16))
    organization = services.organization_confirm_details(
        organization=representative.organization, actor=representative.user, now=at(2026, 5, 17)
    )
    assert organization.status == OrganizationStatus.PENDING


def test_months_before_handles_short_months():
    assert services.months_before(at(2026, 3, 31), 1) == at(2026, 2, 28)
    assert services.months_before(at(2026, 1, 15), 14) == at(2024, 11, 15)


def test_the_command_and_the_task_run_the_round():
    old = RepresentativeFactory(organization__confirmed_at=at(2020, 1, 1))
    call_command("register_yearly_update", stdout=__import__("io").StringIO())
    assert status_of(old) == OrganizationStatus.INACTIVE
    result = yearly_update.enqueue()
    assert result.return_value == {"reminded": 0, "needs_update": 0, "inactive": 0}
