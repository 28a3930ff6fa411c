"""Latency of the directory search and the HSDS API on a large register.

    createdb / psql -h 127.0.0.1 -U postgres -c "CREATE DATABASE bench_directory"
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_directory \\
        .venv/bin/python bench/directory.py [--organisations 10000] [--activities 50000]

Builds the demo municipality, then adds generated organisations and activities
(bulk inserts, many-to-many rows straight into the through tables) until the
database holds the requested numbers, so a second run reuses the data. Then it
requests 200 varied directory searches (words, area, target group, locality,
language, weekday, free, page, both tabs) and pages of the HSDS services list
through Django's test client, and prints the median and 95th percentile and
the queries per request. Refuses SQLite (the full-text search is PostgreSQL's)
unless --allow-sqlite.
"""

import argparse
import io
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from datetime import time as clock
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tillsammans.settings")
os.environ.setdefault("TILLSAMMANS_VAR_DIR", tempfile.mkdtemp(prefix="tillsammans-bench-"))

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402

from bench.production_like import production_like  # noqa: E402

BATCH = 2000
PREFIX = "bench-"
KINDS = [
    "Pensionärsförening",
    "Idrottsklubb",
    "Kulturförening",
    "Hembygdsförening",
    "Kör",
    "Scoutkår",
    "Språkvänner",
    "Seglarklubb",
    "Brukarförening",
    "Föräldraförening",
    "Naturförening",
    "Syförening",
    "Schackklubb",
    "Teatergrupp",
    "Församling",
]
TOPICS = [
    ("Promenad", "promenad i lugn takt med fika efteråt"),
    ("Språkcafé", "samtal på svenska för nyanlända och alla som vill öva"),
    ("Kör", "vi sjunger visor och sånger i stämmor"),
    ("Sittgympa", "gympa sittande på stol för seniorer"),
    ("Läxhjälp", "frivilliga hjälper skolbarn med läxor och matte"),
    ("Syträff", "vi syr, lagar och stickar tillsammans"),
    ("IT-hjälp", "hjälp med mobil, BankID och dator för seniorer"),
    ("Segling", "anpassad segling för personer med funktionsnedsättning"),
    ("Nattvandring", "vuxna vandrar på kvällen där unga samlas"),
    ("Anhöriggrupp", "samtalsgrupp för anhöriga som vårdar en närstående"),
    ("Boule", "boule på grusplanen, klot finns att låna"),
    ("Fotboll", "fotboll för barn och unga, alla får vara med"),
    ("Målarcirkel", "måla akvarell i en lugn grupp"),
    ("Dans", "dans till levande musik"),
    ("Studiecirkel", "studiecirkel i släktforskning och lokalhistoria"),
]
SEARCH_WORDS = [
    "promenad",
    "språkcafé",
    "kör",
    "gympa",
    "läxhjälp",
    "sy",
    "it",
    "segling",
    "nattvandring",
    "anhöriga",
    "boule",
    "fotboll",
    "måla",
    "dans",
    "släktforskning",
    "fika",
    "seniorer",
    "barn",
]


def _organisation_number(n: int) -> str:
    from stdnum import luhn

    body = f"85{2000000 + n:07d}"  # third digit 2: an organisationsnummer
    return body + luhn.calc_check_digit(body)


def _bulk_m2m(through, left: str, right: str, pairs) -> None:
    rows = [through(**{f"{left}_id": a, f"{right}_id": b}) for a, b in pairs]
    through.objects.bulk_create(rows, batch_size=BATCH, ignore_conflicts=True)


