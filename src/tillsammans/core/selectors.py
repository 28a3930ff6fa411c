from django.core.cache import cache
from django.db.models import QuerySet
from django.utils.translation import get_language

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


# Terms change a few times a year, in the admin; filter forms on public pages
# list them on every request. A change shows within this many seconds.
TERM_CHOICES_SECONDS = 300


def term_choices(kind: str) -> list[tuple[str, str]]:
    """``(slug or code, name)`` of the terms in use of one taxonomy, in the
    active language, from the cache when it has them (then 0 queries)."""
    language = (get_language() or "sv").split("-")[0]
    key = f"term-choices:{kind}:{language}"
    choices = cache.get(key)
    if choices is None:
        value_field = "code" if kind == "language" else "slug"
        choices = [
            (getattr(term, value_field), term.name)
            for term in active_terms(kind).prefetch_related(None)
        ]
        cache.set(key, choices, TERM_CHOICES_SECONDS)
    return choices
