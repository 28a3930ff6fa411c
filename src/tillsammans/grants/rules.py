"""Who may do what with grants.

Grant officers (staff with ``grant_officer`` in the programme's department)
manage their department's programmes and assess and decide their
applications; an officer who has declared a conflict of interest (jäv) on an
application is kept out of it entirely. An application is its applicant's
and, when it is an organisation's, every representative's of that
organisation. Everyone may read published programmes and decisions.
"""

import rules

from tillsammans.accounts.models import Capability
from tillsammans.accounts.rules import is_grant_officer, is_site_admin
from tillsammans.organizations.rules import represents


def _officer_departments(user) -> frozenset[int]:
    """Departments where the user is a grant officer (read once per request-bound user)."""
    if not (user and user.is_authenticated and user.is_active):
        return frozenset()
    cached = getattr(user, "_grant_officer_departments", None)
    if cached is None:
        cached = frozenset(
            user.staff_memberships.filter(capability=Capability.GRANT_OFFICER).values_list(
                "department_id", flat=True
            )
        )
        user._grant_officer_departments = cached
    return cached


@rules.predicate
def is_programme_officer(user, programme) -> bool:
    """A grant officer of the programme's department."""
    return programme is not None and programme.department_id in _officer_departments(user)


@rules.predicate
def is_application_officer(user, application) -> bool:
    return application is not None and is_programme_officer(user, application.programme)


@rules.predicate
def has_declared_conflict(user, application) -> bool:
    """The user declared a conflict of interest (jäv) on the application."""
    if application is None or not (user and user.is_authenticated):
        return False
    return application.conflict_declarations.filter(officer=user, has_conflict=True).exists()


@rules.predicate
def is_own_application(user, application) -> bool:
    """Written by the user, or by anyone for an organisation the user represents."""
    if application is None or not (user and user.is_authenticated):
        return False
    if application.applicant_id == user.pk:
        return True
    return application.organization_id is not None and represents(user, application.organization)


may_officiate = is_application_officer & ~has_declared_conflict

rules.add_perm("grants.view_staff_pages", is_grant_officer | is_site_admin)
rules.add_perm("grants.manage_programme", is_programme_officer | is_site_admin)
rules.add_perm("grants.view_own_application", is_own_application)
rules.add_perm("grants.edit_own_application", is_own_application)
# Declaring (or clearing) a conflict is open to every officer of the programme.
rules.add_perm("grants.declare_conflict", is_application_officer)
rules.add_perm("grants.assess_application", may_officiate)
rules.add_perm("grants.decide_application", may_officiate)


# --- Applications: attachments (applications helper) ---
# An application's files: its applicant and their organisation's
# representatives, and the programme's officers who have not declared a conflict.
rules.add_perm("grants.download_attachment", is_own_application | may_officiate)
