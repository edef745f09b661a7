"""Load exploitation types, indicators and the indicator lexicon from ``core/data/``."""

import csv
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data"


def _rows(name: str) -> list[dict[str, str]]:
    with (DATA / name).open(encoding="utf-8") as rows:
        return list(csv.DictReader(rows))


def load_lookups(apps, schema_editor):
    models = {
        "type": apps.get_model("core", "ExploitationType"),
        "indicator": apps.get_model("core", "Indicator"),
    }
    for kind, name in (("type", "exploitation_types.csv"), ("indicator", "indicators.csv")):
        for row in _rows(name):
            models[kind].objects.update_or_create(
                code=row["code"],
                defaults={"name": row["name"], "name_fr": row["name_fr"], "order": row["order"]},
            )
    IndicatorPhrase = apps.get_model("core", "IndicatorPhrase")
    for row in _rows("lexicon.csv"):
        target = models[row["kind"]].objects.get(code=row["code"])
        field = "indicator" if row["kind"] == "indicator" else "exploitation_type"
        IndicatorPhrase.objects.get_or_create(
            **{field: target}, language=row["language"], phrase=row["phrase"]
        )


class Migration(migrations.Migration):
    dependencies = [("core", "0005_lookups")]

    operations = [migrations.RunPython(load_lookups, migrations.RunPython.noop)]
