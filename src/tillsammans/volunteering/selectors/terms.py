"""The terms a sign-up names (languages, help types, skills, localities and
postal codes), from the cache.

They change a few times a year, in the admin, and every sign-up looks them
up: in a surge that was three queries per sign-up. Each process keeps them
in memory under a version held in the shared cache; saving or deleting one
of them (``apps.py`` connects ``terms_forget``) changes the version.
"""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass

from django.core.cache import cache

from tillsammans.core.models import Language, Locality, PostalCode
from tillsammans.volunteering.models import HelpType, Skill

# The cache holds only a version; each process keeps the terms themselves and
# reads them again when the version changes (a term was saved or deleted, in
# any process sharing the cache) or has expired.
VERSION_KEY = "volunteering:signup-terms:version"
VERSION_SECONDS = 300
# A process asks the cache for the version at most this often, so a change
# made in another process shows within this many seconds.
VERSION_CHECK_SECONDS = 5
_loaded: dict[str, object] = {"version": None, "terms": None, "checked": 0.0}


@dataclass(frozen=True)
class SignUpTerms:
    """Every term by the key the API and the sign-up use; inactive ones
    included, so that the rules can say "choose from the list"."""

    languages: dict[str, Language]  # by ISO code
    help_types: dict[str, HelpType]  # by slug
    skills: dict[str, Skill]  # by slug
    localities: dict[str, Locality]  # by slug
    postal_codes: dict[str, str]  # five digits → the locality's slug

    def locality_for_postal_code(self, code: str) -> Locality | None:
        slug = self.postal_codes.get(code)
        return self.localities.get(slug) if slug else None


def signup_terms() -> SignUpTerms:
    """All of them: 0 queries unless they changed, and one cache read at most
    every ``VERSION_CHECK_SECONDS``."""
    now = time.monotonic()
    if _loaded["terms"] is not None and now - _loaded["checked"] < VERSION_CHECK_SECONDS:
        return _loaded["terms"]
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, secrets.token_hex(8), VERSION_SECONDS)
        version = cache.get(VERSION_KEY)
    if _loaded["version"] != version or _loaded["terms"] is None:
        _loaded["terms"] = _read_terms()
        _loaded["version"] = version
    _loaded["checked"] = now
    return _loaded["terms"]


def _read_terms() -> SignUpTerms:
    localities = {locality.slug: locality for locality in Locality.objects.all()}
    slug_by_pk = {locality.pk: locality.slug for locality in localities.values()}
    return SignUpTerms(
        languages={language.code: language for language in Language.objects.all()},
        help_types={help_type.slug: help_type for help_type in HelpType.objects.all()},
        skills={skill.slug: skill for skill in Skill.objects.all()},
        localities=localities,
        postal_codes={
            code: slug_by_pk[locality_id]
            for code, locality_id in PostalCode.objects.values_list("code", "locality_id")
        },
    )


def terms_forget(**_signal_kwargs) -> None:
    """A term was saved or deleted: every process reads them again."""
    cache.delete(VERSION_KEY)
    _loaded["terms"] = None


TERM_MODELS = (Language, HelpType, Skill, Locality, PostalCode)
