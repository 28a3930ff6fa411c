"""Import of an existing register (dry run, then accept) and the staff exports."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tests.factories import AreaFactory, LocalityFactory, UserFactory
from tests.organizations.conftest import upload
from tests.organizations.factories import OrganizationFactory, valid_organisation_number
from tillsammans.organizations.models import Organization, OrganizationStatus
from tillsammans.organizations.register_import import (
    ImportHasErrors,
    register_import,
    register_import_preview,
)

pytestmark = pytest.mark.django_db

HEADER = "name,legal_form,organisation_number,purpose,areas,localities,email,phone,website\n"


@pytest.fixture
def taxonomy():
    AreaFactory(slug="aldre", name_en="Elderly")
    AreaFactory(slug="integration", name_en="Integration")
    LocalityFactory(slug="ekero-centrum", name_sv="Ekerö centrum")


def good_file() -> str:
    n1, n2 = valid_organisation_number(701), valid_organisation_number(702)
    return HEADER + (
        f"PRO Ekerö,ideell_forening,{n1[:6]}-{n1[6:]},Pensionärer,aldre;integration,"
        "ekero-centrum,pro@example.se,08-1234,https://pro.example.se\n"
        f"Stiftelsen Ö,stiftelse,{n2},Stöd,,,,,\n"
        "Grannar på Munsö,natverk,,Grannsamverkan,aldre,,,,\n"
    )


def bad_file() -> str:
    registered = OrganizationFactory(name="Redan Här").organisation_number
    n = valid_organisation_number(703)
    return HEADER + (
        "A,ideell_forening,802000-0001,Syfte,,,,,\n"  # 2: checksum
        "B,aktiebolag,802000-0000,Syfte,,,,,\n"  # 3: legal form
        f"C,ideell_forening,{n},Syfte,okand,nowhere,,,\n"  # 4: area + locality
        f"D,ideell_forening,{n},Syfte,,,,,\n"  # 5: duplicate of 4
        f"E,ideell_forening,{registered},Syfte,,,,,\n"  # 6: already registered
        ",natverk,,,,,,,\n"  # 7: name and purpose missing
        "F,natverk,802000-0000,Syfte,,,,,\n"  # 8: number on a network
        "G,stiftelse,,Syfte,,,,,\n"  # 9: number missing
    )


def test_preview_reports_every_bad_row(english, taxonomy):
    content = bad_file()
    report = register_import_preview(content=content)
    assert report.rows == []
    errors = {}
    for line, message in report.errors:
        errors.setdefault(line, []).append(message)
    assert sorted(errors) == [2, 3, 4, 5, 6, 7, 8, 9]
    assert "last digit does not match" in errors[2][0]
    assert "Unknown legal form “aktiebolag”" in errors[3][0]
    assert errors[4] == ["Unknown area “okand”.", "Unknown locality “nowhere”."]
    assert "also on line 4" in errors[5][0]
    assert "Already registered as “Redan Här”" in errors[6][0]
    assert errors[7] == ["The name is missing.", "The purpose is missing."]
    assert "must leave this field empty" in errors[8][0]
    assert "Write the organisation number" in errors[9][0]
    with pytest.raises(ImportHasErrors):
        register_import(content=content, actor=UserFactory())
    assert Organization.objects.count() == 1


def test_missing_columns_are_reported(english):
    report = register_import_preview(content="name,purpose\nA,B\n")
    assert report.errors == [(1, "The file lacks the columns: legal_form, organisation_number.")]


def test_import_of_a_good_file(taxonomy):
    report = register_import_preview(content=good_file())
    assert report.ok and len(report.rows) == 3
    created = register_import(content=good_file(), actor=UserFactory())
    assert len(created) == 3
    pro = Organization.objects.get(name="PRO Ekerö")
    assert pro.status == OrganizationStatus.VERIFIED
    assert pro.verified_at is not None
    assert sorted(pro.areas.values_list("slug", flat=True)) == ["aldre", "integration"]
    assert list(pro.localities.values_list("slug", flat=True)) == ["ekero-centrum"]
    assert pro.organisation_number == valid_organisation_number(701)
    assert Organization.objects.public().count() == 3


def test_import_through_the_pages(roles, taxonomy):
    client = roles.client("staff_register_officer")
    client.cookies["tillsammans_language"] = "en"
    url = reverse("organizations:import")

    response = client.post(url, {"file": upload("register.csv", bad_file().encode())})
    page = response.content.decode()
    assert "Nothing can be imported" in page
    assert reverse("organizations:import_accept") not in page
    assert Organization.objects.count() == 1

    response = client.post(url, {"file": upload("register.csv", good_file().encode("utf-8-sig"))})
    page = response.content.decode()
    assert "3 organisations are ready to import" in page
    assert Organization.objects.count() == 1, "a dry run imports nothing"
    digest = response.context["digest"]

    assert client.post(reverse("organizations:import_accept"), {"digest": "x"}).status_code == 302
    assert Organization.objects.count() == 1
    response = client.post(reverse("organizations:import_accept"), {"digest": digest})
    assert response.status_code == 302
    assert Organization.objects.count() == 4
    # The file is used once.
    client.post(reverse("organizations:import_accept"), {"digest": digest})
    assert Organization.objects.count() == 4


def test_accept_checks_again(roles, taxonomy):
    client = roles.client("staff_register_officer")
    client.cookies["tillsammans_language"] = "en"
    response = client.post(
        reverse("organizations:import"), {"file": upload("r.csv", good_file().encode())}
    )
    OrganizationFactory(organisation_number=valid_organisation_number(701))
    response = client.post(
        reverse("organizations:import_accept"), {"digest": response.context["digest"]}, follow=True
    )
    assert "nothing was imported" in response.content.decode()
    assert Organization.objects.count() == 1


# --- Exports ------------------------------------------------------------------------


@pytest.fixture
def register(taxonomy):
    from tillsammans.core.models import Area

    verified = OrganizationFactory(name="PRO Ekerö", email="pro@example.se", bankgiro="50501055")
    verified.areas.set(Area.objects.filter(slug="aldre"))
    OrganizationFactory(name="=HYPERLINK(1)", status=OrganizationStatus.PENDING)
    return verified


def test_csv_export_of_the_filtered_list(roles, register):
    client = roles.client("staff_grant_officer")
    client.cookies["tillsammans_language"] = "en"
    response = client.get(reverse("organizations:export_csv"), {"status": "verified"})
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:4] == ["Name", "Organisation number", "Legal form", "Status"]
    assert len(rows) == 2
    assert rows[1][0] == "PRO Ekerö"
    assert rows[1][1] == register.organisation_number_display
    assert rows[1][4] == "Elderly"
    assert "5050-1055" not in response.content.decode()


def test_excel_export_escapes_formulas(roles, register):
    client = roles.client("staff_register_officer")
    client.cookies["tillsammans_language"] = "en"
    response = client.get(reverse("organizations:export_xlsx"))
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [row[0] for row in sheet.iter_rows(values_only=True)]
    assert values == ["Name", "'=HYPERLINK(1)", "PRO Ekerö"]


def test_staff_list_filters(roles, register):
    client = roles.client("staff_register_officer")
    url = reverse("organizations:register_list")
    assert "PRO Ekerö" in client.get(url, {"q": "pro"}).content.decode()
    assert "PRO Ekerö" not in client.get(url, {"status": "pending"}).content.decode()
    assert "PRO Ekerö" in client.get(url, {"area": register.areas.get().pk}).content.decode()
    number = register.organisation_number_display
    assert "PRO Ekerö" in client.get(url, {"q": number}).content.decode()
    assert "PRO Ekerö" not in client.get(url, {"legal_form": "stiftelse"}).content.decode()
    # A bad filter value never crashes.
    assert client.get(url, {"area": "nonsense"}).status_code == 200
