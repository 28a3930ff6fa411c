"""Reads for the applicant's pages: their applications, one application with
what its pages show, and the organisations they may apply for."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db.models import Prefetch, Q, QuerySet

from tillsammans.grants.models import Application, Programme
from tillsammans.grants.services.eligibility import EligibilityProblem, eligibility_problems
from tillsammans.organizations.models import Organization, Representative

if TYPE_CHECKING:
    from tillsammans.accounts.models import User


def applications_of_user(user: User) -> QuerySet[Application]:
    """The user's own applications and those of every organisation they
    represent, newest first, with what the list shows (one query)."""
    represented = Representative.objects.filter(user=user).values("organization_id")
    return (
        Application.objects.filter(Q(applicant=user) | Q(organization_id__in=represented))
        .select_related("programme", "organization", "applicant")
        .order_by("-created_at", "-pk")
    )


def application_for_pages(uuid) -> Application | None:
    """One application with its programme's questions and windows, budget
    lines and attachments (for the edit and status pages)."""
    return (
        Application.objects.select_related("programme", "organization", "applicant", "window")
        .prefetch_related(
            "programme__questions",
            "programme__windows",
            "budget_lines",
            Prefetch("attachments", to_attr="attachment_list"),
        )
        .filter(uuid=uuid)
        .first()
    )


@dataclass
class ApplicantOption:
    """An organisation the user represents, with what stops it from applying."""

    organization: Organization
    problems: list[EligibilityProblem] = field(default_factory=list)

    @property
    def eligible(self) -> bool:
        return not self.problems


def applicant_options(user: User, programme: Programme) -> list[ApplicantOption]:
    """The organisations the user represents and, for each, why it may not
    apply (nothing when it may)."""
    organizations = (
        Organization.objects.filter(representatives__user=user)
        .prefetch_related("documents")
        .order_by("name")
        .distinct()
    )
    return [
        ApplicantOption(organization, eligibility_problems(programme, organization=organization))
        for organization in organizations
    ]
