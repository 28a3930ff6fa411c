"""Reads of grant programmes: the public grants page, a programme's page, the
officers' list, and who may apply, in words."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from django.db.models import BigIntegerField, OuterRef, Prefetch, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from tillsammans.accounts.models import Capability, Department
from tillsammans.accounts.rules import is_site_admin
from tillsammans.grants.models import Decision, DecisionOutcome, Programme, ProgrammeBudget
from tillsammans.organizations.models import LegalForm, Organization

if TYPE_CHECKING:
    from tillsammans.accounts.models import User


def departments_for_officer(user: User) -> QuerySet[Department]:
    """The departments whose programmes the user may manage (all for a site admin)."""
    if is_site_admin(user):
        return Department.objects.all()
    if not (user and user.is_authenticated and user.is_active):
        return Department.objects.none()
    return Department.objects.filter(
        staff_memberships__user=user, staff_memberships__capability=Capability.GRANT_OFFICER
    ).distinct()


def _granted_in(year: int) -> Coalesce:
    """The sum granted by the programme's decisions dated in ``year``, as one column."""
    granted = (
        Decision.objects.filter(
            application__programme=OuterRef("pk"),
            outcome=DecisionOutcome.GRANTED,
            decided_on__gte=date(year, 1, 1),
            decided_on__lte=date(year, 12, 31),
        )
        .order_by()
        .values("application__programme")
        .annotate(total=Sum("amount_ore"))
        .values("total")
    )
    return Coalesce(Subquery(granted, output_field=BigIntegerField()), 0)


def programmes_published(today: date | None = None) -> QuerySet[Programme]:
    """Every published programme for the grants page, with its windows and
    ``granted_last_year_ore`` (two queries, whatever the number)."""
    today = today or timezone.localdate()
    return (
        Programme.objects.filter(is_published=True)
        .prefetch_related("windows")
        .annotate(granted_last_year_ore=_granted_in(today.year - 1))
        .order_by("title")
    )


def programme_public(slug: str) -> QuerySet[Programme]:
    """One published programme with what its page shows (filter by slug)."""
    return (
        Programme.objects.filter(is_published=True, slug=slug)
        .select_related("department")
        .prefetch_related("windows", "criteria", "questions", "follow_up_questions")
        .annotate(granted_last_year_ore=_granted_in(timezone.localdate().year - 1))
    )


def programmes_for_staff(user: User) -> QuerySet[Programme]:
    """The programmes the user may manage, with their budgets (two queries)."""
    programmes = Programme.objects.select_related("department").prefetch_related(
        Prefetch("budgets", queryset=ProgrammeBudget.objects.order_by("-year"))
    )
    if not is_site_admin(user):
        programmes = programmes.filter(department__in=departments_for_officer(user))
    return programmes.order_by("department__slug", "title")


def programme_for_staff(user: User, slug: str) -> QuerySet[Programme]:
    """One programme the user may manage, with everything its staff page shows."""
    return (
        programmes_for_staff(user)
        .filter(slug=slug)
        .prefetch_related("windows", "criteria", "questions", "follow_up_questions")
    )


def organizations_for_representative(user: User) -> QuerySet[Organization]:
    """The organisations the user represents, with their documents (two queries)."""
    if not (user and user.is_authenticated):
        return Organization.objects.none()
    return (
        Organization.objects.filter(representatives__user=user)
        .prefetch_related("documents")
        .distinct()
        .order_by("name")
    )


def who_may_apply(programme: Programme) -> list[str]:
    """The programme's eligibility rules as short sentences for people."""
    lines: list[str] = []
    if programme.allowed_legal_forms:
        lines.append(
            _("Organisations of these legal forms: %(forms)s.")
            % {"forms": ", ".join(programme.legal_form_labels())}
        )
    else:
        lines.append(_("Organisations of every legal form."))
    if programme.requires_verified_organization:
        lines.append(_("The organisation must be verified and current in the register."))
    if programme.requires_local_activity:
        lines.append(_("The organisation must be active in the municipality."))
    if programme.allows_networks:
        if LegalForm.NETWORK not in (programme.allowed_legal_forms or [LegalForm.NETWORK]):
            lines.append(_("Loose networks without an organisation number may also apply."))
        else:
            lines.append(_("Loose networks without an organisation number may apply."))
    else:
        lines.append(_("Loose networks may not apply."))
    if programme.allows_individuals:
        lines.append(_("Individuals may apply."))
    else:
        lines.append(_("Individuals may not apply."))
    if programme.required_documents:
        lines.append(
            _("Documents needed in the register: %(documents)s.")
            % {
                "documents": ", ".join(
                    label.lower() for label in programme.required_document_labels()
                )
            }
        )
    return lines
