"""Pairing codes: what links an attendee's post-test to their pre-test, without a name.

The code is a secret of the attendee's: drawn on the pre-test page, shown there once to be
written down, and kept in their browser's session for the post-test and the certificate.
No other page shows it again, since anyone who reads it could send the post-test in the
attendee's place (a neighbour glancing at a phone, a shared screen). The database keeps
only a keyed hash of it (HMAC with the project's secret key, per session), so nobody who
reads the attempts table — an administrator, a backup — can type a code either.
"""

from django.utils.crypto import salted_hmac

from lantern.core import references

KEY_LENGTH = 64  # a SHA-256 HMAC in hexadecimal
_SALT = "lantern.outreach.pairing"


def new_code() -> str:
    """A code the attendee keeps from the pre-test to the post-test: ``K7PD-3XQA``."""
    return references.new_reference()


def key(session_code: str, code: str) -> str:
    """What is stored for ``code`` in the session ``session_code``: equal codes pair."""
    return salted_hmac(_SALT, f"{session_code}:{code}", algorithm="sha256").hexdigest()
