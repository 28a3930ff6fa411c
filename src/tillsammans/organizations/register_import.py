"""Importing an existing register from CSV: a dry run that reports every bad
row, then the import itself, all or nothing.

Columns: name, legal_form, organisation_number, purpose, areas (slugs separated
by ";"), localities (slugs), email, phone, website. Imported organisations are
``verified``: the register they come from was kept by the municipality.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tillsammans.audit.models import AuditEntry
from tillsammans.audit.services import audit_record
from tillsammans.core.errors import DomainError
from tillsammans.core.models import Area, Locality
from tillsammans.organizations.models import LegalForm, Organization, OrganizationStatus
from tillsammans.organizations.services import organisation_number_clean, unique_slug

if TYPE_CHECKING:
    from tillsammans.accounts.models import User

COLUMNS = [
    "name",
    "legal_form",
    "organisation_number",
    "purpose",
    "areas",
    "localities",
    "email",
    "phone",
    "website",
]
REQUIRED_COLUMNS = {"name", "legal_form", "organisation_number", "purpose"}
MAX_BYTES = 2 * 1024 * 1024


class ImportHasErrors(DomainError):
    message = gettext_lazy(
        "The file has %(count)d rows with errors. Correct them and try again; nothing was imported."
    )
    code = "import_has_errors"


class UnreadableFile(DomainError):
    code = "unreadable_file"


@dataclass
class ImportRow:
    line: int
    name: str
    legal_form: str
    organisation_number: str
    purpose: str
    areas: list[Area]
    localities: list[Locality]
    email: str
    phone: str
    website: str


@dataclass
class ImportReport:
    rows: list[ImportRow] = field(default_factory=list)
    errors: list[tuple[int, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors and bool(self.rows)


def decode(data: bytes) -> str:
    """The file's text: UTF-8 (with or without BOM), else Windows-1252 (Excel)."""
    if len(data) > MAX_BYTES:
        raise UnreadableFile(gettext_lazy("The file is too large; the largest allowed is 2 MB."))
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _split(value: str) -> list[str]:
    return [part.strip() for part in (value or "").split(";") if part.strip()]


def register_import_preview(*, content: str) -> ImportReport:
    """Check every row without writing anything. Reports each bad row with its
    line number (the header is line 1) and every reason it is bad."""
    report = ImportReport()
    sample = content[:4096]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.DictReader(io.StringIO(content), dialect=dialect)
    header = [(name or "").strip().lower() for name in (reader.fieldnames or [])]
    missing = REQUIRED_COLUMNS - set(header)
    if missing:
        report.errors.append(
            (
                1,
                _("The file lacks the columns: %(columns)s.")
                % {"columns": ", ".join(sorted(missing))},
            )
        )
        return report
    reader.fieldnames = header

    areas = {area.slug: area for area in Area.objects.all()}
    localities = {locality.slug: locality for locality in Locality.objects.all()}
    registered = dict(
        Organization.objects.exclude(organisation_number="").values_list(
            "organisation_number", "name"
        )
    )
    seen_numbers: dict[str, int] = {}
    seen_names: dict[str, int] = {}
    registered_names = {
        name.casefold() for name in Organization.objects.values_list("name", flat=True)
    }
    email_validator, url_validator = EmailValidator(), URLValidator()

    for row in reader:
        line = reader.line_num
        values = {key: (row.get(key) or "").strip() for key in COLUMNS}
        if not any(values.values()):
            continue
        problems: list[str] = []
        if not values["name"]:
            problems.append(_("The name is missing."))
        if not values["purpose"]:
            problems.append(_("The purpose is missing."))
        legal_form = values["legal_form"]
        number = ""
        if legal_form not in LegalForm.values:
            problems.append(
                _("Unknown legal form “%(value)s” (use one of: %(choices)s).")
                % {"value": legal_form, "choices": ", ".join(LegalForm.values)}
            )
        else:
            try:
                number = organisation_number_clean(
                    legal_form=legal_form, value=values["organisation_number"]
                )
            except ValidationError as error:
                problems.append(
                    _("Organisation number “%(value)s”: %(reason)s")
                    % {"value": values["organisation_number"], "reason": " ".join(error.messages)}
                )
        if number:
            if number in registered:
                problems.append(
                    _("Already registered as “%(name)s”.") % {"name": registered[number]}
                )
            elif number in seen_numbers:
                problems.append(
                    _("The organisation number is also on line %(line)d.")
                    % {"line": seen_numbers[number]}
                )
            else:
                seen_numbers[number] = line
        name_key = values["name"].casefold()
        if name_key and not number:
            if name_key in registered_names:
                problems.append(_("An organisation with this name is already registered."))
            elif name_key in seen_names:
                problems.append(
                    _("The name is also on line %(line)d.") % {"line": seen_names[name_key]}
                )
        if name_key:
            seen_names.setdefault(name_key, line)
        row_areas, row_localities = [], []
        for slug in _split(values["areas"]):
            if slug in areas:
                row_areas.append(areas[slug])
            else:
                problems.append(_("Unknown area “%(slug)s”.") % {"slug": slug})
        for slug in _split(values["localities"]):
            if slug in localities:
                row_localities.append(localities[slug])
            else:
                problems.append(_("Unknown locality “%(slug)s”.") % {"slug": slug})
        for key, validator, message in (
            ("email", email_validator, _("“%(value)s” is not a valid e-mail address.")),
            ("website", url_validator, _("“%(value)s” is not a valid web address.")),
        ):
            if values[key]:
                try:
                    validator(values[key])
                except ValidationError:
                    problems.append(message % {"value": values[key]})
        if len(values["name"]) > 200:
            problems.append(_("The name is longer than 200 characters."))
        if problems:
            report.errors.extend((line, problem) for problem in problems)
            continue
        report.rows.append(
            ImportRow(
                line=line,
                name=values["name"],
                legal_form=legal_form,
                organisation_number=number,
                purpose=values["purpose"],
                areas=row_areas,
                localities=row_localities,
                email=values["email"],
                phone=values["phone"][:30],
                website=values["website"],
            )
        )
    if not report.rows and not report.errors:
        report.errors.append((1, _("The file has no organisations.")))
    return report


def register_import(
    *, content: str, actor: User, now: datetime | None = None
) -> list[Organization]:
    """Import the file accepted after the dry run. It is checked again (the
    register may have changed since the preview); with any error nothing is
    imported (``ImportHasErrors``). All rows in one transaction; the
    organisations are ``verified`` now. Audited as one entry."""
    now = now or timezone.now()
    with transaction.atomic():
        report = register_import_preview(content=content)
        if report.errors or not report.rows:
            raise ImportHasErrors(count=len({line for line, _problem in report.errors}))
        created = []
        for row in report.rows:
            organization = Organization.objects.create(
                name=row.name,
                slug=unique_slug(row.name),
                legal_form=row.legal_form,
                organisation_number=row.organisation_number,
                purpose=row.purpose,
                email=row.email,
                phone=row.phone,
                website=row.website,
                status=OrganizationStatus.VERIFIED,
                verified_at=now,
                confirmed_at=now,
            )
            organization.areas.set(row.areas)
            organization.localities.set(row.localities)
            created.append(organization)
        audit_record(
            actor=actor,
            action=AuditEntry.Action.CREATE,
            target_type="organizations.organization",
            target_label=f"register import: {len(created)} organisations",
            details={"event": "register_import", "count": len(created)},
        )
    return created
