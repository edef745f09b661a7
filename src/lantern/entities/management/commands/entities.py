"""``lantern entities correlate`` and ``lantern entities resolve``.

``correlate`` resolves every mention still without an entity (bulk imports, the demo, a
correlation that failed while a report was saved). ``resolve`` runs batch entity
resolution (Splink) over people and places and records its proposals as suggested matches
for analysts: it never merges anything itself.
"""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from lantern.entities import batch, correlation, resolution


class Command(BaseCommand):
    help = "Link mentions to entities, or propose matches by batch entity resolution."

    def add_arguments(self, parser: CommandParser) -> None:
        subcommands = parser.add_subparsers(dest="subcommand", required=True)
        subcommands.add_parser("correlate", help="Resolve mentions that have no entity yet.")
        resolve = subcommands.add_parser(
            "resolve", help="Propose matches between people and between places (Splink)."
        )
        resolve.add_argument(
            "--backend",
            default="duckdb",
            choices=resolution.BACKENDS,
            help="Splink backend: duckdb (embedded, the default) or spark.",
        )
        resolve.add_argument(
            "--model-directory",
            default=None,
            help=(
                "Where the models are loaded from, or trained on this partnership's entities "
                "and saved (people-model.json, locations-model.json); default: the models "
                "Lantern ships, trained on FEBRL dataset 2."
            ),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["subcommand"] == "correlate":
            resolved = correlation.correlate_unresolved()
            self.stdout.write(f"{resolved} mentions linked to entities.")
            return
        proposed = batch.propose_matches(
            backend=options["backend"], model_directory=options["model_directory"]
        )
        self.stdout.write(f"{proposed} matches proposed for review.")
