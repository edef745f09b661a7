"""The worker's own daily job: the day's scheduled work, which queues the next day's.

django-tasks-db has no periodic tasks, so the daily job schedules itself: each run queues
the next for the following night (even when the day's work failed), and ``lantern worker``
queues one at start-up if none is waiting. An operator who prefers cron runs
``lantern daily`` instead; running both does nothing twice (docs/adr/0024-background-tasks.md).
"""

import dataclasses

from django.tasks import task

from lantern.housekeeping import services


@task(queue_name="default")
def daily() -> dict[str, int]:
    """Run the day's scheduled work, then queue tomorrow's."""
    try:
        return dataclasses.asdict(services.run_daily())
    finally:
        services.schedule_daily(daily)
