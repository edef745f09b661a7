"""``lantern keys rotate`` / ``lantern keys status``: the field encryption key's rotation."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from lantern.core import keys


class Command(BaseCommand):
    help = (
        "Re-encrypt victims' personal details under the newest field encryption key "
        "(rotate), or count the values under each key (status). "
        "See docs/adr/0013-encrypted-fields.md."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        subcommands = parser.add_subparsers(dest="subcommand", required=True)
        rotate = subcommands.add_parser(
            "rotate", help="Re-encrypt every value not under the newest key; safe to re-run."
        )
        rotate.add_argument(
            "--batch-size",
            type=int,
            default=keys.DEFAULT_BATCH_SIZE,
            help="Rows per committed batch (default %(default)s).",
        )
        subcommands.add_parser("status", help="Count values under the newest and older keys.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["subcommand"] == "rotate":
            if options["batch_size"] < 1:
                raise CommandError("--batch-size must be at least 1.")
            self.stdout.write("Re-encrypting under the newest key…")
            report = keys.rotate(batch_size=options["batch_size"], progress=self._progress)
            self.stdout.write(
                f"{sum(report.rewritten.values())} values re-encrypted, "
                f"{sum(report.current.values())} already under the newest key."
            )
        else:
            report = keys.status()
            older = sum(report.older.values())
            self.stdout.write(
                f"{sum(report.current.values())} values under the newest key, "
                f"{older} under older keys."
            )
            if older:
                self.stdout.write("Run `lantern keys rotate` before removing any old salt.")
            else:
                self.stdout.write("Nothing is under an older key: old salts can be removed.")
        unreadable = sum(report.unreadable.values())
        if unreadable:
            raise CommandError(
                f"{unreadable} values open with none of the configured keys "
                f"({report.unreadable}); they were left as they are. Restore the key that "
                "encrypted them (SECRET_KEY_FALLBACKS or an old salt) and run again."
            )
        self.stdout.write(self.style.SUCCESS("Done."))

    def _progress(self, message: str) -> None:
        self.stdout.write(message)
        self.stdout.flush()
