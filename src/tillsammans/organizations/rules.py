"""Who may do what in the organisation register."""

import rules

from tillsammans.accounts.rules import is_grant_officer, is_register_officer, is_site_admin


@rules.predicate
def is_organization_representative(user) -> bool:
    """Represents at least one organisation (read once per request-bound user)."""
    if not (user and user.is_authenticated):
        return False
    cached = getattr(user, "_represents_any_organization", None)
    if cached is None:
        cached = user._represents_any_organization = user.representations.exists()
    return cached


def _roles(user, organization) -> frozenset[str]:
    """The user's roles in the organisation, read once per organisation object."""
    if not (user and user.is_authenticated) or organization is None:
        return frozenset()
    cache = organization.__dict__.setdefault("_representative_roles", {})
    if user.pk not in cache:
        cache[user.pk] = frozenset(
            organization.representatives.filter(user=user).values_list("role", flat=True)
        )
    return cache[user.pk]


@rules.predicate
def represents(user, organization) -> bool:
    return bool(_roles(user, organization))


@rules.predicate
def administers(user, organization) -> bool:
    return "admin" in _roles(user, organization)


@rules.predicate
def is_public(user, organization) -> bool:
    return organization is not None and organization.is_public


is_register_staff = is_register_officer | is_site_admin

rules.add_perm("organizations.register_organization", rules.is_authenticated)
rules.add_perm("organizations.view_own_organizations", rules.is_authenticated)
rules.add_perm(
    "organizations.view_organization",
    is_public | represents | is_register_officer | is_grant_officer | is_site_admin,
)
rules.add_perm("organizations.change_organization", represents)
rules.add_perm("organizations.confirm_details", represents)
rules.add_perm("organizations.manage_representatives", administers)
rules.add_perm("organizations.leave_organization", represents)
rules.add_perm("organizations.request_to_join", rules.is_authenticated & ~represents)
# Bankgiro and plusgiro: grant officers pay grants; the organisation's own
# representatives keep them correct. Nobody else needs them.
rules.add_perm("organizations.view_payment_details", is_grant_officer | represents)
# Statutes, annual reports and minutes: the organisation's own people and the
# officers who check it or pay it grants. Everyone else gets 404.
rules.add_perm(
    "organizations.view_documents",
    represents | is_register_officer | is_grant_officer | is_site_admin,
)
# The register officers' queue: verify or return.
rules.add_perm("organizations.review_organization", is_register_staff)
# The whole register, with filters and export.
rules.add_perm("organizations.view_register", is_register_staff | is_grant_officer)
rules.add_perm("organizations.import_register", is_register_staff)
