"""Open data: public quarterly statistics through disclosure control, as CSV with metadata."""

import csv
import io

import pytest
from django.urls import reverse

from lantern.core.models import AuditEvent, ExploitationType
from lantern.core.roles import Role
from lantern.evaluation.models import PublishedCell
from tests.evaluation.kpis.factories import day_in, victims


@pytest.fixture
def records(db):
    labour = ExploitationType.objects.get(code="labour")
    for person in victims(3, on=day_in(2024, 1), area="Leicester"):
        person.exploitation_types.add(labour)
    for person in victims(12, on=day_in(2024, 2), area="Leicester"):
        person.exploitation_types.add(labour)
    victims(8, on=day_in(2024, 2), area="Charnwood")
    victims(9, on=day_in(2024, 3), area="Charnwood")


def test_anyone_reads_the_statistics_without_a_small_number(client, records):
    response = client.get(reverse("evaluation:statistics"), {"year": 2024})
    assert response.status_code == 200
    tables = {table.dimension: table for table in response.context["tables"]}
    leicester = next(row for row in tables["area"].rows if row.label == "Leicester")
    assert leicester.values[0] is None  # 3 people in the first quarter
    shown = [
        value
        for table in tables.values()
        for row in table.rows
        for value in [*row.values, row.total]
        if value is not None
    ]
    assert not any(0 < value < 5 for value in shown)
    assert tables["area"].grand_total == 32
    # A person can have several types: that table has no totals.
    assert tables["exploitation_type"].totals is None
    assert PublishedCell.objects.filter(table_id__startswith="open-data:").exists()


def test_french(client, records):
    response = client.get("/fr/statistics/", {"year": 2024})
    assert response.status_code == 200
    assert "Statistiques" in response.content.decode()


def test_the_csv_matches_the_page_and_is_audited(client, records):
    response = client.get(reverse("evaluation:statistics_csv"), {"year": 2024})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    leicester = [row for row in rows if row["dimension"] == "area" and row["label"] == "Leicester"]
    assert leicester[0]["count"] == "" and leicester[0]["status"] == "withheld"
    # The CSV says what the page says, figure for figure.
    page = client.get(reverse("evaluation:statistics"), {"year": 2024}).context["tables"]
    on_page = [
        "" if value is None else str(value)
        for table in page
        for row in table.rows
        for value in row.values
    ]
    assert [row["count"] for row in rows] == on_page
    assert all(
        row["count"] == "" or int(row["count"]) == 0 or int(row["count"]) >= 5 for row in rows
    )
    assert AuditEvent.objects.filter(action="record.export", purpose="open data").count() == 1


def test_the_metadata_describes_every_column(client, db):
    metadata = client.get(reverse("evaluation:statistics_metadata")).json()
    assert metadata["@context"] == "http://www.w3.org/ns/csvw"
    names = [column["name"] for column in metadata["tableSchema"]["columns"]]
    assert names == ["year", "quarter_start", "dimension", "code", "label", "count", "status"]


@pytest.mark.parametrize("year", ["1999", "99999999999999999999", "%ED%A0%80", "abc"])
def test_a_bad_year_is_a_clear_400(client, db, year):
    page = client.get(reverse("evaluation:statistics") + "?year=" + year)
    assert page.status_code == 400
    assert "Choose a year from the list." in page.content.decode()
    assert client.get(reverse("evaluation:statistics_csv") + "?year=" + year).status_code == 400


def test_late_records_cannot_be_read_off_a_kpi_page_and_the_statistics(
    client, signed_in, victims_kpi, records
):
    """The KPI page and the public statistics publish the same counts (victims identified
    by quarter, by area): one ledger, so two late records never show as their difference."""
    board = signed_in(Role.BOARD_VIEWER)
    kpi = board.get(
        reverse("evaluation:kpi_detail", args=[victims_kpi.code]),
        {"year": 2024, "breakdown": "area"},
    )
    result = kpi.context["result"]
    charnwood = next(row for row in result.breakdown_rows if row.label == "Charnwood")
    assert charnwood.value == "17"
    assert result.trend_rows[1].value == "20"
    victims(2, on=day_in(2024, 2), area="Charnwood")  # recorded late

    board.logout()
    page = client.get(reverse("evaluation:statistics"), {"year": 2024}).context["tables"]

    area = next(table for table in page if table.dimension == "area")
    row = next(row for row in area.rows if row.label == "Charnwood")
    # 19 after 17, 22 after 20: withheld, and whatever would give them away.
    assert row.total is None
    assert area.totals[1] is None
    shown = PublishedCell.objects.filter(cell_key="figure:victims_identified|area=E07000130")
    assert shown.filter(table_id__startswith="kpi:").exists()
    assert shown.filter(table_id__startswith="open-data:").exists()
