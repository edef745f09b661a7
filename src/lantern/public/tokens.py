"""Follow-up tokens nobody can guess (references are ``core.references``)."""

import hashlib
import secrets


def new_follow_up_token() -> str:
    """256 random bits, URL-safe: the private follow-up link's only secret."""
    return secrets.token_urlsafe(32)


def hash_token(token: str) -> str:
    """Only this hash is stored, so the database cannot rebuild a follow-up link."""
    return hashlib.sha256(token.encode()).hexdigest()
