"""``lantern check --deploy``: a production configuration passes, and every gap is named."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from lantern.core.checks import check_production_settings

LANTERN = str(Path(sys.executable).with_name("lantern"))


def _production(tmp_path: Path, **overrides: str) -> dict[str, str]:
    backups = tmp_path / "backups"
    backups.mkdir(exist_ok=True)
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("LANTERN_", "SECRET_KEY", "ALLOWED_HOSTS", "DJANGO_"))
    }
    environment.update(
        LANTERN_ENV="production",
        LANTERN_VAR_DIR=str(tmp_path / "var"),
        SECRET_KEY="s3cr3t-" + "Kq9vZ2xWm4Tp8Rb6Yh1Nc5Ld7Fg3Js0" * 2,
        ALLOWED_HOSTS="lantern.example.org",
        LANTERN_FIELD_ENCRYPTION_SALTS="a-production-salt",
        LANTERN_BACKUP_KEY="b" * 48,
        LANTERN_BACKUP_DIR=str(backups),
        DATABASE_URL="postgres://lantern@db.invalid:5432/lantern",
    )
    environment.update(overrides)
    return {key: value for key, value in environment.items() if value != "-"}


def _check(tmp_path: Path, **overrides: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [LANTERN, "check", "--deploy"],
        env=_production(tmp_path, **overrides),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_a_complete_production_configuration_passes(tmp_path):
    result = _check(tmp_path)
    assert result.returncode == 0, result.stderr
    assert "lantern." not in result.stdout + result.stderr


def test_every_gap_is_listed_and_the_check_fails(tmp_path):
    result = _check(
        tmp_path,
        LANTERN_BACKUP_KEY="-",
        LANTERN_BACKUP_DIR=str(tmp_path / "nowhere"),
        LANTERN_REQUIRE_SECOND_FACTOR="0",
        ALLOWED_HOSTS="*",
        SECURE_SSL_REDIRECT="0",
    )
    assert result.returncode != 0
    report = result.stderr
    assert "LANTERN_BACKUP_KEY is not set" in report
    assert "is not a directory Lantern can write to" in report
    assert "second factor is not required" in report
    assert "ALLOWED_HOSTS does not name" in report
    assert "HTTPS is not enforced: SECURE_SSL_REDIRECT off" in report
    assert "lantern.E001" not in report  # it is production


def test_local_settings_are_not_production_ready(monkeypatch):
    for variable in ("SECRET_KEY", "LANTERN_FIELD_ENCRYPTION_SALTS", "LANTERN_BACKUP_KEY"):
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.delenv("LANTERN_BACKUP_DIR", raising=False)
    problems = check_production_settings()
    ids = [problem.id for problem in problems]
    assert "lantern.E001" in ids  # not production
    assert ids.count("lantern.E002") == 3  # three keys from var/, none from the environment
    assert "lantern.E007" in ids
    assert all(problem.is_serious() for problem in problems if problem.id.startswith("lantern.E"))


@pytest.mark.parametrize("value", ["short", "x" * 31])
def test_a_short_backup_key_is_refused(settings, monkeypatch, value):
    settings.LANTERN_BACKUP_KEY = value
    monkeypatch.setenv("LANTERN_BACKUP_KEY", value)
    assert "lantern.E003" in [problem.id for problem in check_production_settings()]
