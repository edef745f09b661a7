"""Crash test under load: kill -9 the web server and the worker mid-run; nothing is lost.

Public reports (through the real form's last step) and intelligence (through the partner
API) are sent by ``--clients`` concurrent clients against ``lantern serve`` in production
mode, with ``lantern worker`` sending each reporter's reference email to an SMTP sink run
here. During the run the web server (gunicorn's master and workers, ``kill -9`` on the
process group) and the worker are killed, each ``--kills`` times, and started again, as a
service manager would; on PostgreSQL every connection to the database is also cut once
(``pg_terminate_backend``: what a database restart does to Lantern; the shared server
itself is not restarted). Clients retry every request that got no answer or an error,
with the same submission key, as a browser's resend or a partner system would.

Afterwards, for each database, one JSON line: acknowledged, stored, lost (acknowledged
but not stored) and duplicated (a key stored twice) for reports and intelligence; half
stored (a report without its email job, intelligence without its audit entry); emails
sent once, sent twice, visibly failed, and still waiting; jobs reclaimed from the killed
worker; and whether ``lantern audit verify`` finds the chain intact. The floor it is
measured against is the same run's acknowledged count: every one must be stored once.

    .venv/bin/python bench/crash.py [--database sqlite|postgres|both]
        [--clients 50] [--seconds 60] [--kills 2] [--workers 3]
"""

import argparse
import asyncio
import contextlib
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from pathlib import Path

import public_report as common

