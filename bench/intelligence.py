"""Benchmark: the intelligence hub's pages with 300,000 reports in the database.

An analyst opens the triage queue, searches and reads reports all day; a partner does the
same through a harder query, since what a partner may read (P, their own, named in the
conditions, tasked) is decided row by row. This loads the demo partnership and
``--reports`` synthetic reports (``lantern.demo.intelligence``, the demo's own generator)
into a database of its own, then times full requests through Django's test client —
middleware, session, access policy, queries, template — and prints one JSON line per
database with p50 and p95 latencies in milliseconds and each page's number of queries:

- ``queue``: the analyst's triage queue, first page; the partner's list of the
  intelligence they may read (the partner has no triage queue), first page;
- ``search``: full-text search for a word or two with two filters (area and type, or
  area and sector), varied from request to request;
- ``report``: opening a report the user may read, chosen at random (its read is audited).

    .venv/bin/python bench/intelligence.py [--database sqlite|postgres|both]
        [--reports 300000] [--requests 200] [--budget 60] [--keep]

Databases: an SQLite file in a temporary directory, and PostgreSQL's ``bench_intelligence``
(dropped and created again). ``--keep`` keeps both (the SQLite file in
``/tmp/lantern-bench-intelligence``) and reuses them on the next run when they hold the
same number of reports, to measure again without loading again. Requests run one at a
time in one process, on a machine whose other load is reported as ``load_average``.
"""

import argparse
import contextlib
import json
import os
import random
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

LANTERN = Path(sys.executable).with_name("lantern")
POSTGRES_SERVER = "postgresql://postgres@127.0.0.1:5432"
POSTGRES_DATABASE = "bench_intelligence"
KEPT_DIRECTORY = Path(tempfile.gettempdir()) / "lantern-bench-intelligence"
SEED = 4
WARM_UP = 10
# Words people search for, and the filters they add (DOMAIN.md §4 and §6).
SEARCH_WORDS = [
    "car wash",
    "cannabis",
    "passport",
    "minibus",
    "gangmaster",
    "school",
    "hotel",
    "debt",
    "cabin",
    "wages",
    "missing",
    "county lines",
]
SEARCH_AREAS = ["E06000016", "E07000130", "E07000132", "E07000131", "E07000134"]
SEARCH_TYPES = ["labour", "criminal", "sexual"]
SEARCH_SECTORS = ["hand_car_wash", "cannabis", "agriculture", "sex_work", "other"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--reports", type=int, default=300_000)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument(
        "--budget", type=float, default=60, help="seconds per page at most (5 requests at least)"
    )
    parser.add_argument("--keep", action="store_true", help="keep and reuse the databases")
    # The steps that run inside Django, in a process of their own.
    parser.add_argument("--helper", choices=["load", "measure"], help=argparse.SUPPRESS)
    options = parser.parse_args()

    if options.helper == "load":
        print(json.dumps(load(options.reports)))
        return
    if options.helper == "measure":
        print(json.dumps(measure(options.requests, options.budget)))
        return
    databases = ["sqlite", "postgres"] if options.database == "both" else [options.database]
    for database in databases:
        print(json.dumps(run(database, options)), flush=True)


def run(database: str, options: argparse.Namespace) -> dict[str, object]:
    with home_directory(options.keep) as home:
        environment = bench_environment(database, home)
        if database == "postgres" and not options.keep:
            recreate_postgres()
        elif database == "postgres":
            ensure_postgres()
        step(environment, [str(LANTERN), "migrate", "--no-input", "--verbosity=0"])
        loaded = json.loads(helper(environment, "load", "--reports", str(options.reports)))
        figures = json.loads(
            helper(
                environment,
                "measure",
                "--requests",
                str(options.requests),
                "--budget",
                str(options.budget),
            )
        )
        if database == "postgres" and not options.keep:
            drop_postgres()
    return {
        "database": database,
        "reports": options.reports,
        "requests": options.requests,
        **loaded,
        **figures,
        "load_average": [round(value, 2) for value in os.getloadavg()],
        "cpus": os.cpu_count(),
    }


def bench_environment(
    database: str, home: Path, postgres_database: str = POSTGRES_DATABASE
) -> dict[str, str]:
    """The variables a run's Lantern processes see: local settings, the run's database."""
    return {
        **os.environ,
        "LANTERN_ENV": "local",
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "LANTERN_VAR_DIR": str(home / "var"),
        "DATABASE_URL": (
            f"sqlite:///{home / 'lantern.sqlite3'}"
            if database == "sqlite"
            else f"{POSTGRES_SERVER}/{postgres_database}"
        ),
        "DJANGO_SETTINGS_MODULE": "lantern.settings",
    }


@contextlib.contextmanager
def home_directory(keep: bool, kept: Path = KEPT_DIRECTORY) -> Iterator[Path]:
    if keep:
        kept.mkdir(exist_ok=True)
        yield kept
        return
    with tempfile.TemporaryDirectory(prefix="lantern-bench-") as directory:
        yield Path(directory)


def _postgres(*statements: str) -> None:
    import psycopg

    with psycopg.connect(f"{POSTGRES_SERVER}/postgres", autocommit=True) as connection:
        for statement in statements:
            connection.execute(statement)


def recreate_postgres(database: str = POSTGRES_DATABASE) -> None:
    """A private database for the run: never the shared ``test`` database."""
    _postgres(
        f"DROP DATABASE IF EXISTS {database} WITH (FORCE)",
        f"CREATE DATABASE {database}",
    )


