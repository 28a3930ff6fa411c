"""The assignment as a min-cost flow, and a certificate that it is optimal.

Graph: source -> volunteer (capacity: places left this week, cost 0) ->
request (capacity 1, cost ``top - score``) -> sink (capacity: volunteers
needed, cost 0). OR-Tools' ``solve_max_flow_with_min_cost`` finds the largest
flow and, among those, the cheapest: the most places filled, then the highest
total score. That order is the objective: it equals maximising
``big * places + score`` with ``big`` larger than any total score. Two
reductions keep the solver fast: independent parts of the graph are solved
apart (in batches), and a volunteer with at least as many places as candidate
requests gets no node (its arcs leave the source directly).

Certificate. The flow problem is the linear programme

    max  sum w[v,r] x[v,r]      w = big + score
    s.t. sum_r x[v,r] <= cap[v]       (dual alpha[v] >= 0)
         sum_v x[v,r] <= need[r]      (dual beta[r] >= 0)
         0 <= x[v,r] <= 1

and x is optimal over *all* feasible pairs iff there are duals with
alpha[v] + beta[r] >= w[v,r] for every feasible pair x leaves at 0 (in the
graph or not), alpha[v] + beta[r] <= w[v,r] for pairs at 1, alpha[v] = 0 for a
volunteer with places left and beta[r] = 0 for a request with places open.
Those are difference constraints; their pointwise least alpha and greatest
beta come from label correcting (Bellman-Ford) over the solved graph. A pair
left out of the graph is then covered when beta[r] >= big + tau[r] (tau
bounds every left-out score of r and alpha >= 0); for the other requests the
pairs that could break the condition are searched and checked one by one,
and any that does is added to the graph and the flow solved again — first
only around those requests (``solve_around``), and in full if the labels
then show the flow is not optimal on its graph.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise

import numpy as np
from ortools.graph.python import min_cost_flow

_NEG = -(1 << 62)
# Pair arcs per solver call when independent parts are batched.
BATCH_ARCS = 5000


class SolverFailed(RuntimeError):
    """OR-Tools did not report an optimal flow, or the duals contradict it."""


@dataclass
class Flow:
    used: np.ndarray  # bool per arc
    load: np.ndarray  # places used per volunteer (all volunteers)
    fill: np.ndarray  # places filled per request (all requests)


def components(arc_r: np.ndarray, arc_v: np.ndarray, nr: int, nv: int) -> np.ndarray:
    """Connected component of each request (smallest request index in it)."""
    label = np.arange(nr)
    while True:
        low = np.full(nv, nr)
        np.minimum.at(low, arc_v, label[arc_r])
        new = label.copy()
        np.minimum.at(new, arc_r, low[arc_v])
        new = new[new]  # pointer jumping: halves the rounds on long chains
        if np.array_equal(new, label):
            return label
        label = new


def _solve_one(arc_r, arc_v, arc_q, capacity, need, top) -> np.ndarray:
    """Used arcs of one min-cost max-flow over the given arcs."""
    # A volunteer with at least as many places as candidate requests never
    # limits the flow: its pair arcs leave the source directly.
    degree = np.bincount(arc_v, minlength=len(capacity))
    bound = (capacity < degree)[arc_v]
    vols, v_node = np.unique(arc_v[bound], return_inverse=True)
    reqs, r_node = np.unique(arc_r, return_inverse=True)
    n_vol, n_req = len(vols), len(reqs)
    sink = 1 + n_vol + n_req
    tails = np.zeros(len(arc_r), dtype=np.int64)
    tails[bound] = v_node + 1
    tails = np.concatenate([np.zeros(n_vol, dtype=np.int64), tails, np.arange(n_req) + 1 + n_vol])
    heads = np.concatenate(
        [np.arange(n_vol) + 1, r_node + 1 + n_vol, np.full(n_req, sink, dtype=np.int64)]
    )
    caps = np.concatenate([capacity[vols], np.ones(len(arc_r), dtype=np.int64), need[reqs]])
    costs = np.concatenate(
        [np.zeros(n_vol, dtype=np.int64), top - arc_q, np.zeros(n_req, dtype=np.int64)]
    )
    mcf = min_cost_flow.SimpleMinCostFlow()
    mcf.add_arcs_with_capacity_and_unit_cost(
        tails.astype(np.int32), heads.astype(np.int32), caps, costs
    )
    supply = int(need[reqs].sum())
    mcf.set_node_supply(0, supply)
    mcf.set_node_supply(sink, -supply)
    status = mcf.solve_max_flow_with_min_cost()
    if status != mcf.OPTIMAL:
        raise SolverFailed(f"min-cost flow ended with status {status}")
    return mcf.flows(np.arange(n_vol, n_vol + len(arc_r), dtype=np.int32)) > 0


def solve(
    arc_r: np.ndarray,
    arc_v: np.ndarray,
    arc_q: np.ndarray,
    *,
    capacity: np.ndarray,
    need: np.ndarray,
    top: int,
) -> Flow:
    nv, nr = len(capacity), len(need)
    used = np.zeros(len(arc_r), dtype=bool)
    if len(arc_r):
        # Independent parts solve faster apart (the solver's time grows faster
        # than the graph); small parts are batched to save calls.
        label = components(arc_r, arc_v, nr, nv)[arc_r]
        order = np.argsort(label, kind="stable")
        label = label[order]
        starts = np.flatnonzero(np.r_[True, label[1:] != label[:-1]])
        cuts = [0]
        for start in starts[1:].tolist():
            if start - cuts[-1] >= BATCH_ARCS:
                cuts.append(start)
        cuts.append(len(order))
        for a, b in pairwise(cuts):
            part = order[a:b]
            used[part] = _solve_one(arc_r[part], arc_v[part], arc_q[part], capacity, need, top)
    load = np.bincount(arc_v[used], minlength=nv).astype(np.int64)
    fill = np.bincount(arc_r[used], minlength=nr).astype(np.int64)
    return Flow(used=used, load=load, fill=fill)


def duals(
    arc_r: np.ndarray,
    arc_v: np.ndarray,
    weight: np.ndarray,
    flow: Flow,
    *,
    capacity: np.ndarray,
    need: np.ndarray,
    max_sweeps: int | None = None,
) -> tuple[np.ndarray, np.ndarray] | None:
    """Least alpha and greatest beta that certify ``flow`` on its own graph, or None
    when there are none (the flow is not optimal on it) or they did not settle
    within ``max_sweeps``."""
    nv, nr = len(capacity), len(need)
    used = flow.used
    full = flow.fill >= need
    saturated = flow.load >= capacity
    alpha = np.zeros(nv, dtype=np.int64)
    # Work with beta' = -beta so that both labels only ever rise.
    beta_neg = np.where(full, _NEG, 0).astype(np.int64)
    ur, uv, uw = arc_r[~used], arc_v[~used], weight[~used]
    sr, sv, sw = arc_r[used], arc_v[used], weight[used]
    # Without a positive cycle, labels settle within one sweep per node.
    limit = nv + nr + 2 if max_sweeps is None else max_sweeps
    for _ in range(limit):
        before_a, before_b = alpha.copy(), beta_neg.copy()
        np.maximum.at(alpha, uv, beta_neg[ur] + uw)
        np.maximum.at(beta_neg, sr, alpha[sv] - sw)
        if np.array_equal(alpha, before_a) and np.array_equal(beta_neg, before_b):
            break
    else:
        return None
    if (alpha[~saturated] > 0).any() or (beta_neg > 0).any():
        return None
    return alpha, -beta_neg


def solve_around(
    arc_r: np.ndarray,
    arc_v: np.ndarray,
    arc_q: np.ndarray,
    flow: Flow,
    rows: np.ndarray,
    *,
    capacity: np.ndarray,
    need: np.ndarray,
    top: int,
    hops: int = 3,
) -> Flow:
    """Re-solve only the requests within ``hops`` of ``rows`` in the candidate graph
    (request - volunteer - request ...), keeping every other assignment. The result
    is feasible; whether it is optimal is for the certificate to say."""
    nv, nr = len(capacity), len(need)
    region = np.zeros(nr, dtype=bool)
    region[rows] = True
    for _ in range(hops):
        touched = np.zeros(nv, dtype=bool)
        touched[arc_v[region[arc_r]]] = True
        region[arc_r[touched[arc_v]]] = True
    inside = region[arc_r]
    kept = flow.used & ~inside
    room = capacity - np.bincount(arc_v[kept], minlength=nv)
    sub = solve(arc_r[inside], arc_v[inside], arc_q[inside], capacity=room, need=need, top=top)
    used = kept.copy()
    used[np.flatnonzero(inside)[sub.used]] = True
    load = np.bincount(arc_v[used], minlength=nv).astype(np.int64)
    fill = np.bincount(arc_r[used], minlength=nr).astype(np.int64)
    return Flow(used=used, load=load, fill=fill)
