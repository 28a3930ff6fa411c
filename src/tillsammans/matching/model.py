"""The engine's inputs and outputs: frozen dataclasses, no Django.

Explanations are tuples of a code and its parameters (``("distance_km", 1.2)``)
so that the layer above can translate them; the codes are listed in the
package docstring.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

Reason = tuple[Any, ...]
Instant = float | datetime


def _check_coordinates(lat: float, lon: float) -> None:
    if not (-90.0 <= lat <= 90.0) or not (-180.0 <= lon <= 180.0):
        raise ValueError(f"coordinates out of range: {lat!r}, {lon!r}")


def as_timestamp(value: Instant) -> float:
    """Seconds since the epoch; naive datetimes are refused (their zone is unknown)."""
    if isinstance(value, datetime):
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError("naive datetime: give an aware one or a POSIX timestamp")
        return value.timestamp()
    value = float(value)
    if not math.isfinite(value):
        raise ValueError(f"not a finite timestamp: {value!r}")
    return value


@dataclass(frozen=True, slots=True)
class Volunteer:
    """A volunteer as the engine sees them.

    ``available_slots``: the (weekday, slot) pairs — or any hashable values —
    the volunteer can help in; ``None`` means any time, an empty set never.
    ``capacity``: how many more requests they can take this week (0 = none).
    ``max_distance_km``: how far they are willing to go; ``None`` means the
    limit given to :func:`match`.
    """

    id: Hashable
    lat: float
    lon: float
    help_types: frozenset[str]
    languages: frozenset[str] = frozenset()
    safeguarding_checked: bool = False
    available_slots: frozenset[Hashable] | None = None
    capacity: int = 1
    max_distance_km: float | None = None
    organization_id: Hashable | None = None
    last_asked_at: Instant | None = None

    def __post_init__(self) -> None:
        _check_coordinates(self.lat, self.lon)
        if not isinstance(self.capacity, int) or self.capacity < 0:
            raise ValueError(f"capacity must be a non-negative int, not {self.capacity!r}")
        if self.max_distance_km is not None and not self.max_distance_km >= 0:
            raise ValueError(f"max_distance_km must be >= 0, not {self.max_distance_km!r}")
        if self.last_asked_at is not None:
            as_timestamp(self.last_asked_at)


@dataclass(frozen=True, slots=True)
class Request:
    """A request for help.

    ``language``: the language the volunteer must speak, ``None`` if any.
    ``slots``: when the help is needed; ``None`` means whenever suits the
    volunteer, an empty set never. ``previous_volunteer_ids``: who helped last
    time (recurring requests), scored for continuity.
    """

    id: Hashable
    lat: float
    lon: float
    help_type: str
    language: str | None = None
    needs_safeguarding: bool = False
    slots: frozenset[Hashable] | None = None
    volunteers_needed: int = 1
    previous_volunteer_ids: frozenset[Hashable] = frozenset()
    preferred_organization_id: Hashable | None = None

    def __post_init__(self) -> None:
        _check_coordinates(self.lat, self.lon)
        if not isinstance(self.volunteers_needed, int) or self.volunteers_needed < 1:
            raise ValueError(
                f"volunteers_needed must be a positive int, not {self.volunteers_needed!r}"
            )


@dataclass(frozen=True, slots=True)
class Weights:
    """Points a pair earns for each criterion at its best; a score is their sum.

    distance: full points at 0 km, halved every ``distance_half_km``.
    fairness: full points for a volunteer never asked or last asked at least
    ``fairness_horizon_days`` ago, falling linearly to 0 for one asked just now.
    continuity: the volunteer helped with this request last time.
    organisation: the volunteer belongs to the organisation the request prefers.
    """

    distance: int = 400
    fairness: int = 250
    continuity: int = 250
    organisation: int = 100
    distance_half_km: float = 2.0
    fairness_horizon_days: float = 28.0

    def __post_init__(self) -> None:
        for name in ("distance", "fairness", "continuity", "organisation"):
            value = getattr(self, name)
            if not isinstance(value, int) or value < 0 or value > 1_000_000:
                raise ValueError(f"weight {name} must be an int in 0..1,000,000, not {value!r}")
        if not self.distance_half_km > 0 or not self.fairness_horizon_days > 0:
            raise ValueError("distance_half_km and fairness_horizon_days must be positive")

    @property
    def maximum(self) -> int:
        """The highest score a pair can reach."""
        return self.distance + self.fairness + self.continuity + self.organisation


def _jsonable(value: Any) -> Any:
    """Tuples to lists, mappings to dicts, ids that JSON lacks (UUID, ...) to str."""
    if isinstance(value, tuple | list):
        return [_jsonable(item) for item in value]
    if isinstance(value, Mapping):
        return {str(key): _jsonable(item) for key, item in value.items()}
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


@dataclass(frozen=True, slots=True)
class Explanation:
    """Why a volunteer who was not proposed for a request lost to the one who was.

    ``score`` is ``None`` when the volunteer could not take the request at all
    (``reasons`` then holds ``("lacks", ...)`` codes).
    """

    volunteer_id: Hashable
    score: int | None
    distance_km: float
    reasons: tuple[Reason, ...]

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready (for a JSONField): reasons as lists, ids as str when needed."""
        return _jsonable(
            {
                "volunteer_id": self.volunteer_id,
                "score": self.score,
                "distance_km": self.distance_km,
                "reasons": self.reasons,
            }
        )


@dataclass(frozen=True, slots=True)
class Proposal:
    """One volunteer proposed for one request, with the reasons."""

    request_id: Hashable
    volunteer_id: Hashable
    score: int
    distance_km: float
    parts: Mapping[str, int]
    reasons: tuple[Reason, ...]
    runner_up: Explanation | None

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready (for a JSONField): reasons as lists, ids as str when needed."""
        return {
            **_jsonable(
                {
                    "request_id": self.request_id,
                    "volunteer_id": self.volunteer_id,
                    "score": self.score,
                    "distance_km": self.distance_km,
                    "parts": self.parts,
                    "reasons": self.reasons,
                }
            ),
            "runner_up": None if self.runner_up is None else self.runner_up.as_dict(),
        }


@dataclass(frozen=True, slots=True)
class MatchStats:
    """How the result was reached.

    ``proven_optimal``: the certificate (LP duality) showed that no assignment
    over *all* feasible pairs fills more places or, filling as many, scores
    more. ``optimal_on`` says which graph the optimum holds for:
    ``"all_feasible_pairs"`` (exact mode) or ``"candidate_graph"`` (fast mode,
    the k best feasible candidates per request), or ``"none"`` (greedy).
    """

    mode: Literal["exact", "fast", "greedy"]
    k: int
    volunteers: int
    requests: int
    places_needed: int
    places_filled: int
    candidate_pairs: int
    proven_optimal: bool
    optimal_on: Literal["all_feasible_pairs", "candidate_graph", "none"]
    certificate_rounds: int = 0
    pairs_added_by_certificate: int = 0
    seconds: Mapping[str, float] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class MatchResult:
    """Proposals (best request first, then best score), unfilled places, totals."""

    proposals: list[Proposal]
    unmatched: dict[Hashable, int]
    total_score: int
    stats: MatchStats

    @property
    def places_filled(self) -> int:
        return len(self.proposals)

    @property
    def unmatched_places(self) -> int:
        return sum(self.unmatched.values())
