"""The background jobs page: system administrators see what failed and why, and retry it
(audited); nobody else reaches it or can retry anything."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from lantern.core import audit, outbox
from lantern.core.models import AuditEvent
from lantern.core.roles import Role
from lantern.housekeeping import services
from lantern.housekeeping.models import Job
from tests.core.test_outbox import DownMailServer

pytestmark = pytest.mark.django_db

JOBS = reverse("admin:housekeeping_job_changelist")


@pytest.fixture
def failed_job(settings, run_jobs):
    """An email that failed every attempt while the mail server was down (now back)."""
    settings.MAILERS = {"default": {"BACKEND": f"{DownMailServer.__module__}.DownMailServer"}}
    with transaction.atomic():
        outbox.enqueue_email(subject="Hello", body="Your reference", to=["sam@example.com"])
    job = DBTaskResult.objects.get()
    job.args_kwargs["kwargs"]["attempt"] = outbox.MAX_ATTEMPTS
    job.save()
    run_jobs()
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    return Job.objects.get(status="FAILED")


@pytest.fixture
def admin_client(signed_in):
    return signed_in(Role.SYSTEM_ADMINISTRATOR)


def test_an_administrator_sees_the_failed_job_and_its_error(admin_client, failed_job):
    page = admin_client.get(JOBS, {"status__exact": "FAILED"}).content.decode()

    assert "Send an email" in page
    assert "MailNotSent" in page and "mail server down" in page
    assert "sam@example.com" not in page  # a job's arguments are not shown

    detail = admin_client.get(reverse("admin:housekeeping_job_change", args=[failed_job.pk]))
    assert detail.status_code == 200
    assert "ConnectionRefusedError" in detail.content.decode()


def test_retrying_a_failed_job_queues_it_afresh_audited_and_it_is_sent(
    admin_client, failed_job, run_jobs
):
    response = admin_client.post(
        JOBS, {"action": "retry", "_selected_action": [str(failed_job.pk)]}, follow=True
    )

    assert "1 failed job queued again." in response.content.decode()
    queued = DBTaskResult.objects.get(status="READY")
    assert queued.args_kwargs["kwargs"]["attempt"] == 1  # the full back-off again
    event = AuditEvent.objects.get(action=audit.Action.JOB_RETRIED)
    assert (event.actor_id, event.ip_address) == (admin_client.user.pk, "127.0.0.1")
    assert event.object_id == str(failed_job.pk)
    assert event.detail["queued_as"] == str(queued.pk)

    assert run_jobs() == 1
    assert [message.to for message in mail.outbox] == [["sam@example.com"]]


def test_a_command_retries_a_failed_job_with_no_request(make_user, failed_job):
    """A task or the CLI passes a system context: the actor is audited, with no address."""
    administrator = make_user(Role.SYSTEM_ADMINISTRATOR)
    context = audit.AuditContext.system("mail server back after maintenance", actor=administrator)

    assert services.retry_jobs(jobs=[failed_job], actor=administrator, context=context) == 1

    event = AuditEvent.objects.get(action=audit.Action.JOB_RETRIED)
    assert (event.actor_id, event.ip_address, event.purpose) == (
        administrator.pk,
        None,
        "mail server back after maintenance",
    )


def test_a_job_that_did_not_fail_is_not_retried(admin_client, run_jobs):
    with transaction.atomic():
        outbox.enqueue_email(subject="Hello", body="Body", to=["a@example.com"])
    run_jobs()
    done = Job.objects.get()

    retried = services.retry_jobs(jobs=[done], actor=admin_client.user)

    assert retried == 0
    assert Job.objects.count() == 1
    assert not AuditEvent.objects.filter(action=audit.Action.JOB_RETRIED).exists()


@pytest.mark.parametrize("role", [role for role in Role if role is not Role.SYSTEM_ADMINISTRATOR])
def test_nobody_else_reaches_the_jobs_or_retries_one(signed_in, role, failed_job):
    client = signed_in(role)

    for url in (JOBS, reverse("admin:housekeeping_job_change", args=[failed_job.pk])):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("admin:login"))
    client.post(JOBS, {"action": "retry", "_selected_action": [str(failed_job.pk)]})
    with pytest.raises(PermissionDenied):
        services.retry_jobs(jobs=[failed_job], actor=client.user)
    assert Job.objects.count() == 1
    assert not AuditEvent.objects.filter(action=audit.Action.JOB_RETRIED).exists()
