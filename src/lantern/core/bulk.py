"""Writing many rows fast: for bulk operations (the intelligence import, its audit) and for
correlation, which runs inside the request that saves a report.

Each stores what ``bulk_create`` or ``bulk_update`` would, value for value (each field's
``pre_save`` and ``get_db_prep_save``), without Django assembling SQL for every value: for
a 50,000-row import's links, mentions, timeline entries and audit entries, and for the ten
mentions of one report at a million entities (``bench/entities.py``), that assembly took
longer than the database. No signals are sent, as with ``bulk_create``.
"""

from collections.abc import Sequence

from django.db import DEFAULT_DB_ALIAS, connection, connections, models

# Rows sent per ``executemany``.
CHUNK_SIZE = 5000
# Rows inserted per statement when their ids come back: within both databases' limits on
# parameters (SQLite's 32,766) for a table of a dozen columns.
RETURNING_CHUNK_SIZE = 1000


def insert_all(objects: Sequence[models.Model]) -> None:
    """Insert new objects of one model whose ids nobody needs back, with ``executemany``."""
    if not objects:
        return
    table, columns, rows = _prepared(objects)
    _insert_many(table, columns, rows)


def _insert_many(table: str, columns: list[str], rows: list[list]) -> None:
    # Only the model's own table and column names, quoted, go into the statement.
    sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({_marks(columns)})"  # noqa: S608
    with connection.cursor() as cursor:
        for start in range(0, len(rows), CHUNK_SIZE):
            cursor.executemany(sql, rows[start : start + CHUNK_SIZE])


def insert_returning(objects: Sequence[models.Model]) -> None:
    """Insert new objects of one model, a statement per ``RETURNING_CHUNK_SIZE``, and give
    them their ids."""
    if not objects:
        return
    table, columns, rows = _prepared(objects)
    returned = connection.ops.quote_name(objects[0]._meta.pk.column)
    with connection.cursor() as cursor:
        for start in range(0, len(rows), RETURNING_CHUNK_SIZE):
            chunk = rows[start : start + RETURNING_CHUNK_SIZE]
            values = ", ".join(f"({_marks(columns)})" for _row in chunk)
            cursor.execute(
                f"INSERT INTO {table} ({', '.join(columns)}) VALUES {values} "  # noqa: S608
                f"RETURNING {returned}",
                [value for row in chunk for value in row],
            )
            # Both databases return the rows in the order of VALUES (``bulk_create`` relies
            # on it too).
            chunk_objects = objects[start : start + RETURNING_CHUNK_SIZE]
            for item, (pk,) in zip(chunk_objects, cursor.fetchall(), strict=True):
                item.pk = pk
                item._state.adding = False
                item._state.db = connection.alias


def update_all(objects: Sequence[models.Model], field_names: Sequence[str]) -> None:
    """Write these fields of saved objects of one model, one prepared statement for all.

    ``bulk_update`` builds a ``CASE WHEN`` expression of every object for every field.
    """
    if not objects:
        return
    meta = objects[0]._meta
    fields = [meta.get_field(name) for name in field_names]
    quote = connection.ops.quote_name
    assignments = ", ".join(f"{quote(field.column)} = %s" for field in fields)
    sql = (
        f"UPDATE {quote(meta.db_table)} SET {assignments} "  # noqa: S608
        f"WHERE {quote(meta.pk.column)} = %s"
    )
    default = connections[DEFAULT_DB_ALIAS]
    rows = [
        [field.get_db_prep_save(field.pre_save(item, add=False), default) for field in fields]
        + [item.pk]
        for item in objects
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def _prepared(objects: Sequence[models.Model]) -> tuple[str, list[str], list[list]]:
    """The quoted table and columns of new objects of one model, and their rows of values."""
    meta = objects[0]._meta
    fields = [field for field in meta.concrete_fields if not field.primary_key]
    quote = connection.ops.quote_name
    # The connection itself, not the proxy that looks it up again on every value.
    default = connections[DEFAULT_DB_ALIAS]
    rows = [
        [field.get_db_prep_save(field.pre_save(item, add=True), default) for field in fields]
        for item in objects
    ]
    return quote(meta.db_table), [quote(field.column) for field in fields], rows


def _marks(columns: Sequence[str]) -> str:
    return ", ".join(["%s"] * len(columns))
