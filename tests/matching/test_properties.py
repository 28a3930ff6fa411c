"""The engine against exhaustive search on small random cases."""

from collections import Counter
from datetime import UTC, datetime, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tillsammans.matching import Request, Volunteer, evaluate_pair, greedy, match

from .brute import brute_force

NOW = datetime(2025, 3, 10, 12, 0, tzinfo=UTC)
HELP = ["shopping", "walk"]
SLOTS = [(0, "am"), (0, "pm"), (3, "am")]
# About 4 x 4 km around Borås: distance limits of 1-5 km both cut and keep pairs.
lat = st.floats(57.70, 57.736)
lon = st.floats(12.90, 12.966)
# Mostly permissive values, so that volunteers compete for requests.
slots = st.sampled_from([None, None]) | st.frozensets(st.sampled_from(SLOTS))
org = st.none() | st.sampled_from(["red-cross", "church"])
rarely = st.sampled_from([False, False, False, True])
usually = st.sampled_from([True, True, True, False])


@st.composite
def cases(draw):
    n_vol = draw(st.integers(0, 5))
    volunteers = [
        Volunteer(
            id=f"v{n}",
            lat=draw(lat),
            lon=draw(lon),
            help_types=draw(st.frozensets(st.sampled_from(HELP), min_size=1)),
            languages=frozenset(["sv"] if draw(usually) else [])
            | frozenset(["ar"] if draw(rarely) else []),
            safeguarding_checked=draw(usually),
            available_slots=draw(slots),
            capacity=draw(st.sampled_from([0, 1, 1, 2])),
            max_distance_km=draw(st.none() | st.floats(1.0, 6.0)),
            organization_id=draw(org),
            last_asked_at=draw(
                st.none() | st.integers(0, 40 * 24).map(lambda h: NOW - timedelta(hours=h))
            ),
        )
        for n in range(n_vol)
    ]
    ids = [v.id for v in volunteers]
    n_req = draw(st.integers(0, 4))
    requests = [
        Request(
            id=f"r{n}",
            lat=draw(lat),
            lon=draw(lon),
            help_type=draw(st.sampled_from(HELP)),
            language=draw(st.none() | st.sampled_from(["sv", "ar"])),
            needs_safeguarding=draw(rarely),
            slots=draw(slots),
            volunteers_needed=draw(st.integers(1, 3)),
            previous_volunteer_ids=draw(st.frozensets(st.sampled_from(ids)))
            if ids
            else frozenset(),
            preferred_organization_id=draw(org),
        )
        for n in range(n_req)
    ]
    pairs = [(v, r.id) for v in ids for r in requests]
    excluded = draw(st.frozensets(st.sampled_from(pairs), max_size=2)) if pairs else frozenset()
    return volunteers, requests, excluded


def _key(result):
    return (len(result.proposals), result.total_score)


def _check_valid(result, volunteers, requests, excluded, max_distance_km):
    by_v = {v.id: v for v in volunteers}
    by_r = {r.id: r for r in requests}
    pairs = [(p.volunteer_id, p.request_id) for p in result.proposals]
    assert len(pairs) == len(set(pairs))
    load = Counter(v for v, _ in pairs)
    fill = Counter(r for _, r in pairs)
    assert all(load[v] <= by_v[v].capacity for v in load)
    assert all(fill[r] <= by_r[r].volunteers_needed for r in fill)
    for p in result.proposals:
        ev = evaluate_pair(
            by_v[p.volunteer_id],
            by_r[p.request_id],
            now=NOW,
            max_distance_km=max_distance_km,
            excluded=(p.volunteer_id, p.request_id) in excluded,
        )
        assert ev.feasible
        assert ev.score == p.score == sum(p.parts.values())
    expected = {r.id: r.volunteers_needed - fill[r.id] for r in requests}
    assert result.unmatched == {r: n for r, n in expected.items() if n}
    assert result.total_score == sum(p.score for p in result.proposals)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=cases(), k=st.integers(1, 4), max_distance_km=st.sampled_from([2.0, 4.0, 30.0]))
def test_exact_mode_equals_brute_force(case, k, max_distance_km):
    volunteers, requests, excluded = case
    optimum = brute_force(
        volunteers, requests, now=NOW, max_distance_km=max_distance_km, exclude_pairs=excluded
    )
    result = match(
        volunteers,
        requests,
        k=k,
        now=NOW,
        max_distance_km=max_distance_km,
        exclude_pairs=excluded,
    )
    _check_valid(result, volunteers, requests, excluded, max_distance_km)
    assert _key(result) == optimum
    assert result.stats.proven_optimal
    assert result.stats.optimal_on == "all_feasible_pairs"


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=cases(), k=st.integers(1, 3))
def test_fast_mode_and_greedy_are_valid_and_never_beat_exact(case, k):
    volunteers, requests, excluded = case
    exact = match(volunteers, requests, now=NOW, exclude_pairs=excluded)
    for other in (
        match(volunteers, requests, now=NOW, exclude_pairs=excluded, mode="fast", k=k),
        greedy(volunteers, requests, now=NOW, exclude_pairs=excluded, k=k),
    ):
        _check_valid(other, volunteers, requests, excluded, 30.0)
        assert _key(other) <= _key(exact)
