"""Make a backup, and restore one into an empty database, proving it whole.

A backup is one file, ``lantern-backup-<UTC time>.enc``: a gzipped tar of the database
snapshot, every file of Lantern's private file storages and ``manifest.json`` (rows per
table, the audit log's head, every file's SHA-256), encrypted as a stream
(``crypto``). It is written under a temporary name and renamed only when complete.

A restore decrypts and unpacks the whole file first, so a wrong key or a damaged file is
found before the database is touched; it then loads the database, puts the files back and
verifies: the audit chain intact with the manifest's head, the same rows in every table,
each file's hash, and a sample of encrypted fields opening with the configured keys.
"""

import datetime
import hashlib
import io
import json
import os
import shutil
import tarfile
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import django
from django.conf import settings
from django.core.files.storage import FileSystemStorage, storages
from django.db import connection
from django.utils import timezone

from lantern.core import audit, field_keys
from lantern.core.backup import crypto, database
from lantern.core.backup.database import BackupError
from lantern.core.models import User
from lantern.core.operator import operator_name

FORMAT_VERSION = 1
MANIFEST = "manifest.json"
FILES_PREFIX = "files"
SUFFIX = ".enc"
ENCRYPTED_SAMPLE_SIZE = 25

Progress = Callable[[str], None]


def _silent(_message: str) -> None:
    """The default progress reporter: a service run from code says nothing."""


def _keys() -> list[str]:
    keys = crypto.candidate_keys(settings.LANTERN_BACKUP_KEY)
    if not keys:
        raise BackupError("LANTERN_BACKUP_KEY is not set: backups are always encrypted.")
    return keys


def file_stores() -> dict[str, Path]:
    """Lantern's file storages kept on this machine (private photos and any media).

    Static files are built from the code and left out; the default storage counts only
    when ``MEDIA_ROOT`` or its own location is set (otherwise it would be the work
    directory).
    """
    stores = {}
    for alias, config in settings.STORAGES.items():
        if alias == "staticfiles":
            continue
        storage = storages[alias]
        if not isinstance(storage, FileSystemStorage):
            continue
        if alias == "default" and not (
            config.get("OPTIONS", {}).get("location") or settings.MEDIA_ROOT
        ):
            continue
        stores[alias] = Path(storage.location)
    return stores


def _walk(root: Path, skip: Path) -> Iterator[Path]:
    for directory, subdirectories, filenames in os.walk(root):
        here = Path(directory)
        subdirectories[:] = sorted(
            name for name in subdirectories if not (here / name).resolve().is_relative_to(skip)
        )
        for name in sorted(filenames):
            path = here / name
            if path.is_file() and not path.is_symlink():
                yield path


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1024 * 1024), b""):
            digest.update(block)
    return digest.hexdigest()


@dataclass(frozen=True)
class BackupResult:
    path: Path
    size: int
    manifest: dict[str, Any]


def create_backup(
    *, destination: Path | None = None, actor: User | None = None, progress: Progress = _silent
) -> BackupResult:
    """Write an encrypted backup of the database and private files into ``destination``."""
    keys = _keys()
    destination = Path(destination or settings.LANTERN_BACKUP_DIR or "")
    if not str(destination) or str(destination) == ".":
        raise BackupError("Say where to write the backup: set LANTERN_BACKUP_DIR.")
    try:
        return _write_backup(destination, keys[0], actor=actor, progress=progress)
    except OSError as error:
        raise BackupError(f"Could not write the backup into {destination}: {error}") from error


def _free_name(destination: Path, started: datetime.datetime) -> str:
    stamp = f"lantern-backup-{started.astimezone(datetime.UTC):%Y%m%dT%H%M%SZ}"
    name, number = f"{stamp}{SUFFIX}", 1
    while (destination / name).exists():  # two backups within the same second
        number += 1
        name = f"{stamp}-{number}{SUFFIX}"
    return name


