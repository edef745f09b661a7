"""Mention now belongs to entities (ADR 0027): intelligence forgets it in Django's state
only, and its table ``intelligence_mention`` is kept, with every row, for entities."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("entities", "0003_mention_from_intelligence"),
        ("intelligence", "0008_report_update"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="Mention")],
            database_operations=[],
        ),
    ]
