"""Indexes measured with 300,000 reports (bench/intelligence.py), and a stored search
document on PostgreSQL.

- The triage queue's open reports by age (a partial index: closed reports are most rows).
- Taskings by organisation, status and report, for the access policy's "tasked" test.
- No index on the handling code alone: with two values it only ever led SQLite to read
  most of the table through it. It is dropped with SQL rather than ``AlterField``, which
  on SQLite would rebuild the table and with it lose the search triggers of 0005.
- PostgreSQL: the search document becomes a stored generated column with the GIN index
  on it, so that matching and ranking stop recomputing ``to_tsvector`` for every row.
  ``lantern.intelligence.search`` queries the column; the model does not declare it.
"""

from django.db import migrations, models

REPORT_TABLE = "intelligence_intelligencereport"
POSTGRESQL_STORE_DOCUMENT = [
    "DROP INDEX IF EXISTS intelligence_report_search",
    f"""ALTER TABLE {REPORT_TABLE} ADD COLUMN search_document tsvector
        GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, summary || ' ' || narrative))
        STORED""",
    f"CREATE INDEX intelligence_report_search ON {REPORT_TABLE} USING gin (search_document)",
]
POSTGRESQL_COMPUTE_DOCUMENT = [
    "DROP INDEX IF EXISTS intelligence_report_search",
    f"ALTER TABLE {REPORT_TABLE} DROP COLUMN IF EXISTS search_document",
    f"""CREATE INDEX intelligence_report_search ON {REPORT_TABLE}
        USING gin (to_tsvector('simple'::regconfig, summary || ' ' || narrative))""",
]


def _handling_code_indexes(schema_editor) -> list[str]:
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, REPORT_TABLE)
    return [
        name
        for name, details in constraints.items()
        if details["index"] and not details["unique"] and details["columns"] == ["handling_code"]
    ]


def drop_handling_code_index(apps, schema_editor) -> None:
    for name in _handling_code_indexes(schema_editor):
        schema_editor.execute(f"DROP INDEX {schema_editor.quote_name(name)}")


def create_handling_code_index(apps, schema_editor) -> None:
    if not _handling_code_indexes(schema_editor):
        schema_editor.execute(
            f"CREATE INDEX intelligence_report_handling_code ON {REPORT_TABLE} (handling_code)"
        )


def store_search_document(apps, schema_editor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        for statement in POSTGRESQL_STORE_DOCUMENT:
            schema_editor.execute(statement)


def compute_search_document(apps, schema_editor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        for statement in POSTGRESQL_COMPUTE_DOCUMENT:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("intelligence", "0005_search")]

    operations = [
        migrations.RemoveIndex(model_name="tasking", name="intelligenc_organis_9467ee_idx"),
        migrations.AddIndex(
            model_name="tasking",
            index=models.Index(
                fields=["organisation", "status", "report"], name="intelligence_tasked"
            ),
        ),
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="intelligencereport",
                    name="handling_code",
                    field=models.CharField(
                        choices=[
                            ("P", "P – Lawful sharing permitted"),
                            ("C", "C – Lawful sharing permitted with conditions"),
                        ],
                        max_length=1,
                        verbose_name="handling code",
                    ),
                )
            ],
            database_operations=[
                migrations.RunPython(drop_handling_code_index, create_handling_code_index)
            ],
        ),
        migrations.AddIndex(
            model_name="intelligencereport",
            index=models.Index(
                condition=~models.Q(status="closed"),
                fields=["created_at", "id"],
                name="intelligence_open_queue",
            ),
        ),
        migrations.RunPython(store_search_document, compute_search_document, elidable=False),
    ]
