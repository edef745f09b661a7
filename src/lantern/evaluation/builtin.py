"""The KPIs and population estimates Lantern ships with, loaded by migration 0003_kpis
(the campaign KPIs by 0004_campaign_kpis and the training KPIs by 0005_training_kpis, once
the outreach app's records exist).

Both are data a partnership changes (``data/kpis.json``, ``data/population_estimates.csv``):
the migration loads what is missing and never overwrites a coordinator's baseline or
target.
"""

import csv
import json
from pathlib import Path
from typing import Any

DATA = Path(__file__).resolve().parent / "data"
KPI_FILE = DATA / "kpis.json"
CAMPAIGN_KPI_FILE = DATA / "campaign_kpis.json"
TRAINING_KPI_FILE = DATA / "training_kpis.json"
POPULATION_FILE = DATA / "population_estimates.csv"


def kpi_definitions(path: Path = KPI_FILE) -> list[dict[str, Any]]:
    return json.loads(path.read_text(encoding="utf-8"))


def population_rows() -> list[dict[str, str]]:
    with POPULATION_FILE.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def load(apps: Any, schema_editor: Any = None) -> None:
    """Add the built-in KPIs and the population estimates that are not there yet."""
    Kpi = apps.get_model("evaluation", "Kpi")
    PopulationEstimate = apps.get_model("evaluation", "PopulationEstimate")
    LocalAuthorityArea = apps.get_model("core", "LocalAuthorityArea")
    for definition in kpi_definitions():
        fields = {key: value for key, value in definition.items() if key != "code"}
        Kpi.objects.get_or_create(code=definition["code"], defaults=fields)
    areas = {area.gss_code: area for area in LocalAuthorityArea.objects.all()}
    for row in population_rows():
        area = areas.get(row["gss_code"])
        if area is None:
            continue
        PopulationEstimate.objects.get_or_create(
            area=area,
            year=int(row["year"]),
            defaults={"population": int(row["population"]), "source": row["source"]},
        )


def unload(apps: Any, schema_editor: Any = None) -> None:
    codes = [definition["code"] for definition in kpi_definitions()]
    apps.get_model("evaluation", "Kpi").objects.filter(code__in=codes).delete()


def load_campaign_kpis(apps: Any, schema_editor: Any = None) -> None:
    """Add the campaign KPIs that are not there yet (never overwriting a baseline or target)."""
    Kpi = apps.get_model("evaluation", "Kpi")
    for definition in kpi_definitions(CAMPAIGN_KPI_FILE):
        fields = {key: value for key, value in definition.items() if key != "code"}
        Kpi.objects.get_or_create(code=definition["code"], defaults=fields)


def unload_campaign_kpis(apps: Any, schema_editor: Any = None) -> None:
    codes = [definition["code"] for definition in kpi_definitions(CAMPAIGN_KPI_FILE)]
    apps.get_model("evaluation", "Kpi").objects.filter(code__in=codes).delete()


def load_training_kpis(apps: Any, schema_editor: Any = None) -> None:
    """Add the training KPIs that are not there yet (never overwriting a baseline or target)."""
    Kpi = apps.get_model("evaluation", "Kpi")
    for definition in kpi_definitions(TRAINING_KPI_FILE):
        fields = {key: value for key, value in definition.items() if key != "code"}
        Kpi.objects.get_or_create(code=definition["code"], defaults=fields)


def unload_training_kpis(apps: Any, schema_editor: Any = None) -> None:
    codes = [definition["code"] for definition in kpi_definitions(TRAINING_KPI_FILE)]
    apps.get_model("evaluation", "Kpi").objects.filter(code__in=codes).delete()
