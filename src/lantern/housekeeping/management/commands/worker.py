"""``lantern worker``: run background jobs (emails, correlation sweeps, the daily work).

The database worker of ``django-tasks-db`` with production defaults: every queue, no
auto-reload; it first queues the next daily job if none is waiting. Run one or more beside
``lantern serve`` (``lantern serve --with-worker`` runs one for you). Ctrl+C or SIGTERM
finishes the job in hand, then stops.

Beside the package's loop it keeps a heartbeat and reclaims the jobs of workers that died
in the middle of one (``housekeeping.workers``): at start-up, then at every beat.
"""

from argparse import ArgumentParser
from typing import Any

from django_tasks_db.management.commands.db_worker import Command as DatabaseWorkerCommand

from lantern.evaluation import charts
from lantern.housekeeping import services, tasks, workers


class Command(DatabaseWorkerCommand):
    help = "Run Lantern's background jobs (emails, correlation, the daily work)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        super().add_arguments(parser)
        parser.add_argument(
            "--no-daily",
            action="store_false",
            dest="daily",
            help="Do not queue the nightly job (when cron runs `lantern daily` instead).",
        )
        parser.set_defaults(queue_name="*", reload=False)

    def handle(self, *args: Any, **options: Any) -> None:
        if options.pop("daily"):
            services.schedule_daily(tasks.daily)
        worker_id = options["worker_id"]
        workers.beat(worker_id)
        reclaimed = workers.reclaim_stalled_jobs()
        if reclaimed.requeued or reclaimed.failed:
            self.stdout.write(
                f"Jobs of a stopped worker: {reclaimed.requeued} queued again, "
                f"{reclaimed.failed} failed (emails that may have been sent)."
            )
        # Board packs draw charts: start the renderer before the first one is asked for.
        charts.warm_up_in_background()
        heartbeat = workers.Heartbeat(worker_id)
        heartbeat.start()
        try:
            super().handle(*args, **options)
        finally:
            heartbeat.stop()
            workers.forget(worker_id)
