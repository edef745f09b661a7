"""``lantern retention``: what the retention schedule makes due, and its automatic part.

For each kind of record, its review period and how many records are past it. Only kinds
the schedule marks automatic (photos of drafts nobody sent, expired sessions) are disposed
of, and with ``--dry-run`` not even those: it lists what would go. Nothing else is ever
disposed of here: those records need the hub coordinator's decision in the review
worklist (docs/adr/0025-retention-schedule.md).
"""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from lantern.housekeeping import retention, services
from lantern.housekeeping.models import RecordKind
from lantern.public import services as public_services


class Command(BaseCommand):
    help = (
        "List records due for review under the retention schedule; dispose of drafts and sessions."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Only list what is due and what would be disposed of; change nothing.",
        )

    def handle(self, *args: Any, dry_run: bool, **options: Any) -> None:
        self.stdout.write("Checking each kind of record against the retention schedule…")
        lines = retention.due()
        automatic = {}
        for line in lines:
            oldest = f", oldest {line.oldest:%Y-%m-%d}" if line.oldest else ""
            how = "disposed of automatically" if line.rule.automatic else "due for review"
            self.stdout.write(
                f"  {line.rule.get_kind_display()}: after {line.rule.review_after_days} days, "
                f"{line.count} {how}{oldest}"
            )
            if line.rule.automatic:
                automatic[line.rule.kind] = line
        if dry_run:
            for line in automatic.values():
                self.stdout.write(f"Would remove {line.count}: {line.rule.get_kind_display()}")
            self.stdout.write("Dry run: nothing was changed.")
            return
        if RecordKind.DRAFT_PHOTO in automatic:
            removed = public_services.dispose_of_abandoned_draft_photos(
                lifetime=retention.review_period(
                    RecordKind.DRAFT_PHOTO, public_services.DRAFT_PHOTO_LIFETIME
                )
            )
            self.stdout.write(f"Removed {removed} photo(s) of drafts never sent.")
        if RecordKind.SESSION in automatic:
            self.stdout.write(f"Removed {services.clear_expired_sessions()} expired session(s).")
        self.stdout.write(
            "Records due for review are kept until the hub coordinator decides on them "
            "(Records due for review, /hub/retention/)."
        )
