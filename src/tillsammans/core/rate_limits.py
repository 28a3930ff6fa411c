"""Hourly limits per network address on public forms and their API twins.

Counts live in the cache (Redis in production, so all web processes share
them). Each app declares its limits (``volunteering.rate_limits``,
``grants.rate_limits``) with a name of its own.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import contextmanager, suppress
from dataclasses import dataclass

from django.core.cache import cache

from tillsammans.core.client_ip import client_ip

HOUR = 60 * 60


@dataclass(frozen=True)
class HourlyLimit:
    name: str
    per_hour: Callable[[], int]

    def _key(self, request) -> str:
        return f"rate-limit:{self.name}:{client_ip(request) or 'unknown'}"

    def exceeded(self, request) -> bool:
        """Whether this address has used up its budget for the hour."""
        return (cache.get(self._key(request)) or 0) >= self.per_hour()

    def count(self, request) -> int:
        """Count one use by this address (the hour starts with the first);
        returns the uses so far this hour."""
        key = self._key(request)
        try:
            return cache.incr(key)  # the usual case: the hour has started
        except ValueError:
            if cache.add(key, 1, HOUR):
                return 1
            return cache.incr(key)  # another request started it meanwhile

    @contextmanager
    def use(self, request, error: type[Exception]):
        """Count one use for the block, and give it back if the block raises
        (a refused sign-up does not use the budget); ``error`` when the budget
        is used up. Two cache round trips where ``exceeded`` and ``count``
        take three: the API's way, where a surge arrives."""
        if self.count(request) > self.per_hour():
            self._give_back(request)
            raise error()
        try:
            yield
        except BaseException:
            self._give_back(request)
            raise

    def _give_back(self, request) -> None:
        with suppress(ValueError):  # the hour ended meanwhile
            cache.decr(self._key(request))
