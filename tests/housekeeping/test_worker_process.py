"""The real worker as an operator runs it: separate processes on a database of their own
(SQLite in a temporary folder, or a fresh PostgreSQL database when DATABASE_URL names one).
"""

import ast
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

LANTERN = str(Path(sys.executable).with_name("lantern"))

QUEUE_WORK = (
    "from django.db import transaction; "
    "from lantern.core import outbox; "
    "from lantern.entities import tasks; "
    "atomic = transaction.atomic(); atomic.__enter__(); "
    "outbox.enqueue_email(subject='Your reference', body='Reference WORKER-TEST-REF', "
    "to=['sam@example.com']); "
    "tasks.correlate_unresolved.enqueue(); "
    "atomic.__exit__(None, None, None)"
)
EMAIL = "lantern.core.outbox.send_email"
STATUSES = (
    "from django_tasks_db.models import DBTaskResult; "
    "print(sorted(DBTaskResult.objects.values_list('task_path', 'status')))"
)


def _postgres_url(name: str) -> str | None:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        return None
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{parts.path.lstrip('/')}_{name}"))


def _admin(url: str, statement: str) -> None:
    import psycopg

    parts = urlsplit(url)
    with psycopg.connect(urlunsplit(parts._replace(path="/postgres")), autocommit=True) as db:
        db.execute(statement)


@pytest.fixture
def installation(tmp_path):
    """A migrated installation of its own; yields a function running `lantern …` in it."""
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "SECRET_KEY", "LANTERN_ENV", "DJANGO_SETTINGS_MODULE"}
    }
    environment["LANTERN_VAR_DIR"] = str(tmp_path / "var")
    postgres = _postgres_url("worker_process")
    if postgres:
        name = urlsplit(postgres).path.lstrip("/")
        _admin(postgres, f'DROP DATABASE IF EXISTS "{name}"')
        _admin(postgres, f'CREATE DATABASE "{name}"')
        environment["DATABASE_URL"] = postgres

    def lantern(*arguments: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [LANTERN, *arguments],
            env=environment,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )

    lantern.environment = environment
    migrated = lantern("migrate", "--no-input")
    assert migrated.returncode == 0, migrated.stderr
    yield lantern
    if postgres:
        _admin(postgres, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _statuses(lantern) -> list[list[str]]:
    result = lantern("shell", "--no-imports", "-c", STATUSES)
    assert result.returncode == 0, result.stderr
    return ast.literal_eval(result.stdout)


def test_the_worker_process_sends_the_queued_email_and_runs_the_correlation_sweep(
    installation,
):
    queued = installation("shell", "--no-imports", "-c", QUEUE_WORK)
    assert queued.returncode == 0, queued.stderr

    worker = installation("worker", "--batch", "--no-daily", "--no-startup-delay")

    assert worker.returncode == 0, worker.stderr
    assert "Reference WORKER-TEST-REF" in worker.stdout  # the local mail backend prints it
    assert "To: sam@example.com" in worker.stdout
    assert _statuses(installation) == [
        ("lantern.core.outbox.send_email", "SUCCESSFUL"),
        ("lantern.entities.tasks.correlate_unresolved", "SUCCESSFUL"),
    ]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _children(pid: int) -> set[int]:
    found = set()
    for task in Path(f"/proc/{pid}/task").iterdir():
        found.update(int(child) for child in (task / "children").read_text().split())
    return found


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def test_serve_with_worker_serves_runs_jobs_and_ctrl_c_stops_both(installation):
    queued = installation("shell", "--no-imports", "-c", QUEUE_WORK)
    assert queued.returncode == 0, queued.stderr
    port = _free_port()
    server = subprocess.Popen(
        [LANTERN, "serve", "--with-worker", "--port", str(port), "--workers", "1"],
        env=installation.environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 120
        page = None
        while time.monotonic() < deadline and page is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/help/", timeout=5) as r:
                    page = r.status
            except OSError:
                time.sleep(0.5)
        assert page == 200
        statuses = _statuses(installation)
        while time.monotonic() < deadline and statuses.count((EMAIL, "SUCCESSFUL")) != 1:
            time.sleep(1)
            statuses = _statuses(installation)
        assert (EMAIL, "SUCCESSFUL") in statuses
        # The worker queued tonight's daily job as it started.
        assert ("lantern.housekeeping.tasks.daily", "READY") in statuses
        children = _children(server.pid)
        assert len(children) == 2  # gunicorn and the worker

        server.send_signal(signal.SIGINT)  # what Ctrl+C sends
        output, _ = server.communicate(timeout=60)
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()

    assert server.returncode == 0, output
    assert not any(_alive(child) for child in children)
    assert "Reference WORKER-TEST-REF" in output


def test_a_job_of_a_worker_killed_mid_job_is_run_again_by_the_next_worker(installation, tmp_path):
    installation.environment["PYTHONPATH"] = str(Path(__file__).resolve().parents[2])
    marker = tmp_path / "runs"
    queued = installation(
        "shell",
        "--no-imports",
        "-c",
        "from tests.housekeeping.slow_tasks import slow_once; "
        f"slow_once.enqueue(marker={str(marker)!r})",
    )
    assert queued.returncode == 0, queued.stderr
    worker = subprocess.Popen(
        [LANTERN, "worker", "--no-daily", "--no-startup-delay"],
        env=installation.environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and not marker.exists():
            time.sleep(0.2)
        assert marker.exists(), "the worker never started the job"
        assert _statuses(installation) == [("tests.housekeeping.slow_tasks.slow_once", "RUNNING")]
        worker.send_signal(signal.SIGKILL)  # mid-job: nothing of the worker's runs after this
        worker.wait(timeout=30)
    finally:
        if worker.poll() is None:
            worker.kill()
            worker.wait()

    # Left running: the package alone would leave it so for good.
    assert _statuses(installation) == [("tests.housekeeping.slow_tasks.slow_once", "RUNNING")]

    # The next worker on this machine sees the killed one's process gone and runs it again.
    again = installation("worker", "--batch", "--no-daily", "--no-startup-delay")
    assert again.returncode == 0, again.stderr
    assert "1 queued again" in again.stdout
    assert _statuses(installation) == [("tests.housekeeping.slow_tasks.slow_once", "SUCCESSFUL")]
    assert len(marker.read_text().splitlines()) == 2
    reclaims = installation(
        "shell",
        "--no-imports",
        "-c",
        "from lantern.core.models import AuditEvent; "
        "print(AuditEvent.objects.filter(action='jobs.reclaimed').count())",
    )
    assert reclaims.stdout.strip() == "1"
