"""Benchmark: public reports sent per second through `lantern serve`, against a bare insert.

A campaign or a news story can send many people to the report form at once, and every
"Sent" page must mean the report is stored. This serves Lantern as in production (gunicorn
workers, production settings, Redis for the shared rate-limit counters), then keeps exactly
``--clients`` requests in flight for ``--seconds`` against the form's final step
(``POST /report/check/``), then as long against a view that only inserts one row, under the
same server: the floor the report is compared with. Afterwards it counts what the database
holds, so that every acknowledged report is proved stored. One JSON line per database.

    .venv/bin/python bench/public_report.py [--database sqlite|postgres|both]
        [--clients 50] [--seconds 60]

Each request sends a draft of its own, prepared beforehand in its own session with its own
CSRF cookie and token, as if that many people had filled in every page: sending a draft
twice would only replay the idempotent answer. The client is asyncio on raw sockets, one
connection per request (gunicorn's sync workers close every connection), and it runs on the
same machine as the server, so it takes some of the same CPU.

It creates its own databases: an SQLite file in a temporary directory, and PostgreSQL's
``lantern_bench`` (dropped and created again). Redis database 9 holds the rate-limit counters,
with the limit raised for the run.
"""

import argparse
import asyncio
import contextlib
import json
import os
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
LANTERN = Path(sys.executable).with_name("lantern")
HOST = "127.0.0.1"
POSTGRES_SERVER = "postgresql://postgres@127.0.0.1:5432"
POSTGRES_DATABASE = "lantern_bench"
RATE_LIMIT = "100000000/h"
REQUEST_TIMEOUT_SECONDS = 30
# More drafts a second than two cores can send, so that the pool never runs dry.
DRAFTS_PER_SECOND = 1500
SENT_PATH = "/report/sent/"

# One complete report, walked through the real form once (the answers of the form's tests).
ANSWERS = {
    "danger": {"immediate_danger": "no"},
    "what-happened": {
        "what_happened": "Men at the car wash work every day with no gloves and sleep on site."
    },
    "signs": {"indicators": ["long_hours", "no_protective_equipment"]},
    "exploitation": {"suspected_types": ["labour"], "children_involved": "not_sure"},
    "where": {"location": "Hand car wash, Narborough Road", "postcode": "le3 0ab"},
    "when": {"when": "Every morning at 6am"},
    "people": {
        "people": "Five young men",
        "vehicles": "White minibus",
        "vehicle_registrations": "ab12 cde, AB12CDE",
        "phone_numbers": "07700 900123",
        "business_name": "Sparkle Wash",
    },
    "photos": {"action": "continue"},
    "contact": {"wants_contact": "no"},
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1)
    parser.add_argument("--drafts", type=int, help="drafts to prepare (default: plenty)")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/9")
    # The steps that run inside Django, in a process configured like the server.
    parser.add_argument("--helper", choices=["prepare", "verify"], help=argparse.SUPPRESS)
    parser.add_argument("--file", type=Path, help=argparse.SUPPRESS)
    options = parser.parse_args()

    if options.helper == "prepare":
        prepare_drafts(options.drafts, options.file)
        return
    if options.helper == "verify":
        verify(options.file)
        return
    databases = ["sqlite", "postgres"] if options.database == "both" else [options.database]
    for database in databases:
        print(json.dumps(measure(database, options)), flush=True)


# The run, for one database.


@dataclass
class Phase:
    """What the clients saw while driving one endpoint."""

    acknowledged: list[str] = field(default_factory=list)
    latencies: list[float] = field(default_factory=list)
    errors: Counter[str] = field(default_factory=Counter)
    seconds: float = 0.0
    # The load generator's own CPU time: it shares the machine with the server.
    client_cpu_seconds: float = 0.0
    ran_dry: bool = False

    @property
    def per_second(self) -> float:
        return len(self.acknowledged) / self.seconds

    def percentile_ms(self, percent: int) -> float:
        if len(self.latencies) < 2:
            return float("nan")
        return statistics.quantiles(self.latencies, n=100, method="inclusive")[percent - 1] * 1000