def generate(organisations: int, activities: int, rng: random.Random) -> None:
    from tillsammans.accounts.models import Department
    from tillsammans.activities.models import Activity, Recurrence
    from tillsammans.core.models import Area, Language, Locality, TargetGroup
    from tillsammans.organizations.models import Organization, OrganizationStatus

    areas = list(Area.objects.values_list("pk", flat=True))
    groups = list(TargetGroup.objects.values_list("pk", flat=True))
    languages = list(Language.objects.values_list("pk", flat=True))
    localities = list(Locality.objects.values_list("pk", "name_sv"))
    departments = list(Department.objects.values_list("pk", flat=True))

    have = Organization.objects.filter(slug__startswith=PREFIX).count()
    started = time.perf_counter()
    with transaction.atomic():
        for start in range(have, organisations, BATCH):
            batch = []
            for n in range(start, min(start + BATCH, organisations)):
                _pk, place = rng.choice(localities)
                kind = rng.choice(KINDS)
                verified = rng.random() < 0.9
                batch.append(
                    Organization(
                        slug=f"{PREFIX}org-{n}",
                        name=f"{place} {kind} {n}",
                        organisation_number=_organisation_number(n),
                        purpose=f"{kind} i {place}. " + rng.choice(TOPICS)[1] + ".",
                        email=f"info{n}@bench.example",
                        member_count=rng.randint(5, 900),
                        founding_year=rng.randint(1900, 2024),
                        status=OrganizationStatus.VERIFIED
                        if verified
                        else OrganizationStatus.PENDING,
                    )
                )
            created = Organization.objects.bulk_create(batch, batch_size=BATCH)
            ids = [org.pk for org in created]
            through = Organization.areas.through
            _bulk_m2m(
                through,
                "organization",
                "area",
                [(pk, a) for pk in ids for a in rng.sample(areas, rng.randint(1, 3))],
            )
            _bulk_m2m(
                Organization.localities.through,
                "organization",
                "locality",
                [(pk, loc) for pk in ids for loc, _n in rng.sample(localities, rng.randint(1, 2))],
            )
            _bulk_m2m(
                Organization.languages.through,
                "organization",
                "language",
                [(pk, lang) for pk in ids for lang in rng.sample(languages, rng.randint(1, 3))],
            )
    print(f"organisations: {organisations - have} created in {time.perf_counter() - started:.1f} s")

    organisers = list(
        Organization.objects.filter(slug__startswith=PREFIX).values_list("pk", flat=True)
    )
    have = Activity.objects.filter(slug__startswith=PREFIX).count()
    today = date.today()  # noqa: DTZ011 - local calendar dates
    started = time.perf_counter()
    with transaction.atomic():
        for start in range(have, activities, BATCH):
            batch = []
            for n in range(start, min(start + BATCH, activities)):
                title, description = rng.choice(TOPICS)
                locality, place = rng.choice(localities)
                recurrence = rng.choices(
                    [Recurrence.WEEKLY, Recurrence.BIWEEKLY, Recurrence.ONCE], [6, 2, 2]
                )[0]
                starts_on = today - timedelta(days=rng.randint(0, 120))
                if recurrence == Recurrence.ONCE:
                    starts_on = today + timedelta(days=rng.randint(1, 120))
                    weekdays = str(starts_on.weekday())
                else:
                    weekdays = "".join(sorted(set(rng.choices("0123456", k=rng.randint(1, 2)))))
                hour = rng.randint(8, 19)
                by_department = rng.random() < 0.05
                is_free = rng.random() < 0.7
                batch.append(
                    Activity(
                        slug=f"{PREFIX}activity-{n}",
                        title=f"{title} i {place} {n}",
                        description=description.capitalize() + ".",
                        organization_id=None if by_department else rng.choice(organisers),
                        department_id=rng.choice(departments) if by_department else None,
                        locality_id=locality,
                        place_name=f"{place} {rng.choice(['bibliotek', 'bygdegård', 'skola'])}",
                        recurrence=recurrence,
                        weekdays=weekdays,
                        starts_on=starts_on,
                        start_time=clock(hour, 0),
                        end_time=clock(hour + 2, 0),
                        is_free=is_free,
                        cost="" if is_free else f"{rng.randint(2, 30) * 10} kr",
                    )
                )
            created = Activity.objects.bulk_create(batch, batch_size=BATCH)
            ids = [activity.pk for activity in created]
            _bulk_m2m(
                Activity.areas.through,
                "activity",
                "area",
                [(pk, a) for pk in ids for a in rng.sample(areas, rng.randint(1, 2))],
            )
            _bulk_m2m(
                Activity.target_groups.through,
                "activity",
                "targetgroup",
                [(pk, g) for pk in ids for g in rng.sample(groups, rng.randint(1, 2))],
            )
            _bulk_m2m(
                Activity.languages.through,
                "activity",
                "language",
                [(pk, lang) for pk in ids for lang in rng.sample(languages, rng.randint(1, 2))],
            )
    print(f"activities: {activities - have} created in {time.perf_counter() - started:.1f} s")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def searches(count: int, rng: random.Random) -> list[str]:
    from tillsammans.core.models import Area, Language, Locality, TargetGroup

    areas = list(Area.objects.values_list("slug", flat=True))
    groups = list(TargetGroup.objects.values_list("slug", flat=True))
    localities = list(Locality.objects.values_list("slug", flat=True))
    languages = list(Language.objects.values_list("code", flat=True))
    urls = []
    for _ in range(count):
        params = {}
        if rng.random() < 0.6:
            params["q"] = " ".join(rng.sample(SEARCH_WORDS, rng.choice([1, 1, 2])))
        for name, values, chance in (
            ("area", areas, 0.4),
            ("target_group", groups, 0.25),
            ("locality", localities, 0.4),
            ("language", languages, 0.15),
        ):
            if rng.random() < chance:
                params[name] = rng.choice(values)
        if rng.random() < 0.3:
            params["weekday"] = rng.randint(0, 6)
        if rng.random() < 0.25:
            params["free"] = 1
        if rng.random() < 0.25:
            params["show"] = "organisations"
        if rng.random() < 0.2:
            params["page"] = rng.randint(2, 5)
        urls.append("/directory/?" + urlencode(params))
    return urls


