"""Feasible candidates per request, best score first, without scoring everyone.

The search runs in rounds over all requests at once. Round j looks at the
volunteers within ``radii[j]`` km of each request that earlier rounds did not
see (radii double: 0.25, 0.5, 1, ... km up to the largest distance limit).
Each round has its own grid, with cells half the radius, so the disk of a
request is covered by at most 5 x 5 cells (the bounds on latitude and
longitude differences are exact on the sphere); volunteers are bucketed by
(help type, cell) and gathered with one ``searchsorted`` per round. Only
volunteers who could take a request are indexed: places left, some time
available, willing to go further than the previous radius, and — for a
request needing a language few volunteers speak, or an extract — that
language or extract (index "facets").

After a round a request stops as soon as its k-th best score is at least the
most any volunteer further away could score (distance points at that radius
+ the most fairness points + its organisation points). Continuity is not in
that bound: previous volunteers are scored explicitly.

Every request also gets ``tau``: an upper bound of the score of every feasible
pair left out of its candidates (-1 when none was left out). The certificate
uses it to prove that nothing left out could improve the result.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ._problem import EARTH_RADIUS_KM, Problem, chord2_limit

FIRST_RADIUS_KM = 0.25
CELLS_PER_RADIUS = 2
# A requested language spoken by fewer volunteers than this gets its own index.
FACET_SHARE = 0.5
FACET_MIN_REQUESTS = 64
_EVERYONE = -1
# Requests per slice of the search: bounds the memory the pair arrays take.
CHUNK = 4096
_CELL_OFFSET = 1 << 20
_CELL_SPAN = 1 << 21
_HELP_SHIFT = 1 << 42
_SCORE_SPAN = 1 << 23


@dataclass
class Candidates:
    """Feasible pairs (arc_r[n], arc_v[n]) with score arc_q[n]; tau per request."""

    arc_r: np.ndarray
    arc_v: np.ndarray
    arc_q: np.ndarray
    tau: np.ndarray


def expand_ranges(starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """Concatenation of arange(starts[i], ends[i]) for all i."""
    lengths = ends - starts
    total = int(lengths.sum())
    if total == 0:
        return np.zeros(0, dtype=np.int64)
    shifts = np.repeat(starts - (np.cumsum(lengths) - lengths), lengths)
    return shifts + np.arange(total, dtype=np.int64)


def _half_width_lon(radius_km: float, lat_abs_deg: np.ndarray | float) -> np.ndarray:
    """Largest longitude difference (degrees) of two points within radius_km whose
    latitudes are at most lat_abs_deg (haversine: sin(dlon/2) <= sin(d/2R) / cos(lat))."""
    s = math.sin(radius_km / (2.0 * EARTH_RADIUS_KM))
    cos_lat = np.cos(np.radians(np.minimum(lat_abs_deg, 89.9)))
    return np.degrees(2.0 * np.arcsin(np.minimum(1.0, s / cos_lat)))


class _Level:
    """One round's grid: cells of radius / CELLS_PER_RADIUS, so that the disk of a
    request is covered by at most (2 CELLS_PER_RADIUS + 1)^2 cells."""

    def __init__(self, radius_km: float, lat_top: float) -> None:
        self.radius_km = radius_km
        self.c2 = float(chord2_limit(np.array(radius_km)))
        self.half_lat = math.degrees(radius_km / EARTH_RADIUS_KM) * (1 + 1e-9)
        self.dlat = self.half_lat * (1 + 1e-9) / CELLS_PER_RADIUS
        half_lon = float(_half_width_lon(radius_km, lat_top + self.half_lat)) * (1 + 2e-9)
        self.dlon = max(half_lon / CELLS_PER_RADIUS, 1e-12)

    def cell_keys(self, lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
        cy = np.floor(lat / self.dlat).astype(np.int64)
        cx = np.floor(lon / self.dlon).astype(np.int64)
        return (cy + _CELL_OFFSET) * _CELL_SPAN + (cx + _CELL_OFFSET)

    def cover(self, lat: np.ndarray, lon: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The cell keys covering each point's disk: (point position, key)."""
        half_lon = _half_width_lon(self.radius_km, np.abs(lat) + self.half_lat) * (1 + 1e-9)
        y0 = np.floor((lat - self.half_lat) / self.dlat).astype(np.int64)
        y1 = np.floor((lat + self.half_lat) / self.dlat).astype(np.int64)
        x0 = np.floor((lon - half_lon) / self.dlon).astype(np.int64)
        x1 = np.floor((lon + half_lon) / self.dlon).astype(np.int64)
        step = np.arange(2 * CELLS_PER_RADIUS + 1, dtype=np.int64)
        cy = y0[:, None, None] + step[None, :, None]
        cx = x0[:, None, None] + step[None, None, :]
        valid = (cy <= y1[:, None, None]) & (cx <= x1[:, None, None])
        pos = np.broadcast_to(np.arange(len(lat))[:, None, None], valid.shape)[valid]
        keys = (cy + _CELL_OFFSET) * _CELL_SPAN + (cx + _CELL_OFFSET)
        return pos, np.broadcast_to(keys, valid.shape)[valid]