def _write_backup(
    destination: Path, key: str, *, actor: User | None, progress: Progress
) -> BackupResult:
    destination.mkdir(parents=True, exist_ok=True)
    destination = destination.resolve()
    started = timezone.now()
    name = _free_name(destination, started)
    final_path = destination / name
    partial_path = destination / f".{name}.partial"
    with tempfile.TemporaryDirectory(prefix="lantern-backup-") as staging:
        progress(f"Taking a consistent snapshot of the {connection.vendor} database…")
        snap = database.snapshot(Path(staging))
        dump_path = Path(staging) / snap.dump_name
        progress(
            f"  {len(snap.table_rows)} tables, {sum(snap.table_rows.values())} rows, "
            f"{snap.audit_head.entries} audit entries (head #{snap.audit_head.last_id or '-'})"
        )
        manifest: dict[str, Any] = {
            "format": FORMAT_VERSION,
            "created_at": started.isoformat(),
            "django": django.get_version(),
            "database": {"vendor": snap.vendor, "dump": snap.dump_name},
            "tables": snap.table_rows,
            "audit_head": snap.audit_head.as_dict(),
            "files": {},
        }
        try:
            with partial_path.open("wb") as sink:
                crypto.file_mode_private(partial_path)
                writer = crypto.EncryptingWriter(
                    sink, key, lambda done: progress(f"  {done // 2**20:,} MiB encrypted")
                )
                with tarfile.open(fileobj=writer, mode="w|gz", compresslevel=6) as archive:
                    progress(f"Encrypting the database ({dump_path.stat().st_size:,} bytes)…")
                    archive.add(dump_path, arcname=snap.dump_name)
                    for alias, root in file_stores().items():
                        manifest["files"][alias] = _archive_files(
                            archive, alias, root, skip=destination, progress=progress
                        )
                    body = json.dumps(manifest, indent=2, sort_keys=True).encode("utf-8")
                    info = tarfile.TarInfo(MANIFEST)
                    info.size = len(body)
                    info.mtime = int(started.timestamp())
                    archive.addfile(info, io.BytesIO(body))
                writer.close()
                sink.flush()
                os.fsync(sink.fileno())
            partial_path.rename(final_path)
        finally:
            partial_path.unlink(missing_ok=True)
    size = final_path.stat().st_size
    audit.record(
        action=audit.Action.BACKUP_CREATED,
        actor=actor,
        actor_email=operator_name(),
        detail={
            "file": name,
            "bytes": size,
            "tables": len(manifest["tables"]),
            "rows": sum(manifest["tables"].values()),
            "files": sum(len(files) for files in manifest["files"].values()),
            "audit_head": manifest["audit_head"],
        },
    )
    progress(f"Backup written: {final_path} ({size:,} bytes)")
    return BackupResult(path=final_path, size=size, manifest=manifest)


def _archive_files(
    archive: tarfile.TarFile, alias: str, root: Path, *, skip: Path, progress: Progress
) -> dict[str, str]:
    if not root.is_dir():
        return {}
    paths = list(_walk(root, skip))
    hashes = {}
    for number, path in enumerate(paths, start=1):
        relative = path.relative_to(root).as_posix()
        try:
            hashes[relative] = _sha256(path)
            archive.add(path, arcname=f"{FILES_PREFIX}/{alias}/{relative}", recursive=False)
        except FileNotFoundError:  # deleted since it was listed: nothing to keep
            hashes.pop(relative, None)
        if number % 100 == 0 or number == len(paths):
            progress(f"  files in {alias}: {number}/{len(paths)}")
    return hashes


@dataclass
class RestoreResult:
    manifest: dict[str, Any]
    checked: list[str] = field(default_factory=list)


def _ensure_files_empty(stores: dict[str, Path]) -> None:
    for alias, root in stores.items():
        if root.is_dir() and any(root.iterdir()):
            raise BackupError(
                f"The file storage '{alias}' ({root}) is not empty. Restore into an empty "
                "folder (set PRIVATE_STORAGE_DIR to a new one). Nothing was changed."
            )


def restore_backup(
    *, path: Path, actor: User | None = None, progress: Progress = _silent
) -> RestoreResult:
    """Restore ``path`` into the empty database and file storages, then verify it."""
    keys = _keys()
    database.ensure_empty()
    stores = file_stores()
    _ensure_files_empty(stores)
    with tempfile.TemporaryDirectory(prefix="lantern-restore-") as staging_name:
        staging = Path(staging_name)
        progress(f"Decrypting and checking {path.name}…")
        try:
            with path.open("rb") as source:
                reader = crypto.DecryptingReader(
                    source, keys, lambda done: progress(f"  {done // 2**20:,} MiB decrypted")
                )
                with tarfile.open(fileobj=reader, mode="r|gz") as archive:
                    for number, member in enumerate(archive, start=1):
                        archive.extract(member, staging, filter="data")
                        if number % 100 == 0:
                            progress(f"  {number} entries unpacked")
        except crypto.BackupDecryptionError as error:
            raise BackupError(f"{error} Nothing was changed.") from error
        except (tarfile.TarError, EOFError, OSError) as error:
            raise BackupError(
                f"The backup cannot be unpacked ({error}). Nothing was changed."
            ) from error
        manifest = _read_manifest(staging)
        missing_stores = set(manifest["files"]) - set(stores)
        if missing_stores:
            raise BackupError(
                "This backup holds files of storages not configured here: "
                f"{sorted(missing_stores)}. Nothing was changed."
            )
        vendor = manifest["database"]["vendor"]
        progress(f"Restoring the {vendor} database…")
        database.restore(staging, vendor)
        for alias, files in manifest["files"].items():
            source_root = staging / FILES_PREFIX / alias
            if files:
                progress(f"Restoring {len(files)} files into {alias}…")
                stores[alias].mkdir(parents=True, exist_ok=True)
                shutil.copytree(source_root, stores[alias], dirs_exist_ok=True)
    progress("Verifying the restored data…")
    checked, problems = verify_restored(manifest, stores)
    if problems:
        raise BackupError(
            "The restore does NOT match its backup:\n  - "
            + "\n  - ".join(problems)
            + "\nDo not use this database; restore again from another backup."
        )
    audit.record(
        action=audit.Action.BACKUP_RESTORED,
        actor=actor,
        actor_email=operator_name(),
        detail={
            "file": path.name,
            "backup_created_at": manifest["created_at"],
            "audit_head": manifest["audit_head"],
            "verified": checked,
        },
    )
    return RestoreResult(manifest=manifest, checked=checked)


