"""Reference numbers people can read out, and follow-up tokens nobody can guess."""

import hashlib
import secrets

# Letters and digits that cannot be confused when read aloud or written by hand:
# no 0/O, 1/I/L, 2/Z, 5/S, 8/B, U/V.
REFERENCE_ALPHABET = "ACDEFGHJKMNPQRTWXY34679"
REFERENCE_LENGTH = 8


def new_reference() -> str:
    """``"K7PD-3XQA"``: 23⁸ ≈ 78 billion possibilities, grouped for reading out."""
    characters = "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(REFERENCE_LENGTH))
    return f"{characters[:4]}-{characters[4:]}"


def new_follow_up_token() -> str:
    """256 random bits, URL-safe: the private follow-up link's only secret."""
    return secrets.token_urlsafe(32)


def hash_token(token: str) -> str:
    """Only this hash is stored, so the database cannot rebuild a follow-up link."""
    return hashlib.sha256(token.encode()).hexdigest()
