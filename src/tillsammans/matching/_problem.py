"""Inputs as numpy arrays, and the kernels every path shares.

The candidate search works on matrices, the certificate and the explanations
on lists of pairs; both compute feasibility and scores with the same
elementwise operations here, so a pair gets the same answer either way.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Hashable, Sequence
from datetime import datetime
from itertools import repeat

import numpy as np

from .model import Request, Volunteer, Weights, as_timestamp

EARTH_RADIUS_KM = 6371.0088
KM_PER_DEGREE = EARTH_RADIUS_KM * math.pi / 180.0

# Order in which a pair's failed hard constraints are reported.
CONSTRAINTS = (
    "help_type",
    "language",
    "safeguarding",
    "availability",
    "capacity",
    "distance",
    "excluded",
)


def chord2_limit(limit_km: np.ndarray) -> np.ndarray:
    """Squared chord length (unit sphere) of a great-circle distance in km."""
    half_angle = np.minimum(limit_km, math.pi * EARTH_RADIUS_KM) / (2.0 * EARTH_RADIUS_KM)
    chord = 2.0 * np.sin(half_angle)
    return chord * chord


def distance_km(chord2: np.ndarray) -> np.ndarray:
    """Great-circle distance in km from the squared chord on the unit sphere."""
    return 2.0 * EARTH_RADIUS_KM * np.arcsin(np.minimum(1.0, np.sqrt(chord2) * 0.5))


def _unit_vectors(lat: np.ndarray, lon: np.ndarray) -> tuple[np.ndarray, ...]:
    phi = np.radians(lat)
    lam = np.radians(lon)
    cos_phi = np.cos(phi)
    return cos_phi * np.cos(lam), cos_phi * np.sin(lam), np.sin(phi)


def _masks(
    sets: Sequence[frozenset | None], universe: Sequence[Hashable], *, repeated: bool = False
) -> np.ndarray:
    """Rows of uint64 bit masks over ``universe`` (bit n is universe[n]; other values
    are ignored). One pass per set: the sets are touched once, in order. With
    ``repeated`` (few distinct sets, like languages) equal sets are looked up."""
    get = {value: 1 << n for n, value in enumerate(universe)}.get
    zero = repeat(0)
    if repeated:
        cache: dict[frozenset, int] = {}
        seen = cache.get

        def new(values: frozenset) -> int:
            mask = cache[values] = sum(map(get, values, zero))
            return mask

        ints = [0 if not x else m if (m := seen(x)) is not None else new(x) for x in sets]
    else:
        ints = [sum(map(get, values, zero)) if values else 0 for values in sets]
    words = max(1, -(-len(universe) // 64))
    if words == 1:
        return np.array(ints, dtype=np.uint64).reshape(len(sets), 1)
    low = (1 << 64) - 1
    return np.array(
        [[(m >> (64 * w)) & low for w in range(words)] for m in ints], dtype=np.uint64
    ).reshape(len(sets), words)


def _membership(masks: np.ndarray, count: int) -> np.ndarray:
    """(count, rows) booleans: bit n set in each row of ``masks``."""
    table = np.zeros((count, len(masks)), dtype=bool)
    for n in range(count):
        table[n] = (masks[:, n >> 6] >> np.uint64(n & 63)) & np.uint64(1)
    return table


def _timestamp(value) -> float:
    return value.timestamp() if isinstance(value, datetime) else float(value)


class Problem:
    """Volunteers and requests encoded once for every stage of a match."""

    def __init__(
        self,
        volunteers: Sequence[Volunteer],
        requests: Sequence[Request],
        *,
        weights: Weights,
        max_distance_km: float,
        now: float | datetime | None,
        exclude_pairs: Collection[tuple[Hashable, Hashable]],
    ) -> None:
        if not max_distance_km > 0 or not math.isfinite(max_distance_km):
            raise ValueError(f"max_distance_km must be positive, not {max_distance_km!r}")
        self.volunteers = vols = list(volunteers)
        self.requests = reqs = list(requests)
        self.weights = weights
        self.max_distance_km = top_km = float(max_distance_km)
        self.nv = nv = len(vols)
        self.nr = nr = len(reqs)
        # One list per field: cheaper than tuples per object, which wake the
        # garbage collector over and over at 100,000 objects.
        v_ids = [v.id for v in vols]
        v_helps = [v.help_types for v in vols]
        v_langs = [v.languages for v in vols]
        v_slots = [v.available_slots for v in vols]
        v_max = [v.max_distance_km for v in vols]
        v_org = [v.organization_id for v in vols]
        v_asked = [v.last_asked_at for v in vols]
        r_ids = [r.id for r in reqs]
        r_help = [r.help_type for r in reqs]
        r_lang = [r.language for r in reqs]
        r_slots = [r.slots for r in reqs]
        r_prev = [r.previous_volunteer_ids for r in reqs]
        r_org = [r.preferred_organization_id for r in reqs]
        self.v_index = dict(zip(v_ids, range(nv), strict=True))
        self.r_index = dict(zip(r_ids, range(nr), strict=True))
        if len(self.v_index) != nv:
            raise ValueError("volunteer ids must be unique")
        if len(self.r_index) != nr:
            raise ValueError("request ids must be unique")

        # Volunteers.
        self.v_lat = np.array([v.lat for v in vols], dtype=np.float64)
        self.v_lon = np.array([v.lon for v in vols], dtype=np.float64)
        self.vx, self.vy, self.vz = _unit_vectors(self.v_lat, self.v_lon)
        self.v_cap = np.array([v.capacity for v in vols], dtype=np.int64)
        self.v_safe = np.array([v.safeguarding_checked for v in vols], dtype=bool)
        limits = np.array([top_km if d is None else d for d in v_max], dtype=np.float64)
        self.v_limit_km = limits = np.minimum(limits, top_km)
        self.v_c2lim = chord2_limit(limits)
        self.search_km = float(limits.max()) if nv else 0.0

        asked = np.array(
            [math.nan if t is None else _timestamp(t) for t in v_asked], dtype=np.float64
        )
        never = np.isnan(asked)
        if now is not None:
            self.now = as_timestamp(now)
        else:
            self.now = float(asked[~never].max()) if (~never).any() else 0.0
        age = np.where(never, np.inf, self.now - np.where(never, 0.0, asked))
        self.v_age_days = age / 86400.0
        share = np.clip(age / (weights.fairness_horizon_days * 86400.0), 0.0, 1.0)
        self.v_fair_pts = np.rint(weights.fairness * share).astype(np.int64)
        self.fair_pts_max = int(self.v_fair_pts.max()) if nv else 0

        orgs: dict[Hashable, int] = {}
        self.v_org = np.array(
            [-1 if o is None else orgs.setdefault(o, len(orgs)) for o in v_org], dtype=np.int64
        )

        # Requests.
        self.r_lat = np.array([r.lat for r in reqs], dtype=np.float64)
        self.r_lon = np.array([r.lon for r in reqs], dtype=np.float64)
        self.rx, self.ry, self.rz = _unit_vectors(self.r_lat, self.r_lon)
        self.r_need = np.array([r.volunteers_needed for r in reqs], dtype=np.int64)
        self.r_safe = np.array([r.needs_safeguarding for r in reqs], dtype=bool)
        self.r_org = np.array([-1 if o is None else orgs.get(o, -2) for o in r_org], dtype=np.int64)
        self.help_types = sorted(set(r_help))
        help_code = {h: n for n, h in enumerate(self.help_types)}
        self.r_help = np.array([help_code[h] for h in r_help], dtype=np.int64)
        self.languages = sorted({lang for lang in r_lang if lang is not None})
        lang_code = {lang: n for n, lang in enumerate(self.languages)}
        self.r_lang = np.array(
            [-1 if lang is None else lang_code[lang] for lang in r_lang], dtype=np.int64
        )
        # speaks[l, v]: volunteer v speaks requested language l; v_offers likewise.
        self.speaks = _membership(
            _masks(v_langs, self.languages, repeated=True), len(self.languages)
        )
        self.v_offers = _membership(
            _masks(v_helps, self.help_types, repeated=True), len(self.help_types)
        )
        self.offers = [np.flatnonzero(row) for row in self.v_offers]

        # Availability: None is any time, an empty set never.
        universe = list(frozenset().union(*(x for x in v_slots if x), *(x for x in r_slots if x)))
        self.v_any = np.array([x is None for x in v_slots], dtype=bool)
        self.v_never = np.array([x is not None and not x for x in v_slots], dtype=bool)
        self.v_slots = _masks(v_slots, universe)
        self.r_any = np.array([x is None for x in r_slots], dtype=bool)
        self.r_never = np.array([x is not None and not x for x in r_slots], dtype=bool)
        self.r_slots = _masks(r_slots, universe)

        # Pairs: continuity and exclusions, as sorted keys r * nv + v.
        v_index = self.v_index
        prev = [
            (ri, v_index[vid]) for ri, ids in enumerate(r_prev) for vid in ids if vid in v_index
        ]
        self.prev_r = np.array([x[0] for x in prev], dtype=np.int64)
        self.prev_v = np.array([x[1] for x in prev], dtype=np.int64)
        self.prev_keys = np.unique(self.prev_r * nv + self.prev_v)
        excluded = [
            self.r_index[rid] * nv + v_index[vid]
            for vid, rid in exclude_pairs
            if vid in v_index and rid in self.r_index
        ]
        self.excluded_keys = np.unique(np.array(excluded, dtype=np.int64))

    # -- kernels ---------------------------------------------------------------

    @staticmethod
    def _member(keys: np.ndarray, sorted_keys: np.ndarray) -> np.ndarray:
        if not len(sorted_keys):
            return np.zeros(keys.shape, dtype=bool)
        pos = np.minimum(np.searchsorted(sorted_keys, keys), len(sorted_keys) - 1)
        return sorted_keys[pos] == keys

    def chord2(self, ri: np.ndarray, vi: np.ndarray) -> np.ndarray:
        """Squared chord between requests ri and volunteers vi (broadcasting)."""
        dx = self.rx[ri] - self.vx[vi]
        dy = self.ry[ri] - self.vy[vi]
        dz = self.rz[ri] - self.vz[vi]
        return dx * dx + dy * dy + dz * dz

    def slots_ok(self, ri: np.ndarray, vi: np.ndarray) -> np.ndarray:
        """Availability for requests ri and volunteers vi (broadcasting)."""
        shared = (self.r_slots[ri, 0] & self.v_slots[vi, 0]) != 0
        for word in range(1, self.r_slots.shape[1]):
            shared |= (self.r_slots[ri, word] & self.v_slots[vi, word]) != 0
        return (self.r_any[ri] | self.v_any[vi] | shared) & ~self.v_never[vi] & ~self.r_never[ri]

    def distance_points(self, dist_km: np.ndarray) -> np.ndarray:
        w = self.weights
        return np.rint(w.distance * np.exp2(-dist_km / w.distance_half_km)).astype(np.int64)

    def distance_bound(self, dist_km: float) -> int:
        """Most distance points a pair at least ``dist_km`` apart can earn (+1 for rounding)."""
        w = self.weights
        return math.ceil(w.distance * 2.0 ** (-max(dist_km, 0.0) / w.distance_half_km)) + 1

    def pair_parts(
        self, ri: np.ndarray, vi: np.ndarray, chord2: np.ndarray
    ) -> tuple[np.ndarray, ...]:
        """Distance (km) and the four score parts of feasible pairs (flat arrays)."""
        dist = distance_km(chord2)
        d_pts = self.distance_points(dist)
        f_pts = self.v_fair_pts[vi]
        if len(self.prev_keys):
            c_pts = self._member(ri * self.nv + vi, self.prev_keys) * self.weights.continuity
        else:
            c_pts = np.zeros(len(ri), dtype=np.int64)
        org = self.r_org[ri]
        o_pts = ((org >= 0) & (org == self.v_org[vi])) * self.weights.organisation
        return dist, d_pts, f_pts, c_pts.astype(np.int64), o_pts.astype(np.int64)

    def pair_scores(self, ri: np.ndarray, vi: np.ndarray, chord2: np.ndarray) -> np.ndarray:
        _, d_pts, f_pts, c_pts, o_pts = self.pair_parts(ri, vi, chord2)
        return d_pts + f_pts + c_pts + o_pts

    def is_excluded(self, ri: np.ndarray, vi: np.ndarray) -> np.ndarray:
        return self._member(ri * self.nv + vi, self.excluded_keys)

    def checks(self, ri: np.ndarray, vi: np.ndarray) -> dict[str, np.ndarray]:
        """Each hard constraint for the pairs (ri[n], vi[n]): True where it holds."""
        lang = self.r_lang[ri]
        if len(self.languages):
            speaks = (lang < 0) | self.speaks[np.maximum(lang, 0), vi]
        else:
            speaks = lang < 0
        return {
            "help_type": self.v_offers[self.r_help[ri], vi],
            "language": speaks,
            "safeguarding": ~self.r_safe[ri] | self.v_safe[vi],
            "availability": self.slots_ok(ri, vi),
            "capacity": self.v_cap[vi] > 0,
            "distance": self.chord2(ri, vi) <= self.v_c2lim[vi],
            "excluded": ~self.is_excluded(ri, vi),
        }

    def pair_feasible(self, ri: np.ndarray, vi: np.ndarray, chord2: np.ndarray) -> np.ndarray:
        """The checks for pairs already known to share the help type, with capacity
        and some availability on the volunteer's side (the search's index)."""
        ok = chord2 <= self.v_c2lim[vi]
        lang = self.r_lang[ri]
        if len(self.languages):
            ok &= (lang < 0) | self.speaks[np.maximum(lang, 0), vi]
        ok &= ~self.r_safe[ri] | self.v_safe[vi]
        ok &= self.slots_ok(ri, vi)
        if len(self.excluded_keys):
            ok &= ~self.is_excluded(ri, vi)
        return ok

    def feasible(self, ri: np.ndarray, vi: np.ndarray) -> np.ndarray:
        ok = np.ones(len(ri), dtype=bool)
        for holds in self.checks(ri, vi).values():
            ok &= holds
        return ok

    def failures(self, ri: int, vi: int) -> list[str]:
        """The hard constraints pair (ri, vi) fails, in ``CONSTRAINTS`` order."""
        checks = self.checks(np.array([ri]), np.array([vi]))
        return [name for name in CONSTRAINTS if not checks[name][0]]
