"""Readable references, and storing a submission once however often it is sent.

Public reports and partner intelligence share both: a reference people can read out on
the phone, and a submission key that turns a double click, a refresh or a network retry
into the record the first request stored.
"""

import random
import secrets
import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, models, transaction

if TYPE_CHECKING:
    from lantern.core.models import User

# Letters and digits that cannot be confused when read aloud or written by hand:
# no 0/O, 1/I/L, 2/Z, 5/S, 8/B, U/V.
REFERENCE_ALPHABET = "ACDEFGHJKMNPQRTWXY34679"
REFERENCE_LENGTH = 8
_ATTEMPTS = 5


def new_reference(randomiser: random.Random | None = None) -> str:
    """``"K7PD-3XQA"``: 23⁸ ≈ 78 billion possibilities, grouped for reading out.

    Real records draw from the system's secure source; the demo generator passes its seeded
    ``randomiser`` so that its synthetic reports keep the same references on every machine.
    """
    choose = randomiser.choice if randomiser is not None else secrets.choice
    characters = "".join(choose(REFERENCE_ALPHABET) for _ in range(REFERENCE_LENGTH))
    return f"{characters[:4]}-{characters[4:]}"


def store_once[Record: models.Model](
    model: type[Record],
    *,
    submission_key: uuid.UUID,
    create: Callable[[str], Record],
    sent_by: "User | None" = None,
    sender_field: str = "created_by",
) -> tuple[Record, bool]:
    """Run ``create(reference)`` in a transaction, once per ``submission_key``.

    Returns the record and whether this call created it. ``model`` must have unique
    ``submission_key`` and ``reference`` fields: when either insert collides, the record
    stored by an earlier call is returned, or ``create`` runs again with a new reference.
    Given ``sent_by``, a repeat returns the record only to the user its ``sender_field``
    names; anyone else re-sending the key is refused (``PermissionDenied``).
    """
    # A repeat is answered before ``create`` runs: its checks may refuse what the first
    # request has just done (a referral already waiting).
    existing = model._default_manager.filter(submission_key=submission_key).first()
    if existing is not None:
        return _repeated(existing, sent_by, sender_field), False
    for _attempt in range(_ATTEMPTS):
        try:
            with transaction.atomic():
                return create(new_reference()), True
        except IntegrityError:
            existing = model._default_manager.filter(submission_key=submission_key).first()
            if existing is not None:
                return _repeated(existing, sent_by, sender_field), False
    raise RuntimeError(f"Could not store the {model._meta.verbose_name}")  # pragma: no cover


def store_unreferenced_once[Record: models.Model](
    model: type[Record],
    *,
    submission_key: uuid.UUID,
    create: Callable[[], Record],
    sent_by: "User",
    sender_field: str,
) -> Record:
    """``store_once`` for a record without a reference of its own (an action, a referral
    between partners): ``create()`` once per ``submission_key``, else the first record."""
    record, _created = store_once(
        model,
        submission_key=submission_key,
        create=lambda _reference: create(),
        sent_by=sent_by,
        sender_field=sender_field,
    )
    return record


def _repeated[Record: models.Model](
    record: Record, sent_by: "User | None", sender_field: str
) -> Record:
    # The same form sent again returns its record, to the person who sent it only.
    if sent_by is not None and getattr(record, f"{sender_field}_id") != sent_by.pk:
        raise PermissionDenied
    return record
