"""Full-text search over summaries and narratives (see ``lantern.intelligence.search``).

SQLite: an FTS5 table with the report table as external content, filled from the
reports already there and kept in step by triggers. PostgreSQL: a GIN index on the
``to_tsvector`` expression the search selector queries. Other databases get nothing.

On SQLite, a later migration that rebuilds the report table (``_remake_table``) drops
these triggers with the old table; tests/intelligence/test_search.py checks that a
report saved after every migration is still found, so such a migration must run
``SQLITE_DROP`` and ``SQLITE_CREATE`` from here again.
"""

from django.db import migrations

SQLITE_CREATE = [
    """CREATE VIRTUAL TABLE intelligence_report_search USING fts5(
        summary, narrative, content='intelligence_intelligencereport', content_rowid='id',
        tokenize='unicode61 remove_diacritics 0'
    )""",
    """CREATE TRIGGER intelligence_report_search_insert AFTER INSERT ON intelligence_intelligencereport BEGIN
        INSERT INTO intelligence_report_search(rowid, summary, narrative)
        VALUES (new.id, new.summary, new.narrative);
    END""",
    """CREATE TRIGGER intelligence_report_search_delete AFTER DELETE ON intelligence_intelligencereport BEGIN
        INSERT INTO intelligence_report_search(intelligence_report_search, rowid, summary, narrative)
        VALUES ('delete', old.id, old.summary, old.narrative);
    END""",
    """CREATE TRIGGER intelligence_report_search_update AFTER UPDATE OF summary, narrative ON intelligence_intelligencereport BEGIN
        INSERT INTO intelligence_report_search(intelligence_report_search, rowid, summary, narrative)
        VALUES ('delete', old.id, old.summary, old.narrative);
        INSERT INTO intelligence_report_search(rowid, summary, narrative)
        VALUES (new.id, new.summary, new.narrative);
    END""",
    "INSERT INTO intelligence_report_search(intelligence_report_search) VALUES ('rebuild')",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS intelligence_report_search_insert",
    "DROP TRIGGER IF EXISTS intelligence_report_search_delete",
    "DROP TRIGGER IF EXISTS intelligence_report_search_update",
    "DROP TABLE IF EXISTS intelligence_report_search",
]
# Migration 0006 replaces this expression index by one on a stored column.
POSTGRESQL_CREATE = [
    """CREATE INDEX intelligence_report_search ON intelligence_intelligencereport
        USING gin (to_tsvector('simple'::regconfig, summary || ' ' || narrative))""",
]
POSTGRESQL_DROP = [
    "DROP INDEX IF EXISTS intelligence_report_search",
]


def _run(statements: dict[str, list[str]]):
    def run(apps, schema_editor) -> None:
        for statement in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("intelligence", "0004_hub_work")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_CREATE, "postgresql": POSTGRESQL_CREATE}),
            _run({"sqlite": SQLITE_DROP, "postgresql": POSTGRESQL_DROP}),
            elidable=False,
        )
    ]
