"""Who is who: the predicates every capability composes its permissions from."""

import rules

from tillsammans.accounts.models import Capability


@rules.predicate
def is_site_admin(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active and user.is_superuser)


def _capabilities(user) -> frozenset[str]:
    """The user's staff capabilities, read once per request-bound user object."""
    if not (user and user.is_authenticated and user.is_active):
        return frozenset()
    cached = getattr(user, "_staff_capabilities", None)
    if cached is None:
        cached = frozenset(user.staff_memberships.values_list("capability", flat=True))
        user._staff_capabilities = cached
    return cached


@rules.predicate
def is_staff_member(user) -> bool:
    return bool(_capabilities(user))


def has_capability(capability: str) -> rules.Predicate:
    @rules.predicate(name=f"has_capability_{capability}")
    def predicate(user) -> bool:
        return capability in _capabilities(user)

    return predicate


is_coordinator = has_capability(Capability.COORDINATOR)
is_grant_officer = has_capability(Capability.GRANT_OFFICER)
is_coach = has_capability(Capability.COACH)
is_triage = has_capability(Capability.TRIAGE)
is_register_officer = has_capability(Capability.REGISTER_OFFICER)
is_editor = has_capability(Capability.EDITOR)
is_follow_up = has_capability(Capability.FOLLOW_UP)

# Staff and site admins sign in with two factors.
requires_two_factor = is_staff_member | is_site_admin

rules.add_perm("accounts.view_own_account", rules.is_authenticated)
rules.add_perm("accounts.export_own_data", rules.is_authenticated)
rules.add_perm("accounts.erase_own_account", rules.is_authenticated & ~is_site_admin)
rules.add_perm("accounts.view_staff_tools", is_staff_member | is_site_admin)
