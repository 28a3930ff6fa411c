"""Granted decisions in the 360Giving Data Standard (1.4) at /api/v1/grants/
(public, no authentication).

``360giving.json`` is a 360Giving data package (``{"grants": [...]}``);
``360giving.csv`` is the same grants with the standard's spreadsheet column
titles (one grant per row). Grant identifiers are ``360G-<prefix>-<decision
uuid>`` with the prefix from the setting ``GRANTS_360GIVING_PREFIX``;
organisations are ``SE-ON-<organisationsnummer>``, loose networks and
organisations without a number get a local identifier under the prefix. A
grant to a private individual has an anonymised ``recipientIndividual``:
never a name.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from django.conf import settings
from django.http import HttpResponse
from ninja import Router

from tillsammans.grants.selectors.transparency import (
    RECIPIENT_INDIVIDUAL,
    PublicDecision,
    granted_decisions,
    kronor_number,
    municipality_identifier,
    public_decisions,
    threesixtygiving_prefix,
)

router = Router(tags=["grants"])

STANDARD_VERSION = "1.4"
INDIVIDUAL_NAME = "Individual Recipient"  # 360Giving's generic name for a person

# The standard's spreadsheet column titles, in order, with the JSON path each holds.
CSV_COLUMNS: list[tuple[str, tuple[str | int, ...]]] = [
    ("Identifier", ("id",)),
    ("Title", ("title",)),
    ("Description", ("description",)),
    ("Currency", ("currency",)),
    ("Amount Awarded", ("amountAwarded",)),
    ("Award Date", ("awardDate",)),
    ("Last Modified", ("dateModified",)),
    ("Recipient Org:Identifier", ("recipientOrganization", 0, "id")),
    ("Recipient Org:Name", ("recipientOrganization", 0, "name")),
    ("Recipient Ind:Identifier", ("recipientIndividual", "id")),
    ("Recipient Ind:Name", ("recipientIndividual", "name")),
    ("Funding Org:Identifier", ("fundingOrganization", 0, "id")),
    ("Funding Org:Name", ("fundingOrganization", 0, "name")),
    ("Funding Org:Department", ("fundingOrganization", 0, "department")),
    ("Grant Programme:Code", ("grantProgramme", 0, "code")),
    ("Grant Programme:Title", ("grantProgramme", 0, "title")),
]


def grant_record(decision: PublicDecision) -> dict[str, Any]:
    """One granted decision as a 360Giving grant."""
    grant: dict[str, Any] = {
        "id": f"360G-{threesixtygiving_prefix()}-{decision.uuid}",
        "title": decision.purpose,
        "description": f"{decision.programme_title}: {decision.purpose}",
        "currency": "SEK",
        "amountAwarded": kronor_number(decision.amount_ore),
        "awardDate": decision.decided_on.isoformat(),
        "dateModified": decision.recorded_at.isoformat(timespec="seconds"),
        "fundingOrganization": [
            {
                "id": municipality_identifier(),
                "name": settings.MUNICIPALITY_NAME,
                "department": decision.deciding_body,
            }
        ],
        "grantProgramme": [{"code": decision.programme_slug, "title": decision.programme_title}],
    }
    if decision.recipient_kind == RECIPIENT_INDIVIDUAL:
        grant["recipientIndividual"] = {
            "id": decision.recipient_identifier,
            "name": INDIVIDUAL_NAME,
        }
    else:
        grant["recipientOrganization"] = [
            {"id": decision.recipient_identifier, "name": decision.recipient_name}
        ]
    return grant


def grant_records() -> list[dict[str, Any]]:
    decisions = granted_decisions().iterator(chunk_size=500)
    return [grant_record(decision) for decision in public_decisions(decisions)]


def _at(record: Any, path: tuple[str | int, ...]) -> Any:
    for step in path:
        try:
            record = record[step]
        except (KeyError, IndexError):
            return ""
    return record


def _cell(value: Any) -> str:
    text = str(value)
    # A spreadsheet must not run a title as a formula (amounts are never negative).
    return f"'{text}" if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def grants_csv(records: list[dict[str, Any]]) -> str:
    buffer = io.StringIO()
    buffer.write("\ufeff")  # so spreadsheet programs read å, ä and ö right
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([title for title, _path in CSV_COLUMNS])
    for record in records:
        writer.writerow([_cell(_at(record, path)) for _title, path in CSV_COLUMNS])
    return buffer.getvalue()


@router.get(
    "/360giving.json",
    response=dict,
    summary="Granted decisions (360Giving Data Standard 1.4, JSON)",
)
def threesixtygiving_json(request):
    """A 360Giving data package with every granted decision."""
    return {
        "version": STANDARD_VERSION,
        "publisher": {"name": settings.MUNICIPALITY_NAME, "identifier": municipality_identifier()},
        "grants": grant_records(),
    }


@router.get(
    "/360giving.csv",
    summary="Granted decisions (360Giving Data Standard 1.4, CSV)",
    openapi_extra={
        "responses": {200: {"description": "CSV", "content": {"text/csv": {}}}},
    },
)
def threesixtygiving_csv(request):
    """The same grants as the JSON, with the standard's spreadsheet column titles."""
    response = HttpResponse(grants_csv(grant_records()), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="360giving-grants.csv"'
    return response
