"""Registry of demo-data steps for ``manage.py seed_demo``.

Each app registers a function that builds its part of the demo municipality.
Steps run in registration order (the order of INSTALLED_APPS), each must be
idempotent: running seed_demo twice leaves the same data as running it once.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TextIO


@dataclass(frozen=True)
class DemoStep:
    key: str
    build: Callable[[TextIO], None]


_steps: dict[str, DemoStep] = {}


def register(step: DemoStep) -> None:
    _steps[step.key] = step


def steps() -> list[DemoStep]:
    return list(_steps.values())
