"""The `lantern` command as an operator uses it, in a separate process with its own database."""

import json
import os
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

LANTERN = str(Path(sys.executable).with_name("lantern"))


def _environment(tmp_path: Path, **extra: str) -> dict[str, str]:
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "SECRET_KEY", "LANTERN_ENV", "DJANGO_SETTINGS_MODULE"}
    }
    environment.update(LANTERN_VAR_DIR=str(tmp_path / "var"), **extra)
    return environment


def _run(tmp_path: Path, *arguments: str, **extra: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [LANTERN, *arguments],
        env=_environment(tmp_path, **extra),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """A fresh local installation: migrated SQLite database with the demo loaded."""
    tmp_path = tmp_path_factory.mktemp("lantern")
    assert _run(tmp_path, "migrate", "--no-input").returncode == 0
    demo = _run(tmp_path, "demo")
    assert demo.returncode == 0, demo.stderr
    return tmp_path, demo.stdout


def test_local_setup_uses_sqlite_in_wal_mode_with_a_generated_secret_key(installed):
    tmp_path, _ = installed
    database = tmp_path / "var" / "lantern.sqlite3"
    with sqlite3.connect(database) as connection:
        assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    key_file = tmp_path / "var" / "secret_key"
    assert len(key_file.read_text()) >= 50
    assert oct(key_file.stat().st_mode & 0o777) == "0o600"


def test_demo_prints_a_log_in_for_every_role_and_is_idempotent(installed):
    tmp_path, output = installed
    for role in ("hub analyst", "system administrator", "board viewer", "safeguarding lead"):
        assert role in output
    again = _run(tmp_path, "demo")
    assert again.stdout.splitlines()[0] == output.splitlines()[0]


def test_audit_verify_reports_an_intact_log(installed):
    tmp_path, _ = installed
    result = _run(tmp_path, "audit", "verify")
    assert result.returncode == 0, result.stderr
    assert "Audit log intact" in result.stdout


def test_audit_verify_fails_loudly_on_a_tampered_log(tmp_path):
    assert _run(tmp_path, "migrate", "--no-input").returncode == 0
    script = (
        "from lantern.core import audit; "
        "[audit.record(action='auth.login', actor_email=f'user{n}@x.test') for n in range(3)]"
    )
    assert _run(tmp_path, "shell", "--no-imports", "-c", script).returncode == 0
    with sqlite3.connect(tmp_path / "var" / "lantern.sqlite3") as connection:
        connection.execute("DROP TRIGGER core_auditevent_no_update")
        connection.execute("UPDATE core_auditevent SET actor_email = 'x' WHERE id = 2")
    result = _run(tmp_path, "audit", "verify")
    assert result.returncode != 0
    assert "BROKEN at entry #2" in result.stderr


def test_api_token_is_printed_once_and_only_its_hash_kept(tmp_path):
    assert _run(tmp_path, "migrate", "--no-input").returncode == 0
    script = (
        "from lantern.core.models import User; "
        "User.objects.create_user(email='contributor@lantern.example', full_name='System')"
    )
    assert _run(tmp_path, "shell", "--no-imports", "-c", script).returncode == 0
    created = _run(tmp_path, "api-token", "create", "contributor@lantern.example")
    assert created.returncode == 0, created.stderr
    token = created.stdout.strip()
    assert token.startswith("lantern_")
    assert "shown once" in created.stderr

    listing = _run(tmp_path, "api-token", "list", "contributor@lantern.example")
    revoked = _run(tmp_path, "api-token", "revoke", "contributor@lantern.example")
    again = _run(tmp_path, "api-token", "revoke", "contributor@lantern.example")

    assert f"{token[:15]}…" in listing.stdout
    assert token not in listing.stdout
    assert revoked.returncode == 0, revoked.stderr
    assert again.returncode != 0
    assert "no token to revoke" in again.stderr
    for database in (tmp_path / "var").glob("lantern.sqlite3*"):
        assert token.encode() not in database.read_bytes()


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    result = _run(tmp_path, "check", LANTERN_ENV="production", ALLOWED_HOSTS="lantern.test")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts(tmp_path):
    result = _run(tmp_path, "check", LANTERN_ENV="production", SECRET_KEY="x" * 60)
    assert result.returncode != 0
    assert "ALLOWED_HOSTS must be set" in result.stderr


def test_production_refuses_to_start_without_a_field_encryption_salt(tmp_path):
    result = _run(
        tmp_path, "check", LANTERN_ENV="production", SECRET_KEY="x" * 60, ALLOWED_HOSTS="a.test"
    )
    assert result.returncode != 0
    assert "LANTERN_FIELD_ENCRYPTION_SALTS must be set" in result.stderr


def test_production_settings_are_secure(tmp_path):
    script = (
        "import json; from django.conf import settings as s; print(json.dumps({"
        "'debug': s.DEBUG, 'session_secure': s.SESSION_COOKIE_SECURE, "
        "'csrf_secure': s.CSRF_COOKIE_SECURE, 'hsts': s.SECURE_HSTS_SECONDS, "
        "'ssl_redirect': s.SECURE_SSL_REDIRECT, 'second_factor': s.LANTERN_REQUIRE_SECOND_FACTOR}))"
    )
    result = _run(
        tmp_path,
        "shell",
        "--no-imports",
        "-c",
        script,
        LANTERN_ENV="production",
        SECRET_KEY="x" * 60,
        ALLOWED_HOSTS="lantern.test",
        LANTERN_FIELD_ENCRYPTION_SALTS="a-salt-from-the-secret-store",
        DEBUG="1",
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {
        "debug": False,
        "session_secure": True,
        "csrf_secure": True,
        "hsts": 31536000,
        "ssl_redirect": True,
        "second_factor": True,
    }


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_serve_runs_the_production_server_with_static_files(installed):
    tmp_path, _ = installed
    port = _free_port()
    server = subprocess.Popen(
        [LANTERN, "serve", "--workers", "1"],
        env=_environment(tmp_path, HOST="127.0.0.1", PORT=str(port)),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as reply:
                    assert json.loads(reply.read()) == {"status": "ok", "database": "ok"}
                    break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/static/lantern/lantern.css") as css:
            assert css.status == 200
            assert b"govuk-button" in css.read()
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/sign-in/") as page:
            assert page.headers["Server"].startswith("gunicorn")
            assert b"Sign in to Lantern" in page.read()
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_production_static_files_collect_with_every_image_the_stylesheets_use(tmp_path):
    """WhiteNoise's manifest storage refuses a stylesheet that refers to a missing file."""
    result = _run(
        tmp_path,
        "collectstatic",
        "--no-input",
        LANTERN_ENV="production",
        SECRET_KEY="x" * 60,
        ALLOWED_HOSTS="lantern.test",
        LANTERN_FIELD_ENCRYPTION_SALTS="a-salt-from-the-secret-store",
    )
    assert result.returncode == 0, result.stderr
    manifest = json.loads((tmp_path / "var" / "static" / "staticfiles.json").read_text())
    assert "lantern/lantern.css" in manifest["paths"]
    assert "vendor/govuk/images/govuk-crest.svg" in manifest["paths"]
