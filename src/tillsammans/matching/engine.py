"""``match``, ``greedy`` and ``evaluate_pair``."""

from __future__ import annotations

import gc
import time
from collections.abc import Collection, Hashable, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

import numpy as np

from . import _flow
from ._candidates import Candidates, Search
from ._explain import Explainer, lacks
from ._problem import Problem
from .model import MatchResult, MatchStats, Reason, Request, Volunteer, Weights

DEFAULT_WEIGHTS = Weights()
DEFAULT_MAX_DISTANCE_KM = 30.0
# Candidates per place (a request needing two volunteers gets 2k): exact mode
# proves its optimum over all feasible pairs whatever k is (k only changes how
# much work the proof takes); fast mode trusts the k best.
DEFAULT_K = {"exact": 3, "fast": 3}
# Rounds of adding pairs the certificate found before settling for the
# optimum on the candidate graph (never reached in the benchmarks).
MAX_CERTIFICATE_ROUNDS = 50
# Fast mode: a request stops searching once nobody further away could beat its
# k-th best candidate by more than this many points.
FAST_SLACK = 50
# Fast mode takes runner-ups from the candidates only (the search for a closer
# volunteer who was passed over, as exact mode does, costs a fifth of its time).
FAST_NEAREST = False
# Sweeps of the label correcting allowed after a local re-solve before the
# whole graph is solved again (an optimal flow settles in far fewer).
LOCAL_SWEEPS = 500


