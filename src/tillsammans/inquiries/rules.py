"""Who may do what with inquiries.

Triage staff (and site admins) see every inquiry and route it. The receivers
— the staff of the department it is routed to, and the named staff member —
see that inquiry and record call-backs.
"""

import rules

from tillsammans.accounts.rules import is_site_admin, is_staff_member, is_triage


def _staff_departments(user) -> frozenset[int]:
    if not (user and user.is_authenticated and user.is_active):
        return frozenset()
    cached = getattr(user, "_inquiry_departments", None)
    if cached is None:
        cached = frozenset(user.staff_memberships.values_list("department_id", flat=True))
        user._inquiry_departments = cached
    return cached


@rules.predicate
def is_receiver(user, inquiry) -> bool:
    if inquiry is None or not is_staff_member(user):
        return False
    if inquiry.routed_to_user_id is not None and inquiry.routed_to_user_id == user.pk:
        return True
    return (
        inquiry.routed_to_department_id is not None
        and inquiry.routed_to_department_id in _staff_departments(user)
    )


may_triage = is_triage | is_site_admin

rules.add_perm("inquiries.triage", may_triage)
rules.add_perm("inquiries.view_inquiry", may_triage | is_receiver)
rules.add_perm("inquiries.record_callback", may_triage | is_receiver)
rules.add_perm("inquiries.take_over", is_staff_member)
rules.add_perm("inquiries.file_by_phone", is_staff_member | is_site_admin)
