"""The reads correlation makes for every report, written in SQL.

Correlation runs inside the request that saves a report (``entities.correlation``). At a
million entities, Django took 0.5 ms to assemble each of these queries against 0.07 ms for
SQLite to run it (``bench/entities.py``), so they are written here once, with the tables'
and columns' names taken from the models, and return plain rows. Everything else about
entities goes through the ORM.
"""

from collections.abc import Collection

from django.db import connection
from django.db.models import Model

from lantern.entities.models import Entity, EntityBlock, Mention

# What comparing needs of an existing entity, in ``correlation._Candidate``'s order.
CANDIDATE_FIELDS = (
    "id",
    "kind",
    "key",
    "label",
    "date_of_birth",
    "nationality",
    "excluded_at",
    "merged_into",
)

# Blocks counted, and entities read by id, per statement.
_COUNTED_PER_STATEMENT = 100
_IDS_PER_STATEMENT = 1000

type Key = tuple[str, str]


def entities_with_keys(keys: Collection[Key]) -> list[tuple]:
    """The entities of these kinds with these keys, oldest first, as ``CANDIDATE_FIELDS``.

    Kinds and keys are matched apart (one index read); rows pairing a kind with another
    kind's key are for the caller to drop.
    """
    kinds, values = {kind for kind, _key in keys}, {key for _kind, key in keys}
    return _rows(
        f"SELECT {_candidate_columns()} FROM {_table(Entity)} "  # noqa: S608
        f"WHERE {_column(Entity, 'kind')} IN ({_marks(kinds)}) "
        f"AND {_column(Entity, 'key')} IN ({_marks(values)}) ORDER BY {_column(Entity, 'id')}",
        [*kinds, *values],
    )


def common_values(keys: Collection[Key], limit: int) -> list[Key]:
    """Of these kinds and keys, those that more than ``limit`` reports mention."""
    kinds, values = {kind for kind, _key in keys}, {key for _kind, key in keys}
    kind, key, report = (_column(Mention, name) for name in ("kind", "key", "report"))
    return _rows(
        f"SELECT {kind}, {key} FROM {_table(Mention)} "  # noqa: S608
        f"WHERE {kind} IN ({_marks(kinds)}) AND {key} IN ({_marks(values)}) "
        f"GROUP BY {kind}, {key} HAVING COUNT(DISTINCT {report}) > %s",
        [*kinds, *values, limit],
    )


def entities_by_id(ids: Collection[int]) -> list[tuple]:
    """These entities, as ``CANDIDATE_FIELDS``, a thousand ids a statement (the sweep's
    500 people may have tens of thousands of candidates, beyond SQLite's 32,766
    parameters)."""
    ids = list(ids)
    rows = []
    for start in range(0, len(ids), _IDS_PER_STATEMENT):
        chunk = ids[start : start + _IDS_PER_STATEMENT]
        rows += _rows(
            f"SELECT {_candidate_columns()} FROM {_table(Entity)} "  # noqa: S608
            f"WHERE {_column(Entity, 'id')} IN ({_marks(chunk)})",
            chunk,
        )
    return rows


def block_members(blocks: Collection[str], most: int) -> list[tuple[str, int]]:
    """The block and entity id of each member of these blocks, for the blocks holding at
    most ``most`` entities.

    Block sizes are read apart, not as a subquery: as one, PostgreSQL took 181 ms at p95
    (``bench/entities.py``) against 52 ms this way.
    """
    table = _table(EntityBlock)
    block, entity = _column(EntityBlock, "block"), _column(EntityBlock, "entity")
    # Each block is counted only up to one past ``most``: a common name's block of
    # thousands costs no more to pass over than a block of ``most``.
    capped_count = (
        f"SELECT CAST(%s AS VARCHAR(100)), (SELECT COUNT(*) FROM "  # noqa: S608
        f"(SELECT 1 FROM {table} WHERE {block} = %s LIMIT %s) AS capped)"
    )
    blocks = list(blocks)
    small_enough = []
    # SQLite joins at most 500 SELECTs in one statement (the sweep reads thousands).
    for start in range(0, len(blocks), _COUNTED_PER_STATEMENT):
        chunk = blocks[start : start + _COUNTED_PER_STATEMENT]
        sizes = _rows(
            " UNION ALL ".join([capped_count] * len(chunk)),
            [value for name in chunk for value in (name, name, most + 1)],
        )
        small_enough += [name for name, size in sizes if size <= most]
    if not small_enough:
        return []
    return _rows(
        f"SELECT {block}, {entity} FROM {table} "  # noqa: S608
        f"WHERE {block} IN ({_marks(small_enough)})",
        small_enough,
    )


def report_counts(root_ids: Collection[int]) -> dict[int, int]:
    """How many reports mention each of these entities or what was merged into it, over
    all intelligence: for correlation's common-value limit, never shown to a user."""
    if not root_ids:
        return {}
    entity = _table(Entity)
    pk, merged_into = _column(Entity, "id"), _column(Entity, "merged_into")
    mention_entity, report = _column(Mention, "entity"), _column(Mention, "report")
    root = f"COALESCE({entity}.{merged_into}, {entity}.{pk})"
    rows = _rows(
        f"SELECT {root}, COUNT(DISTINCT {_table(Mention)}.{report}) "  # noqa: S608
        f"FROM {entity} INNER JOIN {_table(Mention)} "
        f"ON {_table(Mention)}.{mention_entity} = {entity}.{pk} "
        f"WHERE {entity}.{pk} IN ({_marks(root_ids)}) "
        f"OR {entity}.{merged_into} IN ({_marks(root_ids)}) GROUP BY {root}",
        [*root_ids, *root_ids],
    )
    return dict(rows)


def _rows(sql: str, parameters: list) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, parameters)
        return cursor.fetchall()


def _table(model: type[Model]) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _column(model: type[Model], field: str) -> str:
    return connection.ops.quote_name(model._meta.get_field(field).column)


def _candidate_columns() -> str:
    return ", ".join(_column(Entity, field) for field in CANDIDATE_FIELDS)


def _marks(values: Collection) -> str:
    return ", ".join(["%s"] * len(values))
