"""``lantern backup``: write an encrypted, verifiable backup of the database and files."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from lantern.core.backup import crypto, services
from lantern.core.backup.database import BackupError


class Command(BaseCommand):
    help = (
        "Write one encrypted file holding a consistent snapshot of the whole database, "
        "the private files and a manifest (rows per table, audit log head). "
        "Restore it with `lantern restore`."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--directory",
            type=Path,
            help="Where to write the backup (default: LANTERN_BACKUP_DIR).",
        )
        parser.add_argument(
            "--new-key",
            action="store_true",
            help="Print a new random value for LANTERN_BACKUP_KEY and stop.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["new_key"]:
            self.stdout.write(crypto.new_key())
            return
        try:
            result = services.create_backup(
                destination=options["directory"], progress=self._progress
            )
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(self.style.SUCCESS(f"Backup complete: {result.path}"))
        head = result.manifest["audit_head"]
        self.stdout.write(f"Audit head in the backup: #{head['last_id']} {head['last_hash']}")

    def _progress(self, message: str) -> None:
        self.stdout.write(message)
        self.stdout.flush()
