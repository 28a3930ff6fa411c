"""The assignment as a whole: capacity, places, the objective, exclusions, modes."""

import pytest

from tillsammans.matching import Weights, greedy, match

from .builders import NOW, pairs, request, volunteer


def test_no_volunteer_exceeds_their_places_this_week():
    anna = volunteer("anna", capacity=2)
    needs = [request(f"r{n}", 0.1 * n) for n in range(4)]
    result = match([anna], needs, now=NOW)
    assert len(result.proposals) == 2
    assert result.unmatched_places == 2
    assert sum(result.unmatched.values()) == 2


def test_a_request_needing_two_volunteers_gets_two_different_ones():
    team = [volunteer(f"v{n}", 0.2 * n, capacity=3) for n in range(3)]
    result = match(team, [request("move", volunteers_needed=2)], now=NOW)
    chosen = [p.volunteer_id for p in result.proposals]
    assert sorted(chosen) == ["v0", "v1"]
    assert result.unmatched == {}


def test_a_request_gets_what_it_can_and_the_rest_is_reported_open():
    result = match([volunteer("anna")], [request("move", volunteers_needed=3)], now=NOW)
    assert pairs(result) == {("anna", "move")}
    assert result.unmatched == {"move": 2}


def test_filling_more_places_comes_before_a_higher_score():
    # Anna is the best for both; Omar can only reach r1. Giving Anna r1 scores
    # more but leaves r2 open: the engine fills both places instead.
    anna = volunteer("anna", 0.0, help_types=frozenset({"shopping", "walk"}))
    omar = volunteer("omar", 5.0, max_distance_km=6)
    r1 = request("r1", 0.1)
    r2 = request("r2", -0.5, help_type="walk")
    result = match([anna, omar], [r1, r2], now=NOW)
    assert pairs(result) == {("omar", "r1"), ("anna", "r2")}
    assert result.unmatched == {}


def test_greedy_takes_the_best_pair_first_and_can_leave_a_place_open():
    anna = volunteer("anna", 0.0, help_types=frozenset({"shopping", "walk"}))
    omar = volunteer("omar", 5.0, max_distance_km=6)
    r1 = request("r1", 0.1)
    r2 = request("r2", -0.5, help_type="walk")
    baseline = greedy([anna, omar], [r1, r2], now=NOW)
    assert pairs(baseline) == {("anna", "r1")}
    assert baseline.unmatched == {"r2": 1}
    assert baseline.stats.mode == "greedy"
    assert baseline.stats.optimal_on == "none"
    assert not baseline.stats.proven_optimal


def test_exclude_pairs_leaves_out_a_declined_volunteer_for_that_request_only():
    anna, omar = volunteer("anna", 0.1, capacity=2), volunteer("omar", 1.0)
    needs = [request("r1"), request("r2", 0.2)]
    first = match([anna, omar], needs, now=NOW)
    assert ("anna", "r1") in pairs(first)
    again = match([anna, omar], needs, now=NOW, exclude_pairs={("anna", "r1")})
    assert ("anna", "r1") not in pairs(again)
    assert pairs(again) == {("omar", "r1"), ("anna", "r2")}
    # Unknown ids are ignored.
    assert pairs(match([anna], needs, now=NOW, exclude_pairs={("nobody", "r9")}))


def test_empty_inputs():
    for volunteers, requests in [([], []), ([volunteer("anna")], []), ([], [request("r1")])]:
        result = match(volunteers, requests, now=NOW)
        assert result.proposals == []
        assert result.total_score == 0
        assert result.unmatched == {r.id: r.volunteers_needed for r in requests}
        assert result.stats.proven_optimal
        assert greedy(volunteers, requests, now=NOW).proposals == []


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: match([volunteer("a"), volunteer("a")], [], now=NOW), "volunteer ids"),
        (lambda: match([], [request("r"), request("r")], now=NOW), "request ids"),
        (lambda: match([], [], mode="quick"), "mode"),
        (lambda: match([], [], k=0), "k must"),
        (lambda: match([], [], max_distance_km=0), "max_distance_km"),
        (lambda: volunteer("a", capacity=-1), "capacity"),
        (lambda: request("r", volunteers_needed=0), "volunteers_needed"),
        (lambda: volunteer("a", lat=91.0), "coordinates"),
    ],
)
def test_bad_input_is_refused(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_the_result_is_deterministic_and_ordered_by_request_then_score():
    crowd = [volunteer(f"v{n}", 0.3 * (n % 5), 0.3 * (n // 5), capacity=2) for n in range(25)]
    needs = [request(f"r{n}", 0.25 * n, volunteers_needed=1 + n % 3) for n in range(10)]
    first, second = match(crowd, needs, now=NOW), match(crowd, needs, now=NOW)
    assert first.proposals == second.proposals
    order = {r.id: n for n, r in enumerate(needs)}
    keys = [(order[p.request_id], -p.score) for p in first.proposals]
    assert keys == sorted(keys)


def test_exact_mode_proves_the_optimum_beyond_the_candidates_it_started_with():
    # With one candidate per place every request wants Anna (nearest, rested);
    # only one can have her. The certificate finds the others' next best.
    crowd = [volunteer("anna", 0.0)] + [volunteer(f"v{n}", 1.0 + 0.1 * n) for n in range(4)]
    needs = [request(f"r{n}", 0.01 * n) for n in range(4)]
    result = match(crowd, needs, now=NOW, k=1)
    assert result.unmatched == {}
    assert result.stats.proven_optimal
    assert result.stats.optimal_on == "all_feasible_pairs"
    assert result.stats.pairs_added_by_certificate > 0
    fast = match(crowd, needs, now=NOW, k=1, mode="fast")
    assert fast.stats.optimal_on == "candidate_graph"
    assert not fast.stats.proven_optimal
    assert fast.unmatched_places == 3


def test_fast_mode_matches_exact_on_an_easy_case():
    crowd = [volunteer(f"v{n}", 0.4 * n) for n in range(6)]
    needs = [request(f"r{n}", 0.4 * n + 0.1) for n in range(3)]
    exact, fast = match(crowd, needs, now=NOW), match(crowd, needs, now=NOW, mode="fast")
    assert fast.total_score == exact.total_score
    assert fast.stats.mode == "fast"


def test_without_explanations_proposals_are_bare():
    result = match(
        [volunteer("anna"), volunteer("omar", 0.5)], [request("r1")], now=NOW, explain=False
    )
    assert result.proposals[0].reasons == ()
    assert result.proposals[0].runner_up is None


def test_weights_change_the_choice():
    near, rested = volunteer("near", 0.1, last_asked_at=NOW), volunteer("rested", 3.0)
    only_distance = Weights(distance=100, fairness=0, continuity=0, organisation=0)
    only_fairness = Weights(distance=0, fairness=100, continuity=0, organisation=0)
    assert pairs(match([near, rested], [request("r1")], now=NOW, weights=only_distance)) == {
        ("near", "r1")
    }
    assert pairs(match([near, rested], [request("r1")], now=NOW, weights=only_fairness)) == {
        ("rested", "r1")
    }
