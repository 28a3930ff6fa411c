import datetime
import json
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry, Resource

from tests.activities.factories import ActivityFactory
from tests.factories import AreaFactory, DepartmentFactory, LanguageFactory, LocalityFactory
from tests.organizations.factories import OrganizationFactory
from tillsammans.activities.models import ActivityStatus, Cancellation, Recurrence
from tillsammans.core.models import PostalCode
from tillsammans.organizations.models import OrganizationStatus

SCHEMA_DIR = Path(__file__).resolve().parent.parent / "fixtures" / "hsds"
BASE = "https://tillsammans.example/hsds/3.1/"


def _registry() -> Registry:
    resources = []
    for path in SCHEMA_DIR.glob("*.json"):
        resource = Resource.from_contents(json.loads(path.read_text(encoding="utf-8")))
        resources.append((BASE + path.name, resource))
    return Registry().with_resources(resources)


REGISTRY = _registry()


def validate(data, schema_name: str) -> None:
    """Validate against a vendored HSDS schema, with format checks (uuid, email, uri)."""
    schema = REGISTRY.contents(BASE + f"{schema_name}.json")
    validator = Draft202012Validator(schema, registry=REGISTRY, format_checker=FormatChecker())
    errors = sorted(validator.iter_errors(data), key=lambda error: list(error.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors)


@pytest.fixture
def directory(db):
    """A small public directory plus records that must never be published."""
    stenhamra = LocalityFactory(slug="stenhamra", name_sv="Stenhamra", name_en="Stenhamra")
    PostalCode.objects.create(locality=stenhamra, code="17890")
    swedish = LanguageFactory(code="sv", name_sv="svenska", name_en="Swedish")
    arabic = LanguageFactory(code="ar", name_sv="arabiska", name_en="Arabic")
    elderly = AreaFactory(slug="aldre", name_sv="Äldre", name_en="Older people")
    pro = OrganizationFactory(
        slug="pro-ekero",
        name="PRO Ekerö",
        email="kontakt@pro.example",
        website="https://pro.example/",
        phone="08-560 300 10",
        founding_year=1968,
        bankgiro="56781234",
        plusgiro="4711",
    )
    pro.languages.set([swedish])
    pending = OrganizationFactory(
        slug="vantar", name="Väntande förening", status=OrganizationStatus.PENDING
    )
    department = DepartmentFactory(
        slug="socialforvaltningen", name_sv="Socialförvaltningen", name_en="Social services"
    )
    weekly = ActivityFactory(
        slug="sprakcafe",
        title="Språkcafé",
        organization=pro,
        locality=stenhamra,
        place_name="Stenhamra bibliotek",
        street_address="Stenhamravägen 70",
        weekdays="13",
        starts_on=datetime.date(2026, 1, 5),
        contact_name="Birgitta Lind",
        contact_email="birgitta@pro.example",
        contact_phone="070-000 00 00",
    )
    weekly.languages.set([swedish, arabic])
    weekly.areas.set([elderly])
    Cancellation.objects.create(activity=weekly, date=datetime.date(2026, 1, 8), reason="Sjuk")
    biweekly = ActivityFactory(
        slug="kajutan",
        title="Kajutan",
        organization=None,
        department=department,
        locality=stenhamra,
        recurrence=Recurrence.BIWEEKLY,
        weekdays="0",
        starts_on=datetime.date(2026, 1, 7),
        ends_on=datetime.date(2099, 6, 1),
        is_free=False,
        cost="40 kr",
    )
    once = ActivityFactory(
        slug="vandring",
        title="Vandring",
        organization=pro,
        locality=stenhamra,
        recurrence=Recurrence.ONCE,
        weekdays="",
        starts_on=datetime.date(2099, 5, 2),
    )
    inactive = ActivityFactory(
        slug="inaktiv",
        title="Inaktiv aktivitet",
        organization=pro,
        status=ActivityStatus.INACTIVE,
        locality=stenhamra,
    )
    hidden = ActivityFactory(
        slug="dold", title="Dold aktivitet", organization=pending, locality=stenhamra
    )
    return {
        "pro": pro,
        "pending": pending,
        "department": department,
        "weekly": weekly,
        "biweekly": biweekly,
        "once": once,
        "inactive": inactive,
        "hidden": hidden,
        "stenhamra": stenhamra,
        "elderly": elderly,
    }
