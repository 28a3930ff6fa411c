"""Who may see what in the public directory.

Everyone sees public organisations. A non-public one (waiting, returned,
inactive) is visible only to its own representatives, who may preview it,
and to the register officers and site admins who review it; everyone else
gets 404, exactly as for a slug that does not exist.
"""

import rules

from tillsammans.accounts.rules import is_register_officer, is_site_admin
from tillsammans.organizations.rules import is_public, represents

may_preview_organization = represents | is_register_officer | is_site_admin

rules.add_perm("directory.view_organization", is_public | may_preview_organization)
