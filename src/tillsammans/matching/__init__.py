"""Matching volunteers to requests for help: plain Python, no Django.

    from tillsammans.matching import Request, Volunteer, match
    result = match(volunteers, requests, now=timezone.now())
    for proposal in result.proposals: ...

Hard constraints decide which pairs are possible: the volunteer offers the
help type, speaks the requested language, has a seen police-record extract
when the request needs one, shares a time slot with it, has places left this
week (``capacity``) and lives within their own distance limit and the
matcher's. Only possible pairs are scored (integer points, see ``Weights``):
distance, fairness (asked least recently first), continuity (the same
volunteer as last time) and the organisation the request prefers.

Objective: fill the most places (a request needing two volunteers has two
places; a volunteer fills at most ``capacity`` places, a pair at most one),
then, among the assignments that fill that many, the highest total score.
A request may be filled in part: ``MatchResult.unmatched`` says how many
places stay open. It is solved as a min-cost flow (OR-Tools) on the k best
feasible candidates per place. In ``mode="exact"`` a certificate from
linear-programming duality then shows that no assignment over *all*
feasible pairs — not only the candidates — does better; pairs that could are
added and the flow solved again until it holds (``stats.proven_optimal``,
``stats.optimal_on``). ``mode="fast"`` stops after the first solve (on a
slightly smaller candidate search). ``greedy`` is the baseline.

Explanations are codes with parameters, for the caller to translate
(``Proposal.as_dict()`` gives them JSON-ready). The runner-up of a proposal
is the nearest volunteer offering the help who is closer than the proposed
one and was not proposed for the request; if nobody is closer, the
best-scoring candidate not proposed (fast mode: always the latter).

``Proposal.reasons`` (why this volunteer):
    ("distance_km", km)                  ("never_asked",)
    ("last_asked_days_ago", days)        ("same_volunteer_as_last_time",)
    ("preferred_organisation",)          ("speaks_language", code)
    ("safeguarding_checked",)            ("available_at", (slot, ...))

``Explanation.reasons`` (what the runner-up lacked):
    ("lacks", "help_type", help_type)    ("lacks", "language", code)
    ("lacks", "safeguarding")            ("lacks", "availability")
    ("lacks", "capacity")                ("lacks", "distance", their_limit_km)
    ("excluded",)                        — in ``exclude_pairs`` (e.g. declined)
    ("needed_elsewhere", (request_id, ...))  — full with other requests
    ("lower_score", theirs, proposed)    ("farther_km", km_further_than_proposed)
    ("asked_more_recently", days)        ("not_previous_volunteer",)
    ("not_preferred_organisation",)      ("tie",)
    ("not_among_candidates",)            — fast mode or greedy only

Limits: distances are great-circle; data crossing the antimeridian is not
supported (Sweden is far from it).
"""

from .engine import (
    DEFAULT_K,
    DEFAULT_MAX_DISTANCE_KM,
    PairEvaluation,
    evaluate_pair,
    greedy,
    match,
)
from .model import (
    Explanation,
    MatchResult,
    MatchStats,
    Proposal,
    Request,
    Volunteer,
    Weights,
)

__all__ = [
    "DEFAULT_K",
    "DEFAULT_MAX_DISTANCE_KM",
    "Explanation",
    "MatchResult",
    "MatchStats",
    "PairEvaluation",
    "Proposal",
    "Request",
    "Volunteer",
    "Weights",
    "evaluate_pair",
    "greedy",
    "match",
]
