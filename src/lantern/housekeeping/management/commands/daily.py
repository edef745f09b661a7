"""``lantern daily``: the day's scheduled work, for an operator's cron (or run by hand).

Tells the owners of overdue taskings and NRM decisions (once each), disposes of the photos
of drafts never sent and clears expired sessions; prints each step as it goes. The worker
runs the same work nightly by itself; running both does nothing twice.
"""

from typing import Any

from django.core.management.base import BaseCommand

from lantern.housekeeping import services


class Command(BaseCommand):
    help = (
        "Run the day's scheduled work (overdue notices, disposal of abandoned drafts, "
        "campaign statuses)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        summary = services.run_daily(progress=self.stdout.write)
        self.stdout.write(
            self.style.SUCCESS(
                "Done: {overdue_taskings} tasking(s) and {overdue_nrm_decisions} NRM "
                "decision(s) newly overdue, {draft_photos_disposed} draft photo(s) and "
                "{sessions_cleared} session(s) and {jobs_pruned} finished job(s) removed; "
                "{records_due_for_review} record(s) due for review; "
                "{campaigns_moved} campaign(s) moved on by their dates.".format(**summary.__dict__)
            )
        )
