"""Benchmark: `lantern backup` and `lantern restore` of a partnership holding many reports.

Fills a new database with ``--reports`` reports from the public (text as long as a real
report's, every one with its own reference and keys) and as many intelligence reports as
a tenth of that, then times ``lantern backup`` (consistent snapshot, compressed,
encrypted) and ``lantern restore`` into an empty database (which verifies the audit
chain, the rows of every table and a sample of encrypted fields). The floor is the same
database copied without Lantern: SQLite's backup API into a file, or ``pg_dump
--format=custom`` to a file, in the same run. One JSON line per database.

    .venv/bin/python bench/backup.py [--database sqlite|postgres|both] [--reports 300000]
"""

import argparse
import json
import os
import secrets
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

LANTERN = Path(sys.executable).with_name("lantern")
POSTGRES_SERVER = "postgresql://postgres@127.0.0.1:5432"
DATABASES = ("lantern_backup_bench", "lantern_backup_bench_restored")
BATCH = 5000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--reports", type=int, default=300_000)
    parser.add_argument("--helper", choices=["fill"], help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.helper == "fill":
        fill(options.reports)
        return
    databases = ["sqlite", "postgres"] if options.database == "both" else [options.database]
    for database in databases:
        print(json.dumps(measure(database, options.reports)), flush=True)


def _url(database: str, home: Path, name: str) -> str:
    if database == "sqlite":
        return f"sqlite:///{home / (name + '.sqlite3')}"
    return f"{POSTGRES_SERVER}/{name}"


def _fresh(database: str) -> None:
    if database != "postgres":
        return
    import psycopg

    with psycopg.connect(f"{POSTGRES_SERVER}/postgres", autocommit=True) as connection:
        for name in DATABASES:
            connection.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
            connection.execute(f"CREATE DATABASE {name}")


def _run(environment: dict[str, str], command: list[str]) -> tuple[float, str]:
    started = time.perf_counter()
    completed = subprocess.run(
        command, env=environment, capture_output=True, text=True, check=False
    )
    seconds = time.perf_counter() - started
    if completed.returncode != 0:
        sys.exit(f"{' '.join(command)} failed:\n{completed.stdout[-2000:]}{completed.stderr}")
    return seconds, completed.stdout


def measure(database: str, reports: int) -> dict[str, object]:
    _fresh(database)
    with tempfile.TemporaryDirectory(prefix="lantern-backup-bench-") as directory:
        home = Path(directory)
        environment = {
            key: value
            for key, value in os.environ.items()
            if key not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE", "LANTERN_ENV"}
        }
        environment |= {
            "LANTERN_VAR_DIR": str(home / "var"),
            "SECRET_KEY": secrets.token_urlsafe(50),
            "LANTERN_FIELD_ENCRYPTION_SALTS": secrets.token_urlsafe(16),
            "LANTERN_BACKUP_KEY": secrets.token_urlsafe(48),
            "LANTERN_BACKUP_DIR": str(home / "backups"),
        }
        source = {
            **environment,
            "DATABASE_URL": _url(database, home, DATABASES[0]),
            "PRIVATE_STORAGE_DIR": str(home / "private"),
        }
        restored = {
            **environment,
            "DATABASE_URL": _url(database, home, DATABASES[1]),
            "PRIVATE_STORAGE_DIR": str(home / "private-restored"),
        }
        _run(source, [str(LANTERN), "migrate", "--no-input", "--verbosity=0"])
        fill_seconds, _out = _run(
            source,
            [
                sys.executable,
                str(Path(__file__).resolve()),
                "--helper",
                "fill",
                "--reports",
                str(reports),
            ],
        )
        backup_seconds, _out = _run(source, [str(LANTERN), "backup"])
        [backup] = (home / "backups").glob("lantern-backup-*.enc")
        restore_seconds, restore_output = _run(restored, [str(LANTERN), "restore", str(backup)])
        floor_seconds, floor_bytes = _floor(database, home)
        database_bytes = _size(database, home)
        backup_bytes = backup.stat().st_size
    return {
        "database": database,
        "public_reports": reports,
        "intelligence_reports": reports // 10,
        "fill_seconds": round(fill_seconds, 1),
        "database_mb": round(database_bytes / 1e6, 1),
        "backup_seconds": round(backup_seconds, 1),
        "backup_mb": round(backup_bytes / 1e6, 1),
        "restore_seconds": round(restore_seconds, 1),
        "restore_verified": "verified" in restore_output.lower(),
        "floor_copy_seconds": round(floor_seconds, 1),
        "floor_copy_mb": round(floor_bytes / 1e6, 1),
        "lost": 0 if "verified" in restore_output.lower() else 1,
    }


def _floor(database: str, home: Path) -> tuple[float, int]:
    """The database copied as plainly as its engine allows, no compression, no encryption."""
    target = home / "floor-copy"
    started = time.perf_counter()
    if database == "sqlite":
        with (
            sqlite3.connect(home / f"{DATABASES[0]}.sqlite3") as source,
            sqlite3.connect(target) as copy,
        ):
            source.backup(copy)
    else:
        subprocess.run(
            ["pg_dump", "--format=custom", f"--file={target}", f"{POSTGRES_SERVER}/{DATABASES[0]}"],
            check=True,
        )
    return time.perf_counter() - started, target.stat().st_size


def _size(database: str, home: Path) -> int:
    if database == "sqlite":
        return (home / f"{DATABASES[0]}.sqlite3").stat().st_size
    import psycopg

    with psycopg.connect(f"{POSTGRES_SERVER}/{DATABASES[0]}") as connection:
        return connection.execute("SELECT pg_database_size(current_database())").fetchone()[0]


def fill(count: int) -> None:
    """Reports from the public and intelligence, inserted in batches, as they would be."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lantern.settings")
    import django

    django.setup()
    import datetime
    import uuid

    from django.contrib.auth.models import Group
    from django.db import transaction

    from lantern.core.models import Organisation, OrganisationType, User
    from lantern.core.roles import Role
    from lantern.intelligence.models import IntelligenceReport
    from lantern.public.models import PublicReport

    organisation = Organisation.objects.create(
        name="Backup Bench Partner",
        organisation_type=OrganisationType.POLICE,
        isa_signed_on=datetime.date(2024, 4, 1),
    )
    author = User.objects.create_user(
        email="analyst@backup.test", full_name="Analyst", organisation=organisation
    )
    author.groups.add(Group.objects.get(name=Role.PARTNER_CONTRIBUTOR.value))
    text = (
        "Men at the car wash work every day from six in the morning with no gloves, "
        "and a minibus collects them late at night; they seem to sleep in the unit. "
    ) * 3
    for start in range(0, count, BATCH):
        size = min(BATCH, count - start)
        with transaction.atomic():
            PublicReport.objects.bulk_create(
                PublicReport(
                    reference=f"BB{start + n:08d}",
                    submission_key=uuid.uuid4(),
                    follow_up_token_hash=uuid.uuid4().hex + uuid.uuid4().hex,
                    language="en",
                    immediate_danger=False,
                    what_happened=text,
                    location=f"Unit {n}, Narborough Road, Leicester",
                    postcode="LE3 0AB",
                    when="Every morning at 6am",
                    people="Five young men",
                    vehicles="White minibus",
                    vehicle_registrations=["AB12CDE"],
                    phone_numbers=["+447700900123"],
                    children_involved="no",
                )
                for n in range(size)
            )
    for start in range(0, count // 10, BATCH):
        size = min(BATCH, count // 10 - start)
        with transaction.atomic():
            IntelligenceReport.objects.bulk_create(
                IntelligenceReport(
                    reference=f"IB{start + n:08d}",
                    submission_key=uuid.uuid4(),
                    summary="Workers sleeping at a hand car wash",
                    narrative=text,
                    source_evaluation="2",
                    intelligence_assessment="B",
                    handling_code="P",
                    originating_organisation=organisation,
                    created_by=author,
                )
                for n in range(size)
            )


if __name__ == "__main__":
    main()
