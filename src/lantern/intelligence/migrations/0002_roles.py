"""Grant intelligence permissions to the roles ``core.roles.ROLE_PERMISSIONS`` names."""

import importlib

from django.db import migrations

core_roles = importlib.import_module("lantern.core.migrations.0002_roles")


class Migration(migrations.Migration):
    dependencies = [
        ("intelligence", "0001_initial"),
        ("core", "0006_load_lookups"),
        ("public", "0003_help_channels"),
    ]

    operations = [migrations.RunPython(core_roles.create_roles, migrations.RunPython.noop)]
