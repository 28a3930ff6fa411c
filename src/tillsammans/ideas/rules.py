"""Who may do what with ideas: coaches and site admins see the staff pages
and the private notes; only coaches write notes."""

import rules

from tillsammans.accounts.rules import is_coach, is_site_admin

rules.add_perm("ideas.view_staff_pages", is_coach | is_site_admin)
rules.add_perm("ideas.change_status", is_coach | is_site_admin)
rules.add_perm("ideas.view_notes", is_coach | is_site_admin)
# Only coaches write notes: check with ``is_coach`` (a superuser passes every has_perm).
rules.add_perm("ideas.add_note", is_coach)
