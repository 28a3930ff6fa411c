"""Why each proposed volunteer, and what the runner-up lacked.

The runner-up of a proposal is the nearest volunteer offering the help type
who is closer to the request than the proposed one and was not proposed for
it; when nobody is closer, it is the best-scoring feasible candidate who was
not proposed. Its reasons say which hard constraint it failed, or, when it
could have helped, where it lost: needed for other requests, or scored lower
(and on what).
"""

from __future__ import annotations

from collections import defaultdict

import numpy as np

from ._candidates import Search
from ._problem import CONSTRAINTS, Problem
from .model import Explanation, Proposal, Reason


def lacks(p: Problem, ri: int, failed: list[str], limit_km: float) -> tuple[Reason, ...]:
    """Codes for the hard constraints a volunteer failed for request ri."""
    r = p.requests[ri]
    reasons: list[Reason] = []
    for name in failed:
        if name == "language":
            reasons.append(("lacks", "language", r.language))
        elif name == "distance":
            reasons.append(("lacks", "distance", round(limit_km, 1)))
        elif name == "help_type":
            reasons.append(("lacks", "help_type", r.help_type))
        elif name == "excluded":
            reasons.append(("excluded",))
        else:
            reasons.append(("lacks", name))
    return tuple(reasons)


class Explainer:
    """Builds the proposals of a solved (or greedy) assignment."""

    def __init__(self, search: Search, arc_r, arc_v, arc_q, used, load, explain: bool) -> None:
        self.search = search
        self.p = p = search.p
        self.explain = explain
        self.load = load
        pr, pv = arc_r[used], arc_v[used]
        c2 = p.chord2(pr, pv)
        dist, d_pts, f_pts, c_pts, o_pts = p.pair_parts(pr, pv, c2)
        score = d_pts + f_pts + c_pts + o_pts
        order = np.lexsort((pv, -score, pr))
        self.pr, self.pv, self.c2 = pr[order], pv[order], c2[order]
        self.dist, self.score = dist[order], score[order]
        self.d_pts, self.f_pts = d_pts[order], f_pts[order]
        self.c_pts, self.o_pts = c_pts[order], o_pts[order]
        free = ~used
        self.free_r, self.free_v, self.free_q = arc_r[free], arc_v[free], arc_q[free]

    def proposals(self) -> list[Proposal]:
        p = self.p
        runners = self._runners() if self.explain and len(self.pr) else [None] * len(self.pr)
        continuity = p._member(self.pr * p.nv + self.pv, p.prev_keys)
        rows = zip(
            self.pr.tolist(),
            self.pv.tolist(),
            self.dist.tolist(),
            self.d_pts.tolist(),
            self.f_pts.tolist(),
            self.c_pts.tolist(),
            self.o_pts.tolist(),
            continuity.tolist(),
            runners,
            strict=True,
        )
        result = []
        for ri, vi, dist, d, f, c, o, same, runner in rows:
            result.append(
                Proposal(
                    request_id=p.requests[ri].id,
                    volunteer_id=p.volunteers[vi].id,
                    score=d + f + c + o,
                    distance_km=round(dist, 3),
                    parts={"distance": d, "fairness": f, "continuity": c, "organisation": o},
                    reasons=self._why(ri, vi, dist, same, o > 0) if self.explain else (),
                    runner_up=runner,
                )
            )
        return result

    def _why(self, ri: int, vi: int, dist: float, same: bool, org: bool) -> tuple[Reason, ...]:
        p = self.p
        r, v = p.requests[ri], p.volunteers[vi]
        age = float(p.v_age_days[vi])
        reasons: list[Reason] = [
            ("distance_km", round(dist, 2)),
            ("never_asked",) if age == float("inf") else ("last_asked_days_ago", round(age, 1)),
        ]
        if same:
            reasons.append(("same_volunteer_as_last_time",))
        if org or (
            r.preferred_organization_id is not None
            and r.preferred_organization_id == v.organization_id
        ):
            reasons.append(("preferred_organisation",))
        if r.language is not None:
            reasons.append(("speaks_language", r.language))
        if r.needs_safeguarding:
            reasons.append(("safeguarding_checked",))
        if r.slots is not None:
            common = r.slots if v.available_slots is None else r.slots & v.available_slots
            reasons.append(("available_at", tuple(sorted(common, key=repr))))
        return tuple(reasons)

    def _runners(self) -> list[Explanation | None]:
        p = self.p
        rows, inverse = np.unique(self.pr, return_inverse=True)
        radius = np.zeros(len(rows))
        np.maximum.at(radius, inverse, self.c2)
        taken = np.unique(self.pr * p.nv + self.pv)
        near, near_c2 = self.search.nearest(rows, radius, taken)
        # Otherwise the best-scoring candidate not proposed for the request.
        best_free = np.full(p.nr, -1, dtype=np.int64)
        if len(self.free_r):
            order = np.lexsort((self.free_v, -self.free_q, self.free_r))
            r, v = self.free_r[order], self.free_v[order]
            first = np.r_[True, r[1:] != r[:-1]]
            best_free[r[first]] = v[first]
        closer = (near[inverse] >= 0) & (near_c2[inverse] < self.c2)
        runner = np.where(closer, near[inverse], best_free[self.pr])
        has = runner >= 0
        ri, ui = self.pr[has], runner[has]
        checks = p.checks(ri, ui)
        failed = np.stack([~checks[name] for name in CONSTRAINTS], axis=1)
        dist, d_pts, f_pts, c_pts, o_pts = p.pair_parts(ri, ui, p.chord2(ri, ui))
        assigned: dict[int, list[int]] = defaultdict(list)
        for r, v in zip(self.pr.tolist(), self.pv.tolist(), strict=True):
            assigned[v].append(r)
        result: list[Explanation | None] = [None] * len(self.pr)
        columns = zip(
            np.flatnonzero(has).tolist(),
            ri.tolist(),
            ui.tolist(),
            failed.tolist(),
            dist.tolist(),
            d_pts.tolist(),
            f_pts.tolist(),
            c_pts.tolist(),
            o_pts.tolist(),
            strict=True,
        )
        for n, r, u, fails, du, d, f, c, o in columns:
            result[n] = self._runner(n, r, u, fails, du, (d, f, c, o), assigned)
        return result

    def _runner(self, n, ri, ui, fails, dist, parts, assigned) -> Explanation:
        p = self.p
        volunteer_id = p.volunteers[ui].id
        failed = [name for name, bad in zip(CONSTRAINTS, fails, strict=True) if bad]
        if failed:
            reasons = lacks(p, ri, failed, float(p.v_limit_km[ui]))
            return Explanation(volunteer_id, None, round(dist, 3), reasons)
        d, f, c, o = parts
        score = d + f + c + o
        chosen = int(self.score[n])
        out: list[Reason] = []
        elsewhere = [r for r in assigned.get(ui, ()) if r != ri]
        if elsewhere and self.load[ui] >= p.v_cap[ui]:
            out.append(("needed_elsewhere", tuple(p.requests[r].id for r in elsewhere)))
        if score < chosen:
            out.append(("lower_score", score, chosen))
            if d < self.d_pts[n]:
                out.append(("farther_km", round(dist, 2)))
            if f < self.f_pts[n]:
                out.append(("asked_more_recently", round(float(p.v_age_days[ui]), 1)))
            if c < self.c_pts[n]:
                out.append(("not_previous_volunteer",))
            if o < self.o_pts[n]:
                out.append(("not_preferred_organisation",))
        elif not out:
            out.append(("tie",) if score == chosen else ("not_among_candidates",))
        return Explanation(volunteer_id, score, round(dist, 3), tuple(out))
