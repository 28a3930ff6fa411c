import pytest

from tillsammans.notifications.addresses import (
    mask_email,
    mask_phone,
    normalise_email,
    normalise_phone,
)


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("070-123 45 67", "+46701234567"),
        ("0701234567", "+46701234567"),
        ("073 - 987 65 43", "+46739876543"),
        ("+46 70 123 45 67", "+46701234567"),
        ("0046701234567", "+46701234567"),
        ("+358 40 1234567", "+358401234567"),
        ("(+44) 7700 900123", "+447700900123"),
    ],
)
def test_phone_numbers_are_stored_in_e164(typed, stored):
    assert normalise_phone(typed) == stored


@pytest.mark.parametrize(
    "typed",
    [
        "",
        "08-123 456 78",
        "070123456",
        "+0701234567",
        "+46",
        "+1234567",
        "+1234567890123456",
        "tel:070",
    ],
)
def test_what_is_not_a_mobile_number_is_refused(typed):
    assert normalise_phone(typed) is None


def test_email_addresses_are_checked_and_lower_cased():
    assert normalise_email("  Anna.Andersson@Example.SE ") == "anna.andersson@example.se"
    assert normalise_email("anna@") is None
    assert normalise_email("anna example.se") is None


def test_masking_keeps_only_what_staff_need_to_recognise_an_address():
    assert mask_email("anna@example.se") == "a…@example.se"
    assert mask_phone("+46701234512") == "+4670…12"
    assert mask_email("") == "…"
    assert mask_phone("+46") == "…"
