"""Workers' heartbeats, and jobs reclaimed from a worker that died in the middle of them.

django-tasks-db marks a job *Running* when a worker claims it and never looks at it again:
a worker killed with ``kill -9`` (or whose machine is lost) leaves it *Running* for good,
and the work is silently never done. So each ``lantern worker`` writes a heartbeat row
every few seconds from a thread of its own, and every worker, as it starts and then at
each beat, looks for running jobs whose worker has stopped beating:

- a job whose worker is gone is **queued again**, as it was (Lantern's jobs other than
  emails are idempotent: a correlation sweep links what is still unlinked, the daily work
  does nothing twice);
- an **email** job is instead **failed**, with a message saying that the worker stopped
  while sending it: it may have reached the mail server, so sending it again by itself
  could deliver it twice; an administrator sees it on the jobs page and retries it if the
  recipient did not get it ("sent exactly once, or visibly failed");
- a job that has now stopped its worker ``MAX_CLAIMS`` times is failed too, so that a job
  that kills its worker (memory exhausted) does not kill every worker in turn.

A worker counts as gone when its heartbeat is older than ``STALE_AFTER``, or at once when
its process on this same machine no longer exists (a worker restarted by its supervisor
reclaims its predecessor's job without waiting). Every reclaim is audited.
"""

import datetime
import logging
import os
import socket
import threading
from dataclasses import dataclass

from django.conf import settings
from django.db import DatabaseError, connections
from django.tasks import TaskResultStatus
from django.utils import timezone

from lantern.core import audit
from lantern.housekeeping.models import Job, WorkerHeartbeat

logger = logging.getLogger(__name__)

EMAIL_TASK = "lantern.core.outbox.send_email"
# A job that was running each of these times when its worker died is given up on.
MAX_CLAIMS = 3


def heartbeat_interval() -> datetime.timedelta:
    """How often a worker says it is alive."""
    return datetime.timedelta(seconds=settings.LANTERN_WORKER_HEARTBEAT_SECONDS)


def stale_after() -> datetime.timedelta:
    """How long without a heartbeat before a worker on another machine counts as gone."""
    return heartbeat_interval() * 6


def beat(worker_id: str, *, now: datetime.datetime | None = None) -> None:
    """Record that this process, running as ``worker_id``, is alive."""
    now = now or timezone.now()
    updated = WorkerHeartbeat.objects.filter(worker_id=worker_id).update(seen_at=now)
    if not updated:
        WorkerHeartbeat.objects.create(
            worker_id=worker_id,
            host=socket.gethostname(),
            pid=os.getpid(),
            started_at=now,
            seen_at=now,
        )


def forget(worker_id: str) -> None:
    """A worker that stops cleanly removes its heartbeat (it finished its job in hand)."""
    WorkerHeartbeat.objects.filter(worker_id=worker_id).delete()


