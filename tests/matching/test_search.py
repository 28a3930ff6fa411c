"""The candidate search against direct enumeration of every pair.

The certificate's proof rests on these: the k best per place really are the
best, ``tau`` bounds every feasible pair left out, and ``above`` finds every
pair scoring more than a threshold. Instances are random towns with clusters,
rare languages (searched through their own index), extracts, time slots and
distance limits from 0.3 to 25 km.
"""

from datetime import timedelta
from unittest import mock

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from tillsammans.matching import Request, Volunteer, Weights, _candidates
from tillsammans.matching._candidates import Search
from tillsammans.matching._problem import Problem

from .builders import LAT, LON, NOW

HELP = ["shopping", "walk", "visit"]
LANGS = ["sv", "en", "ar", "ti"]
SLOTS = [(d, p) for d in range(3) for p in ("am", "pm")]


def town(seed: int, n_vol: int, n_req: int):
    rng = np.random.default_rng(seed)
    centres = rng.normal(0, 0.08, size=(4, 2))

    def place():
        c = centres[rng.integers(4)]
        return float(LAT + c[0] + rng.normal(0, 0.01)), float(LON + c[1] + rng.normal(0, 0.02))

    def some(values, p):
        return frozenset(v for v in values if rng.random() < p)

    volunteers = []
    for n in range(n_vol):
        lat, lon = place()
        volunteers.append(
            Volunteer(
                id=n,
                lat=lat,
                lon=lon,
                help_types=some(HELP, 0.5) or frozenset({"shopping"}),
                languages=frozenset({"sv"}) | some(LANGS[1:], 0.15),
                safeguarding_checked=bool(rng.random() < 0.4),
                available_slots=None if rng.random() < 0.4 else some(SLOTS, 0.5),
                capacity=int(rng.integers(0, 3)),
                max_distance_km=float(rng.choice([0.3, 1, 3, 8, 25])),
                organization_id=None if rng.random() < 0.6 else f"o{rng.integers(3)}",
                last_asked_at=None
                if rng.random() < 0.4
                else NOW - timedelta(hours=float(rng.integers(0, 1500))),
            )
        )
    requests = []
    for n in range(n_req):
        lat, lon = place()
        requests.append(
            Request(
                id=f"r{n}",
                lat=lat,
                lon=lon,
                help_type=HELP[rng.integers(3)],
                language=None if rng.random() < 0.5 else LANGS[rng.integers(4)],
                needs_safeguarding=bool(rng.random() < 0.3),
                slots=None if rng.random() < 0.5 else some(SLOTS, 0.4),
                volunteers_needed=int(rng.choice([1, 1, 2, 3])),
                previous_volunteer_ids=frozenset({int(rng.integers(n_vol))})
                if rng.random() < 0.2
                else frozenset(),
                preferred_organization_id=None if rng.random() < 0.7 else f"o{rng.integers(3)}",
            )
        )
    return volunteers, requests


def every_pair(p: Problem):
    r, v = np.meshgrid(np.arange(p.nr), np.arange(p.nv), indexing="ij")
    r, v = r.ravel(), v.ravel()
    ok = p.feasible(r, v)
    r, v = r[ok], v[ok]
    return r, v, p.pair_scores(r, v, p.chord2(r, v))


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 10**6), k=st.integers(1, 4))
def test_top_k_is_the_k_best_and_tau_bounds_the_rest(seed, k):
    volunteers, requests = town(seed, 240, 120)
    p = Problem(
        volunteers, requests, weights=Weights(), max_distance_km=20.0, now=NOW, exclude_pairs=()
    )
    # Rare-language and extract requests use their own indexes when there are
    # enough of them: check with every facet split off, and with none.
    for facet_min in (1, 10**9):
        with mock.patch.object(_candidates, "FACET_MIN_REQUESTS", facet_min):
            search = Search(p)
        assert (search.r_facet > 0).any() == (facet_min == 1)
        _check_search(p, search, k)


def _check_search(p, search, k):
    cands = search.top_k(k)
    all_r, all_v, all_q = every_pair(p)
    truth = {
        (r, v): q for r, v, q in zip(all_r.tolist(), all_v.tolist(), all_q.tolist(), strict=True)
    }
    arcs = {}
    for r, v, q in zip(
        cands.arc_r.tolist(), cands.arc_v.tolist(), cands.arc_q.tolist(), strict=True
    ):
        assert truth[(r, v)] == q  # every candidate is feasible and scored right
        arcs.setdefault(r, {})[v] = q
    for r in range(p.nr):
        mine = arcs.get(r, {})
        left_out = [q for (rr, v), q in truth.items() if rr == r and v not in mine]
        ranked = sorted(mine.values(), reverse=True)
        want = k * int(p.r_need[r])
        feasible_count = sum(1 for (rr, _v) in truth if rr == r)
        assert len(mine) >= min(want, feasible_count)
        if left_out:
            assert len(ranked) >= want
            assert ranked[want - 1] >= max(left_out)
            assert cands.tau[r] >= max(left_out)
        # tau == -1 promises that nothing was left out.
        if cands.tau[r] < 0:
            assert not left_out

    # above(): exactly the feasible pairs scoring more than a threshold.
    rows = np.arange(0, p.nr, 3)
    threshold = np.array([(300, -1, 500)[n % 3] for n in range(len(rows))])
    found = search.above(rows, threshold)
    limit = dict(zip(rows.tolist(), threshold.tolist(), strict=True))
    expected = {(r, v) for (r, v), q in truth.items() if r in limit and q > limit[r]}
    assert set(zip(found.arc_r.tolist(), found.arc_v.tolist(), strict=True)) == expected


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 10**6))
def test_nearest_finds_the_closest_other_volunteer(seed):
    volunteers, requests = town(seed, 200, 60)
    p = Problem(
        volunteers, requests, weights=Weights(), max_distance_km=20.0, now=NOW, exclude_pairs=()
    )
    search = Search(p)
    rng = np.random.default_rng(seed)
    rows = np.arange(p.nr)
    radius = p.chord2(rows, np.zeros(p.nr, dtype=np.int64)) * rng.uniform(0.5, 4.0, p.nr)
    taken_pairs = {(int(r), int(rng.integers(p.nv))) for r in rows}
    taken = np.unique(np.array([r * p.nv + v for r, v in taken_pairs]))
    near, near_c2 = search.nearest(rows, radius, taken)
    for r in rows.tolist():
        offers = np.flatnonzero(p.v_offers[p.r_help[r]])
        c2 = p.chord2(np.full(len(offers), r), offers)
        ok = (c2 < radius[r]) & np.array([(r, int(v)) not in taken_pairs for v in offers], bool)
        if not ok.any():
            assert near[r] == -1
        else:
            assert near_c2[r] == c2[ok].min()
            assert p.chord2(np.array([r]), np.array([near[r]]))[0] == c2[ok].min()
