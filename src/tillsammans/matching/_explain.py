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

    def __init__(
        self, search: Search, arc_r, arc_v, arc_q, used, load, explain: bool, nearest: bool
    ) -> None:
        self.search = search
        self.nearest = nearest
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
        n = len(self.pr)
        runners = self._runners() if self.explain and n else [None] * n
        why = self._why() if self.explain else [()] * n
        rows = zip(
            self.pr.tolist(),
            self.pv.tolist(),
            np.round(self.dist, 3).tolist(),
            self.d_pts.tolist(),
            self.f_pts.tolist(),
            self.c_pts.tolist(),
            self.o_pts.tolist(),
            why,
            runners,
            strict=True,
        )
        requests, volunteers = p.requests, p.volunteers
        return [
            Proposal(
                request_id=requests[ri].id,
                volunteer_id=volunteers[vi].id,
                score=d + f + c + o,
                distance_km=dist,
                parts={"distance": d, "fairness": f, "continuity": c, "organisation": o},
                reasons=reasons,
                runner_up=runner,
            )
            for ri, vi, dist, d, f, c, o, reasons, runner in rows
        ]

    def _why(self) -> list[tuple[Reason, ...]]:
        p = self.p
        age = p.v_age_days[self.pv]
        never = np.isinf(age)
        same = p._member(self.pr * p.nv + self.pv, p.prev_keys)
        org = p.r_org[self.pr]
        prefer = (org >= 0) & (org == p.v_org[self.pv])
        columns = zip(
            self.pr.tolist(),
            self.pv.tolist(),
            np.round(self.dist, 2).tolist(),
            never.tolist(),
            np.round(np.where(never, 0.0, age), 1).tolist(),
            same.tolist(),
            prefer.tolist(),
            strict=True,
        )
        requests, volunteers = p.requests, p.volunteers
        result = []
        for ri, vi, dist, is_new, days, is_same, is_preferred in columns:
            r = requests[ri]
            reasons: list[Reason] = [
                ("distance_km", dist),
                ("never_asked",) if is_new else ("last_asked_days_ago", days),
            ]
            if is_same:
                reasons.append(("same_volunteer_as_last_time",))
            if is_preferred:
                reasons.append(("preferred_organisation",))
            if r.language is not None:
                reasons.append(("speaks_language", r.language))
            if r.needs_safeguarding:
                reasons.append(("safeguarding_checked",))
            if r.slots is not None:
                free = volunteers[vi].available_slots
                common = r.slots if free is None else r.slots & free
                reasons.append(("available_at", tuple(sorted(common, key=repr))))
            result.append(tuple(reasons))
        return result

    def _runners(self) -> list[Explanation | None]:
        p = self.p
        rows, inverse = np.unique(self.pr, return_inverse=True)
        radius = np.zeros(len(rows))
        np.maximum.at(radius, inverse, self.c2)
        taken = np.unique(self.pr * p.nv + self.pv)
        if self.nearest:
            near, near_c2 = self.search.nearest(rows, radius, taken)
        else:
            near, near_c2 = np.full(len(rows), -1), np.full(len(rows), np.inf)
        # Otherwise the best-scoring candidate not proposed for the request.
        best_free = np.full(p.nr, -1, dtype=np.int64)
        if len(self.free_r):
            order = np.lexsort((self.free_v, -self.free_q, self.free_r))
            r, v = self.free_r[order], self.free_v[order]
            first = np.r_[True, r[1:] != r[:-1]]
            best_free[r[first]] = v[first]
        closer = (near[inverse] >= 0) & (near_c2[inverse] < self.c2)
        runner = np.where(closer, near[inverse], best_free[self.pr])
        has = np.flatnonzero(runner >= 0)
        ri, ui = self.pr[has], runner[has]
        checks = p.checks(ri, ui)
        failed = np.zeros(len(ri), dtype=np.int64)
        for bit, name in enumerate(CONSTRAINTS):
            failed |= (~checks[name]).astype(np.int64) << bit
        dist, d_pts, f_pts, c_pts, o_pts = p.pair_parts(ri, ui, p.chord2(ri, ui))
        score = d_pts + f_pts + c_pts + o_pts
        chosen = self.score[has]
        full = self.load[ui] >= p.v_cap[ui]
        age = np.round(np.where(np.isinf(p.v_age_days[ui]), 0.0, p.v_age_days[ui]), 1)
        assigned: dict[int, list[int]] = defaultdict(list)
        for r, v in zip(self.pr.tolist(), self.pv.tolist(), strict=True):
            assigned[v].append(r)
        names = {}
        result: list[Explanation | None] = [None] * len(self.pr)
        columns = zip(
            has.tolist(),
            ri.tolist(),
            ui.tolist(),
            failed.tolist(),
            np.round(dist, 3).tolist(),
            np.round(np.maximum(dist - self.dist[has], 0.0), 2).tolist(),
            score.tolist(),
            chosen.tolist(),
            (d_pts < self.d_pts[has]).tolist(),
            (f_pts < self.f_pts[has]).tolist(),
            (c_pts < self.c_pts[has]).tolist(),
            (o_pts < self.o_pts[has]).tolist(),
            full.tolist(),
            age.tolist(),
            strict=True,
        )
        volunteers, requests, limits = p.volunteers, p.requests, p.v_limit_km
        for n, r, u, bits, d3, extra, mine, theirs, far, recent, cont, org, busy, days in columns:
            if bits:
                failed_names = names.get(bits)
                if failed_names is None:
                    failed_names = names[bits] = [
                        c for i, c in enumerate(CONSTRAINTS) if bits >> i & 1
                    ]
                reasons = lacks(p, r, failed_names, float(limits[u]))
                result[n] = Explanation(volunteers[u].id, None, d3, reasons)
                continue
            out: list[Reason] = []
            if busy:
                elsewhere = [x for x in assigned.get(u, ()) if x != r]
                if elsewhere:
                    out.append(("needed_elsewhere", tuple(requests[x].id for x in elsewhere)))
            if mine < theirs:
                out.append(("lower_score", mine, theirs))
                if far:
                    out.append(("farther_km", extra))
                if recent:
                    out.append(("asked_more_recently", days))
                if cont:
                    out.append(("not_previous_volunteer",))
                if org:
                    out.append(("not_preferred_organisation",))
            elif not out:
                out.append(("tie",) if mine == theirs else ("not_among_candidates",))
            result[n] = Explanation(volunteers[u].id, mine, d3, tuple(out))
        return result