def _read_manifest(staging: Path) -> dict[str, Any]:
    try:
        manifest = json.loads((staging / MANIFEST).read_text("utf-8"))
    except (OSError, ValueError) as error:
        raise BackupError("The backup has no readable manifest. Nothing was changed.") from error
    if manifest.get("format") != FORMAT_VERSION:
        raise BackupError(
            f"This backup is in format {manifest.get('format')}; this Lantern reads format "
            f"{FORMAT_VERSION}. Nothing was changed."
        )
    return manifest


def verify_restored(
    manifest: dict[str, Any], stores: dict[str, Path]
) -> tuple[list[str], list[str]]:
    """Compare the database and files with the manifest: what held, and what did not."""
    checked: list[str] = []
    problems: list[str] = []
    expected_rows: dict[str, int] = manifest["tables"]
    tables = database.current_tables()
    if set(tables) != set(expected_rows):
        problems.append(
            f"tables differ: missing {sorted(set(expected_rows) - set(tables))}, "
            f"unexpected {sorted(set(tables) - set(expected_rows))}"
        )
    rows = database.current_rows([table for table in tables if table in expected_rows])
    wrong = {
        table: (expected_rows[table], count)
        for table, count in rows.items()
        if count != expected_rows[table]
    }
    if wrong:
        problems.append(f"row counts differ (expected, found): {wrong}")
    else:
        checked.append(f"rows: {sum(rows.values())} in {len(rows)} tables, as in the manifest")

    chain = audit.verify_chain()
    expected_head = manifest["audit_head"]
    if not chain.intact:
        problems.append(f"audit log broken at entry #{chain.first_bad_id}: {chain.problem}")
    elif chain.head_hash != expected_head["last_hash"] or chain.entries != expected_head["entries"]:
        problems.append(
            f"audit head is {chain.head_hash} ({chain.entries} entries); the manifest says "
            f"{expected_head['last_hash']} ({expected_head['entries']} entries)"
        )
    else:
        checked.append(f"audit log intact: {chain.entries} entries, head {chain.head_hash}")

    sampled, unreadable = _sample_encrypted()
    if unreadable:
        problems.append(
            f"{unreadable} of {sampled} sampled encrypted values do not open with this "
            "SECRET_KEY and LANTERN_FIELD_ENCRYPTION_SALTS"
        )
    else:
        checked.append(f"encrypted fields: {sampled} sampled values decrypt")

    bad_files = []
    file_count = 0
    for alias, files in manifest["files"].items():
        for relative, digest in files.items():
            file_count += 1
            target = stores[alias] / relative
            if not target.is_file() or _sha256(target) != digest:
                bad_files.append(f"{alias}/{relative}")
    if bad_files:
        problems.append(f"files missing or different: {bad_files[:10]}")
    else:
        checked.append(f"files: {file_count} restored with their SHA-256 as in the manifest")
    return checked, problems


def _sample_encrypted() -> tuple[int, int]:
    """Decrypt up to ENCRYPTED_SAMPLE_SIZE stored values of each encrypted field."""
    sampled = unreadable = 0
    with connection.cursor() as cursor:
        for item in field_keys.encrypted_columns():
            for model_field in item.fields:
                keys = field_keys.all_keys(model_field)
                column = connection.ops.quote_name(model_field.column)
                cursor.execute(
                    f"SELECT {column} FROM {connection.ops.quote_name(item.table)} "  # noqa: S608
                    f"WHERE {column} IS NOT NULL ORDER BY 1 LIMIT %s",
                    [ENCRYPTED_SAMPLE_SIZE],
                )
                for (token,) in cursor.fetchall():
                    sampled += 1
                    if not field_keys.decrypts(token, keys):
                        unreadable += 1
    return sampled, unreadable
