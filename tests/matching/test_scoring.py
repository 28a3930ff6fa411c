"""The score of a feasible pair: integer points per criterion, summed."""

from datetime import timedelta

import pytest

from tillsammans.matching import Weights, evaluate_pair, match

from .builders import NOW, pairs, request, volunteer

W = Weights()


def parts(v, r, **kw):
    evaluation = evaluate_pair(v, r, now=NOW, **kw)
    assert evaluation.score == sum(evaluation.parts.values())
    return evaluation.parts


@pytest.mark.parametrize(("km", "points"), [(0.0, 400), (2.0, 200), (4.0, 100), (6.0, 50)])
def test_distance_points_halve_every_two_km(km, points):
    assert parts(volunteer("anna", km), request("r1"))["distance"] == points


@pytest.mark.parametrize(
    ("days_ago", "points"), [(None, 250), (28, 250), (60, 250), (14, 125), (7, 62), (0, 0)]
)
def test_fairness_rises_with_the_time_since_last_asked(days_ago, points):
    asked = None if days_ago is None else NOW - timedelta(days=days_ago)
    assert parts(volunteer("anna", last_asked_at=asked), request("r1"))["fairness"] == points


def test_fairness_accepts_posix_timestamps_and_refuses_naive_datetimes():
    stamp = (NOW - timedelta(days=14)).timestamp()
    assert parts(volunteer("anna", last_asked_at=stamp), request("r1"))["fairness"] == 125
    with pytest.raises(ValueError, match="naive"):
        volunteer("anna", last_asked_at=NOW.replace(tzinfo=None))


def test_continuity_and_organisation():
    anna = volunteer("anna", organization_id="red-cross")
    again = request("r1", previous_volunteer_ids=frozenset({"anna"}))
    assert parts(anna, again)["continuity"] == 250
    assert parts(anna, request("r1"))["continuity"] == 0
    assert parts(anna, request("r1", preferred_organization_id="red-cross"))["organisation"] == 100
    assert parts(anna, request("r1", preferred_organization_id="church"))["organisation"] == 0


def test_weights_are_configurable():
    weights = Weights(distance=100, fairness=0, continuity=0, organisation=0)
    evaluation = evaluate_pair(volunteer("anna", 2.0), request("r1"), weights=weights, now=NOW)
    assert evaluation.score == 50
    assert weights.maximum == 100
    with pytest.raises(ValueError, match="weight"):
        Weights(distance=-1)
    with pytest.raises(ValueError, match="positive"):
        Weights(distance_half_km=0)


def test_the_nearer_volunteer_wins_when_all_else_is_equal():
    result = match([volunteer("far", 3.0), volunteer("near", 1.0)], [request("r1")], now=NOW)
    assert pairs(result) == {("near", "r1")}


def test_the_volunteer_asked_least_recently_wins_a_close_call():
    busy = volunteer("busy", 0.5, last_asked_at=NOW - timedelta(days=1))
    rested = volunteer("rested", 0.8, last_asked_at=NOW - timedelta(days=40))
    assert pairs(match([busy, rested], [request("r1")], now=NOW)) == {("rested", "r1")}


def test_the_same_volunteer_as_last_time_wins_for_a_recurring_request():
    # 283 distance + 179 fairness + 250 continuity beats 373 + 250.
    known = volunteer("known", 1.0, last_asked_at=NOW - timedelta(days=20))
    new = volunteer("new", 0.2)
    again = request("r1", previous_volunteer_ids=frozenset({"known"}))
    result = match([known, new], [again], now=NOW)
    assert pairs(result) == {("known", "r1")}
    assert ("same_volunteer_as_last_time",) in result.proposals[0].reasons


def test_the_preferred_organisation_breaks_a_tie():
    a = volunteer("a", 1.0, organization_id="church")
    b = volunteer("b", 1.0, organization_id="red-cross")
    result = match([a, b], [request("r1", preferred_organization_id="red-cross")], now=NOW)
    assert pairs(result) == {("b", "r1")}


def test_now_defaults_to_the_latest_time_anyone_was_asked():
    latest = volunteer("latest", last_asked_at=NOW)
    earlier = volunteer("earlier", 0.01, last_asked_at=NOW - timedelta(days=14))
    result = match([latest, earlier], [request("r1", volunteers_needed=2)])
    by_id = {p.volunteer_id: p for p in result.proposals}
    assert by_id["earlier"].parts["fairness"] == 125
    assert by_id["latest"].parts["fairness"] == 0
