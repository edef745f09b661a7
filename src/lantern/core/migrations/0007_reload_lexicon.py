"""Add the phrases appended to ``core/data/lexicon.csv`` (loading is idempotent)."""

import importlib

from django.db import migrations

lookups = importlib.import_module("lantern.core.migrations.0006_load_lookups")


class Migration(migrations.Migration):
    dependencies = [("core", "0006_load_lookups")]

    operations = [migrations.RunPython(lookups.load_lookups, migrations.RunPython.noop)]
