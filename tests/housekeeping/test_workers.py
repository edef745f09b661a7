"""Jobs left running by a worker that died: queued again, or failed if they are emails
(they may have been sent), each reclaim audited once; live workers' jobs are left alone."""

import datetime
import os
import socket
from pathlib import Path

import pytest
from django.core import mail
from django.db import transaction
from django.tasks import TaskResultStatus
from django.urls import reverse
from django.utils import timezone

from lantern.core import audit, outbox
from lantern.core.models import AuditEvent
from lantern.core.roles import Role
from lantern.entities import tasks as entity_tasks
from lantern.housekeeping import workers
from lantern.housekeeping.models import Job, WorkerHeartbeat

pytestmark = pytest.mark.django_db


def _dead_pid() -> int:
    """A process id that no process has (the highest possible one, normally free)."""
    pid = int(Path("/proc/sys/kernel/pid_max").read_text()) - 1
    assert not workers._process_exists(pid)
    return pid


def _running(task_path: str = "correlate", *, worker: str = "w1", claims: int = 1) -> Job:
    with transaction.atomic():
        if task_path == "email":
            outbox.enqueue_email(subject="Hello", body="Your reference", to=["sam@example.com"])
        else:
            entity_tasks.correlate_unresolved.enqueue()
    job = Job.objects.latest("enqueued_at")
    job.status = TaskResultStatus.RUNNING
    job.started_at = timezone.now() - datetime.timedelta(seconds=5)
    job.worker_ids = [f"earlier-{n}" for n in range(claims - 1)] + [worker]
    job.save()
    return job


def _heartbeat(worker: str, *, seconds_ago: float = 0, pid: int | None = None, host=None):
    seen = timezone.now() - datetime.timedelta(seconds=seconds_ago)
    return WorkerHeartbeat.objects.create(
        worker_id=worker,
        host=host or socket.gethostname(),
        pid=pid or os.getpid(),
        started_at=seen,
        seen_at=seen,
    )


def test_a_job_of_a_live_worker_is_left_running():
    job = _running()
    _heartbeat("w1")  # this very process: alive, and seen just now

    assert workers.reclaim_stalled_jobs() == workers.Reclaimed(requeued=0, failed=0)
    job.refresh_from_db()
    assert job.status == TaskResultStatus.RUNNING


def test_a_job_whose_worker_stopped_beating_is_queued_again_and_audited_once():
    job = _running()
    _heartbeat("w1", seconds_ago=workers.stale_after().total_seconds() + 1, host="elsewhere")

    assert workers.reclaim_stalled_jobs() == workers.Reclaimed(requeued=1, failed=0)
    assert workers.reclaim_stalled_jobs() == workers.Reclaimed(requeued=0, failed=0)

    job.refresh_from_db()
    assert job.status == TaskResultStatus.READY
    assert job.started_at is None
    event = AuditEvent.objects.get(action=audit.Action.JOB_RECLAIMED)
    assert event.detail["outcome"] == "queued again"
    assert event.detail["worker"] == "w1"


def test_a_worker_killed_on_this_machine_is_known_gone_at_once(run_jobs):
    job = _running()
    _heartbeat("w1", pid=_dead_pid())  # seen a moment ago, but its process is gone

    assert workers.reclaim_stalled_jobs().requeued == 1
    run_jobs()  # and the next worker runs it to the end
    job.refresh_from_db()
    assert job.status == TaskResultStatus.SUCCESSFUL


def test_another_machines_worker_is_trusted_until_its_heartbeat_is_stale():
    job = _running()
    _heartbeat("w1", pid=_dead_pid(), host="elsewhere", seconds_ago=1)

    assert workers.reclaim_stalled_jobs().requeued == 0
    job.refresh_from_db()
    assert job.status == TaskResultStatus.RUNNING


def test_an_email_whose_worker_died_is_failed_visibly_not_sent_twice(run_jobs):
    job = _running("email")
    _heartbeat("w1", pid=_dead_pid())

    assert workers.reclaim_stalled_jobs() == workers.Reclaimed(requeued=0, failed=1)
    assert run_jobs() == 0
    assert mail.outbox == []
    job.refresh_from_db()
    assert job.status == TaskResultStatus.FAILED
    assert "may or may not have reached the mail server" in job.traceback


def test_a_job_that_stopped_its_worker_three_times_is_given_up_on():
    job = _running(claims=workers.MAX_CLAIMS)
    _heartbeat("w1", pid=_dead_pid())

    assert workers.reclaim_stalled_jobs() == workers.Reclaimed(requeued=0, failed=1)
    job.refresh_from_db()
    assert job.status == TaskResultStatus.FAILED
    assert "3 times" in job.traceback


def test_a_job_of_a_worker_without_heartbeat_waits_for_the_stale_period():
    job = _running(worker="old-style")
    assert workers.reclaim_stalled_jobs().requeued == 0

    Job.objects.filter(pk=job.pk).update(
        started_at=timezone.now() - workers.stale_after() - datetime.timedelta(seconds=1)
    )
    assert workers.reclaim_stalled_jobs().requeued == 1


def test_the_jobs_page_shows_a_running_job_whose_worker_stopped(signed_in):
    _running()
    _heartbeat("w1", pid=_dead_pid())
    page = signed_in(Role.SYSTEM_ADMINISTRATOR).get(reverse("admin:housekeeping_job_changelist"))

    assert "Its worker stopped: it will be run again" in page.content.decode()


def test_beat_records_then_refreshes_this_process_and_forget_removes_it():
    workers.beat("me")
    first = WorkerHeartbeat.objects.get(worker_id="me")
    assert (first.host, first.pid) == (socket.gethostname(), os.getpid())

    workers.beat("me", now=first.seen_at + datetime.timedelta(seconds=10))
    assert WorkerHeartbeat.objects.get(worker_id="me").seen_at > first.seen_at

    workers.forget("me")
    assert not WorkerHeartbeat.objects.exists()
