"""Load the help channels (DOMAIN.md §5) from ``public/data/help_channels.csv``.

Rows are matched by ``code``, so loading again updates the numbers and words without
duplicating a channel; whether a channel is shown stays the administrator's choice.
"""

import csv
from pathlib import Path

from django.db import migrations

CHANNELS_FILE = Path(__file__).resolve().parent.parent / "data" / "help_channels.csv"


def load_channels(apps, schema_editor):
    HelpChannel = apps.get_model("public", "HelpChannel")
    with CHANNELS_FILE.open(encoding="utf-8") as rows:
        for row in csv.DictReader(rows):
            HelpChannel.objects.update_or_create(
                code=row["code"],
                defaults={
                    "audience": row["audience"],
                    "order": int(row["order"]),
                    "name": row["name"],
                    "name_fr": row["name_fr"],
                    "phone_number": row["phone_number"],
                    "textphone": row["textphone"],
                    "website": row["website"],
                    "description": row["description"],
                    "description_fr": row["description_fr"],
                },
            )


class Migration(migrations.Migration):
    dependencies = [("public", "0002_roles")]

    operations = [migrations.RunPython(load_channels, migrations.RunPython.noop)]
