"""Administrators may view and correct campaigns in the admin (``core.roles``)."""

import importlib

from django.db import migrations

core_roles = importlib.import_module("lantern.core.migrations.0002_roles")


class Migration(migrations.Migration):
    dependencies = [("outreach", "0004_attempt_pairing_key")]

    operations = [migrations.RunPython(core_roles.create_roles, migrations.RunPython.noop)]
