"""Consistent snapshots of the whole database, and restoring one into an empty database.

Generic over every installed app: SQLite is copied page by page with its online backup
API, PostgreSQL with ``pg_dump`` of the whole database, so tables added by any app (now or
later) are included without changes here. The rows per table and the audit log's head are
read from the same snapshot that is saved, so the manifest describes exactly what the
backup holds even while Lantern keeps writing.
"""

import os
import re
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import connection
from django.db.backends.base.base import BaseDatabaseWrapper

from lantern.core.models import AuditEvent

SQLITE_DUMP = "database.sqlite3"
POSTGRES_DUMP = "database.pgdump"


class BackupError(Exception):
    """Something an operator must put right; the message says what."""


@dataclass(frozen=True)
class AuditHead:
    entries: int
    last_id: int | None
    last_hash: str

    def as_dict(self) -> dict[str, Any]:
        return {"entries": self.entries, "last_id": self.last_id, "last_hash": self.last_hash}


@dataclass(frozen=True)
class Snapshot:
    vendor: str
    dump_name: str
    table_rows: dict[str, int]
    audit_head: AuditHead


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _audit_head(cursor: Any) -> AuditHead:
    table = _quote(AuditEvent._meta.db_table)
    cursor.execute(f"SELECT COUNT(*) FROM {table}")  # noqa: S608 - a model's own table name
    entries = cursor.fetchone()[0]
    cursor.execute(f"SELECT id, entry_hash FROM {table} ORDER BY id DESC LIMIT 1")  # noqa: S608
    row = cursor.fetchone()
    if row is None:
        from lantern.core.audit import GENESIS_HASH

        return AuditHead(entries=0, last_id=None, last_hash=GENESIS_HASH)
    return AuditHead(entries=entries, last_id=row[0], last_hash=row[1])


def _count_rows(cursor: Any, tables: list[str]) -> dict[str, int]:
    rows = {}
    for table in sorted(tables):
        cursor.execute(f"SELECT COUNT(*) FROM {_quote(table)}")  # noqa: S608 - names from the catalogue
        rows[table] = cursor.fetchone()[0]
    return rows


def _sqlite_tables(cursor: Any) -> list[str]:
    cursor.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
    )
    return [row[0] for row in cursor.fetchall()]


def _postgres_tables(cursor: Any) -> list[str]:
    cursor.execute("SELECT tablename FROM pg_catalog.pg_tables WHERE schemaname = current_schema()")
    return [row[0] for row in cursor.fetchall()]


def snapshot(directory: Path, db: BaseDatabaseWrapper = connection) -> Snapshot:
    """Write a consistent copy of the whole database into ``directory``; describe it."""
    if db.vendor == "sqlite":
        return _snapshot_sqlite(directory, db)
    if db.vendor == "postgresql":
        return _snapshot_postgres(directory, db)
    raise BackupError(f"Backups support SQLite and PostgreSQL, not {db.vendor}.")


def _snapshot_sqlite(directory: Path, db: BaseDatabaseWrapper) -> Snapshot:
    if db.in_atomic_block:
        # The copy is read through this connection, which would include its own
        # uncommitted writes: a backup holds only what was committed.
        raise BackupError("A backup cannot be taken inside a transaction.")
    db.ensure_connection()
    target_path = directory / SQLITE_DUMP
    target = sqlite3.connect(target_path)
    try:
        # One step: the copy is one read transaction, a consistent snapshot; in WAL mode
        # writers carry on meanwhile.
        db.connection.backup(target)
        cursor = target.cursor()
        table_rows = _count_rows(cursor, _sqlite_tables(cursor))
        head = _audit_head(cursor)
        cursor.execute("PRAGMA journal_mode=DELETE")
    finally:
        target.close()
    return Snapshot("sqlite", SQLITE_DUMP, table_rows, head)


def _libpq_environment(db: BaseDatabaseWrapper) -> dict[str, str]:
    """Connection settings for pg_dump and pg_restore, the password never on a command line."""
    settings = db.settings_dict
    environment = dict(os.environ)
    values = {
        "PGHOST": settings.get("HOST"),
        "PGPORT": settings.get("PORT"),
        "PGUSER": settings.get("USER"),
        "PGPASSWORD": settings.get("PASSWORD"),
        "PGDATABASE": settings.get("NAME"),
    }
    environment.update({key: str(value) for key, value in values.items() if value})
    for option, variable in (("sslmode", "PGSSLMODE"), ("sslrootcert", "PGSSLROOTCERT")):
        if settings.get("OPTIONS", {}).get(option):
            environment[variable] = str(settings["OPTIONS"][option])
    return environment


def _tool(name: str, db: BaseDatabaseWrapper) -> str:
    """The path of pg_dump or pg_restore, refused if older than the server it talks to."""
    path = shutil.which(name)
    if path is None:
        raise BackupError(f"{name} was not found: install the PostgreSQL client tools.")
    output = subprocess.run(  # noqa: S603 - a fixed program and argument
        [path, "--version"], capture_output=True, text=True, check=True
    ).stdout
    db.ensure_connection()
    ensure_tool_version(name, output, server_version=db.pg_version)
    return path


