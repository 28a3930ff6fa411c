"""A surge of volunteer sign-ups against the app under gunicorn on PostgreSQL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_signup \\
        .venv/bin/python bench/signup_surge.py [--seconds 20] [--connections 8] [--workers 4]

Creates and migrates the database if needed (only a database whose name
starts with ``bench`` is accepted), starts gunicorn on loopback with
production settings (DEBUG off) and a bench-only URLconf
(``bench/signup_urls.py``) that adds the floor: a minimal view that inserts
one row, through the same middleware. Then, from a second process, it drives
the floor and then the public sign-up endpoint
(``POST /api/v1/volunteering/volunteers``, the same service as the form) for
``--seconds`` each with ``--connections`` concurrent connections, and prints
requests per second, p50/p99 latency, errors and the ratio of sign-ups to the
floor. A sign-up stores a waiting sign-up for the task worker
(``services.volunteer_intake``); after the surge two worker processes work
off the backlog (timed), and then it counts: every accepted sign-up must be
exactly one volunteer (none lost, none duplicated), every floor request one
row. The cache is the process's own unless ``REDIS_URL`` is set (as in
production), in which case the sign-up's rate limit and wake-up go to Redis.

Exits non-zero when a target is missed (ratio < 0.5, any error, any lost or
duplicated volunteer).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
SIGNUP_PATH = "/api/v1/volunteering/volunteers"
FLOOR_PATH = "/bench/floor/"
FLOOR_TABLE = "bench_signup_floor"
EMAIL_DOMAIN = "surge.bench.example"
POSTAL_CODE = "17830"


# --- The driver (the second process) ---------------------------------------------------


def drive(*, port: int, path: str, seconds: float, connections: int, run_id: str) -> dict:
    """POST to ``path`` from ``connections`` threads for ``seconds``; one fresh
    body (and e-mail address) per request. Returns latencies and outcomes."""
    deadline = time.monotonic() + seconds
    latencies: list[float] = []
    statuses: dict[str, int] = {}
    accepted: list[str] = []
    lock = threading.Lock()

    def worker(number: int) -> None:
        conn = None
        sent = 0
        local_latencies, local_accepted, local_statuses = [], [], {}
        while time.monotonic() < deadline:
            sent += 1
            email = f"v-{run_id}-{number}-{sent}@{EMAIL_DOMAIN}"
            body = json.dumps(
                {
                    "full_name": f"Surge Volontär {number}-{sent}",
                    "email": email,
                    "postal_code": POSTAL_CODE,
                    "languages": ["sv"],
                    "help_types": ["handla"],
                    "availability": ["1-morning", "3-evening"],
                    "consent": True,
                    "language": "sv",
                }
            )
            started = time.perf_counter()
            try:
                if conn is None:
                    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                conn.request("POST", path, body=body, headers={"Content-Type": "application/json"})
                response = conn.getresponse()
                response.read()
                status = str(response.status)
                if response.getheader("Connection", "").lower() == "close":
                    conn.close()
                    conn = None
            except (OSError, http.client.HTTPException) as error:
                status = f"error {type(error).__name__}"
                if conn is not None:
                    conn.close()
                conn = None
            local_latencies.append(time.perf_counter() - started)
            local_statuses[status] = local_statuses.get(status, 0) + 1
            if status == "202":
                local_accepted.append(email)
        if conn is not None:
            conn.close()
        with lock:
            latencies.extend(local_latencies)
            accepted.extend(local_accepted)
            for key, count in local_statuses.items():
                statuses[key] = statuses.get(key, 0) + count

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(connections)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    return {
        "elapsed": elapsed,
        "latencies": latencies,
        "statuses": statuses,
        "accepted": accepted,
    }


def run_driver(*, port, path, seconds, connections, run_id) -> dict:
    """Run ``drive`` in a second process (so the client does not share the
    server's or the orchestrator's interpreter) and read its JSON."""
    out = subprocess.run(  # noqa: S603 (our own script)
        [
            sys.executable,
            __file__,
            "--drive",
            path,
            "--port",
            str(port),
            "--seconds",
            str(seconds),
            "--connections",
            str(connections),
            "--run-id",
            run_id,
        ],
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(out.stdout)


def summary(result: dict) -> dict:
    ordered = sorted(result["latencies"])

    def pct(p: float) -> float:
        if not ordered:
            return float("nan")
        return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))] * 1000

    ok = sum(count for status, count in result["statuses"].items() if status == "202")
    return {
        "requests": len(ordered),
        "ok": ok,
        "errors": len(ordered) - ok,
        "per_second": ok / result["elapsed"],
        "p50_ms": statistics.median(ordered) * 1000 if ordered else float("nan"),
        "p99_ms": pct(99),
        "statuses": result["statuses"],
    }


# --- The orchestrator -------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def server_env(database_url: str) -> dict[str, str]:
    env = dict(os.environ)
    var_dir = env.get("TILLSAMMANS_VAR_DIR") or tempfile.mkdtemp(prefix="tillsammans-bench-")
    # WhiteNoise looks for the collected static files at start-up.
    Path(var_dir, "static").mkdir(parents=True, exist_ok=True)
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "bench.signup_settings",
            "DATABASE_URL": database_url,
            "DATABASE_CONN_MAX_AGE": "600",
            "DEBUG": "false",
            "SECRET_KEY": "bench-" + secrets.token_urlsafe(40),
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SECURE_SSL_REDIRECT": "false",
            "LOG_LEVEL": "WARNING",
            "TILLSAMMANS_VAR_DIR": var_dir,
            "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(ROOT)]),
        }
    )
    return env


def ensure_database(database_url: str) -> None:
    import psycopg

    parsed = urlparse(database_url)
    name = parsed.path.lstrip("/")
    if not name.startswith("bench"):
        sys.exit(f"Refusing to use database {name!r}: its name must start with 'bench'.")
    admin = parsed._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')


def prepare(database_url: str, env: dict[str, str]) -> None:
    """Migrate, make sure the sign-up's choices exist, create the floor table."""
    subprocess.run(  # noqa: S603
        [sys.executable, str(ROOT / "manage.py"), "migrate", "--noinput", "-v", "0"],
        env=env,
        check=True,
        cwd=ROOT,
    )
    script = f"""
from tillsammans.core.models import Language, Locality, PostalCode
from tillsammans.volunteering.models import HelpType
locality, _ = Locality.objects.get_or_create(
    slug="ekero", defaults=dict(name_sv="Ekerö", name_en="Ekerö",
                                 latitude="59.29", longitude="17.81"))
PostalCode.objects.get_or_create(code="{POSTAL_CODE}", defaults=dict(locality=locality))
Language.objects.get_or_create(
    code="sv", defaults=dict(name_sv="svenska", name_en="Swedish", native_name="svenska"))
HelpType.objects.get_or_create(slug="handla", defaults=dict(name_sv="Handla", name_en="Shopping"))
# What earlier runs left for a worker (this bench's database only).
from django_tasks_db.models import DBTaskResult
from tillsammans.volunteering.models import SignUpIntake
SignUpIntake.objects.all().delete()
DBTaskResult.objects.all().delete()
from django.db import connection
with connection.cursor() as cursor:
    cursor.execute("CREATE TABLE IF NOT EXISTS {FLOOR_TABLE} ("
                   "id bigserial PRIMARY KEY, payload text NOT NULL, "
                   "created_at timestamptz NOT NULL DEFAULT now())")
"""
    subprocess.run(  # noqa: S603
        [sys.executable, str(ROOT / "manage.py"), "shell", "-c", script],
        env=env,
        check=True,
        cwd=ROOT,
    )