def _process_exists(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process: it exists
        return True
    return True


def _is_gone(
    heartbeat: WorkerHeartbeat | None,
    *,
    started_at: datetime.datetime | None,
    now: datetime.datetime,
) -> bool:
    limit = now - stale_after()
    if heartbeat is None:
        # A worker that never beat (an older version, or the package's own db_worker):
        # only the time since the job started tells.
        return started_at is None or started_at < limit
    if heartbeat.seen_at < limit:
        return True
    return heartbeat.host == socket.gethostname() and not _process_exists(heartbeat.pid)


def stalled_jobs(*, now: datetime.datetime | None = None) -> list[Job]:
    """Jobs marked running whose worker is gone."""
    now = now or timezone.now()
    running = list(Job.objects.filter(status=TaskResultStatus.RUNNING))
    owners = {job.worker_ids[-1] for job in running if job.worker_ids}
    heartbeats = {
        heartbeat.worker_id: heartbeat
        for heartbeat in WorkerHeartbeat.objects.filter(worker_id__in=owners)
    }
    return [
        job
        for job in running
        if _is_gone(
            heartbeats.get(job.worker_ids[-1]) if job.worker_ids else None,
            started_at=job.started_at,
            now=now,
        )
    ]


def is_stalled(job: Job, *, now: datetime.datetime | None = None) -> bool:
    """Whether a running job's worker is gone (one job, for the jobs page)."""
    if job.status != TaskResultStatus.RUNNING:
        return False
    worker = job.worker_ids[-1] if job.worker_ids else None
    heartbeat = WorkerHeartbeat.objects.filter(worker_id=worker).first() if worker else None
    return _is_gone(heartbeat, started_at=job.started_at, now=now or timezone.now())


class WorkerStopped(Exception):
    """The worker running a job stopped before it finished (what a reclaimed job records)."""


EMAIL_MESSAGE = (
    "The worker stopped (killed, or its machine lost) while sending this email, so it may "
    "or may not have reached the mail server. It is not sent again by itself, so that "
    "nobody receives it twice: check with the recipient, or retry it."
)
REPEATED_MESSAGE = (
    "The worker stopped while running this job {claims} times; it is given up on so that "
    "it does not stop every worker in turn. Find out why (memory, time) before retrying it."
)


@dataclass(frozen=True)
class Reclaimed:
    requeued: int
    failed: int


def reclaim_stalled_jobs(*, now: datetime.datetime | None = None) -> Reclaimed:
    """Queue again (or fail, for emails) each job whose worker is gone; each one audited.

    Safe to run from several workers at once: a job changes only while still running, so
    one of them reclaims it and the others find it done.
    """
    now = now or timezone.now()
    requeued = failed = 0
    for job in stalled_jobs(now=now):
        claims = len(job.worker_ids)
        if job.task_path == EMAIL_TASK or claims >= MAX_CLAIMS:
            message = EMAIL_MESSAGE if job.task_path == EMAIL_TASK else REPEATED_MESSAGE
            changes = {
                "status": TaskResultStatus.FAILED,
                "finished_at": now,
                "exception_class_path": f"{__name__}.{WorkerStopped.__qualname__}",
                "traceback": f"{WorkerStopped.__name__}: {message.format(claims=claims)}\n",
            }
            outcome = "failed"
        else:
            changes = {"status": TaskResultStatus.READY, "started_at": None}
            outcome = "queued again"
        # Only while it is still running: another worker may have reclaimed it meanwhile.
        if not Job.objects.filter(pk=job.pk, status=TaskResultStatus.RUNNING).update(**changes):
            continue
        audit.record(
            action=audit.Action.JOB_RECLAIMED,
            target=job,
            detail={
                "task": job.task_path,
                "worker": job.worker_ids[-1] if job.worker_ids else "",
                "claims": claims,
                "outcome": outcome,
            },
        )
        if outcome == "failed":
            failed += 1
        else:
            requeued += 1
        logger.warning("Job %s of a stopped worker %s", job.pk, outcome)
    return Reclaimed(requeued=requeued, failed=failed)


class Heartbeat(threading.Thread):
    """Beats for a worker and reclaims stalled jobs, every ``heartbeat_interval()``.

    A thread, so that a long job does not stop the beats; it uses a database connection
    of its own, closed when it stops.
    """

    def __init__(self, worker_id: str) -> None:
        super().__init__(name=f"heartbeat-{worker_id}", daemon=True)
        self.worker_id = worker_id
        self._stop_beating = threading.Event()

    def run(self) -> None:
        try:
            while not self._stop_beating.wait(heartbeat_interval().total_seconds()):
                try:
                    beat(self.worker_id)
                    reclaim_stalled_jobs()
                except DatabaseError:  # the database restarting: beat again next time
                    logger.warning("Worker heartbeat failed", exc_info=True)
        finally:
            connections.close_all()

    def stop(self) -> None:
        self._stop_beating.set()
        self.join(timeout=heartbeat_interval().total_seconds() + 5)
