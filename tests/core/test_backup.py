"""``lantern backup`` and ``lantern restore``: a backup restored into a new database is the
same data, proven; nothing else is accepted, and nothing is restored over live data.

The backup is made here, from the test database (SQLite or PostgreSQL, whichever the
suite runs on); the restore runs as an operator would run it, in a separate ``lantern``
process pointed at a brand-new database of the same kind.
"""

import io
import json
import os
import sqlite3
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.core.management import call_command
from django.db import connection, transaction

from lantern.core import audit, field_keys
from lantern.core.backup import database, services
from lantern.core.backup.database import BackupError
from lantern.core.models import AuditEvent
from lantern.safeguarding.models import PotentialVictim
from tests.safeguarding.factories import VictimFactory

LANTERN = str(Path(sys.executable).with_name("lantern"))
BACKUP_KEY = "backup-key-for-tests-" + "x" * 30

pytestmark = pytest.mark.usefixtures("committed_db")


@pytest.fixture
def backup_settings(settings, tmp_path_factory):
    settings.LANTERN_BACKUP_KEY = BACKUP_KEY
    settings.LANTERN_BACKUP_DIR = str(tmp_path_factory.mktemp("backups"))
    return settings


@pytest.fixture
def partnership(backup_settings):
    """Victims with encrypted details, audit entries and a private photo, all committed."""
    victims = [VictimFactory(name=f"Zdenka Novakova {number}") for number in range(3)]
    for victim in victims:
        audit.record(action="test.read", actor=victim.recorded_by, target=victim)
    storages["private"].save("public-reports/2026/photo.jpg", ContentFile(b"\xff\xd8photo"))
    return victims


