"""Time, memory and quality of the matching engine on synthetic places.

    .venv/bin/python bench/matching.py [--sizes small,medium,large] [--seed 1]

small   a municipality: 1,000 volunteers x 300 requests (a town and villages)
medium  a city municipality: 10,000 x 2,000
large   a region in crisis: 100,000 x 20,000 (a city, towns, 40 villages)

People are spread around localities (normal around the centre, wider for a
city), with realistic shares of help types, languages, police-record
extracts, time slots, places left this week, distance limits, organisations
and recurring requests. Everything is seeded, so runs are comparable.

For each size the data is built once; each mode (exact, fast, greedy) then
runs in its own forked child, which first warms up on a different tiny town
(as a worker that has matched before), then times ``--repeats`` runs.
Printed per mode: the median wall time and CPU time of a run; the child's
peak resident memory over the timed runs ("peak MB": VmHWM from /proc, reset
through /proc/self/clear_refs just before; it includes what was resident
before the runs, "base MB" — Python, the libraries and the input objects —
and OR-Tools' and numpy's native allocations); the total score and its
share of the exact optimum; places filled, places and requests left open;
whether the optimum is proven. The load average is printed too: on a shared
machine, wall time beyond CPU time is waiting for a core.
"""

from __future__ import annotations

import argparse
import json
import math
import multiprocessing as mp
import os
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from tillsammans.matching import Request, Volunteer, greedy, match  # noqa: E402

NOW = datetime(2025, 3, 10, 12, 0, tzinfo=UTC)

HELP = {  # help type: (share of volunteers offering it, share of requests, needs extract)
    "shopping": (0.55, 0.34, False),
    "pharmacy": (0.45, 0.16, False),
    "walk": (0.30, 0.10, False),
    "phone_company": (0.30, 0.10, False),
    "transport": (0.12, 0.08, False),
    "digital_help": (0.20, 0.08, False),
    "home_visit": (0.15, 0.08, True),
    "homework": (0.12, 0.06, True),
}
# language: (share of volunteers speaking it, share of requests requiring it)
LANGUAGES = {
    "sv": (0.97, 0.12),
    "en": (0.70, 0.02),
    "ar": (0.06, 0.05),
    "fa": (0.03, 0.02),
    "so": (0.02, 0.02),
    "ti": (0.01, 0.01),
    "pl": (0.02, 0.01),
    "fi": (0.03, 0.015),
    "bs": (0.02, 0.005),
}
SLOTS = [(day, part) for day in range(7) for part in ("morning", "afternoon", "evening")]

SIZES = {
    # name: volunteers, requests, centre, box (km), city share, towns, villages
    "small": (1_000, 300, (57.72, 12.94), 40, 0.55, 1, 10),
    "medium": (10_000, 2_000, (59.86, 17.64), 60, 0.70, 3, 15),
    "large": (100_000, 20_000, (58.00, 12.60), 160, 0.35, 5, 40),
}


def _localities(rng, centre, box_km, city_share, towns, villages):
    """(lat, lon, share, spread_km) of each locality."""
    lat0, lon0 = centre
    km_lat = 1 / 111.2
    km_lon = 1 / (111.2 * math.cos(math.radians(lat0)))
    places = [(lat0, lon0, city_share, 4.5 if box_km > 50 else 2.5)]
    rest = 1 - city_share
    weights = np.concatenate([np.full(towns, 6.0), 1.0 / np.arange(1, villages + 1) ** 0.6])
    weights = weights / weights.sum() * rest
    for n in range(towns + villages):
        dy, dx = rng.uniform(-box_km / 2, box_km / 2, size=2)
        spread = 1.8 if n < towns else 0.7
        places.append((lat0 + dy * km_lat, lon0 + dx * km_lon, float(weights[n]), spread))
    return places


def _positions(rng, places, count):
    shares = np.array([p[2] for p in places])
    which = rng.choice(len(places), size=count, p=shares / shares.sum())
    lat = np.array([places[w][0] for w in which])
    lon = np.array([places[w][1] for w in which])
    spread = np.array([places[w][3] for w in which])
    lat = lat + rng.normal(0, 1, count) * spread / 111.2
    lon = lon + rng.normal(0, 1, count) * spread / (111.2 * np.cos(np.radians(lat)))
    return lat, lon