def ensure_tool_version(name: str, version_output: str, *, server_version: int) -> None:
    """Refuse client tools older than the server: pg_dump cannot dump a newer server.

    ``version_output`` is what ``pg_dump --version`` prints ("pg_dump (PostgreSQL) 15.20
    (Debian …)"); ``server_version`` is libpq's number (150020 for 15.20).
    """
    match = re.search(r"\(PostgreSQL\)\s+(\d+)", version_output) or re.search(
        r"(\d+)", version_output
    )
    tool_major = int(match.group(1)) if match else 0
    server_major = server_version // 10000
    if tool_major < server_major:
        raise BackupError(
            f"{name} is version {tool_major} but the server is PostgreSQL {server_major}: "
            f"install client tools of version {server_major} or newer."
        )


def _snapshot_postgres(directory: Path, db: BaseDatabaseWrapper) -> Snapshot:
    import psycopg

    pg_dump = _tool("pg_dump", db)
    environment = _libpq_environment(db)
    target_path = directory / POSTGRES_DUMP
    # A session of its own, so the snapshot does not depend on the caller's transaction.
    with psycopg.connect("", autocommit=False, **_psycopg_arguments(db)) as session:
        cursor = session.cursor()
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot_id = cursor.fetchone()[0]
        table_rows = _count_rows(cursor, _postgres_tables(cursor))
        head = _audit_head(cursor)
        # pg_dump reads the very snapshot counted above, while this transaction stays open.
        result = subprocess.run(  # noqa: S603 - fixed program, arguments built here
            [
                pg_dump,
                "--format=custom",
                f"--snapshot={snapshot_id}",
                "--no-owner",
                "--no-privileges",
                f"--file={target_path}",
            ],
            env=environment,
            capture_output=True,
            text=True,
            check=False,
        )
        session.rollback()
    if result.returncode != 0:
        raise BackupError(f"pg_dump failed: {result.stderr.strip()}")
    return Snapshot("postgresql", POSTGRES_DUMP, table_rows, head)


def _psycopg_arguments(db: BaseDatabaseWrapper) -> dict[str, Any]:
    settings = db.settings_dict
    arguments = {
        "dbname": settings.get("NAME"),
        "user": settings.get("USER") or None,
        "password": settings.get("PASSWORD") or None,
        "host": settings.get("HOST") or None,
        "port": settings.get("PORT") or None,
    }
    for option in ("sslmode", "sslrootcert"):
        if settings.get("OPTIONS", {}).get(option):
            arguments[option] = settings["OPTIONS"][option]
    return {key: value for key, value in arguments.items() if value is not None}


def current_tables(db: BaseDatabaseWrapper = connection) -> list[str]:
    with db.cursor() as cursor:
        if db.vendor == "sqlite":
            return _sqlite_tables(cursor)
        return _postgres_tables(cursor)


def current_rows(tables: list[str], db: BaseDatabaseWrapper = connection) -> dict[str, int]:
    with db.cursor() as cursor:
        return _count_rows(cursor, tables)


def current_audit_head(db: BaseDatabaseWrapper = connection) -> AuditHead:
    with db.cursor() as cursor:
        return _audit_head(cursor)


def ensure_empty(db: BaseDatabaseWrapper = connection) -> None:
    """Refuse to restore over anything: a restore never merges into or replaces live data."""
    tables = current_tables(db)
    if tables:
        raise BackupError(
            f"The database {db.settings_dict.get('NAME')} is not empty ({len(tables)} tables, "
            f"e.g. {sorted(tables)[0]}). Restore into a new, empty database: create one, point "
            "DATABASE_URL at it and run lantern restore again. Nothing was changed."
        )


def restore(directory: Path, vendor: str, db: BaseDatabaseWrapper = connection) -> None:
    """Load the snapshot in ``directory`` into the (empty) database ``db``."""
    if vendor != db.vendor:
        raise BackupError(
            f"This backup is of a {vendor} database; DATABASE_URL points at {db.vendor}. "
            "Restore into the same kind of database. Nothing was changed."
        )
    if vendor == "sqlite":
        source = sqlite3.connect(directory / SQLITE_DUMP)
        try:
            db.ensure_connection()
            source.backup(db.connection)
        finally:
            source.close()
        db.close()  # the next query reconnects with Lantern's settings (WAL mode) applied
        return
    pg_restore = _tool("pg_restore", db)
    result = subprocess.run(  # noqa: S603 - fixed program, arguments built here
        [
            pg_restore,
            "--no-owner",
            "--no-privileges",
            "--exit-on-error",
            "--single-transaction",
            f"--dbname={db.settings_dict.get('NAME')}",
            str(directory / POSTGRES_DUMP),
        ],
        env=_libpq_environment(db),
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise BackupError(
            f"pg_restore failed, and restored nothing (one transaction): {result.stderr.strip()}"
        )