@contextmanager
def _collector_paused():
    """Pause the cyclic garbage collector: a match allocates hundreds of thousands
    of small objects next to the caller's (the inputs), and each automatic
    collection would walk all of them. Nothing here creates cycles that must
    be freed before the end; the previous state is restored."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@dataclass(frozen=True, slots=True)
class PairEvaluation:
    """One volunteer against one request, as the engine sees it."""

    feasible: bool
    lacks: tuple[Reason, ...]
    distance_km: float
    score: int | None
    parts: dict[str, int]


def _problem(volunteers, requests, weights, max_distance_km, now, exclude_pairs) -> Problem:
    return Problem(
        volunteers,
        requests,
        weights=weights,
        max_distance_km=max_distance_km,
        now=now,
        exclude_pairs=exclude_pairs,
    )


def evaluate_pair(
    volunteer: Volunteer,
    request: Request,
    *,
    weights: Weights = DEFAULT_WEIGHTS,
    max_distance_km: float = DEFAULT_MAX_DISTANCE_KM,
    now: float | datetime | None = None,
    excluded: bool = False,
) -> PairEvaluation:
    """Feasibility and score of one pair, computed exactly as :func:`match` does.

    Give the same ``now`` as to :func:`match` (its default there is the most
    recent ``last_asked_at`` of all volunteers, which one pair cannot know).
    """
    excl = {(volunteer.id, request.id)} if excluded else set()
    p = _problem([volunteer], [request], weights, max_distance_km, now, excl)
    a = np.array([0])
    c2 = p.chord2(a, a)
    dist, d_pts, f_pts, c_pts, o_pts = p.pair_parts(a, a, c2)
    failed = p.failures(0, 0)
    parts = {
        "distance": int(d_pts[0]),
        "fairness": int(f_pts[0]),
        "continuity": int(c_pts[0]),
        "organisation": int(o_pts[0]),
    }
    return PairEvaluation(
        feasible=not failed,
        lacks=lacks(p, 0, failed, float(p.v_limit_km[0])),
        distance_km=float(dist[0]),
        score=None if failed else sum(parts.values()),
        parts=parts,
    )


def _solve(cands: Candidates, p: Problem, top: int) -> _flow.Flow:
    return _flow.solve(
        cands.arc_r, cands.arc_v, cands.arc_q, capacity=p.v_cap, need=p.r_need, top=top
    )


def _extend(flow: _flow.Flow, extra_arcs: int) -> _flow.Flow:
    """The same flow over a graph with ``extra_arcs`` more (unused) arcs at the end."""
    used = np.concatenate([flow.used, np.zeros(extra_arcs, dtype=bool)])
    return _flow.Flow(used=used, load=flow.load, fill=flow.fill)


def _result(
    search: Search,
    cands: Candidates,
    flow: _flow.Flow,
    *,
    mode: Literal["exact", "fast", "greedy"],
    k: int,
    proven: bool,
    rounds: int,
    added: int,
    seconds: dict[str, float],
    explain: bool,
    nearest: bool,
    started: float,
) -> MatchResult:
    p = search.p
    t = time.perf_counter()
    explainer = Explainer(
        search, cands.arc_r, cands.arc_v, cands.arc_q, flow.used, flow.load, explain, nearest
    )
    proposals = explainer.proposals()
    seconds["explain"] = time.perf_counter() - t
    missing = p.r_need - flow.fill
    unmatched = {p.requests[i].id: int(missing[i]) for i in np.flatnonzero(missing > 0)}
    seconds["total"] = time.perf_counter() - started
    optimal_on = {"exact": "all_feasible_pairs", "fast": "candidate_graph", "greedy": "none"}
    stats = MatchStats(
        mode=mode,
        k=k,
        volunteers=p.nv,
        requests=p.nr,
        places_needed=int(p.r_need.sum()),
        places_filled=len(proposals),
        candidate_pairs=len(cands.arc_r),
        proven_optimal=proven,
        optimal_on=optimal_on[mode] if (proven or mode != "exact") else "candidate_graph",
        certificate_rounds=rounds,
        pairs_added_by_certificate=added,
        seconds=seconds,
    )
    return MatchResult(
        proposals=proposals,
        unmatched=unmatched,
        total_score=int(sum(pr.score for pr in proposals)),
        stats=stats,
    )


def match(
    volunteers: Sequence[Volunteer],
    requests: Sequence[Request],
    *,
    weights: Weights = DEFAULT_WEIGHTS,
    k: int | None = None,
    max_distance_km: float = DEFAULT_MAX_DISTANCE_KM,
    mode: Literal["exact", "fast"] = "exact",
    exclude_pairs: Collection[tuple[Hashable, Hashable]] = frozenset(),
    now: float | datetime | None = None,
    explain: bool = True,
) -> MatchResult:
    """Propose volunteers for requests: the most places filled, then the highest score.

    Hard constraints decide which pairs are possible; among the possible
    assignments (no volunteer over capacity, no request over its number of
    volunteers, a pair at most once) the one filling the most places is
    chosen and, among those, the one with the highest total score.

    ``mode="exact"`` proves that no assignment over *all* feasible pairs does
    better (``stats.proven_optimal``). ``mode="fast"`` solves optimally on
    about the k best feasible candidates per place only (it stops looking
    further away once nobody there could beat them by more than
    ``FAST_SLACK`` points) and takes runner-ups from those candidates.
    ``k``: candidates per place (a request needing two volunteers gets 2k).
    ``exclude_pairs`` holds (volunteer id, request id) pairs never to propose
    (a declined offer). ``now`` is when fairness is measured (default: the
    latest ``last_asked_at`` of the volunteers). ``explain=False`` leaves
    ``reasons`` empty and ``runner_up`` None (faster).
    """
    if mode not in DEFAULT_K:
        raise ValueError(f"mode must be 'exact' or 'fast', not {mode!r}")
    k = DEFAULT_K[mode] if k is None else k
    if not isinstance(k, int) or k < 1:
        raise ValueError(f"k must be a positive int, not {k!r}")
    with _collector_paused():
        started = time.perf_counter()
        p = _problem(volunteers, requests, weights, max_distance_km, now, exclude_pairs)
        return _match(p, k=k, mode=mode, explain=explain, started=started)


def _match(p: Problem, *, k: int, mode: str, explain: bool, started: float) -> MatchResult:
    seconds: dict[str, float] = {}
    search = Search(p)
    seconds["prepare"] = time.perf_counter() - started

    t = time.perf_counter()
    cands = search.top_k(k, slack=0 if mode == "exact" else FAST_SLACK)
    seconds["candidates"] = time.perf_counter() - t

    t = time.perf_counter()
    top = p.weights.maximum
    flow = _solve(cands, p, top)
    seconds["solve"] = time.perf_counter() - t

    proven, rounds, added = False, 0, 0
    if mode == "exact":
        t = time.perf_counter()
        cands, flow, proven, rounds, added = _certify(search, cands, flow, top)
        seconds["certificate"] = time.perf_counter() - t

    return _result(
        search,
        cands,
        flow,
        mode=mode,
        k=k,
        proven=proven,
        rounds=rounds,
        added=added,
        seconds=seconds,
        explain=explain,
        nearest=mode == "exact" or FAST_NEAREST,
        started=started,
    )


def _certify(search: Search, cands: Candidates, flow: _flow.Flow, top: int):
    """Prove the flow optimal over all feasible pairs, adding the pairs that
    break the proof and solving again (around them first) until it holds."""
    p = search.p
    big = (top + 1) * max(int(p.r_need.sum()), 1) + 1
    proven, rounds, added, local = False, 0, 0, False
    while rounds < MAX_CERTIFICATE_ROUNDS:
        rounds += 1
        labels = _flow.duals(
            cands.arc_r,
            cands.arc_v,
            big + cands.arc_q,
            flow,
            capacity=p.v_cap,
            need=p.r_need,
            max_sweeps=LOCAL_SWEEPS if local else None,
        )
        if labels is None:
            if not local:
                raise _flow.SolverFailed("no duals fit an optimal flow")
            # The local re-solve was not enough: solve the whole graph again.
            flow, local = _solve(cands, p, top), False
            continue
        alpha, beta = labels
        # Left-out pairs of a request are all covered when beta >= big + tau.
        open_rows = np.flatnonzero((cands.tau >= 0) & (beta < big + cands.tau))
        if not len(open_rows):
            proven = True
            break
        # alpha >= 0, so only pairs scoring more than beta - big can break it.
        extra = search.above(open_rows, beta[open_rows] - big)
        known = np.unique(cands.arc_r * p.nv + cands.arc_v)
        new = ~Problem._member(extra.arc_r * p.nv + extra.arc_v, known)
        er, ev, eq = extra.arc_r[new], extra.arc_v[new], extra.arc_q[new]
        broken = alpha[ev] + beta[er] < big + eq
        if not broken.any():
            proven = True
            break
        count = int(broken.sum())
        added += count
        cands = Candidates(
            arc_r=np.concatenate([cands.arc_r, er[broken]]),
            arc_v=np.concatenate([cands.arc_v, ev[broken]]),
            arc_q=np.concatenate([cands.arc_q, eq[broken]]),
            tau=cands.tau,
        )
        flow = _flow.solve_around(
            cands.arc_r,
            cands.arc_v,
            cands.arc_q,
            _extend(flow, count),
            np.unique(er[broken]),
            capacity=p.v_cap,
            need=p.r_need,
            top=top,
        )
        local = True
    if not proven and local:
        # Out of rounds right after a local re-solve: at least be optimal on the graph.
        flow = _solve(cands, p, top)
    return cands, flow, proven, rounds, added


def greedy(
    volunteers: Sequence[Volunteer],
    requests: Sequence[Request],
    *,
    weights: Weights = DEFAULT_WEIGHTS,
    k: int = DEFAULT_K["exact"],
    max_distance_km: float = DEFAULT_MAX_DISTANCE_KM,
    exclude_pairs: Collection[tuple[Hashable, Hashable]] = frozenset(),
    now: float | datetime | None = None,
    explain: bool = True,
) -> MatchResult:
    """Baseline: the best-scoring remaining pair first, on the same candidates as
    exact mode (the k best feasible per place)."""
    with _collector_paused():
        started = time.perf_counter()
        seconds: dict[str, float] = {}
        p = _problem(volunteers, requests, weights, max_distance_km, now, exclude_pairs)
        search = Search(p)
        t = time.perf_counter()
        cands = search.top_k(k)
        seconds["candidates"] = time.perf_counter() - t
        t = time.perf_counter()
        order = np.lexsort((cands.arc_v, cands.arc_r, -cands.arc_q))
        used = np.zeros(len(cands.arc_r), dtype=bool)
        arc_r, arc_v = cands.arc_r.tolist(), cands.arc_v.tolist()
        room, places = p.v_cap.tolist(), p.r_need.tolist()
        for n in order.tolist():
            r, v = arc_r[n], arc_v[n]
            if room[v] > 0 and places[r] > 0:
                room[v] -= 1
                places[r] -= 1
                used[n] = True
        load = np.bincount(cands.arc_v[used], minlength=p.nv).astype(np.int64)
        fill = np.bincount(cands.arc_r[used], minlength=p.nr).astype(np.int64)
        seconds["solve"] = time.perf_counter() - t
        return _result(
            search,
            cands,
            _flow.Flow(used=used, load=load, fill=fill),
            mode="greedy",
            k=k,
            proven=False,
            rounds=0,
            added=0,
            seconds=seconds,
            explain=explain,
            nearest=True,
            started=started,
        )