POSTGRES_DATABASE = "lantern_crash"
REPORTER = "reporter@example.com"
REFERENCE_IN_EMAIL = re.compile(rb"Your reference is (\S+?)\.")
# Clients keep retrying this long after the run for an answer to what they sent.
GRACE_SECONDS = 90
DRAIN_SECONDS = 120


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--kills", type=int, default=2)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/9")
    parser.add_argument("--helper", choices=["prepare", "verify"], help=argparse.SUPPRESS)
    parser.add_argument("--file", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--drafts", type=int, help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.helper == "prepare":
        prepare(options.drafts, options.file)
        return
    if options.helper == "verify":
        verify(options.file)
        return
    databases = ["sqlite", "postgres"] if options.database == "both" else [options.database]
    for database in databases:
        print(json.dumps(crash_run(database, options)), flush=True)


# An SMTP server that keeps what it receives (the worker's mail server).


class MailSink:
    """Just enough SMTP to receive messages, each counted by the reference it carries.

    It answers the end of a message after a short pause, so that a worker killed while
    sending is a likely event, not a rare one.
    """

    def __init__(self) -> None:
        self.references: Counter[str] = Counter()
        self.loop = asyncio.new_event_loop()
        self.port = 0
        ready = threading.Event()
        threading.Thread(target=self._run, args=(ready,), daemon=True).start()
        ready.wait(10)

    def _run(self, ready: threading.Event) -> None:
        asyncio.set_event_loop(self.loop)
        server = self.loop.run_until_complete(asyncio.start_server(self._session, common.HOST, 0))
        self.port = server.sockets[0].getsockname()[1]
        ready.set()
        self.loop.run_forever()

    async def _session(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        def say(line: str) -> None:
            writer.write(f"{line}\r\n".encode())

        say("220 sink")
        try:
            while line := await reader.readline():
                verb = line[:4].upper()
                if verb == b"DATA":
                    say("354 go ahead")
                    message = []
                    while (part := await reader.readline()) not in (b".\r\n", b""):
                        message.append(part)
                    found = REFERENCE_IN_EMAIL.search(b"".join(message))
                    self.references[found.group(1).decode() if found else "?"] += 1
                    await asyncio.sleep(0.05)
                    say("250 kept")
                elif verb == b"QUIT":
                    say("221 bye")
                    await writer.drain()
                    break
                else:
                    say("250 ok")
                await writer.drain()
        except (ConnectionError, OSError):
            pass
        finally:
            writer.close()


# The processes, started as a service manager would and killed with SIGKILL.


class Process:
    def __init__(self, command: list[str], environment: dict[str, str], log: Path) -> None:
        self.command, self.environment, self.log = command, environment, log
        self.process: subprocess.Popen | None = None
        self.starts = 0

    def start(self) -> None:
        with self.log.open("ab") as output:
            self.process = subprocess.Popen(
                self.command,
                env=self.environment,
                stdout=output,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group, killed as one
            )
        self.starts += 1

    def kill(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()

    def stop(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.kill()

    def restart_if_stopped(self) -> bool:
        if self.process.poll() is None:
            return False
        self.start()
        return True


def crash_run(database: str, options: argparse.Namespace) -> dict[str, object]:
    sink = MailSink()
    with tempfile.TemporaryDirectory(prefix="lantern-crash-") as directory:
        home = Path(directory)
        port = common.free_port()
        environment = {
            **common.server_environment(database, home, port, options.redis_url),
            "DATABASE_URL": (
                f"sqlite:///{home / 'lantern.sqlite3'}"
                if database == "sqlite"
                else f"{common.POSTGRES_SERVER}/{POSTGRES_DATABASE}"
            ),
            "EMAIL_HOST": common.HOST,
            "EMAIL_PORT": str(sink.port),
            "API_RATE_LIMIT": "100000000/hour",
            "LANTERN_WORKER_HEARTBEAT_SECONDS": "1",
        }
        recreate_database(database)
        common.run(environment, [str(common.LANTERN), "migrate", "--no-input", "--verbosity=0"])
        drafts_file = home / "drafts.txt"
        drafts_wanted = int(options.seconds * 60) + 20 * options.clients
        run_helper(environment, "prepare", drafts_file, "--drafts", str(drafts_wanted))
        lines = drafts_file.read_text().splitlines()
        token = lines[0]
        drafts = [line.split() for line in lines[1:]]

        server = Process(
            [
                str(common.LANTERN),
                "serve",
                *("--host", common.HOST, "--port", str(port), "--workers", str(options.workers)),
            ],
            environment,
            home / "server.log",
        )
        worker = Process(
            [str(common.LANTERN), "worker", "--no-daily", "--no-startup-delay"],
            environment,
            home / "worker.log",
        )
        server.start()
        common.wait_until_healthy(server.process, port, server.log)
        worker.start()
        events: list[str] = []
        chaos = threading.Thread(
            target=make_chaos,
            args=(server, worker, database, options, events),
            daemon=True,
        )
        chaos.start()
        results = asyncio.run(load(port, drafts, token, options))
        chaos.join()
        drain(environment, worker, home)

        acknowledged_file = home / "acknowledged.json"
        acknowledged_file.write_text(json.dumps(results))
        verified = json.loads(run_helper(environment, "verify", acknowledged_file))
        worker.stop()
        server.stop()

    sent = Counter(sink.references.values())
    failed_references = set(verified.pop("email_failed_references"))
    delivered = set(sink.references)
    return {
        "database": database,
        "clients": options.clients,
        "seconds": options.seconds,
        "kills": events,
        "server_starts": server.starts,
        "worker_starts": worker.starts,
        "reports_acknowledged": len(results["reports"]),
        "intelligence_acknowledged": len(results["intelligence"]),
        "unanswered": results["unanswered"],
        **verified,
        "emails_sent_once": sent[1],
        "emails_sent_twice_or_more": sum(n for times, n in sent.items() if times > 1),
        "emails_failed_visibly_not_received": len(failed_references - delivered),
        "emails_failed_visibly_received": len(failed_references & delivered),
        "lost": verified["reports_lost"] + verified["intelligence_lost"],
        "errors": verified["reports_duplicated"]
        + verified["intelligence_duplicated"]
        + verified["half_stored"]
        + verified["emails_pending"]
        + sum(n for times, n in sent.items() if times > 1)
        + (0 if verified["audit_intact"] else 1),
    }


def recreate_database(database: str) -> None:
    if database != "postgres":
        return
    import psycopg

    with psycopg.connect(f"{common.POSTGRES_SERVER}/postgres", autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {POSTGRES_DATABASE} WITH (FORCE)")
        connection.execute(f"CREATE DATABASE {POSTGRES_DATABASE}")


def cut_connections() -> None:
    """What a PostgreSQL restart does to Lantern: every connection to its database ends."""
    import psycopg

    with psycopg.connect(f"{common.POSTGRES_SERVER}/postgres", autocommit=True) as connection:
        connection.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = %s AND pid <> pg_backend_pid()",
            [POSTGRES_DATABASE],
        )


def run_helper(environment: dict[str, str], step: str, file: Path, *arguments: str) -> str:
    script = str(Path(__file__).resolve())
    return common.run(
        environment, [sys.executable, script, "--helper", step, "--file", str(file), *arguments]
    )


def make_chaos(
    server: Process,
    worker: Process,
    database: str,
    options: argparse.Namespace,
    events: list[str],
) -> None:
    """Kill the server and the worker at even intervals through the run; restart each as a
    service manager would (and the worker whenever it stops by itself)."""
    started = time.monotonic()
    moments = []
    for number in range(options.kills):
        share = (number + 0.5) / options.kills
        moments += [(share * 0.8, "server"), (share * 0.8 + 0.1, "worker")]
    if database == "postgres":
        moments.append((0.45, "database"))
    for share, what in sorted(moments):
        while time.monotonic() - started < share * options.seconds:
            if worker.restart_if_stopped():
                events.append("worker stopped by itself, restarted")
            time.sleep(0.05)
        events.append(f"{what} at {time.monotonic() - started:.1f}s")
        if what == "server":
            server.kill()
            server.start()  # the clients find out when it answers again
        elif what == "worker":
            worker.kill()
            worker.start()
        else:
            cut_connections()
    while time.monotonic() - started < options.seconds:
        if worker.restart_if_stopped():
            events.append("worker stopped by itself, restarted")
        time.sleep(0.05)


def drain(environment: dict[str, str], worker: Process, home: Path) -> None:
    """Let the worker finish what is queued (restarting it if it stopped)."""
    deadline = time.monotonic() + DRAIN_SECONDS
    while time.monotonic() < deadline:
        worker.restart_if_stopped()
        waiting = common.run(
            environment,
            [
                str(common.LANTERN),
                "shell",
                "--no-imports",
                "-c",
                "from django_tasks_db.models import DBTaskResult; "
                "print(DBTaskResult.objects.filter(status__in=['READY', 'RUNNING']).count())",
            ],
        )
        if waiting.strip() == "0":
            return
        time.sleep(1)


# The clients.


def api_request(port: int, token: str, body: bytes) -> bytes:
    lines = [
        "POST /api/v1/intelligence/ HTTP/1.1",
        f"Host: {common.HOST}:{port}",
        "X-Forwarded-Proto: https",
        "Connection: close",
        f"Authorization: Token {token}",
        "Content-Type: application/json",
        f"Content-Length: {len(body)}",
    ]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


def intelligence_body(key: str) -> bytes:
    return json.dumps(
        {
            "submission_key": key,
            "summary": "Men sleeping at a hand car wash",
            "narrative": "Six men sleeping in the back unit.",
            "postcode": "le3 0aa",
            "exploitation_types": ["labour"],
            "child_involved": False,
            "indicators": "injuries",
            "sector": "hand_car_wash",
            "source_evaluation": "2",
            "intelligence_assessment": "B",
            "handling_code": "P",
        }
    ).encode()


def is_created(response: bytes) -> bool:
    return common.status_and_location(response)[0] in (b"201", b"200")


async def load(
    port: int, drafts: list[list[str]], token: str, options: argparse.Namespace
) -> dict[str, object]:
    """Clients, half sending public reports, half intelligence, each retrying what got no
    answer with the same key until it is acknowledged or the grace period is over."""
    loop = asyncio.get_running_loop()
    end = loop.time() + options.seconds
    give_up = end + GRACE_SECONDS
    drafts_left = iter(drafts)
    acknowledged: dict[str, list[str]] = {"reports": [], "intelligence": []}
    unanswered = Counter()

    async def send(kind: str, key: str, request: bytes, accept) -> None:
        wait = 0.2
        while loop.time() < give_up:
            try:
                response = await asyncio.wait_for(
                    common.exchange(port, request), common.REQUEST_TIMEOUT_SECONDS
                )
            except (OSError, TimeoutError):
                response = b""
            if response and accept(response):
                acknowledged[kind].append(key)
                return
            # Back off as a partner system would, not hammering a server starting up.
            await asyncio.sleep(wait)
            wait = min(wait * 2, 5)
        unanswered[kind] += 1

    async def reporter() -> None:
        while loop.time() < end:
            draft = next(drafts_left, None)
            if draft is None:
                return
            session_key, submission_key, csrf_secret, csrf_token = draft
            request = common.http_request(
                port,
                "POST",
                "/report/check/",
                cookies=f"sessionid={session_key}; csrftoken={csrf_secret}",
                form=f"csrfmiddlewaretoken={csrf_token}&submission_key={submission_key}&website=",
            )
            await send("reports", submission_key, request, common.is_sent)

    async def partner() -> None:
        while loop.time() < end:
            key = str(uuid.uuid4())
            await send(
                "intelligence", key, api_request(port, token, intelligence_body(key)), is_created
            )

    clients = [reporter() if number % 2 == 0 else partner() for number in range(options.clients)]
    await asyncio.gather(*clients)
    return {**acknowledged, "unanswered": dict(unanswered)}


# Inside Django, configured like the server.


def prepare(count: int, output: Path) -> None:
    """A partner's API token, then drafts of reports whose senders want their reference
    emailed (the form walked once, cloned as the public-report benchmark does)."""
    import django

    django.setup()
    import datetime

    from django.contrib.auth.models import Group

    from lantern.core import services
    from lantern.core.models import Organisation, OrganisationType, User
    from lantern.core.roles import Role

    organisation = Organisation.objects.create(
        name="Crash Test Partner",
        organisation_type=OrganisationType.CHARITY,
        isa_signed_on=datetime.date(2024, 4, 1),
    )
    account = User.objects.create_user(
        email="system@crash.test", full_name="Partner system", organisation=organisation
    )
    account.groups.add(Group.objects.get(name=Role.PARTNER_CONTRIBUTOR.value))
    issued = services.issue_api_token(
        account=account, expires_in=datetime.timedelta(days=1), actor_email="crash bench"
    )
    common.ANSWERS["contact"] = {
        "wants_contact": "yes",
        "contact_email": REPORTER,
        "consent_to_contact": "on",
    }
    drafts = output.with_suffix(".drafts")
    common.prepare_drafts(count, drafts)
    output.write_text(issued.token + "\n" + drafts.read_text())


def verify(acknowledged_file: Path) -> None:
    """Stored once each, nothing half stored, every email job finished, the chain intact."""
    import django

    django.setup()
    from django.db.models import Count
    from django_tasks_db.models import DBTaskResult

    from lantern.core import audit
    from lantern.core.models import AuditEvent
    from lantern.intelligence.models import IntelligenceReport
    from lantern.public.models import PublicReport

    acknowledged = json.loads(acknowledged_file.read_text())

    def stored(model) -> tuple[set[str], int]:
        keys = {str(key) for key in model.objects.values_list("submission_key", flat=True)}
        repeated = (
            model.objects.values("submission_key")
            .annotate(times=Count("id"))
            .filter(times__gt=1)
            .count()
        )
        return keys, repeated

    reports, reports_repeated = stored(PublicReport)
    intelligence, intelligence_repeated = stored(IntelligenceReport)
    emails = DBTaskResult.objects.filter(task_path="lantern.core.outbox.send_email")
    email_references = Counter()
    failed_references = []
    for job in emails:
        found = REFERENCE_IN_EMAIL.search(job.args_kwargs["kwargs"]["body"].encode())
        reference = found.group(1).decode() if found else "?"
        if job.args_kwargs["kwargs"]["attempt"] == 1:  # queued with the report
            email_references[reference] += 1
        if job.status == "FAILED":
            failed_references.append(reference)
    report_references = set(PublicReport.objects.values_list("reference", flat=True))
    audited = Counter(
        AuditEvent.objects.filter(action=audit.Action.INTELLIGENCE_SUBMITTED).values_list(
            "object_id", flat=True
        )
    )
    intelligence_ids = [str(pk) for pk in IntelligenceReport.objects.values_list("pk", flat=True)]
    half_stored = sum(1 for reference in report_references if email_references[reference] != 1)
    half_stored += sum(1 for pk in intelligence_ids if audited[pk] != 1)
    print(
        json.dumps(
            {
                "reports_stored": len(reports),
                "reports_lost": len(set(acknowledged["reports"]) - reports),
                "reports_duplicated": reports_repeated,
                "intelligence_stored": len(intelligence),
                "intelligence_lost": len(set(acknowledged["intelligence"]) - intelligence),
                "intelligence_duplicated": intelligence_repeated,
                "half_stored": half_stored,
                "email_jobs": emails.count(),
                "emails_pending": emails.filter(status__in=["READY", "RUNNING"]).count(),
                "email_failed_references": failed_references,
                "jobs_reclaimed": AuditEvent.objects.filter(
                    action=audit.Action.JOB_RECLAIMED
                ).count(),
                "audit_intact": audit.verify_chain().intact,
            }
        )
    )


if __name__ == "__main__":
    main()