class _Index:
    """(help type, cell) -> volunteers, for one level; coordinates kept in index
    order so that gathering a cell reads memory in sequence."""

    def __init__(self, level: _Level, problem: Problem, helps: np.ndarray, vols: np.ndarray):
        keys = helps * _HELP_SHIFT + level.cell_keys(problem.v_lat[vols], problem.v_lon[vols])
        order = np.argsort(keys)
        self.members = vols[order]
        self.x = problem.vx[self.members]
        self.y = problem.vy[self.members]
        self.z = problem.vz[self.members]
        keys = keys[order]
        first = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]]) if len(keys) else keys
        self.keys = keys[first]
        self.starts = first
        self.ends = np.r_[first[1:], len(keys)].astype(np.int64)

    def cells(self, keys: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """For each key: found?, and where its members start and end."""
        if not len(self.keys):
            none = np.zeros(len(keys), dtype=bool)
            return none, none.astype(np.int64), none.astype(np.int64)
        pos = np.minimum(np.searchsorted(self.keys, keys), len(self.keys) - 1)
        return self.keys[pos] == keys, self.starts[pos], self.ends[pos]


class Search:
    """Candidate search over one problem; reused by the certificate and explanations."""

    def __init__(self, problem: Problem) -> None:
        self.p = p = problem
        lat_top = float(np.abs(np.concatenate([p.v_lat, p.r_lat])).max()) if p.nv + p.nr else 0.0
        radii = []
        radius = min(FIRST_RADIUS_KM, p.search_km)
        while radius < p.search_km:
            radii.append(radius)
            radius *= 2.0
        radii.append(p.search_km)
        self.levels = [_Level(max(r, 1e-3), lat_top) for r in radii]
        self.levels[-1].c2 = max(self.levels[-1].c2, float(p.v_c2lim.max()) if p.nv else 0.0)
        # (help type, volunteer) entries: every requested help type a volunteer offers.
        helps, vols = [], []
        for code, members in enumerate(p.offers):
            helps.append(np.full(len(members), code, dtype=np.int64))
            vols.append(members)
        self._all_h = np.concatenate(helps) if helps else np.zeros(0, dtype=np.int64)
        self._all_v = np.concatenate(vols) if vols else np.zeros(0, dtype=np.int64)
        able = (p.v_cap[self._all_v] > 0) & ~p.v_never[self._all_v]
        self._able_h, self._able_v = self._all_h[able], self._all_v[able]
        self._indexes: dict[tuple[int, int], _Index] = {}
        # Facets: a request needing a language few volunteers speak, or an
        # extract, searches an index of the volunteers who qualify only.
        rare = p.speaks.mean(axis=1) < FACET_SHARE if p.nv else np.ones(len(p.languages), bool)
        rare = np.append(rare, False)  # r_lang == -1 (any language) indexes the last entry
        lang = np.where(rare[p.r_lang], p.r_lang, -1)
        facet = (lang + 1) * 2 + p.r_safe
        # A facet of a few requests costs more calls than it saves.
        kinds, counts = np.unique(facet, return_counts=True)
        small = np.isin(facet, kinds[counts < FACET_MIN_REQUESTS])
        self.r_facet = np.where(small, 0, facet)
        # What a pair can score besides distance and continuity, at most.
        self.extra = p.fair_pts_max + (p.r_org >= 0) * p.weights.organisation

    def index(self, level: int, facet: int = _EVERYONE) -> _Index:
        """The volunteers a request of ``facet`` may be matched with, first seen at
        ``level`` (willing to go further than the previous radius); with the
        default, everyone offering the help (for explanations)."""
        found = self._indexes.get((level, facet))
        if found is None:
            p = self.p
            if facet == _EVERYONE:
                h, v = self._all_h, self._all_v
            else:
                h, v = self._able_h, self._able_v
                keep = np.ones(len(v), dtype=bool)
                if level:
                    keep &= p.v_c2lim[v] > self.levels[level - 1].c2
                lang, safe = facet // 2 - 1, facet % 2
                if lang >= 0:
                    keep &= p.speaks[lang, v]
                if safe:
                    keep &= p.v_safe[v]
                h, v = h[keep], v[keep]
            found = self._indexes[(level, facet)] = _Index(self.levels[level], p, h, v)
        return found

    def gather(self, level: int, rows: np.ndarray, inner_c2: float, *, everyone: bool = False):
        """(request, volunteer, squared chord) of the volunteers in each row's ring
        inner_c2 < chord2 <= the level's; each row's pairs come together."""
        if everyone:
            return self._gather(level, rows, inner_c2, _EVERYONE)
        facets = self.r_facet[rows]
        kinds = np.unique(facets)
        if len(kinds) == 1:
            return self._gather(level, rows, inner_c2, int(kinds[0]))
        parts = [self._gather(level, rows[facets == f], inner_c2, int(f)) for f in kinds]
        return tuple(np.concatenate(column) for column in zip(*parts, strict=True))

    def _gather(self, level: int, rows: np.ndarray, inner_c2: float, facet: int):
        p = self.p
        lvl = self.levels[level]
        index = self.index(level, facet)
        pos, keys = lvl.cover(p.r_lat[rows], p.r_lon[rows])
        found, starts, ends = index.cells(keys + p.r_help[rows][pos] * _HELP_SHIFT)
        pos, starts, ends = pos[found], starts[found], ends[found]
        counts = ends - starts
        at = expand_ranges(starts, ends)
        # Request side: one value per cell, repeated (cheaper than a gather per pair).
        dx = np.repeat(p.rx[rows[pos]], counts) - index.x[at]
        dy = np.repeat(p.ry[rows[pos]], counts) - index.y[at]
        dz = np.repeat(p.rz[rows[pos]], counts) - index.z[at]
        c2 = dx * dx + dy * dy + dz * dz
        ring = (c2 > inner_c2) & (c2 <= lvl.c2)
        r = np.repeat(rows[pos], counts)[ring]
        return r, index.members[at[ring]], c2[ring]

    def _round(self, level: int, rows: np.ndarray, inner_c2: float):
        """Feasible pairs of rows first seen at ``level``: (r, v, score)."""
        p = self.p
        r, v, c2 = self.gather(level, rows, inner_c2)
        ok = p.pair_feasible(r, v, c2)
        r, v, c2 = r[ok], v[ok], c2[ok]
        return r, v, p.pair_scores(r, v, c2)

    def _bound(self, level: int, rows: np.ndarray) -> np.ndarray:
        """Most a volunteer not yet seen after ``level`` can score (without continuity)."""
        return self.p.distance_bound(self.levels[level].radius_km) + self.extra[rows]

    def top_k(self, k: int, *, slack: int = 0) -> Candidates:
        """The k x (volunteers needed) best feasible candidates of every request, plus
        its previous volunteers. With ``slack`` > 0 a request stops as soon as nobody
        further away could beat its k-th best by more than ``slack`` points (they are
        then not proven the best, and ``tau`` is not an upper bound)."""
        p = self.p
        want = k * p.r_need
        tau = np.full(p.nr, -1, dtype=np.int64)
        state = (want, tau, np.full(p.nr, -1, dtype=np.int64), np.full(p.nr, -1, dtype=np.int64))
        chunks = np.array_split(np.arange(p.nr, dtype=np.int64), max(-(-p.nr // CHUNK), 1))
        found = [self._top_k_rows(rows, slack, state) for rows in chunks]
        out_r = [r for chunk in found for r, _, _ in chunk]
        out_v = [v for chunk in found for _, v, _ in chunk]
        out_q = [q for chunk in found for _, _, q in chunk]
        # Previous volunteers count for continuity whatever their rank.
        if len(p.prev_r):
            feasible = p.feasible(p.prev_r, p.prev_v)
            pr, pv = p.prev_r[feasible], p.prev_v[feasible]
            out_r.append(pr)
            out_v.append(pv)
            out_q.append(p.pair_scores(pr, pv, p.chord2(pr, pv)))
        return _unique(out_r, out_v, out_q, tau, p.nv)

    def _top_k_rows(self, active: np.ndarray, slack: int, state) -> list[tuple[np.ndarray, ...]]:
        """top_k for some requests; writes only their entries of ``state``."""
        want, tau, kth, next_ = state
        out = []
        last = len(self.levels) - 1
        kr = kv = kq = np.zeros(0, dtype=np.int64)
        inner = -1.0
        for level in range(last + 1):
            if not len(active):
                break
            nr_, nv_, nq_ = self._round(level, active, inner)
            inner = self.levels[level].c2
            r = np.concatenate([kr, nr_])
            v = np.concatenate([kv, nv_])
            q = np.concatenate([kq, nq_])
            order = np.argsort(r * _SCORE_SPAN + (_SCORE_SPAN - 1 - q))
            r, v, q = r[order], v[order], q[order]
            starts = np.flatnonzero(np.r_[True, r[1:] != r[:-1]]) if len(r) else r
            rank = np.arange(len(r)) - np.repeat(starts, np.diff(np.r_[starts, len(r)]))
            limit = want[r]
            keep = rank <= limit
            r, v, q, rank, limit = r[keep], v[keep], q[keep], rank[keep], limit[keep]
            kth[active] = -1
            next_[active] = -1
            at = rank == limit - 1
            kth[r[at]] = q[at]
            at = rank == limit
            next_[r[at]] = q[at]
            if level == last:
                finished = active
                tau[finished] = next_[finished]
                active = active[:0]
            else:
                bound = self._bound(level, active)
                stop = kth[active] >= bound - slack
                finished = active[stop]
                tau[finished] = np.maximum(next_[finished], bound[stop])
                active = active[~stop]
            # Entries of requests still searching stay for the next round.
            going = np.isin(r, active, assume_unique=False)
            take = ~going & (rank < limit)
            out.append((r[take], v[take], q[take]))
            kr, kv, kq = r[going], v[going], q[going]
        return out

    def above(self, rows: np.ndarray, threshold: np.ndarray) -> Candidates:
        """Every feasible pair of the given requests scoring more than threshold[n]
        (for rows[n])."""
        p = self.p
        limit = np.full(p.nr, np.iinfo(np.int64).max, dtype=np.int64)
        limit[rows] = threshold
        out_r, out_v, out_q = [], [], []
        active = np.unique(rows)
        inner = -1.0
        for level in range(len(self.levels)):
            if not len(active):
                break
            r, v, q = self._round(level, active, inner)
            inner = self.levels[level].c2
            keep = q > limit[r]
            out_r.append(r[keep])
            out_v.append(v[keep])
            out_q.append(q[keep])
            active = active[self._bound(level, active) > limit[active]]
        # The bound leaves continuity out: previous volunteers are checked directly.
        mine = np.isin(p.prev_r, rows)
        if mine.any():
            pr, pv = p.prev_r[mine], p.prev_v[mine]
            ok = p.feasible(pr, pv)
            pr, pv = pr[ok], pv[ok]
            pq = p.pair_scores(pr, pv, p.chord2(pr, pv))
            keep = pq > limit[pr]
            out_r.append(pr[keep])
            out_v.append(pv[keep])
            out_q.append(pq[keep])
        return _unique(out_r, out_v, out_q, np.full(p.nr, -1, dtype=np.int64), p.nv)

    def nearest(
        self, rows: np.ndarray, radius_c2: np.ndarray, taken: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        """Per row: the nearest volunteer offering its help type (any capacity) strictly
        within radius_c2[row], whose key r * nv + v is not in ``taken``; -1 if none."""
        p = self.p
        nearest = np.full(len(rows), -1, dtype=np.int64)
        best_c2 = np.full(len(rows), np.inf)
        where = np.full(p.nr, -1, dtype=np.int64)
        where[rows] = np.arange(len(rows))
        active = rows
        inner = -1.0
        # Rings outwards, as in top_k: the first ring holding someone holds the nearest.
        for level in range(len(self.levels)):
            if not len(active):
                break
            r, v, c2 = self.gather(level, active, inner, everyone=True)
            ok = c2 < radius_c2[where[r]]
            r, v, c2 = r[ok], v[ok], c2[ok]
            ok = ~Problem._member(r * p.nv + v, taken)
            r, v, c2 = r[ok], v[ok], c2[ok]
            inner = self.levels[level].c2
            if len(r):
                # Pairs come grouped by request: the first minimum of each group.
                change = np.r_[True, r[1:] != r[:-1]]
                group = np.cumsum(change) - 1
                low = np.minimum.reduceat(c2, np.flatnonzero(change))
                at = np.flatnonzero(c2 == low[group])
                at = at[np.r_[True, group[at][1:] != group[at][:-1]]]
                nearest[where[r[at]]] = v[at]
                best_c2[where[r[at]]] = c2[at]
            active = active[(nearest[where[active]] < 0) & (radius_c2[where[active]] > inner)]
        return nearest, best_c2


def _unique(out_r, out_v, out_q, tau, nv) -> Candidates:
    if out_r:
        r = np.concatenate(out_r).astype(np.int64)
        v = np.concatenate(out_v).astype(np.int64)
        q = np.concatenate(out_q).astype(np.int64)
    else:
        r = v = q = np.zeros(0, dtype=np.int64)
    _, first = np.unique(r * nv + v, return_index=True)
    return Candidates(arc_r=r[first], arc_v=v[first], arc_q=q[first], tau=tau)
