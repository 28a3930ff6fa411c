"""Explanations are codes with parameters, for the caller to translate."""

import json
import uuid
from datetime import timedelta

from tillsammans.matching import match

from .builders import NOW, request, volunteer


def only(result):
    assert len(result.proposals) == 1
    return result.proposals[0]


def test_why_this_volunteer():
    omar = volunteer(
        "omar",
        1.0,
        languages=frozenset({"sv", "ar"}),
        safeguarding_checked=True,
        available_slots=frozenset({(2, "am"), (4, "pm")}),
        organization_id="red-cross",
        last_asked_at=NOW - timedelta(days=12),
    )
    need = request(
        "r1",
        language="ar",
        needs_safeguarding=True,
        slots=frozenset({(4, "pm"), (5, "am")}),
        previous_volunteer_ids=frozenset({"omar"}),
        preferred_organization_id="red-cross",
    )
    proposal = only(match([omar], [need], now=NOW))
    assert proposal.reasons == (
        ("distance_km", 1.0),
        ("last_asked_days_ago", 12.0),
        ("same_volunteer_as_last_time",),
        ("preferred_organisation",),
        ("speaks_language", "ar"),
        ("safeguarding_checked",),
        ("available_at", ((4, "pm"),)),
    )
    assert proposal.distance_km == 1.0
    assert proposal.parts == {
        "distance": 283,
        "fairness": 107,
        "continuity": 250,
        "organisation": 100,
    }
    assert proposal.score == 740
    assert proposal.runner_up is None


def test_a_volunteer_never_asked_says_so():
    assert ("never_asked",) in only(match([volunteer("anna")], [request("r1")], now=NOW)).reasons


def test_the_runner_up_was_needed_elsewhere():
    # Anna is the best for both requests but has one place; Omar takes r2.
    anna = volunteer("anna", 0.0)
    omar = volunteer("omar", 2.0, max_distance_km=3)
    r1 = request("r1", -0.5)  # only Anna reaches r1
    r2 = request("r2", 0.3)
    result = match([anna, omar], [r1, r2], now=NOW)
    proposal = next(p for p in result.proposals if p.request_id == "r2")
    assert proposal.volunteer_id == "omar"
    assert proposal.runner_up.volunteer_id == "anna"
    assert proposal.runner_up.reasons[0] == ("needed_elsewhere", ("r1",))


def test_the_runner_up_scored_lower_and_why():
    closer = volunteer("closer", 0.3, last_asked_at=NOW - timedelta(days=1))
    chosen = volunteer("chosen", 0.6)
    proposal = only(match([closer, chosen], [request("r1")], now=NOW))
    assert proposal.volunteer_id == "chosen"
    runner = proposal.runner_up
    assert runner.volunteer_id == "closer"
    assert runner.reasons[0][0] == "lower_score"
    assert runner.reasons[0][1] < runner.reasons[0][2] == proposal.score
    assert ("asked_more_recently", 1.0) in runner.reasons
    assert runner.distance_km < proposal.distance_km


def test_the_runner_up_is_the_best_other_candidate_when_nobody_is_closer():
    proposal = only(
        match([volunteer("near", 0.2), volunteer("far", 1.5)], [request("r1")], now=NOW)
    )
    runner = proposal.runner_up
    assert runner.volunteer_id == "far"
    assert runner.reasons[0] == ("lower_score", runner.score, proposal.score)
    assert ("farther_km", 1.3) in runner.reasons  # 1.5 km against 0.2 km


def test_the_runner_up_was_excluded():
    result = match(
        [volunteer("declined", 0.1), volunteer("next", 0.9)],
        [request("r1")],
        now=NOW,
        exclude_pairs={("declined", "r1")},
    )
    runner = only(result).runner_up
    assert runner.volunteer_id == "declined"
    assert runner.reasons == (("excluded",),)


def test_the_runner_up_lacked_several_things():
    proposal = only(
        match(
            [volunteer("tired", 0.1, capacity=0, languages=frozenset()), volunteer("omar", 0.9)],
            [request("r1", language="sv")],
            now=NOW,
        )
    )
    assert proposal.runner_up.reasons == (("lacks", "language", "sv"), ("lacks", "capacity"))


def test_a_tie_is_named():
    proposal = only(match([volunteer("a", 0.5), volunteer("b", 0.5)], [request("r1")], now=NOW))
    assert proposal.runner_up.reasons == (("tie",),)


def test_fast_mode_takes_runner_ups_from_its_candidates():
    crowd = [
        volunteer("speaks_no_arabic", 0.1),
        volunteer("omar", 0.9, languages=frozenset({"ar"})),
    ]
    crowd.append(volunteer("sara", 1.5, languages=frozenset({"ar"})))
    need = [request("r1", language="ar")]
    exact = only(match(crowd, need, now=NOW))
    fast = only(match(crowd, need, now=NOW, mode="fast"))
    assert exact.volunteer_id == fast.volunteer_id == "omar"
    assert exact.runner_up.volunteer_id == "speaks_no_arabic"
    assert fast.runner_up.volunteer_id == "sara"
    assert fast.runner_up.reasons[0][0] == "lower_score"


def test_as_dict_is_ready_for_a_json_field():
    helper, other = uuid.uuid4(), uuid.uuid4()
    result = match(
        [
            volunteer(helper, 0.9, available_slots=frozenset({(1, "am")})),
            volunteer(other, 0.1, capacity=0),
        ],
        [request("r1", slots=frozenset({(1, "am")}))],
        now=NOW,
    )
    data = only(result).as_dict()
    assert json.loads(json.dumps(data)) == data
    assert data["volunteer_id"] == str(helper)
    assert data["reasons"][-1] == ["available_at", [[1, "am"]]]
    assert data["runner_up"] == {
        "volunteer_id": str(other),
        "score": None,
        "distance_km": 0.1,
        "reasons": [["lacks", "capacity"]],
    }
