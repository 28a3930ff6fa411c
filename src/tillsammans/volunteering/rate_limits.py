"""Hourly limits per network address on the public forms and their API twins.

The page and the API share one budget per limit, so the API is no way
around the form's limit. Counts live in the cache (Redis in production, so
all web processes share them).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache

from tillsammans.audit.services import client_ip

HOUR = 60 * 60


@dataclass(frozen=True)
class HourlyLimit:
    name: str
    per_hour: Callable[[], int]

    def _key(self, request) -> str:
        return f"volunteering:{self.name}:{client_ip(request) or 'unknown'}"

    def exceeded(self, request) -> bool:
        """Whether this address has used up its budget for the hour."""
        return (cache.get(self._key(request)) or 0) >= self.per_hour()

    def count(self, request) -> None:
        """Count one use by this address; the hour starts with the first."""
        key = self._key(request)
        if cache.add(key, 1, HOUR):
            return
        try:
            cache.incr(key)
        except ValueError:  # expired in between
            cache.set(key, 1, HOUR)


HELP_REQUESTS_PER_HOUR = 10

# Requests for help from one address (the form and POST /help-requests).
HELP_REQUESTS = HourlyLimit("help-requests", lambda: HELP_REQUESTS_PER_HOUR)
# Volunteer sign-ups from one address (the form and POST /volunteers); each
# sends a link, so the limit keeps the form from mailing others in bulk. Read
# when asked, so a test or a benchmark can change it.
SIGN_UPS = HourlyLimit("signups", lambda: getattr(settings, "VOLUNTEERING_SIGNUP_RATE", 20))
