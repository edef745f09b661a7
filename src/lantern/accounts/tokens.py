"""Secrets for the links Lantern emails: invitations and password resets."""

import hashlib
import secrets

from django.contrib.auth.tokens import PasswordResetTokenGenerator


def new_secret() -> tuple[str, str]:
    """A fresh link secret and the SHA-256 that is all the database keeps of it."""
    secret = secrets.token_urlsafe(32)
    return secret, hash_secret(secret)


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8", "replace")).hexdigest()


class PasswordResetTokens(PasswordResetTokenGenerator):
    """Django's reset tokens, with a salt of Lantern's own.

    A token is an HMAC of the user's id, password hash, last sign-in and the time it was
    made, so it stops working once used (the password hash changes), once the person signs
    in, and after ``PASSWORD_RESET_TIMEOUT`` seconds (an hour in Lantern). Nothing is stored.
    """

    key_salt = "lantern.accounts.tokens.PasswordResetTokens"


password_reset_tokens = PasswordResetTokens()
