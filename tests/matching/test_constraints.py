"""Each hard constraint on its own: a volunteer who fails it is never proposed."""

import pytest

from tillsammans.matching import evaluate_pair, match

from .builders import NOW, pairs, request, volunteer

# (what the volunteer lacks, volunteer fields, request fields, the code reported)
CASES = [
    ("help type", {"help_types": frozenset({"walk"})}, {}, ("lacks", "help_type", "shopping")),
    ("language", {"languages": frozenset({"sv"})}, {"language": "ar"}, ("lacks", "language", "ar")),
    (
        "extract",
        {"safeguarding_checked": False},
        {"needs_safeguarding": True},
        ("lacks", "safeguarding"),
    ),
    (
        "time slot",
        {"available_slots": frozenset({(0, "am")})},
        {"slots": frozenset({(3, "pm")})},
        ("lacks", "availability"),
    ),
    ("never available", {"available_slots": frozenset()}, {}, ("lacks", "availability")),
    ("capacity", {"capacity": 0}, {}, ("lacks", "capacity")),
    ("own distance limit", {"max_distance_km": 0.5}, {}, ("lacks", "distance", 0.5)),
]


@pytest.mark.parametrize(("label", "lacking", "needs", "code"), CASES, ids=[c[0] for c in CASES])
def test_a_volunteer_failing_one_constraint_is_not_proposed(label, lacking, needs, code):
    # Anna lacks one thing and lives next door; Omar has everything, 1 km away.
    anna = volunteer(
        "anna",
        0.6,
        **{
            "safeguarding_checked": True,
            "languages": frozenset({"sv", "ar"}),
            **lacking,
        },
    )
    omar = volunteer("omar", 1.0, safeguarding_checked=True, languages=frozenset({"sv", "ar"}))
    need = request("r1", **needs)

    result = match([anna, omar], [need], now=NOW)

    assert pairs(result) == {("omar", "r1")}
    evaluation = evaluate_pair(anna, need, now=NOW)
    assert not evaluation.feasible
    assert evaluation.lacks == (code,)
    assert evaluation.score is None
    assert evaluate_pair(omar, need, now=NOW).feasible
    # Omar's runner-up is Anna: closer, but she lacks it. (Runner-ups are looked
    # for among those who offer the help at all.)
    runner = result.proposals[0].runner_up
    if code[1] == "help_type":
        assert runner is None
    else:
        assert runner.volunteer_id == "anna"
        assert runner.score is None
        assert runner.reasons == (code,)


def test_without_anyone_qualified_the_request_stays_open():
    result = match([volunteer("anna", capacity=0)], [request("r1", volunteers_needed=2)], now=NOW)
    assert result.proposals == []
    assert result.unmatched == {"r1": 2}


def test_the_matchers_distance_limit_applies_to_everyone():
    far = volunteer("anna", 8.0, max_distance_km=None)
    result = match([far], [request("r1")], now=NOW, max_distance_km=5.0)
    assert result.proposals == []
    assert evaluate_pair(far, request("r1"), max_distance_km=5.0, now=NOW).lacks == (
        ("lacks", "distance", 5.0),
    )
    assert pairs(match([far], [request("r1")], now=NOW, max_distance_km=10.0)) == {("anna", "r1")}


@pytest.mark.parametrize(
    ("volunteer_slots", "request_slots", "feasible"),
    [
        (None, None, True),
        (None, frozenset({(1, "am")}), True),
        (frozenset({(1, "am")}), None, True),
        (frozenset({(1, "am"), (2, "pm")}), frozenset({(2, "pm")}), True),
        (frozenset({(1, "am")}), frozenset({(2, "pm")}), False),
        (frozenset(), None, False),
        (None, frozenset(), False),
    ],
)
def test_availability(volunteer_slots, request_slots, feasible):
    v = volunteer("anna", available_slots=volunteer_slots)
    r = request("r1", slots=request_slots)
    assert evaluate_pair(v, r, now=NOW).feasible is feasible
    assert bool(match([v], [r], now=NOW).proposals) is feasible


def test_a_language_is_only_required_when_the_request_names_one():
    mute = volunteer("anna", languages=frozenset())
    assert evaluate_pair(mute, request("r1"), now=NOW).feasible
    assert not evaluate_pair(mute, request("r1", language="sv"), now=NOW).feasible


def test_rare_languages_and_extracts_are_found_among_many_others():
    # 200 Swedish speakers near the request, one Tigrinya speaker with an extract
    # further away: the indexed search for rare languages must still find her.
    crowd = [volunteer(f"v{n}", 0.05 * (n % 20), 0.05 * (n // 20)) for n in range(200)]
    selam = volunteer(
        "selam", 4.0, languages=frozenset({"ti"}), safeguarding_checked=True, max_distance_km=10
    )
    needs = [request(f"r{n}", 0.1 * n, language="ti", needs_safeguarding=True) for n in range(70)]
    result = match([*crowd, selam], needs, now=NOW)
    assert len(result.proposals) == 1
    assert result.proposals[0].volunteer_id == "selam"
    assert result.stats.proven_optimal