COUNT_SCRIPT = """
import json, os
from django.db import connection
from django.db.models import Count
from tillsammans.volunteering.models import Volunteer
prefix = "v-" + os.environ["SURGE_RUN_ID"] + "-"
rows = Volunteer.objects.filter(email__startswith=prefix)
dupes = rows.values("email").annotate(n=Count("pk")).filter(n__gt=1).count()
with connection.cursor() as cursor:
    cursor.execute(
        "SELECT count(*) FROM bench_signup_floor WHERE payload LIKE %s", ["%" + prefix + "%"]
    )
    floor = cursor.fetchone()[0]
print(json.dumps({"volunteers": rows.count(), "duplicates": dupes,
                  "emails": list(rows.values_list("email", flat=True)), "floor_rows": floor}))
"""


def intakes_waiting(env: dict[str, str]) -> int:
    out = subprocess.run(  # noqa: S603
        [
            sys.executable,
            str(ROOT / "manage.py"),
            "shell",
            "-c",
            "from tillsammans.volunteering.models import SignUpIntake; "
            "print(SignUpIntake.objects.count())",
        ],
        env=env,
        check=True,
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    return int(out.stdout.strip().splitlines()[-1])


def work_off_backlog(env: dict[str, str], processes: int) -> dict:
    """What a task worker does with the surge (warm-up included), by
    ``manage.py volunteering_process_signups`` in ``processes`` processes side
    by side (they skip each other's rows): each sign-up becomes a volunteer
    and their link is queued in the outbox. Returns how many, how long and
    what is left."""
    before = intakes_waiting(env)
    started = time.perf_counter()
    workers = [
        subprocess.Popen(  # noqa: S603
            [
                sys.executable,
                str(ROOT / "manage.py"),
                "volunteering_process_signups",
                "--limit",
                str(before),
            ],
            env={**env, "LOG_LEVEL": "ERROR"},
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
        )
        for _ in range(processes)
    ]
    for worker in workers:
        worker.wait()
    seconds = time.perf_counter() - started
    return {"intakes": before, "seconds": seconds, "waiting": intakes_waiting(env)}


def count_afterwards(env: dict[str, str], run_id: str) -> dict:
    out = subprocess.run(  # noqa: S603
        [sys.executable, str(ROOT / "manage.py"), "shell", "-c", COUNT_SCRIPT],
        env={**env, "SURGE_RUN_ID": run_id},
        check=True,
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def wait_until_up(port: int, server: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit("gunicorn stopped while starting.")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/api/v1/")
            if conn.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.2)
    sys.exit("gunicorn did not answer in time.")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--warmup", type=float, default=3)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--drive", metavar="PATH", help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--run-id", help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.drive:
        result = drive(
            port=args.port,
            path=args.drive,
            seconds=args.seconds,
            connections=args.connections,
            run_id=args.run_id,
        )
        print(json.dumps(result))
        return 0

    database_url = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/bench_signup")
    if not database_url.startswith("postgres"):
        sys.exit("The surge runs on PostgreSQL: set DATABASE_URL=postgres://…/bench_signup")
    ensure_database(database_url)
    env = server_env(database_url)
    prepare(database_url, env)

    port = free_port()
    gunicorn = Path(sys.executable).with_name("gunicorn")
    server = subprocess.Popen(  # noqa: S603
        [
            str(gunicorn),
            "tillsammans.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(args.workers),
            "--worker-class",
            "sync",
            "--backlog",
            "2048",
            "--log-level",
            "warning",
        ],
        env=env,
        cwd=ROOT,
    )
    try:
        wait_until_up(port, server)
        run_id = secrets.token_hex(4)
        results = {}
        for name, path in (("floor", FLOOR_PATH), ("sign-up", SIGNUP_PATH)):
            run_driver(
                port=port,
                path=path,
                seconds=args.warmup,
                connections=args.connections,
                run_id=f"{run_id}w",
            )
            results[name] = run_driver(
                port=port,
                path=path,
                seconds=args.seconds,
                connections=args.connections,
                run_id=run_id,
            )
    finally:
        server.terminate()
        server.wait(timeout=30)

    floor, signup = summary(results["floor"]), summary(results["sign-up"])
    backlog = work_off_backlog(env, processes=2)
    counted = count_afterwards(env, run_id)
    # The floor stores its JSON body, which holds the same kind of address.
    accepted = set(results["sign-up"]["accepted"])
    stored = set(counted["emails"])
    lost = len(accepted - stored)
    unexpected = len(stored - accepted)
    ratio = signup["per_second"] / floor["per_second"] if floor["per_second"] else 0.0

    print(
        f"gunicorn: {args.workers} sync workers · {args.connections} connections · "
        f"{args.seconds:.0f} s each (after {args.warmup:.0f} s warm-up) · PostgreSQL · loopback"
    )
    for name, row in (("floor (one INSERT)", floor), ("volunteer sign-up", signup)):
        print(
            f"{name:<20} {row['per_second']:8.1f}/s   p50 {row['p50_ms']:6.1f} ms   "
            f"p99 {row['p99_ms']:6.1f} ms   {row['ok']} ok, {row['errors']} errors "
            f"{'' if not row['errors'] else row['statuses']}"
        )
    print(f"ratio sign-up/floor  {ratio:.2f} (target ≥ 0.50)")
    print(
        f"afterwards, 2 worker processes: {backlog['intakes']} sign-ups (warm-up included) "
        f"made volunteers with their links queued in {backlog['seconds']:.1f} s "
        f"({backlog['intakes'] / backlog['seconds']:.0f}/s); {backlog['waiting']} still waiting"
    )
    print(
        f"afterwards: {counted['volunteers']} volunteers for {len(accepted)} accepted "
        f"sign-ups; lost {lost}, duplicated {counted['duplicates']}, unexpected {unexpected}; "
        f"floor rows {counted['floor_rows']} for {floor['ok']} accepted"
    )
    failed = (
        ratio < 0.5
        or floor["errors"]
        or signup["errors"]
        or lost
        or counted["duplicates"]
        or unexpected
        or counted["floor_rows"] != floor["ok"]
        or backlog["waiting"]
    )
    print("targets met" if not failed else "TARGET MISSED")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
