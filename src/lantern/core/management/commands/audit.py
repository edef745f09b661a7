"""``lantern audit verify``: prove the audit log intact, or name the first bad entry."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from lantern.core import audit


class Command(BaseCommand):
    help = "Work with the audit log."

    def add_arguments(self, parser: CommandParser) -> None:
        subcommands = parser.add_subparsers(dest="subcommand", required=True)
        subcommands.add_parser("verify", help="Check every entry's hash and link.")

    def handle(self, *args: Any, **options: Any) -> None:
        result = audit.verify_chain()
        if not result.intact:
            raise CommandError(
                f"Audit log BROKEN at entry #{result.first_bad_id}: {result.problem}. "
                f"{result.entries - 1} entries before it are intact."
            )
        self.stdout.write(
            self.style.SUCCESS(f"Audit log intact: {result.entries} entries verified.")
        )
        self.stdout.write(f"Head hash: {result.head_hash}")