@pytest.fixture
def new_database(tmp_path):
    """The DATABASE_URL of a new, empty database of the suite's kind; dropped afterwards."""
    if connection.vendor == "sqlite":
        yield f"sqlite:///{tmp_path / 'restored.sqlite3'}", tmp_path / "restored.sqlite3"
        return
    import psycopg

    name = f"{connection.settings_dict['NAME']}_restore_{uuid.uuid4().hex[:8]}"
    params = {
        key: value
        for key, value in {
            "host": connection.settings_dict.get("HOST"),
            "port": connection.settings_dict.get("PORT"),
            "user": connection.settings_dict.get("USER"),
            "password": connection.settings_dict.get("PASSWORD"),
        }.items()
        if value
    }
    with psycopg.connect(dbname="postgres", autocommit=True, **params) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    user = params.get("user", "")
    password = f":{params['password']}" if params.get("password") else ""
    url = f"postgres://{user}{password}@{params.get('host', '')}:{params.get('port', 5432)}/{name}"
    yield url, {**params, "dbname": name}
    with psycopg.connect(dbname="postgres", autocommit=True, **params) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _restore(tmp_path: Path, database_url: str, backup: Path, **extra: str):
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("LANTERN_", "DATABASE_URL", "DJANGO_SETTINGS_MODULE"))
    }
    environment.update(
        DATABASE_URL=database_url,
        SECRET_KEY=django_settings.SECRET_KEY,
        LANTERN_FIELD_ENCRYPTION_SALTS=",".join(django_settings.SALT_KEY),
        LANTERN_BACKUP_KEY=BACKUP_KEY,
        LANTERN_VAR_DIR=str(tmp_path / "var"),
        PRIVATE_STORAGE_DIR=str(tmp_path / "restored-private"),
    )
    environment.update(extra)
    return subprocess.run(
        [LANTERN, "restore", str(backup)],
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def _query(target, sql: str) -> list[tuple]:
    """Read the restored database directly, not through Lantern."""
    if connection.vendor == "sqlite":
        with sqlite3.connect(target) as restored:
            return restored.execute(sql).fetchall()
    import psycopg

    with psycopg.connect(**target) as restored:
        return restored.execute(sql).fetchall()


def test_a_backup_restores_into_a_new_database_with_the_same_data(
    partnership, new_database, tmp_path
):
    database_url, target = new_database
    source_rows = database.current_rows(database.current_tables())
    source_head = AuditEvent.objects.order_by("-id").first()

    result = services.create_backup()
    assert result.manifest["tables"] == source_rows
    assert result.manifest["audit_head"]["last_hash"] == source_head.entry_hash

    restored = _restore(tmp_path, database_url, result.path)

    assert restored.returncode == 0, restored.stderr
    assert "Restored and verified" in restored.stdout
    assert "audit log intact" in restored.stdout
    assert "sampled values decrypt" in restored.stdout
    # Independently of the command's own verification: every table, every row count.
    audit_table = AuditEvent._meta.db_table
    expected = {**source_rows, audit_table: source_rows[audit_table] + 1}  # + the restore's
    for table, rows in expected.items():
        assert _query(target, f'SELECT COUNT(*) FROM "{table}"')[0][0] == rows, table
    events = _query(target, "SELECT id, entry_hash, action FROM core_auditevent ORDER BY id")
    assert len(events) == source_rows["core_auditevent"] + 1
    assert (events[-2][0], events[-2][1]) == (source_head.pk, source_head.entry_hash)
    assert events[-1][2] == audit.Action.BACKUP_RESTORED  # the restore is audited, chained on
    victim = partnership[1]
    (stored,) = _query(
        target, f"SELECT name FROM safeguarding_potentialvictim WHERE id = {victim.pk}"
    )
    assert "Zdenka" not in stored[0]  # still encrypted at rest
    assert PotentialVictim._meta.get_field("name").to_python(stored[0]) == "Zdenka Novakova 1"
    photo = tmp_path / "restored-private" / "public-reports" / "2026" / "photo.jpg"
    assert photo.read_bytes() == b"\xff\xd8photo"


def test_the_backup_file_is_encrypted_named_by_time_and_audited(partnership):
    call_command("backup", stdout=(output := io.StringIO()))
    (backup,) = Path(django_settings.LANTERN_BACKUP_DIR).iterdir()
    assert backup.name.startswith("lantern-backup-") and backup.name.endswith(".enc")
    assert oct(backup.stat().st_mode & 0o777) == "0o600"
    content = backup.read_bytes()
    assert b"manifest" not in content and b"core_auditevent" not in content
    assert (
        "Backup complete" in output.getvalue()
        and "Taking a consistent snapshot" in output.getvalue()
    )
    event = AuditEvent.objects.order_by("-id").first()
    assert event.action == audit.Action.BACKUP_CREATED
    assert event.detail["file"] == backup.name
    assert event.detail["files"] == 1
    assert audit.verify_chain().intact


def test_restore_refuses_a_database_that_is_not_empty_and_changes_nothing(partnership):
    backup = services.create_backup().path
    before = database.current_rows(database.current_tables())
    with pytest.raises(BackupError, match=r"is not empty.*Nothing was changed"):
        services.restore_backup(path=backup)
    assert database.current_rows(database.current_tables()) == before


def test_restore_with_the_wrong_key_or_a_damaged_file_restores_nothing(
    partnership, new_database, tmp_path
):
    database_url, target = new_database
    backup = services.create_backup().path

    wrong_key = _restore(tmp_path, database_url, backup, LANTERN_BACKUP_KEY="w" * 40)
    assert wrong_key.returncode != 0
    assert "does not open this backup" in wrong_key.stderr

    damaged = tmp_path / "damaged.enc"
    content = bytearray(backup.read_bytes())
    content[len(content) // 2] ^= 0x01
    damaged.write_bytes(bytes(content))
    altered = _restore(tmp_path, database_url, damaged)
    assert altered.returncode != 0
    assert "Nothing was changed" in altered.stderr

    cut = tmp_path / "cut.enc"
    cut.write_bytes(backup.read_bytes()[:-100])
    assert _restore(tmp_path, database_url, cut).returncode != 0

    if connection.vendor == "sqlite":
        assert not target.exists() or not _query(
            target, "SELECT name FROM sqlite_master WHERE type = 'table'"
        )
    else:
        assert not _query(target, "SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
    assert not (tmp_path / "restored-private").exists() or not any(
        (tmp_path / "restored-private").iterdir()
    )


def test_restore_refuses_a_file_storage_that_is_not_empty(partnership, new_database, tmp_path):
    database_url, _ = new_database
    backup = services.create_backup().path
    (tmp_path / "restored-private").mkdir()
    (tmp_path / "restored-private" / "someone-elses.jpg").write_bytes(b"x")
    result = _restore(tmp_path, database_url, backup)
    assert result.returncode != 0
    assert "is not empty" in result.stderr


def test_verification_names_every_difference_from_the_manifest(partnership):
    manifest = services.create_backup().manifest
    tampered = json.loads(json.dumps(manifest))
    tampered["tables"]["safeguarding_potentialvictim"] += 1
    tampered["audit_head"]["last_hash"] = "f" * 64
    tampered["files"]["private"]["public-reports/2026/photo.jpg"] = "0" * 64
    checked, problems = services.verify_restored(tampered, services.file_stores())
    assert any("safeguarding_potentialvictim" in problem for problem in problems)
    assert any("audit head" in problem for problem in problems)
    assert any("photo.jpg" in problem for problem in problems)
    assert any("sampled values decrypt" in line for line in checked)


def test_verification_fails_where_this_installations_keys_do_not_open_the_data(
    partnership, settings
):
    manifest = services.create_backup().manifest
    original = settings.SALT_KEY
    settings.SALT_KEY = ["the-salt-of-another-installation"]
    field_keys.forget_cached_keys()
    try:
        _, problems = services.verify_restored(manifest, services.file_stores())
    finally:
        settings.SALT_KEY = original
        field_keys.forget_cached_keys()
    assert any("do not open with this SECRET_KEY" in problem for problem in problems)


def test_two_backups_in_the_same_second_are_two_files(partnership):
    first = services.create_backup().path
    second = services.create_backup().path
    assert first != second
    assert sorted(Path(django_settings.LANTERN_BACKUP_DIR).iterdir()) == sorted([first, second])


def test_a_destination_that_cannot_be_written_is_named(partnership, tmp_path):
    not_a_directory = tmp_path / "a-file"
    not_a_directory.write_text("x")
    with pytest.raises(BackupError, match=r"Could not write the backup into .*a-file"):
        services.create_backup(destination=not_a_directory)


def test_backup_without_a_key_or_a_directory_says_which(backup_settings):
    backup_settings.LANTERN_BACKUP_KEY = ""
    with pytest.raises(BackupError, match="LANTERN_BACKUP_KEY"):
        services.create_backup()
    backup_settings.LANTERN_BACKUP_KEY = BACKUP_KEY
    backup_settings.LANTERN_BACKUP_DIR = ""
    with pytest.raises(BackupError, match="LANTERN_BACKUP_DIR"):
        services.create_backup()


def test_a_backup_is_never_taken_inside_a_transaction(partnership):
    if connection.vendor != "sqlite":
        # PostgreSQL snapshots are read in a session of their own: committed data only.
        with transaction.atomic():
            VictimFactory(name="Not committed yet")
            manifest = services.create_backup().manifest
            transaction.set_rollback(True)
        assert manifest["tables"]["safeguarding_potentialvictim"] == 3
        return
    with transaction.atomic(), pytest.raises(BackupError, match="inside a transaction"):
        services.create_backup()
