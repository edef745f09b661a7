"""Rotate the key that encrypts victims' personal details (``lantern keys rotate``).

An operator puts a new salt at the head of ``LANTERN_FIELD_ENCRYPTION_SALTS`` (or a new
``SECRET_KEY`` with the old one in ``SECRET_KEY_FALLBACKS``) and restarts; new values are
then encrypted with the new key while old ones still open with the old. ``rotate``
re-encrypts every stored value under the newest key with ``MultiFernet.rotate``, batch by
batch, each batch committed with its audit entry. Interrupted, it is simply run again:
values already under the newest key are left alone, so re-running is harmless. When
``status`` reports nothing left under older keys, the old salt can be removed.

Rows are locked while their batch is re-encrypted (``SELECT … FOR UPDATE`` on PostgreSQL;
SQLite's immediate transactions hold the write lock), so an edit made meanwhile is never
overwritten with the old value.
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.db import connection, transaction

from lantern.core import audit, field_keys
from lantern.core.models import User
from lantern.core.operator import operator_name

DEFAULT_BATCH_SIZE = 500

Progress = Callable[[str], None]


def _silent(_message: str) -> None:
    """The default progress reporter: a service run from code says nothing."""


@dataclass
class KeyReport:
    """Stored encrypted values by the key they are under, per model."""

    current: dict[str, int] = field(default_factory=dict)
    rewritten: dict[str, int] = field(default_factory=dict)
    older: dict[str, int] = field(default_factory=dict)
    unreadable: dict[str, int] = field(default_factory=dict)

    def add(self, bucket: str, label: str, number: int = 1) -> None:
        counts = getattr(self, bucket)
        counts[label] = counts.get(label, 0) + number


def _batches(
    item: field_keys.EncryptedColumns, batch_size: int, *, lock: bool
) -> Iterator[list[tuple]]:
    """Yield the rows of ``item`` in primary-key order, one batch per call, raw values."""
    quote = connection.ops.quote_name
    pk = quote(item.model._meta.pk.column)
    columns = ", ".join(quote(column) for column in item.columns)
    lock_clause = " FOR UPDATE" if lock and connection.features.has_select_for_update else ""
    last = None
    while True:
        where = f"WHERE {pk} > %s " if last is not None else ""
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {pk}, {columns} FROM {quote(item.table)} {where}"  # noqa: S608
                f"ORDER BY {pk} LIMIT %s{lock_clause}",
                [last, batch_size] if last is not None else [batch_size],
            )
            rows = cursor.fetchall()
        if not rows:
            return
        yield rows
        last = rows[-1][0]


def status() -> KeyReport:
    """Count stored values under the newest key, under an older one, and unreadable."""
    report = KeyReport()
    for item in field_keys.encrypted_columns():
        newest = [field_keys.newest_key(model_field) for model_field in item.fields]
        every = [field_keys.all_keys(model_field) for model_field in item.fields]
        for rows in _batches(item, DEFAULT_BATCH_SIZE, lock=False):
            for row in rows:
                for index, token in enumerate(row[1:]):
                    if token is None:
                        continue
                    report.add(_classify(token, newest[index], every[index]), item.label)
    return report


def _classify(token: str, newest: Fernet, every: MultiFernet) -> str:
    data = token.encode("utf-8")
    try:
        newest.decrypt(data)
        return "current"
    except InvalidToken:
        pass
    try:
        every.decrypt(data)
        return "older"
    except InvalidToken:
        return "unreadable"


def rotate(
    *,
    actor: User | None = None,
    batch_size: int = DEFAULT_BATCH_SIZE,
    progress: Progress = _silent,
) -> KeyReport:
    """Re-encrypt every stored value that is not under the newest key yet."""
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    report = KeyReport()
    quote = connection.ops.quote_name
    for item in field_keys.encrypted_columns():
        newest = [field_keys.newest_key(model_field) for model_field in item.fields]
        every = [field_keys.all_keys(model_field) for model_field in item.fields]
        pk = quote(item.model._meta.pk.column)
        batches = _batches(item, batch_size, lock=True)
        done = 0
        while True:
            with transaction.atomic():
                rows = next(batches, None)
                if rows is None:
                    break
                rewritten = 0
                for row in rows:
                    changes = {}
                    for index, token in enumerate(row[1:]):
                        if token is None:
                            continue
                        kind = _classify(token, newest[index], every[index])
                        if kind == "older":
                            changes[item.columns[index]] = (
                                every[index].rotate(token.encode("utf-8")).decode("utf-8")
                            )
                            report.add("rewritten", item.label)
                        else:
                            report.add(kind, item.label)
                    if changes:
                        assignments = ", ".join(f"{quote(column)} = %s" for column in changes)
                        with connection.cursor() as cursor:
                            cursor.execute(
                                f"UPDATE {quote(item.table)} SET {assignments} "  # noqa: S608
                                f"WHERE {pk} = %s",
                                [*changes.values(), row[0]],
                            )
                        rewritten += 1
                if rewritten:
                    audit.record(
                        action=audit.Action.FIELD_KEYS_ROTATED,
                        actor=actor,
                        actor_email=operator_name(),
                        detail={
                            "model": item.label,
                            "first_id": str(rows[0][0]),
                            "last_id": str(rows[-1][0]),
                            "rows_reencrypted": rewritten,
                        },
                    )
            done += len(rows)
            progress(f"  {item.label}: {done} rows checked")
    return report
