"""Police-record checks: recording, revoking, who is checked, who must renew soon."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from tests.factories import UserFactory
from tests.volunteering.factories import SafeguardingCheckFactory, VolunteerFactory
from tillsammans.audit.models import AuditEntry
from tillsammans.core.errors import NotPermitted
from tillsammans.volunteering.models import SafeguardingCheck, Volunteer, VolunteerStatus
from tillsammans.volunteering.selectors.volunteers import (
    safeguarding_valid,
    volunteers_safeguarding_expiring,
    with_safeguarding_valid,
)
from tillsammans.volunteering.services import safeguarding as services

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 3, 10)


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def karin(roles):
    return roles.user("staff_coordinator")


def days(n):
    return datetime.timedelta(days=n)


# --- Recording -------------------------------------------------------------------------------


def test_recording_a_check_stores_who_when_and_a_year_by_default(karin):
    volunteer = VolunteerFactory()

    check = services.safeguarding_check_record(
        volunteer=volunteer, extract_issued_on=TODAY - days(5), actor=karin, today=TODAY
    )

    assert check.checked_by == karin and check.checked_by_label
    assert check.checked_at is not None
    assert check.valid_until == datetime.date(2027, 3, 5)
    entry = AuditEntry.objects.get(action=AuditEntry.Action.CREATE)
    assert entry.actor == karin and entry.details["volunteer"] == str(volunteer.uuid)
    assert entry.details["valid_until"] == "2027-03-05"
    assert {f.name for f in SafeguardingCheck._meta.get_fields()}.isdisjoint(
        {"file", "document", "upload"}
    )


def test_a_leap_day_extract_is_renewed_on_28_february():
    assert services.default_renewal_date(datetime.date(2028, 2, 29)) == datetime.date(2029, 2, 28)


def test_an_explicit_renewal_date_is_kept(karin):
    check = services.safeguarding_check_record(
        volunteer=VolunteerFactory(),
        extract_issued_on=TODAY,
        valid_until=TODAY + days(200),
        actor=karin,
        today=TODAY,
    )
    assert check.valid_until == TODAY + days(200)


BAD_CHECKS = [
    ({"extract_issued_on": TODAY + days(1)}, "extract_issued_on", "after today"),
    ({"extract_issued_on": TODAY - days(400)}, "extract_issued_on", "more than a year ago"),
    (
        {"extract_issued_on": TODAY - days(10), "valid_until": TODAY},
        "valid_until",
        "after today",
    ),
]


@pytest.mark.parametrize(("arguments", "field", "text"), BAD_CHECKS)
def test_bad_checks_say_why_and_store_nothing(karin, arguments, field, text):
    with pytest.raises(services.SafeguardingError) as caught:
        services.safeguarding_check_record(
            volunteer=VolunteerFactory(), actor=karin, today=TODAY, **arguments
        )
    assert caught.value.field == field and text in str(caught.value)
    assert not SafeguardingCheck.objects.exists()
    assert not AuditEntry.objects.filter(target_type="volunteering.safeguardingcheck").exists()


def test_only_coordinators_record_checks(roles):
    for role in ("resident", "volunteer", "staff_grant_officer"):
        with pytest.raises(NotPermitted):
            services.safeguarding_check_record(
                volunteer=VolunteerFactory(),
                extract_issued_on=TODAY,
                actor=roles.user(role),
                today=TODAY,
            )
    assert not SafeguardingCheck.objects.exists()


def test_a_volunteer_who_left_cannot_be_checked(karin):
    volunteer = VolunteerFactory(status=VolunteerStatus.LEFT, email="")
    with pytest.raises(services.VolunteerNotCheckable):
        services.safeguarding_check_record(
            volunteer=volunteer, extract_issued_on=TODAY, actor=karin, today=TODAY
        )


# --- Validity and revoking ----------------------------------------------------------------------


def test_validity_on_a_date_and_as_an_annotation():
    checked = VolunteerFactory()
    SafeguardingCheckFactory(volunteer=checked, valid_until=TODAY + days(30))
    expired = VolunteerFactory()
    SafeguardingCheckFactory(volunteer=expired, valid_until=TODAY - days(1))
    unchecked = VolunteerFactory()

    assert safeguarding_valid(checked, on=TODAY)
    assert safeguarding_valid(checked, on=TODAY + days(30))
    assert not safeguarding_valid(checked, on=TODAY + days(31))
    assert not safeguarding_valid(expired, on=TODAY)
    assert not safeguarding_valid(unchecked, on=TODAY)
    rows = {
        v.pk: (v.safeguarding_valid, v.safeguarding_valid_until)
        for v in with_safeguarding_valid(Volunteer.objects.all(), on=TODAY)
    }
    assert rows == {
        checked.pk: (True, TODAY + days(30)),
        expired.pk: (False, None),
        unchecked.pk: (False, None),
    }


def test_the_latest_valid_check_counts():
    volunteer = VolunteerFactory()
    SafeguardingCheckFactory(volunteer=volunteer, valid_until=TODAY + days(10))
    SafeguardingCheckFactory(volunteer=volunteer, valid_until=TODAY + days(300))
    annotated = with_safeguarding_valid(Volunteer.objects.all(), on=TODAY).get()
    assert annotated.safeguarding_valid_until == TODAY + days(300)


def test_revoking_ends_validity_keeps_the_record_and_logs_the_reason(karin):
    volunteer = VolunteerFactory()
    check = SafeguardingCheckFactory(volunteer=volunteer, valid_until=TODAY + days(200))

    services.safeguarding_check_revoke(
        check=check, reason="Ny uppgift från polisen", actor=karin, today=TODAY
    )

    check.refresh_from_db()
    assert check.revoked_at is not None and check.revoked_by == karin
    assert check.valid_until == TODAY - days(1)
    assert not safeguarding_valid(volunteer, on=TODAY)
    entry = AuditEntry.objects.get(action=AuditEntry.Action.REVOKE)
    assert entry.reason == "Ny uppgift från polisen"
    assert entry.details["was_valid_until"] == (TODAY + days(200)).isoformat()
    with pytest.raises(services.CheckAlreadyRevoked):
        services.safeguarding_check_revoke(check=check, reason="igen", actor=karin, today=TODAY)


def test_revoking_needs_a_reason_and_a_coordinator(karin, roles):
    check = SafeguardingCheckFactory()
    with pytest.raises(services.ReasonMissing):
        services.safeguarding_check_revoke(check=check, reason="  ", actor=karin)
    with pytest.raises(NotPermitted):
        services.safeguarding_check_revoke(
            check=check, reason="x", actor=roles.user("staff_follow_up")
        )
    check.refresh_from_db()
    assert check.revoked_at is None


def test_expiring_within_thirty_days():
    soon = VolunteerFactory(full_name="Snart Slut")
    SafeguardingCheckFactory(volunteer=soon, valid_until=TODAY + days(12))
    renewed = VolunteerFactory(full_name="Förnyad")
    SafeguardingCheckFactory(volunteer=renewed, valid_until=TODAY + days(5))
    SafeguardingCheckFactory(volunteer=renewed, valid_until=TODAY + days(360))
    later = VolunteerFactory()
    SafeguardingCheckFactory(volunteer=later, valid_until=TODAY + days(31))
    today_last = VolunteerFactory(full_name="Sista Dagen")
    SafeguardingCheckFactory(volunteer=today_last, valid_until=TODAY)
    gone = VolunteerFactory(status=VolunteerStatus.LEFT, email="")
    SafeguardingCheckFactory(volunteer=gone, valid_until=TODAY + days(3))

    expiring = list(volunteers_safeguarding_expiring(on=TODAY))

    assert expiring == [today_last, soon]


# --- Pages -----------------------------------------------------------------------------------


@pytest.fixture
def coordinator_client(roles):
    client = roles.client("staff_coordinator")
    client.cookies["tillsammans_language"] = "en"
    return client


def test_record_a_check_on_the_page(coordinator_client):
    volunteer = VolunteerFactory()
    url = reverse("volunteering:safeguarding_record", args=[volunteer.uuid])
    issued = timezone.localdate() - days(3)

    response = coordinator_client.post(url, {"extract_issued_on": issued.isoformat()})

    assert response.status_code == 302
    check = SafeguardingCheck.objects.get()
    assert check.valid_until == services.default_renewal_date(issued)
    detail = coordinator_client.get(response["Location"]).content.decode()
    assert "The check is recorded" in detail and "Revoke" in detail


def test_a_bad_check_keeps_what_was_typed(coordinator_client):
    volunteer = VolunteerFactory()
    url = reverse("volunteering:safeguarding_record", args=[volunteer.uuid])
    future = (timezone.localdate() + days(3)).isoformat()
    html = coordinator_client.post(url, {"extract_issued_on": future}).content.decode()
    assert 'href="#id_extract_issued_on"' in html and f'value="{future}"' in html
    assert not SafeguardingCheck.objects.exists()


def test_revoke_on_the_page(coordinator_client):
    check = SafeguardingCheckFactory()
    url = reverse("volunteering:safeguarding_revoke", args=[check.volunteer.uuid, check.pk])
    assert "Revoke the check" in coordinator_client.get(url).content.decode()
    response = coordinator_client.post(url, {"reason": "Ny uppgift"})
    assert response.status_code == 302
    check.refresh_from_db()
    assert check.revoked_at is not None


def test_expiring_page_lists_names_and_dates(coordinator_client):
    volunteer = VolunteerFactory(full_name="Snart Slut")
    SafeguardingCheckFactory(volunteer=volunteer, valid_until=timezone.localdate() + days(9))
    html = coordinator_client.get(reverse("volunteering:safeguarding_expiring")).content.decode()
    assert "Snart Slut" in html
    assert (timezone.localdate() + days(9)).isoformat() in html


def test_the_volunteer_never_sees_who_checked_them():
    volunteer = VolunteerFactory(
        user=UserFactory(email="v@example.se"), email="v@example.se", full_name="V"
    )
    SafeguardingCheckFactory(volunteer=volunteer, checked_by_label="Karin Samordnare")
    client = Client()
    client.force_login(volunteer.user)
    html = client.get(reverse("volunteering:volunteer_profile")).content.decode()
    assert "Karin" not in html
