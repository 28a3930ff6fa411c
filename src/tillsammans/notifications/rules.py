"""Who may see and act on the outbox: staff, and site administrators."""

import rules

from tillsammans.accounts.rules import is_site_admin, is_staff_member

rules.add_perm("notifications.view_outbox", is_staff_member | is_site_admin)
rules.add_perm("notifications.retry_message", is_staff_member | is_site_admin)
