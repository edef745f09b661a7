"""The outbox: an email is queued with the change that causes it, sent by the worker, tried
again after growing waits, and left failed for an administrator when it keeps failing."""

import datetime
import smtplib
import time
import uuid

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from lantern.core import outbox
from lantern.public import services as public_services
from lantern.public.models import PublicReport
from tests.public.test_report import ANSWERS, fill_in, send

pytestmark = pytest.mark.django_db


@pytest.fixture
def visitor(client, db):
    return client


CONTACT = {
    "wants_contact": "yes",
    "contact_name": "Sam",
    "contact_email": "sam@example.com",
    "consent_to_contact": "on",
}


class DownMailServer(BaseEmailBackend):
    """A mail server that refuses every connection."""

    def send_messages(self, email_messages):
        raise ConnectionRefusedError("mail server down")


class SlowDownMailServer(BaseEmailBackend):
    """A mail server that hangs for seconds, then fails."""

    def send_messages(self, email_messages):
        time.sleep(3)
        raise smtplib.SMTPServerDisconnected("timed out")


@pytest.fixture
def mail_server(settings):
    """Swap the mail server for one of the above (or back to the test outbox)."""

    def use(backend: type[BaseEmailBackend] | None) -> None:
        path = (
            f"{__name__}.{backend.__name__}"
            if backend
            else "django.core.mail.backends.locmem.EmailBackend"
        )
        settings.MAILERS = {"default": {"BACKEND": path}}

    return use


def _answers_with_contact():
    return {**ANSWERS, "contact": CONTACT}


def test_a_rolled_back_change_queues_nothing_and_sends_nothing(run_jobs):
    with pytest.raises(RuntimeError), transaction.atomic():
        outbox.enqueue_email(subject="Hello", body="Body", to=["a@example.com"])
        assert DBTaskResult.objects.count() == 1  # queued inside the transaction…
        raise RuntimeError("the change fails after the email was queued")

    assert not DBTaskResult.objects.exists()  # …and gone with it
    assert run_jobs() == 0
    assert mail.outbox == []


def test_a_report_that_fails_to_store_queues_no_email(monkeypatch, run_jobs):
    real = public_services._email_reference

    def queue_then_fail(report):
        real(report)
        assert DBTaskResult.objects.count() == 1
        raise RuntimeError("the database went away")

    monkeypatch.setattr(public_services, "_email_reference", queue_then_fail)
    answers = {
        "immediate_danger": "no",
        "what_happened": "Workers sleep at the car wash",
        "children_involved": "no",
        "location": "Car wash, Narborough Road",
        "wants_contact": "yes",
        "contact_email": "sam@example.com",
        "consent_to_contact": True,
    }
    with pytest.raises(RuntimeError):
        public_services.submit_report(submission_key=uuid.uuid4(), answers=answers, language="en")

    assert not PublicReport.objects.exists()
    assert not DBTaskResult.objects.exists()
    assert run_jobs() == 0
    assert mail.outbox == []


def test_the_reference_is_queued_with_the_report_and_sent_by_the_worker(visitor, run_jobs):
    send(visitor, fill_in(visitor, _answers_with_contact()))

    report = PublicReport.objects.get()
    job = DBTaskResult.objects.get()
    assert job.task_path == "lantern.core.outbox.send_email"
    assert job.status == "READY"
    assert mail.outbox == []

    assert run_jobs() == 1

    assert [message.to for message in mail.outbox] == [["sam@example.com"]]
    assert report.reference in mail.outbox[0].body
    job.refresh_from_db()
    assert (job.status, job.return_value) == ("SUCCESSFUL", {"sent": True, "attempt": 1})


def test_a_double_submission_queues_one_email(visitor, run_jobs):
    confirmation = fill_in(visitor, _answers_with_contact())
    send(visitor, confirmation)
    send(visitor, confirmation)

    assert PublicReport.objects.count() == 1
    assert run_jobs() == 1
    assert len(mail.outbox) == 1


def test_a_slow_failing_mail_server_neither_fails_nor_slows_the_report(visitor, mail_server):
    mail_server(SlowDownMailServer)

    key = fill_in(visitor, _answers_with_contact())
    started = time.monotonic()
    response = send(visitor, key)
    elapsed = time.monotonic() - started

    assert response.status_code == 302
    page = visitor.get(response["Location"]).content.decode()
    assert PublicReport.objects.get().reference in page
    assert elapsed < 3  # the server hangs 3 s per message: it was not called
    assert DBTaskResult.objects.get().status == "READY"


def _make_due():
    """Bring every waiting job's time forward to now (as if the wait had passed)."""
    DBTaskResult.objects.filter(status="READY").update(
        run_after=timezone.now() - datetime.timedelta(seconds=1)
    )


def test_a_failed_send_is_tried_again_after_growing_waits_then_left_failed(mail_server, run_jobs):
    mail_server(DownMailServer)
    with transaction.atomic():
        outbox.enqueue_email(subject="Hello", body="Your reference", to=["a@example.com"])

    waits = []
    for _attempt in range(1, outbox.MAX_ATTEMPTS):
        before = timezone.now()
        assert run_jobs() == 1
        waiting = DBTaskResult.objects.get(status="READY")
        waits.append(waiting.run_after - before)
        _make_due()
    assert run_jobs() == 1

    # 1, 4, 16 and 64 minutes (give or take the test's own run time).
    assert [round(wait.total_seconds() / 60) for wait in waits] == [1, 4, 16, 64]
    jobs = DBTaskResult.objects.order_by("enqueued_at")
    assert [job.status for job in jobs] == ["SUCCESSFUL"] * 4 + ["FAILED"]
    assert [job.args_kwargs["kwargs"]["attempt"] for job in jobs] == [1, 2, 3, 4, 5]
    last = jobs.last()
    assert last.exception_class_path == "lantern.core.outbox.MailNotSent"
    assert "mail server down" in last.traceback
    assert not DBTaskResult.objects.filter(status="READY").exists()
    assert mail.outbox == []


def test_a_send_that_succeeds_on_a_later_attempt_sends_once(mail_server, run_jobs):
    mail_server(DownMailServer)
    with transaction.atomic():
        outbox.enqueue_email(subject="Hello", body="Your reference", to=["a@example.com"])
    assert run_jobs() == 1

    mail_server(None)  # the mail server is back
    _make_due()
    assert run_jobs() == 1
    assert run_jobs() == 0

    assert len(mail.outbox) == 1
    assert DBTaskResult.objects.filter(status="SUCCESSFUL").count() == 2


def test_each_wait_is_four_times_the_last():
    assert [outbox.backoff(attempt) for attempt in (1, 2, 3)] == [
        datetime.timedelta(minutes=1),
        datetime.timedelta(minutes=4),
        datetime.timedelta(minutes=16),
    ]