def measure(database: str, options: argparse.Namespace) -> dict[str, object]:
    drafts_wanted = options.drafts or int(options.seconds * DRAFTS_PER_SECOND) + 1000
    with tempfile.TemporaryDirectory(prefix="lantern-bench-") as directory:
        home = Path(directory)
        port = free_port()
        environment = server_environment(database, home, port, options.redis_url)
        recreate_database(database)
        run(environment, [str(LANTERN), "migrate", "--no-input", "--verbosity=0"])
        drafts_file = home / "drafts.txt"
        helper(environment, "prepare", drafts_file, "--drafts", str(drafts_wanted))
        drafts = [line.split() for line in drafts_file.read_text().splitlines()]

        with serving(environment, port, options.workers, home / "server.log"):
            drive(port, healthz_requests(port), clients=10, seconds=3, accept=is_ok)
            reports = drive(
                port,
                report_requests(port, drafts),
                clients=options.clients,
                seconds=options.seconds,
                accept=is_sent,
            )
            bare = drive(
                port,
                bare_requests(port, drafts[0]),
                clients=options.clients,
                seconds=options.seconds,
                accept=is_no_content,
            )

        acknowledged_file = home / "acknowledged.json"
        acknowledged_file.write_text(
            json.dumps({"reports": reports.acknowledged, "bare": bare.acknowledged})
        )
        stored = json.loads(helper(environment, "verify", acknowledged_file))

    for name, phase in (("reports", reports), ("bare", bare)):
        if phase.errors:
            print(f"{database} {name} errors: {dict(phase.errors)}", file=sys.stderr)
        if phase.ran_dry:
            print(f"{database} {name}: the prepared drafts ran out early", file=sys.stderr)
    return {
        "database": database,
        "clients": options.clients,
        "seconds": options.seconds,
        "workers": options.workers,
        "reports_per_second": round(reports.per_second, 1),
        "p95_ms": round(reports.percentile_ms(95), 1),
        "p50_ms": round(reports.percentile_ms(50), 1),
        "errors": sum(reports.errors.values()),
        "bare_per_second": round(bare.per_second, 1),
        "bare_p95_ms": round(bare.percentile_ms(95), 1),
        "bare_errors": sum(bare.errors.values()),
        "ratio_to_bare": round(reports.per_second / bare.per_second, 3),
        "acknowledged": len(reports.acknowledged),
        **stored,
        "client_cpu_percent": round(100 * reports.client_cpu_seconds / reports.seconds),
        "bare_client_cpu_percent": round(100 * bare.client_cpu_seconds / bare.seconds),
    }


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def server_environment(database: str, home: Path, port: int, redis_url: str) -> dict[str, str]:
    """Production settings, on plain HTTP behind a (pretended) TLS-terminating proxy.

    Nothing is relaxed but the rate limit (and the static files' manifest, which
    bench/bare_settings.py explains): requests carry ``X-Forwarded-Proto: https`` from the
    loopback address, which gunicorn trusts by default, as a proxy in front would send them.
    """
    url = (
        f"sqlite:///{home / 'lantern.sqlite3'}"
        if database == "sqlite"
        else f"{POSTGRES_SERVER}/{POSTGRES_DATABASE}"
    )
    python_path = [str(BENCH_DIR), *filter(None, [os.environ.get("PYTHONPATH")])]
    return {
        **os.environ,
        "LANTERN_ENV": "production",
        # Shared by the process that prepares the sessions and the server that reads them.
        "SECRET_KEY": secrets.token_urlsafe(50),
        # Required in production since victims' details are encrypted; a report stores none.
        "LANTERN_FIELD_ENCRYPTION_SALTS": secrets.token_urlsafe(16),
        "ALLOWED_HOSTS": HOST,
        "DATABASE_URL": url,
        "REDIS_URL": redis_url,
        "PUBLIC_REPORT_RATE_LIMIT": RATE_LIMIT,
        "LANTERN_VAR_DIR": str(home / "var"),
        "DJANGO_SETTINGS_MODULE": "bare_settings",
        "PYTHONPATH": os.pathsep.join(python_path),
        "HOST": HOST,
        "PORT": str(port),
    }


