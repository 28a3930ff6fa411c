import rules


@rules.predicate
def is_organization_representative(user) -> bool:
    """Represents at least one organisation."""
    if not (user and user.is_authenticated):
        return False
    return user.representations.exists()


@rules.predicate
def represents(user, organization) -> bool:
    if not (user and user.is_authenticated) or organization is None:
        return False
    return organization.representatives.filter(user=user).exists()


@rules.predicate
def administers(user, organization) -> bool:
    if not (user and user.is_authenticated) or organization is None:
        return False
    return organization.representatives.filter(user=user, role="admin").exists()
