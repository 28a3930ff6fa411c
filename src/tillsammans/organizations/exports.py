"""The staff list of the register as CSV and Excel. Payment details are left
out: the list is for register work, and only grant officers may see them."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from django.utils.translation import gettext as _

from tillsammans.organizations.models import Organization


def _columns():
    return [
        (_("Name"), lambda o: o.name),
        (_("Organisation number"), lambda o: o.organisation_number_display),
        (_("Legal form"), lambda o: str(o.get_legal_form_display())),
        (_("Status"), lambda o: str(o.get_status_display())),
        (_("Areas"), lambda o: "; ".join(area.name for area in o.areas.all())),
        (_("Localities"), lambda o: "; ".join(locality.name for locality in o.localities.all())),
        (_("E-mail"), lambda o: o.email),
        (_("Phone"), lambda o: o.phone),
        (_("Website"), lambda o: o.website),
        (_("Postal address"), lambda o: o.postal_address),
        (_("Members"), lambda o: o.member_count if o.member_count is not None else ""),
        (_("Founded"), lambda o: o.founding_year or ""),
        (_("Verified"), lambda o: o.verified_at.date().isoformat() if o.verified_at else ""),
        (
            _("Details last confirmed"),
            lambda o: o.confirmed_at.date().isoformat() if o.confirmed_at else "",
        ),
    ]


def _safe(value):
    """Spreadsheet programs run a cell starting with = + - @ as a formula."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def register_rows(organizations: Iterable[Organization]) -> tuple[list[str], list[list]]:
    columns = _columns()
    header = [str(title) for title, _getter in columns]
    rows = [[_safe(getter(o)) for _title, getter in columns] for o in organizations]
    return header, rows


def register_csv(organizations: Iterable[Organization]) -> str:
    header, rows = register_rows(organizations)
    buffer = io.StringIO()
    buffer.write("\ufeff")  # Excel reads UTF-8 only with a BOM.
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


def register_xlsx(organizations: Iterable[Organization]) -> bytes:
    from openpyxl import Workbook

    header, rows = register_rows(organizations)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Organisations")[:31]
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