def measure(client: Client, urls: list[str]) -> tuple[list[float], list[int], dict[int, int]]:
    timings, queries, statuses = [], [], {}
    for url in urls:
        executed = []

        def count(execute, sql, params, many, context, executed=executed):
            executed.append(sql)
            return execute(sql, params, many, context)

        with connection.execute_wrapper(count):
            started = time.perf_counter()
            response = client.get(url)
            timings.append((time.perf_counter() - started) * 1000)
        queries.append(len(executed))
        statuses[response.status_code] = statuses.get(response.status_code, 0) + 1
    return timings, queries, statuses


def report(label: str, timings: list[float], queries: list[int], statuses: dict) -> None:
    p95 = statistics.quantiles(timings, n=20)[-1]
    print(
        f"{label:<34}{len(timings):>6}{statistics.median(timings):>11.1f}{p95:>9.1f}"
        f"{max(timings):>9.1f}{min(queries):>6}-{max(queries):<4} {statuses}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--organisations", type=int, default=10_000)
    parser.add_argument("--activities", type=int, default=50_000)
    parser.add_argument("--searches", type=int, default=200)
    parser.add_argument("--allow-sqlite", action="store_true")
    args = parser.parse_args()
    if connection.vendor == "sqlite" and not args.allow_sqlite:
        sys.exit(
            "bench/directory.py measures PostgreSQL (full-text search, the production "
            "database). Set DATABASE_URL=postgres://… or pass --allow-sqlite."
        )

    production_like()
    call_command("migrate", verbosity=0)
    call_command("seed_demo", "--if-empty", stdout=io.StringIO())
    generate(args.organisations, args.activities, random.Random(20261123))

    from tillsammans.activities.models import Activity
    from tillsammans.organizations.models import Organization

    print(
        f"database: {connection.vendor}; {Organization.objects.count()} organisations "
        f"({Organization.objects.public().count()} public), {Activity.objects.count()} "
        f"activities ({Activity.objects.public().count()} public)"
    )
    client = Client()
    rng = random.Random(42)  # the same searches on every run
    urls = searches(args.searches, rng)
    for url in urls[:10]:
        client.get(url)  # warm caches, templates and the database buffers
    print(f"{'requests':<34}{'n':>6}{'median ms':>11}{'p95 ms':>9}{'max ms':>9}{'queries':>11}")
    report("directory: all searches", *measure(client, urls))
    report(
        "directory: activities tab",
        *measure(client, [url for url in urls if "show=organisations" not in url]),
    )
    report(
        "directory: organisations tab",
        *measure(client, [url for url in urls if "show=organisations" in url]),
    )
    report("directory: no filters", *measure(client, ["/directory/"] * 50))
    total_pages = max(1, Activity.objects.public().count() // 50)
    hsds = [
        f"/api/v1/hsds/services?page={rng.randint(1, total_pages)}&per_page=50"
        for _ in range(args.searches // 2)
    ]
    report("hsds services, 50 per page", *measure(client, hsds))
    report(
        "hsds services, 100 per page",
        *measure(
            client,
            [
                f"/api/v1/hsds/services?page={rng.randint(1, total_pages // 2)}&per_page=100"
                for _ in range(args.searches // 4)
            ],
        ),
    )
    report(
        "hsds organizations, 50 per page",
        *measure(
            client,
            [
                f"/api/v1/hsds/organizations?page={rng.randint(1, 180)}&per_page=50"
                for _ in range(args.searches // 4)
            ],
        ),
    )


if __name__ == "__main__":
    main()
