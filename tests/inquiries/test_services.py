import datetime
from unittest import mock

import pytest
from django.utils import timezone

from tests.factories import DepartmentFactory, UserFactory
from tests.inquiries.factories import CategoryFactory, submit
from tests.roles import staff
from tillsammans.accounts.models import Capability
from tillsammans.audit.models import AuditEntry
from tillsammans.core.errors import NotPermitted
from tillsammans.inquiries.models import Handover, Inquiry, InquiryStatus
from tillsammans.inquiries.services import inquiries as services
from tillsammans.notifications.models import OutboxMessage
from tillsammans.organizations.models import Organization

pytestmark = pytest.mark.django_db


def test_submit_gives_a_case_number_a_secret_link_and_an_e_mail_receipt(settings):
    settings.INQUIRIES_FIRST_CONTACT_DAYS = 2
    monday = datetime.datetime(2026, 11, 23, 9, 0, tzinfo=datetime.UTC)
    with mock.patch("django.utils.timezone.now", return_value=monday):
        submitted = submit()
    inquiry = submitted.inquiry
    assert submitted.case_number == "Ä-2026-0001"
    assert inquiry.phone == "+46701234567"
    assert inquiry.email == "anna@example.se"
    assert inquiry.status == InquiryStatus.NEW
    assert inquiry.first_contact_due == datetime.date(2026, 11, 25)
    token = submitted.status_url.rstrip("/").rsplit("/", 1)[1]
    assert token not in inquiry.status_token_hash
    assert len(inquiry.status_token_hash) == 64
    assert services.inquiry_by_token(token) == inquiry
    message = OutboxMessage.objects.get()
    assert message.address == "anna@example.se"
    assert submitted.status_url in message.body
    assert "Ä-2026-0001" in message.subject
    assert AuditEntry.objects.filter(target_id=str(inquiry.uuid)).exists()


def test_case_numbers_count_up_within_a_year():
    numbers = [submit().case_number for _ in range(3)]
    year = timezone.localdate().year
    assert numbers == [f"Ä-{year}-0001", f"Ä-{year}-0002", f"Ä-{year}-0003"]


def test_first_contact_days_come_from_the_setting(settings):
    settings.INQUIRIES_FIRST_CONTACT_DAYS = 5
    inquiry = submit().inquiry
    assert inquiry.first_contact_due == services.working_days_after(timezone.localdate(), 5)


def test_no_receipt_without_an_e_mail_address():
    submit(email="")
    assert not OutboxMessage.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "error"),
    [
        ({"text": "  "}, services.TextMissing),
        ({"text": "x" * 2001}, services.TextTooLong),
        ({"phone": "", "email": ""}, services.ContactMissing),
        ({"phone": "12"}, services.InvalidPhone),
        ({"email": "not-an-address"}, services.InvalidEmail),
    ],
)
def test_bad_input_is_refused(overrides, error):
    with pytest.raises(error):
        submit(**overrides)
    assert not Inquiry.objects.exists()


def test_an_inactive_category_is_refused():
    with pytest.raises(services.CategoryInvalid):
        submit(category=CategoryFactory(is_active=False))
    with pytest.raises(services.CategoryInvalid):
        services.inquiry_submit(category=None, text="Hej", phone="0701234567")


def test_text_of_2000_characters_is_accepted():
    assert len(submit(text="x" * 2000).inquiry.text) == 2000


@pytest.mark.parametrize(
    "overrides",
    [
        {"name": "Anna", "phone": "0701234567", "email": "anna@example.se"},
        {"name": "Anna Andersson", "phone": "0701234567", "email": ""},
        {"name": "Anna", "phone": "0701234567", "email": "", "preferred_time": "efter 15"},
    ],
)
def test_under_16_gives_only_a_first_name_and_one_way_to_reach(overrides):
    with pytest.raises(services.UnderSixteenTooMuch):
        submit(under_16=True, **overrides)
    assert not Inquiry.objects.exists()


def test_under_16_with_a_first_name_and_one_way_is_accepted_without_consent():
    inquiry = submit(
        under_16=True, name="Elsa", phone="", email="elsa@example.se", consent_to_organization=True
    ).inquiry
    assert inquiry.under_16 and not inquiry.consent_to_organization


