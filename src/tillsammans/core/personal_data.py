"""Registry of the personal data each app holds about a person.

Every app that stores data about a user registers one provider in its
``AppConfig.ready()``. The account page uses the registry to export everything
the platform holds about a person (GDPR art. 15 and 20) and to erase it
(art. 17), so a new capability plugs in by registering, not by editing
accounts.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from django.utils.functional import Promise

    from tillsammans.accounts.models import User


@dataclass(frozen=True)
class PersonalDataProvider:
    """What one app holds about a person and how to hand it over or remove it.

    ``export`` returns JSON-serialisable data. ``erase`` removes or anonymises
    the data; it runs inside the erasure transaction, before the user row is
    deleted, and must leave nothing that still identifies the person (keep
    anonymous statistics if the app needs them).
    """

    key: str
    label: str | Promise
    export: Callable[[User], Any]
    erase: Callable[[User], None]


_providers: dict[str, PersonalDataProvider] = {}


def register(provider: PersonalDataProvider) -> None:
    if provider.key in _providers and _providers[provider.key] != provider:
        raise ValueError(f"A personal data provider named {provider.key!r} is already registered.")
    _providers[provider.key] = provider


def providers() -> list[PersonalDataProvider]:
    return list(_providers.values())