def generate(size: str, seed: int = 1) -> tuple[list[Volunteer], list[Request]]:
    n_vol, n_req, centre, box_km, city, towns, villages = SIZES[size]
    rng = np.random.default_rng(seed)
    places = _localities(rng, centre, box_km, city, towns, villages)
    help_names = list(HELP)
    offer_share = np.array([HELP[h][0] for h in help_names])
    lang_names = list(LANGUAGES)
    orgs = [f"org-{n}" for n in range(max(3, n_vol // 2000))]

    lat, lon = _positions(rng, places, n_vol)
    offers = rng.random((n_vol, len(help_names))) < offer_share
    offers[~offers.any(axis=1), 0] = True
    speaks = rng.random((n_vol, len(lang_names))) < np.array([LANGUAGES[x][0] for x in lang_names])
    checked = rng.random(n_vol) < 0.35
    any_time = rng.random(n_vol) < 0.35
    capacity = rng.choice([0, 1, 2, 3], size=n_vol, p=[0.10, 0.45, 0.30, 0.15])
    limit = rng.choice([None, 2, 5, 10, 20], size=n_vol, p=[0.05, 0.25, 0.35, 0.25, 0.10])
    in_org = rng.random(n_vol) < 0.30
    org_of = rng.integers(0, len(orgs), n_vol)
    asked = rng.random(n_vol) < 0.60
    asked_days = rng.uniform(0, 60, n_vol)
    volunteers = []
    for i in range(n_vol):
        slots = None
        if not any_time[i]:
            picks = rng.choice(len(SLOTS), size=int(rng.integers(3, 13)), replace=False)
            slots = frozenset(SLOTS[s] for s in picks)
        volunteers.append(
            Volunteer(
                id=i,
                lat=float(lat[i]),
                lon=float(lon[i]),
                help_types=frozenset(h for h, on in zip(help_names, offers[i], strict=True) if on),
                languages=frozenset(x for x, on in zip(lang_names, speaks[i], strict=True) if on),
                safeguarding_checked=bool(checked[i]),
                available_slots=slots,
                capacity=int(capacity[i]),
                max_distance_km=None if limit[i] is None else float(limit[i]),
                organization_id=orgs[org_of[i]] if in_org[i] else None,
                last_asked_at=NOW - timedelta(days=float(asked_days[i])) if asked[i] else None,
            )
        )

    by_help = {h: np.flatnonzero(offers[:, n]) for n, h in enumerate(help_names)}
    r_lat, r_lon = _positions(rng, places, n_req)
    demand = np.array([HELP[h][1] for h in help_names])
    kinds = rng.choice(len(help_names), size=n_req, p=demand / demand.sum())
    lang_share = np.array([LANGUAGES[x][1] for x in lang_names])
    lang_pick = rng.choice(
        len(lang_names) + 1, size=n_req, p=np.append(lang_share, 1 - lang_share.sum())
    )
    timed = rng.random(n_req) < 0.45
    need = rng.choice([1, 2, 3], size=n_req, p=[0.85, 0.12, 0.03])
    recurring = rng.random(n_req) < 0.20
    prefers = rng.random(n_req) < 0.15
    requests = []
    for j in range(n_req):
        help_type = help_names[kinds[j]]
        previous: frozenset = frozenset()
        if recurring[j]:
            pool = by_help[help_type]
            sample = pool[rng.integers(0, len(pool), 64)]
            d2 = (lat[sample] - r_lat[j]) ** 2 + (lon[sample] - r_lon[j]) ** 2 * 0.28
            previous = frozenset([int(sample[np.argmin(d2)])])
        slots = None
        if timed[j]:
            picks = rng.choice(len(SLOTS), size=int(rng.integers(1, 5)), replace=False)
            slots = frozenset(SLOTS[s] for s in picks)
        requests.append(
            Request(
                id=f"r{j}",
                lat=float(r_lat[j]),
                lon=float(r_lon[j]),
                help_type=help_type,
                language=lang_names[lang_pick[j]] if lang_pick[j] < len(lang_names) else None,
                needs_safeguarding=HELP[help_type][2] or bool(rng.random() < 0.05),
                slots=slots,
                volunteers_needed=int(need[j]),
                previous_volunteer_ids=previous,
                preferred_organization_id=orgs[int(rng.integers(0, len(orgs)))]
                if prefers[j]
                else None,
            )
        )
    return volunteers, requests


def _memory_mb(field: str) -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _solve(mode: str, volunteers, requests):
    if mode == "greedy":
        return greedy(volunteers, requests, now=NOW)
    return match(volunteers, requests, now=NOW, mode=mode)


def _run(data, mode: str, repeats: int, queue) -> None:
    """In a forked child: warm up, reset the peak-memory mark, time the runs."""
    volunteers, requests = data
    # A worker process has run a match before: warm the code paths up on a
    # different, tiny town so that the timed runs don't pay first-call costs.
    _solve(mode, *generate("small", seed=999))
    Path("/proc/self/clear_refs").write_text("5")
    before = _memory_mb("VmRSS")
    walls, cpus = [], []
    for _ in range(repeats):
        cpu, wall = time.process_time(), time.perf_counter()
        result = _solve(mode, volunteers, requests)
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    stats = result.stats
    queue.put(
        {
            "mode": mode,
            "seconds": statistics.median(walls),
            "seconds_all": [round(w, 3) for w in walls],
            "cpu": statistics.median(cpus),
            "rss_before_mb": before,
            "peak_mb": _memory_mb("VmHWM"),
            "score": result.total_score,
            "filled": result.places_filled,
            "needed": stats.places_needed,
            "open": result.unmatched_places,
            "requests_open": len(result.unmatched),
            "proven": stats.proven_optimal,
            "k": stats.k,
            "pairs": stats.candidate_pairs,
            "rounds": stats.certificate_rounds,
            "added": stats.pairs_added_by_certificate,
            "stages": {key: round(value, 3) for key, value in stats.seconds.items()},
        }
    )


def measure(data, mode: str, repeats: int) -> dict:
    ctx = mp.get_context("fork")
    queue = ctx.Queue()
    child = ctx.Process(target=_run, args=(data, mode, repeats, queue))
    child.start()
    row = queue.get()
    child.join()
    return row


def _load() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="small,medium,large")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeats", type=int, default=3, help="timed runs per mode (median)")
    parser.add_argument("--json", action="store_true", help="also print the rows as JSON")
    args = parser.parse_args()
    sizes = [s for s in args.sizes.split(",") if s]
    for size in sizes:
        if size not in SIZES:
            parser.error(f"unknown size {size!r}; choose from {', '.join(SIZES)}")
    print(f"{os.cpu_count()} CPUs; load average at start {_load()}")
    header = (
        f"{'size':<7} {'mode':<7} {'time s':>7} {'cpu s':>6} {'peak MB':>8} {'base MB':>8} "
        f"{'score':>11} {'% exact':>8} {'filled':>13} {'open':>5} {'req open':>8} {'proven':>6}"
    )
    print(header)
    print("-" * len(header))
    rows = []
    for size in sizes:
        data = generate(size, args.seed)
        results = {m: measure(data, m, args.repeats) for m in ("exact", "fast", "greedy")}
        best = results["exact"]["score"]
        for mode in ("exact", "fast", "greedy"):
            r = results[mode]
            share = 100.0 * r["score"] / best if best else 100.0
            print(
                f"{size:<7} {mode:<7} {r['seconds']:>7.3f} {r['cpu']:>6.2f} {r['peak_mb']:>8.0f} "
                f"{r['rss_before_mb']:>8.0f} {r['score']:>11,} {share:>7.3f}% "
                f"{r['filled']:>6,}/{r['needed']:<6,} {r['open']:>5,} {r['requests_open']:>8,} "
                f"{'yes' if r['proven'] else 'no':>6}"
            )
            rows.append({"size": size, **r})
        g, e = results["greedy"], results["exact"]
        ratio = f"{g['open'] / e['open']:.2f}x" if e["open"] else "n/a"
        print(
            f"{'':<7} greedy leaves {g['open']:,} places open, exact {e['open']:,} ({ratio}); "
            f"exact: k={e['k']} per place, {e['pairs']:,} candidate pairs, "
            f"{e['rounds']} certificate round(s), {e['added']:,} pairs added; "
            f"stages {e['stages']}"
        )
    print(f"load average at end {_load()}")
    if args.json:
        print(json.dumps(rows, indent=1))


if __name__ == "__main__":
    main()