def recreate_database(database: str) -> None:
    """A fresh database for every run: the SQLite file is new with its directory."""
    if database != "postgres":
        return
    import psycopg

    with psycopg.connect(f"{POSTGRES_SERVER}/postgres", autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {POSTGRES_DATABASE} WITH (FORCE)")
        connection.execute(f"CREATE DATABASE {POSTGRES_DATABASE}")


def run(environment: dict[str, str], command: list[str]) -> str:
    completed = subprocess.run(
        command, env=environment, capture_output=True, text=True, check=False
    )
    if completed.returncode != 0:
        sys.exit(f"{' '.join(command)} failed:\n{completed.stderr}")
    return completed.stdout


def helper(environment: dict[str, str], step: str, file: Path, *arguments: str) -> str:
    script = str(Path(__file__).resolve())
    return run(
        environment, [sys.executable, script, "--helper", step, "--file", str(file), *arguments]
    )


@contextlib.contextmanager
def serving(environment: dict[str, str], port: int, workers: int, log: Path) -> Iterator[None]:
    """``lantern serve`` with its access log, until the block ends."""
    command = [str(LANTERN), "serve", "--host", HOST, "--port", str(port)]
    with log.open("wb") as output:
        server = subprocess.Popen(
            [*command, "--workers", str(workers)],
            env=environment,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
        try:
            wait_until_healthy(server, port, log)
            yield
        finally:
            server.terminate()
            server.wait(timeout=60)


def wait_until_healthy(server: subprocess.Popen[bytes], port: int, log: Path) -> None:
    request = urllib.request.Request(
        f"http://{HOST}:{port}/healthz", headers={"X-Forwarded-Proto": "https"}
    )
    for _attempt in range(600):
        if server.poll() is not None:
            sys.exit(f"lantern serve stopped:\n{log.read_text()[-3000:]}")
        with contextlib.suppress(OSError), urllib.request.urlopen(request, timeout=5) as answer:
            if answer.status == 200:
                return
        time.sleep(0.1)
    sys.exit(f"lantern serve did not answer:\n{log.read_text()[-3000:]}")


# The load: exactly `clients` requests in flight, each on a connection of its own.


def http_request(port: int, method: str, path: str, cookies: str = "", form: str = "") -> bytes:
    """The bytes a browser would send through the TLS proxy, as the proxy forwards them."""
    origin = f"https://{HOST}:{port}"
    lines = [
        f"{method} {path} HTTP/1.1",
        f"Host: {HOST}:{port}",
        "X-Forwarded-Proto: https",
        "Connection: close",
    ]
    if method == "POST":
        lines += [
            f"Origin: {origin}",
            f"Referer: {origin}/report/check/",
            f"Cookie: {cookies}",
            "Content-Type: application/x-www-form-urlencoded",
            f"Content-Length: {len(form)}",
        ]
    return ("\r\n".join(lines) + "\r\n\r\n" + form).encode()


def healthz_requests(port: int) -> Iterator[tuple[str, bytes]]:
    while True:
        yield "", http_request(port, "GET", "/healthz")


def report_requests(port: int, drafts: list[list[str]]) -> Iterator[tuple[str, bytes]]:
    """Each prepared draft once: its session, its CSRF pair and its submission key."""
    for session_key, submission_key, csrf_secret, csrf_token in drafts:
        yield (
            submission_key,
            http_request(
                port,
                "POST",
                "/report/check/",
                cookies=f"sessionid={session_key}; csrftoken={csrf_secret}",
                form=(f"csrfmiddlewaretoken={csrf_token}&submission_key={submission_key}&website="),
            ),
        )


def bare_requests(port: int, draft: list[str]) -> Iterator[tuple[str, bytes]]:
    """A new row key each time, with a valid CSRF pair so that the middleware does as much."""
    _session_key, _submission_key, csrf_secret, csrf_token = draft
    while True:
        key = str(uuid.uuid4())
        yield (
            key,
            http_request(
                port,
                "POST",
                "/bench/bare/",
                cookies=f"csrftoken={csrf_secret}",
                form=f"csrfmiddlewaretoken={csrf_token}&key={key}",
            ),
        )


def status_and_location(response: bytes) -> tuple[bytes, bytes]:
    head = response.split(b"\r\n\r\n", 1)[0].split(b"\r\n")
    status = head[0].split(b" ", 2)[1] if head and head[0].count(b" ") else b"?"
    location = b""
    for line in head[1:]:
        name, _colon, value = line.partition(b":")
        if name.strip().lower() == b"location":
            location = value.strip()
    return status, location


def is_sent(response: bytes) -> bool:
    """ "Sent" is the redirect to the confirmation page; anything else is an error."""
    return status_and_location(response) == (b"302", SENT_PATH.encode())


def is_ok(response: bytes) -> bool:
    return status_and_location(response)[0] == b"200"


def is_no_content(response: bytes) -> bool:
    return status_and_location(response)[0] == b"204"


def drive(
    port: int,
    requests: Iterator[tuple[str, bytes]],
    *,
    clients: int,
    seconds: float,
    accept: Callable[[bytes], bool],
) -> Phase:
    return asyncio.run(_drive(port, requests, clients, seconds, accept))


async def _drive(
    port: int,
    requests: Iterator[tuple[str, bytes]],
    clients: int,
    seconds: float,
    accept: Callable[[bytes], bool],
) -> Phase:
    phase = Phase()
    loop = asyncio.get_running_loop()
    deadline = loop.time() + seconds

    async def client() -> None:
        while loop.time() < deadline:
            key, request = next(requests, ("", b""))
            if not request:
                phase.ran_dry = True
                return
            started = time.perf_counter()
            try:
                response = await asyncio.wait_for(exchange(port, request), REQUEST_TIMEOUT_SECONDS)
            except (OSError, TimeoutError) as error:
                phase.errors[type(error).__name__] += 1
                continue
            phase.latencies.append(time.perf_counter() - started)
            if accept(response):
                phase.acknowledged.append(key)
            else:
                status, location = status_and_location(response)
                phase.errors[f"{status.decode()} {location.decode()}".strip()] += 1

    started, cpu_started = time.perf_counter(), time.process_time()
    await asyncio.gather(*(client() for _ in range(clients)))
    phase.seconds = time.perf_counter() - started
    phase.client_cpu_seconds = time.process_time() - cpu_started
    return phase


async def exchange(port: int, request: bytes) -> bytes:
    reader, writer = await asyncio.open_connection(HOST, port)
    try:
        writer.write(request)
        return await reader.read()
    finally:
        writer.close()


# Inside Django, configured like the server (run as `--helper` by the steps above).


def prepare_drafts(count: int, output: Path) -> None:
    """Sessions holding a complete draft each, cloned from one walk through the real form.

    Writes one line per draft: session key, submission key, CSRF cookie and form token.
    The sessions are written in bulk because creating them one by one through the form
    would take longer than the run itself; their content is what the form leaves behind.
    """
    import django

    django.setup()

    from django.contrib.sessions.backends.base import VALID_KEY_CHARS
    from django.contrib.sessions.backends.db import SessionStore
    from django.contrib.sessions.models import Session
    from django.middleware.csrf import _get_new_csrf_string, _mask_cipher_secret
    from django.test import Client
    from django.utils.crypto import get_random_string

    from bare_urls import create_table
    from lantern.public.drafts import Draft

    create_table()
    visitor = Client(headers={"host": HOST})
    for step, answers in ANSWERS.items():
        response = visitor.post(f"/report/{step}/", answers, secure=True)
        if response.status_code != 302:
            sys.exit(f"The form refused the {step} page: {response.status_code}")
    walked_session = visitor.session
    walked = dict(walked_session.items())
    draft = walked[Draft.SESSION_KEY]
    expires = walked_session.get_expiry_date()

    store = SessionStore()
    sessions = []
    with output.open("w") as lines:
        for _number in range(count):
            submission_key = str(uuid.uuid4())
            session_key = get_random_string(32, VALID_KEY_CHARS)
            data = {**walked, Draft.SESSION_KEY: {**draft, "key": submission_key}}
            sessions.append(
                Session(
                    session_key=session_key, session_data=store.encode(data), expire_date=expires
                )
            )
            csrf_secret = _get_new_csrf_string()
            token = _mask_cipher_secret(csrf_secret)
            lines.write(f"{session_key} {submission_key} {csrf_secret} {token}\n")
    Session.objects.bulk_create(sessions, batch_size=2000)


def verify(acknowledged_file: Path) -> None:
    """Every acknowledged report and bare row must be in the database, each key once."""
    import django

    django.setup()
    from django.db import connection
    from django.db.models import Count

    from bare_urls import TABLE
    from lantern.public.models import PublicReport

    acknowledged = json.loads(acknowledged_file.read_text())
    reports = {str(key) for key in PublicReport.objects.values_list("submission_key", flat=True)}
    repeated = (
        PublicReport.objects.values("submission_key")
        .annotate(times=Count("id"))
        .filter(times__gt=1)
        .count()
    )
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT row_key FROM {TABLE}")
        rows = {key for (key,) in cursor.fetchall()}
    print(
        json.dumps(
            {
                "stored": PublicReport.objects.count(),
                "lost": len(set(acknowledged["reports"]) - reports),
                "duplicates": repeated,
                "bare_acknowledged": len(acknowledged["bare"]),
                "bare_stored": len(rows),
                "bare_lost": len(set(acknowledged["bare"]) - rows),
            }
        )
    )


if __name__ == "__main__":
    main()
