"""Who may manage which activities.

An organisation's representatives (admin or editor) manage its activities,
and may add new ones while the organisation is not inactive. Staff with the
editor capability manage the municipality's own activities (those organised
by a department); they add them only for a department they are editor in.
Site administrators may do everything (Django superusers hold every
permission).

Seeing an activity for management: those who may change it, and everyone
when it is public; anyone else gets 404, as for one that does not exist.
"""

from __future__ import annotations

import datetime

import rules

from tillsammans.accounts.models import Capability
from tillsammans.accounts.rules import is_editor, is_site_admin
from tillsammans.organizations.models import OrganizationStatus
from tillsammans.organizations.rules import is_organization_representative, represents


@rules.predicate
def is_organization_active(user, organization) -> bool:
    return organization is not None and organization.status != OrganizationStatus.INACTIVE


@rules.predicate
def represents_organiser(user, activity) -> bool:
    return activity is not None and represents(user, activity.organization)


@rules.predicate
def is_municipal(user, activity) -> bool:
    return activity is not None and activity.organization_id is None


@rules.predicate
def is_public_activity(user, activity) -> bool:
    """What ``Activity.objects.public()`` shows, checked on one object."""
    if activity is None or activity.status != "active":
        return False
    if activity.organization_id is not None and not activity.organization.is_public:
        return False
    today = datetime.date.today()  # noqa: DTZ011 - as Activity.objects.public()
    return activity.ends_on is None or activity.ends_on >= today


@rules.predicate
def is_editor_in_department(user, department) -> bool:
    if department is None or not (user and user.is_authenticated):
        return False
    cached = getattr(user, "_editor_department_ids", None)
    if cached is None:
        cached = frozenset(
            user.staff_memberships.filter(capability=Capability.EDITOR).values_list(
                "department_id", flat=True
            )
        )
        user._editor_department_ids = cached
    return department.pk in cached


may_change_activity = represents_organiser | (is_municipal & is_editor) | is_site_admin

rules.add_perm(
    "activities.view_own_activities", is_organization_representative | is_editor | is_site_admin
)
rules.add_perm("activities.add_activity", is_organization_representative | is_site_admin)
rules.add_perm(
    "activities.add_activity_for_organization",
    (represents | is_site_admin) & is_organization_active,
)
rules.add_perm("activities.change_activity", may_change_activity)
rules.add_perm("activities.view_activity_for_manage", is_public_activity | may_change_activity)
rules.add_perm("activities.manage_municipal_activities", is_editor | is_site_admin)
rules.add_perm("activities.add_municipal_activity", is_editor_in_department | is_site_admin)
