"""Emails to people about their own account, queued with the change that causes them."""

from django.template.loader import render_to_string
from django.utils.translation import override

from lantern.core.outbox import enqueue_email


def enqueue(*, template: str, to: str, context: dict[str, object], language: str | None) -> None:
    """Queue ``accounts/email/<template>_subject.txt`` and ``_body.txt`` in the outbox, in
    the caller's transaction: committed with the change, or not sent at all.

    The worker sends it afterwards, so a mail server that fails neither undoes the change
    (the invitation exists, the password is set) nor loses the email: it is tried again,
    and an administrator sees it among the failed jobs if it never goes.
    """
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
