"""Load the local authority areas from ``core/data/local_authority_areas.csv``."""

import csv
from decimal import Decimal
from pathlib import Path

from django.db import migrations

AREAS_FILE = Path(__file__).resolve().parent.parent / "data" / "local_authority_areas.csv"


def load_areas(apps, schema_editor):
    LocalAuthorityArea = apps.get_model("core", "LocalAuthorityArea")
    with AREAS_FILE.open(encoding="utf-8") as rows:
        for row in csv.DictReader(rows):
            LocalAuthorityArea.objects.update_or_create(
                gss_code=row["gss_code"],
                defaults={
                    "name": row["name"],
                    "population": int(row["population"]),
                    "latitude": Decimal(row["latitude"]),
                    "longitude": Decimal(row["longitude"]),
                    "postcode_districts": row["postcode_districts"],
                },
            )


class Migration(migrations.Migration):
    dependencies = [("core", "0002_roles")]

    operations = [migrations.RunPython(load_areas, migrations.RunPython.noop)]
