"""``lantern restore FILE``: restore a backup into an empty database and prove it whole."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from lantern.core.backup import services
from lantern.core.backup.database import BackupError


class Command(BaseCommand):
    help = (
        "Restore a backup made by `lantern backup` into an EMPTY database (and empty file "
        "storages), then verify it: audit chain and head, rows per table, files, and a "
        "sample of encrypted fields."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("backup", type=Path, help="The backup file (.enc).")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["backup"]
        if not path.is_file():
            raise CommandError(f"No backup file at {path}.")
        try:
            result = services.restore_backup(path=path, progress=self._progress)
        except BackupError as error:
            raise CommandError(str(error)) from error
        for line in result.checked:
            self.stdout.write(f"  ✓ {line}")
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored and verified the backup of {result.manifest['created_at']}."
            )
        )

    def _progress(self, message: str) -> None:
        self.stdout.write(message)
        self.stdout.flush()
