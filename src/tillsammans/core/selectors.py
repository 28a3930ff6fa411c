from django.db.models import QuerySet

from tillsammans.core.models import Area, Language, Locality, TargetGroup


def active_terms(kind: str) -> QuerySet:
    """The terms in use of one taxonomy, ready for a list (fixed query count)."""
    if kind == "area":
        return Area.objects.filter(is_active=True)
    if kind == "target_group":
        return TargetGroup.objects.filter(is_active=True)
    if kind == "locality":
        return Locality.objects.filter(is_active=True).prefetch_related("postal_codes")
    if kind == "language":
        return Language.objects.filter(is_active=True)
    raise ValueError(f"Unknown taxonomy {kind!r}")
