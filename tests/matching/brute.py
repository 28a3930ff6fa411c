"""Exhaustive reference for small cases: every assignment, best (places, score) wins."""

from functools import cache
from itertools import combinations

from tillsammans.matching import evaluate_pair


def brute_force(volunteers, requests, *, now, max_distance_km, exclude_pairs=frozenset()):
    """(places filled, total score) of the best assignment over all feasible pairs."""
    score = {}
    for r in requests:
        for v in volunteers:
            ev = evaluate_pair(
                v,
                r,
                now=now,
                max_distance_km=max_distance_km,
                excluded=(v.id, r.id) in exclude_pairs,
            )
            if ev.feasible:
                score[v.id, r.id] = ev.score
    ids = [v.id for v in volunteers]

    @cache
    def best(index: int, room: tuple[int, ...]) -> tuple[int, int]:
        if index == len(requests):
            return (0, 0)
        r = requests[index]
        options = [n for n, vid in enumerate(ids) if (vid, r.id) in score and room[n] > 0]
        result = (-1, -1)
        for size in range(min(r.volunteers_needed, len(options)) + 1):
            for chosen in combinations(options, size):
                left = list(room)
                for n in chosen:
                    left[n] -= 1
                places, total = best(index + 1, tuple(left))
                gain = sum(score[ids[n], r.id] for n in chosen)
                result = max(result, (places + size, total + gain))
        return result

    return best(0, tuple(v.capacity for v in volunteers))