@pytest.fixture
def triage():
    return staff(Capability.TRIAGE)()


def test_route_to_a_department_keeps_a_handover(triage):
    inquiry = submit().inquiry
    department = DepartmentFactory(slug="tekniska")
    services.inquiry_route(inquiry=inquiry, actor=triage, department=department, note="Lampor")
    inquiry.refresh_from_db()
    assert inquiry.status == InquiryStatus.ROUTED
    assert inquiry.routed_to_department == department
    handover = Handover.objects.get()
    assert handover.to_department == department and handover.from_department is None
    assert handover.by == triage and handover.note == "Lampor"
    other = UserFactory()
    services.inquiry_route(inquiry=inquiry, actor=triage, user=other)
    last = Handover.objects.last()
    assert last.from_department == department and last.to_user == other
    assert Handover.objects.count() == 2


def test_route_to_an_organisation_needs_consent(triage):
    organization = Organization.objects.create(name="PRO Ekerö", slug="pro-ekero")
    inquiry = submit(consent_to_organization=False).inquiry
    with pytest.raises(services.ConsentMissing):
        services.inquiry_route(inquiry=inquiry, actor=triage, organization=organization)
    inquiry.refresh_from_db()
    assert inquiry.routed_to_organization is None and not Handover.objects.exists()
    consenting = submit(consent_to_organization=True).inquiry
    services.inquiry_route(inquiry=consenting, actor=triage, organization=organization)
    consenting.refresh_from_db()
    assert consenting.routed_to_organization == organization


def test_route_needs_exactly_one_receiver_and_triage(triage):
    inquiry = submit().inquiry
    with pytest.raises(services.RouteMissing):
        services.inquiry_route(inquiry=inquiry, actor=triage)
    with pytest.raises(services.RouteMissing):
        services.inquiry_route(
            inquiry=inquiry, actor=triage, department=DepartmentFactory(), user=UserFactory()
        )
    coach = staff(Capability.COACH)()
    with pytest.raises(NotPermitted):
        services.inquiry_route(inquiry=inquiry, actor=coach, department=DepartmentFactory())


def test_receiver_takes_over_and_records_the_call_back(triage):
    inquiry = submit().inquiry
    department = DepartmentFactory(slug="socialforvaltningen")
    services.inquiry_route(inquiry=inquiry, actor=triage, department=department)
    coach = staff(Capability.COACH)()  # in socialförvaltningen
    services.inquiry_take_over(inquiry=inquiry, actor=coach)
    inquiry.refresh_from_db()
    assert inquiry.routed_to_user == coach and inquiry.status == InquiryStatus.IN_PROGRESS
    services.callback_record(inquiry=inquiry, actor=coach, outcome="Pratade med Anna.")
    inquiry.refresh_from_db()
    first = inquiry.first_contact_at
    assert first is not None and inquiry.status == InquiryStatus.IN_PROGRESS
    services.callback_record(inquiry=inquiry, actor=coach, outcome="Klart.", close=True)
    inquiry.refresh_from_db()
    assert inquiry.first_contact_at == first
    assert inquiry.status == InquiryStatus.CLOSED and inquiry.closed_at is not None
    assert inquiry.callbacks.count() == 2
    with pytest.raises(services.InquiryClosed):
        services.callback_record(inquiry=inquiry, actor=coach, outcome="Igen")


def test_a_stranger_may_not_record_a_call_back(triage):
    inquiry = submit().inquiry
    services.inquiry_route(inquiry=inquiry, actor=triage, department=DepartmentFactory(slug="x"))
    coach = staff(Capability.COACH)()  # socialförvaltningen, not x
    with pytest.raises(NotPermitted):
        services.callback_record(inquiry=inquiry, actor=coach, outcome="Hej")
    with pytest.raises(NotPermitted):
        services.inquiry_take_over(inquiry=inquiry, actor=coach)


def test_call_back_needs_an_outcome(triage):
    inquiry = submit().inquiry
    with pytest.raises(services.OutcomeMissing):
        services.callback_record(inquiry=inquiry, actor=triage, outcome=" ")