def ensure_postgres(database: str = POSTGRES_DATABASE) -> None:
    import psycopg

    with psycopg.connect(f"{POSTGRES_SERVER}/postgres", autocommit=True) as connection:
        found = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [database]
        ).fetchone()
    if found is None:
        recreate_postgres(database)


def drop_postgres(database: str = POSTGRES_DATABASE) -> None:
    _postgres(f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")


def step(environment: dict[str, str], command: list[str]) -> str:
    completed = subprocess.run(
        command, env=environment, capture_output=True, text=True, check=False
    )
    if completed.returncode != 0:
        sys.exit(f"{' '.join(command)} failed:\n{completed.stderr[-5000:]}")
    return completed.stdout


def helper(environment: dict[str, str], name: str, *arguments: str, script: str = __file__) -> str:
    """Run this script's (or ``script``'s) step ``name`` inside Django; its last line."""
    script = str(Path(script).resolve())
    output = step(environment, [sys.executable, script, "--helper", name, *arguments])
    return output.strip().splitlines()[-1]


# Inside Django (run as `--helper` by the steps above).


def load(count: int) -> dict[str, object]:
    """The demo partnership and ``count`` reports, unless the database holds them already."""
    import django

    django.setup()
    from django.db import connection

    from lantern.demo import intelligence, partnership
    from lantern.intelligence.models import IntelligenceReport

    if IntelligenceReport.objects.count() == count:
        return {"load_seconds": None, "reused": True}
    if IntelligenceReport.objects.exists():
        sys.exit("The kept database holds another number of reports: run without --keep.")
    partnership.generate()
    started = time.perf_counter()
    intelligence.generate(count, seed=SEED)
    seconds = time.perf_counter() - started
    # What PostgreSQL's autovacuum does soon after a bulk load; SQLite keeps no statistics
    # unless asked, as Lantern runs it.
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    return {"load_seconds": round(seconds, 1), "reused": False}


def measure(requests: int, budget: float) -> dict[str, object]:
    import django

    django.setup()
    from django.db.models import Count

    from lantern.core import access
    from lantern.core.models import User
    from lantern.core.roles import Role
    from lantern.intelligence.models import IntelligenceReport

    analyst = User.objects.get(email="analyst@lantern.example")
    # The partner whose reading is widest: a contributor of the organisation that sent most.
    busiest = (
        IntelligenceReport.objects.values("originating_organisation")
        .annotate(sent=Count("id"))
        .order_by("-sent")
        .first()["originating_organisation"]
    )
    contributor = (
        User.objects.filter(organisation_id=busiest, groups__name=Role.PARTNER_CONTRIBUTOR)
        .order_by("email")
        .first()
    )
    randomiser = random.Random(SEED)
    figures: dict[str, object] = {
        "partner": contributor.organisation.name,
        "partner_readable": access.readable_intelligence(contributor).count(),
    }
    for role, user in (("analyst", analyst), ("partner", contributor)):
        readable = list(access.readable_intelligence(user).values_list("reference", flat=True))
        pages = {
            "queue": lambda _user=user: (
                "/intelligence/triage/"
                if access.can_triage_intelligence(_user)
                else "/intelligence/"
            ),
            "search": lambda: search_path(randomiser),
            "report": lambda _readable=readable: f"/intelligence/{randomiser.choice(_readable)}/",
        }
        for page, path in pages.items():
            figures |= {
                f"{role}_{page}_{name}": value
                for name, value in time_page(user, path, requests, budget).items()
            }
    return figures


def search_path(randomiser: random.Random) -> str:
    from urllib.parse import urlencode

    second = (
        {"type": randomiser.choice(SEARCH_TYPES)}
        if randomiser.random() < 0.5
        else {"sector": randomiser.choice(SEARCH_SECTORS)}
    )
    query = {"q": randomiser.choice(SEARCH_WORDS), "area": randomiser.choice(SEARCH_AREAS)}
    return f"/intelligence/search/?{urlencode(query | second)}"


def time_page(
    user: object, path: Callable[[], str], requests: int, budget: float
) -> dict[str, float | int]:
    """p50 and p95 of ``requests`` GETs of ``path()`` as ``user``, after a warm-up.

    A page slower than ``budget`` allows is measured on fewer requests (``n`` says how many),
    so that a slow page shows in the figures instead of holding the run for hours.
    """
    from django.db import connection
    from django.test import Client

    client = Client()
    client.force_login(user)

    def get() -> float:
        url = path()
        started = time.perf_counter()
        response = client.get(url)
        elapsed = time.perf_counter() - started
        if response.status_code != 200:
            sys.exit(f"GET {url} as {user.email} answered {response.status_code}")
        return elapsed

    # Warm up the caches and the connection; a very slow page gets two requests, not ten.
    warm_up = WARM_UP if get() < budget / 50 else 2
    for _request in range(warm_up - 1):
        get()
    queries = []

    def count(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        get()
    latencies: list[float] = []
    deadline = time.perf_counter() + budget
    while len(latencies) < requests and (len(latencies) < 5 or time.perf_counter() < deadline):
        latencies.append(get())
    cuts = statistics.quantiles(latencies, n=100, method="inclusive")
    return {
        "p50_ms": round(cuts[49] * 1000, 1),
        "p95_ms": round(cuts[94] * 1000, 1),
        "n": len(latencies),
        "queries": len(queries),
    }


if __name__ == "__main__":
    main()
