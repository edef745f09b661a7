"""Emails to people about their own account, sent only once the change is committed."""

import logging
import smtplib

from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils.translation import override

from lantern.core.outbox import enqueue_email

logger = logging.getLogger(__name__)


def send_after_commit(
    *, template: str, to: str, context: dict[str, object], language: str | None
) -> None:
    """Send ``accounts/email/<template>_subject.txt`` and ``_body.txt`` once committed.

    A mail server that fails must not undo the change (the invitation exists, the password
    is set): the failure is logged for the operators, and an invitation can be resent.
    """

    def send() -> None:
        with override(language):
            subject = render_to_string(f"accounts/email/{template}_subject.txt", context)
            body = render_to_string(f"accounts/email/{template}_body.txt", context)
        try:
            send_mail(
                subject=" ".join(subject.split()),
                message=body,
                from_email=None,
                recipient_list=[to],
            )
        except (OSError, smtplib.SMTPException):
            logger.exception("Could not send the %s email", template)

    transaction.on_commit(send)


def enqueue(*, template: str, to: str, context: dict[str, object], language: str | None) -> None:
    """Queue ``accounts/email/<template>_subject.txt`` and ``_body.txt`` in the outbox, in
    the caller's transaction: committed with the change, or not sent at all."""
    with override(language):
        subject = render_to_string(f"accounts/email/{template}_subject.txt", context)
        body = render_to_string(f"accounts/email/{template}_body.txt", context)
    enqueue_email(subject=" ".join(subject.split()), body=body, to=[to])


def enqueue_in_both_languages(*, template: str, to: str, context: dict[str, object]) -> None:
    """Queue an email written in English then French, for scheduled work that knows no
    reader's language (as the daily run's other notices are)."""
    subjects, bodies = [], []
    for language in ("en", "fr"):
        with override(language):
            subjects.append(
                " ".join(
                    render_to_string(f"accounts/email/{template}_subject.txt", context).split()
                )
            )
            bodies.append(render_to_string(f"accounts/email/{template}_body.txt", context))
    enqueue_email(subject=" / ".join(subjects), body="\n\n".join(bodies), to=[to])
