"""Who may apply to a programme, and when: pure reads, no writes.

``eligibility_problems`` lists, in plain words, what stops an applicant (an
organisation, or a person applying as an individual) from applying to a
programme; an empty list means they may apply. ``programme_is_open`` and
``next_window`` tell when applications are taken.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tillsammans.grants.models import ApplicationWindow, Programme
from tillsammans.organizations.models import (
    DocumentKind,
    LegalForm,
    Organization,
    OrganizationStatus,
)

STOCKHOLM = ZoneInfo("Europe/Stockholm")


@dataclass(frozen=True)
class EligibilityProblem:
    """One thing that stops an applicant: a stable ``code`` and a message for the person."""

    code: str
    message: str

    def __str__(self) -> str:
        return self.message


# Why an organisation that is not verified may not apply, by its status.
_STATUS_MESSAGES = {
    OrganizationStatus.PENDING: gettext_lazy(
        "Only verified organisations in the register may apply: "
        "your organisation is waiting for verification."
    ),
    OrganizationStatus.RETURNED: gettext_lazy(
        "Only verified organisations in the register may apply: your organisation's "
        "registration was returned for changes. Correct it on the organisation's page."
    ),
    OrganizationStatus.NEEDS_UPDATE: gettext_lazy(
        "Only current organisations in the register may apply: your organisation needs "
        "its yearly update. Update it on the organisation's page."
    ),
    OrganizationStatus.INACTIVE: gettext_lazy(
        "Only current organisations in the register may apply: your organisation is "
        "marked as inactive."
    ),
}

_DOCUMENT_MESSAGES = {
    DocumentKind.STATUTES: gettext_lazy(
        "Your organisation's statutes are missing in the register: "
        "upload them on the organisation's page."
    ),
    DocumentKind.ANNUAL_REPORT: gettext_lazy(
        "Your organisation's latest annual report is missing in the register: "
        "upload it on the organisation's page."
    ),
    DocumentKind.ANNUAL_MEETING_MINUTES: gettext_lazy(
        "The minutes of your organisation's latest annual meeting are missing in the "
        "register: upload them on the organisation's page."
    ),
}


def eligibility_problems(
    programme: Programme,
    *,
    organization: Organization | None = None,
    as_individual: bool = False,
    check_documents: bool = True,
) -> list[EligibilityProblem]:
    """What stops the applicant from applying to ``programme``; empty when nothing does.

    ``organization`` is the organisation applying (the caller checks that the
    person represents it); ``as_individual`` is a person applying for
    themselves. The organisation's documents are read with one query (or from
    a ``prefetch_related("documents")`` cache); ``check_documents=False``
    leaves them out (for an organisation that is not stored, as in the
    public eligibility check).
    """
    if as_individual:
        if not programme.allows_individuals:
            return [
                EligibilityProblem(
                    "individuals_not_allowed",
                    _("Individuals may not apply to this programme: apply for an organisation."),
                )
            ]
        return []
    if organization is None:
        message = (
            _("Choose an organisation, or apply as an individual.")
            if programme.allows_individuals
            else _("Choose an organisation: only organisations may apply to this programme.")
        )
        return [EligibilityProblem("no_organization", message)]

    problems: list[EligibilityProblem] = []
    is_network = organization.legal_form == LegalForm.NETWORK
    if is_network and not programme.allows_networks:
        problems.append(
            EligibilityProblem(
                "network_not_allowed", _("Loose networks may not apply to this programme.")
            )
        )
    elif (
        programme.allowed_legal_forms
        and organization.legal_form not in programme.allowed_legal_forms
        and not (is_network and programme.allows_networks)
    ):
        problems.append(
            EligibilityProblem(
                "legal_form_not_allowed",
                _("Only these legal forms may apply: %(forms)s. Your organisation is: %(form)s.")
                % {
                    "forms": ", ".join(programme.legal_form_labels()),
                    "form": organization.get_legal_form_display(),
                },
            )
        )

    if (
        programme.requires_verified_organization
        and organization.status != OrganizationStatus.VERIFIED
    ):
        message = _STATUS_MESSAGES.get(
            organization.status,
            gettext_lazy("Only verified organisations in the register may apply."),
        )
        problems.append(EligibilityProblem("not_verified", str(message)))

    if (
        programme.requires_local_activity
        and check_documents
        and not organization.localities.exists()
    ):
        problems.append(
            EligibilityProblem(
                "not_active_here",
                _(
                    "Only organisations active in the municipality may apply: add the "
                    "localities your organisation serves on the organisation's page."
                ),
            )
        )

    if programme.required_documents and check_documents:
        present = {document.kind for document in organization.documents.all()}
        labels = dict(DocumentKind.choices)
        for kind in programme.required_documents:
            if kind in present:
                continue
            message = _DOCUMENT_MESSAGES.get(kind) or format_lazy(
                gettext_lazy(
                    "A document is missing in the register ({}): "
                    "upload it on the organisation's page."
                ),
                labels.get(kind, kind),
            )
            problems.append(EligibilityProblem(f"document_missing:{kind}", str(message)))
    return problems


def _aware(now: datetime | None) -> datetime:
    if now is None:
        return timezone.now()
    if timezone.is_naive(now):
        return timezone.make_aware(now, STOCKHOLM)
    return now


def programme_is_open(
    programme: Programme, now: datetime | None = None
) -> ApplicationWindow | None:
    """The window taking applications now, or None when the programme is closed.

    A rolling programme (applications at any time) is always open: it returns
    its open window when one is defined, otherwise a transient, unsaved window
    (``pk`` is None) standing for "always open" — do not store that one as an
    application's window (store ``window if window.pk else None``).
    Windows are read from ``programme.windows.all()``, so a
    ``prefetch_related("windows")`` keeps lists at a fixed query count.
    """
    now = _aware(now)
    for window in programme.windows.all():
        if window.opens_at <= now < window.closes_at:
            return window
    if programme.is_rolling:
        return ApplicationWindow(
            programme=programme,
            opens_at=now - timedelta(days=1),
            closes_at=now + timedelta(days=3650),
        )
    return None


def next_window(programme: Programme, now: datetime | None = None) -> ApplicationWindow | None:
    """The first window that opens after ``now``, or None."""
    now = _aware(now)
    upcoming = [window for window in programme.windows.all() if window.opens_at > now]
    return min(upcoming, key=lambda window: window.opens_at) if upcoming else None
