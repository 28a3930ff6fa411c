"""Latency and query count of the main pages, through Django's test client.

    .venv/bin/python bench/pages.py [--requests 200]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench .venv/bin/python bench/pages.py

Builds the demo municipality in a scratch database (SQLite in a temporary
directory unless DATABASE_URL names an existing, preferably empty, database),
then requests each page N times as anonymous, a resident and a staff member,
and prints the median and 95th percentile and the queries per request.
"""

import argparse
import io
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tillsammans.settings")
os.environ.setdefault("TILLSAMMANS_VAR_DIR", tempfile.mkdtemp(prefix="tillsammans-bench-"))

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

from bench.production_like import production_like  # noqa: E402

PAGES = [
    ("anonymous", "/"),
    ("anonymous", "/accessibility/"),
    ("anonymous", "/accounts/login/"),
    ("anonymous", "/api/v1/localities"),
    ("ingrid@demo.example", "/"),
    ("ingrid@demo.example", "/my-account/"),
    ("karin@demo.example", "/staff/"),
    ("karin@demo.example", "/staff/outbox/"),
]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args()

    production_like()
    call_command("migrate", verbosity=0)
    call_command("seed_demo", "--if-empty", stdout=io.StringIO())
    from tillsammans.accounts.models import User

    print(f"database: {connection.vendor}; {args.requests} requests per page")
    print(f"{'who':<22}{'page':<22}{'median ms':>10}{'p95 ms':>9}{'queries':>9}")
    for who, path in PAGES:
        client = Client()
        if who != "anonymous":
            client.force_login(User.objects.get(email=who))
        client.get(path)  # warm caches and templates
        timings = []
        for _ in range(args.requests):
            started = time.perf_counter()
            response = client.get(path)
            timings.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, (path, response.status_code)
        queries = []

        def count(execute, sql, params, many, context, queries=queries):
            queries.append(sql)
            return execute(sql, params, many, context)

        with connection.execute_wrapper(count):
            client.get(path)
        p95 = statistics.quantiles(timings, n=20)[-1]
        print(
            f"{who.split('@')[0]:<22}{path:<22}{statistics.median(timings):>10.2f}"
            f"{p95:>9.2f}{len(queries):>9}"
        )


if __name__ == "__main__":
    main()
