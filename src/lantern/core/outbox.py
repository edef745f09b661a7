"""The outbox: every email Lantern sends leaves through a background task.

A request that causes an email enqueues it in the same database transaction as the change
(``django-tasks-db`` stores the task as a row beside the change): both are committed or
neither is, so a rolled-back submission sends nothing and a committed one is never
forgotten. The worker (``lantern worker``, or ``lantern serve --with-worker``) sends it
afterwards, so a slow or failing mail server never slows or fails a request. A failed
send is tried again later, each wait longer than the last; after the last attempt the job
stays failed, with its error, on the administrators' page of background jobs, which can
retry it (docs/adr/0024-background-tasks.md).
"""

import datetime
import logging
import smtplib

from django.core.mail import send_mail
from django.db import transaction
from django.tasks import task
from django.utils import timezone

logger = logging.getLogger(__name__)

# Attempts before a job is left failed for an administrator: waits of 1, 4, 16 and 64
# minutes cover a mail server restarted, or out for an afternoon.
MAX_ATTEMPTS = 5
FIRST_WAIT = datetime.timedelta(minutes=1)
BACKOFF_FACTOR = 4


def backoff(attempt: int) -> datetime.timedelta:
    """How long to wait after failed attempt number ``attempt`` (1 for the first)."""
    return FIRST_WAIT * BACKOFF_FACTOR ** (attempt - 1)


class MailNotSent(Exception):
    """The last attempt to send an email failed; the job stays failed for an administrator."""


@task(queue_name="default")
def send_email(*, subject: str, body: str, to: list[str], attempt: int = 1) -> dict[str, object]:
    """Send one email; on failure, enqueue the next attempt after a growing wait.

    An attempt that fails but will be tried again ends successfully, saying when it
    retries, so that the failed jobs an administrator sees are those that gave up.
    """
    try:
        send_mail(subject=subject, message=body, from_email=None, recipient_list=to)
    except (OSError, smtplib.SMTPException) as error:
        if attempt >= MAX_ATTEMPTS or not send_email.get_backend().supports_defer:
            raise MailNotSent(f"attempt {attempt}: {error!r}") from error
        run_after = timezone.now() + backoff(attempt)
        send_email.using(run_after=run_after).enqueue(
            subject=subject, body=body, to=to, attempt=attempt + 1
        )
        logger.warning("Email not sent (attempt %d), trying again at %s", attempt, run_after)
        return {"sent": False, "attempt": attempt, "retry_at": run_after.isoformat()}
    return {"sent": True, "attempt": attempt}


def enqueue_email(*, subject: str, body: str, to: list[str]) -> None:
    """Queue an email in the caller's transaction (committed with it, or not at all)."""
    with transaction.atomic():
        send_email.enqueue(subject=str(subject), body=str(body), to=list(to), attempt=1)
