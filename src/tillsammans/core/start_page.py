"""What a person can do here: the entries on the start page.

Each capability registers its entries in ``AppConfig.ready()`` so the start
page only ever links to things that exist.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from django.http import HttpRequest
    from django.utils.functional import Promise


@dataclass(frozen=True)
class StartPageEntry:
    key: str
    title: str | Promise
    description: str | Promise
    url_name: str
    order: int = 100
    # Shown only when this returns True for the request (e.g. staff tools).
    visible: Callable[[HttpRequest], bool] | None = None

    def is_visible(self, request: HttpRequest) -> bool:
        return self.visible is None or self.visible(request)


_entries: dict[str, StartPageEntry] = {}


def register(entry: StartPageEntry) -> None:
    _entries[entry.key] = entry


def entries_for(request: HttpRequest) -> list[StartPageEntry]:
    return sorted(
        (entry for entry in _entries.values() if entry.is_visible(request)),
        key=lambda entry: (entry.order, entry.key),
    )
