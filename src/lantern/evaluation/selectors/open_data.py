"""Open data: the public's quarterly statistics, by area and by type of exploitation.

No account is needed, so every figure is released through disclosure control (and
recorded in the ledger) before anyone sees it. Only potential victims identified are
published for now, counted as the KPI of the same name counts them.
"""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from lantern.core.models import ExploitationType, LocalAuthorityArea
from lantern.evaluation import disclosure, figures, measures, periods
from lantern.evaluation.services import disclosure as released

MEASURE = "victims_identified"
NOT_RECORDED = "not-recorded"


@dataclass(frozen=True)
class Row:
    code: str
    label: str
    values: list[int | None]
    total: int | None


@dataclass(frozen=True)
class OpenTable:
    """A published table: rows by area or type, columns by quarter."""

    dimension: str
    title: str
    quarters: list[periods.Bucket]
    rows: list[Row]
    totals: list[int | None] | None
    grand_total: int | None


def _counts(year: periods.FinancialYear, breakdown: str) -> dict[tuple[str, str], int]:
    """True counts by (breakdown value, quarter key)."""
    measure = measures.MEASURES[MEASURE]
    path = measure.breakdowns[breakdown]
    seen = set()
    counts: dict[tuple[str, str], int] = {}
    for pk, day, value in figures.records(measure, {}, year.start, year.end).values_list(
        "pk", measure.date_field, path
    ):
        key = (value or NOT_RECORDED, periods.bucket_of(day, periods.QUARTER))
        if (pk, key) in seen:
            continue
        seen.add((pk, key))
        counts[key] = counts.get(key, 0) + 1
    return counts


def table(year: periods.FinancialYear, dimension: str) -> OpenTable:
    """One table as published: withheld figures are None."""
    quarters = year.buckets(periods.QUARTER)
    columns = [quarter.key for quarter in quarters]
    if dimension == "area":
        labels = dict(LocalAuthorityArea.objects.values_list("gss_code", "name"))
        title = _("Potential victims identified, by local authority area and quarter")
    else:
        labels = {kind.code: kind.label for kind in ExploitationType.objects.all()}
        title = _("Potential victims identified, by type of exploitation and quarter")
    labels[NOT_RECORDED] = _("Not recorded")
    counts = _counts(year, dimension)
    rows = [code for code in labels if code != NOT_RECORDED]
    if any(code == NOT_RECORDED for code, _quarter in counts):
        rows.append(NOT_RECORDED)
    values = {key: value for key, value in counts.items() if key[0] in rows}
    # A person can have several types of exploitation: that table's totals would count
    # people more than once, so it is published without them (and protected as if they
    # were shown, which only withholds more).
    additive = dimension == "area"

    def name(key: disclosure.CellKey) -> tuple[str, str] | None:
        # Named by what they count, as the KPI pages name the same counts (ADR 0022):
        # a figure released there and here is one figure in the ledger.
        row, column = key
        period = year.key if column == disclosure.TOTAL else f"{periods.QUARTER}:{column}"
        if row == disclosure.TOTAL:
            # The type table's totals would count people more than once: not published.
            return (released.figure_name(MEASURE), period) if additive else None
        if column == disclosure.TOTAL and not additive:
            return None
        value = "" if row == NOT_RECORDED else row  # as the KPI pages name it
        return (released.figure_name(MEASURE, breakdown=dimension, value=value), period)

    protected = released.release_table(
        table_id=f"open-data:{MEASURE}:{dimension}",
        values=values,
        rows=rows,
        columns=columns,
        name=name,
        release="open data",
    )
    return OpenTable(
        dimension=dimension,
        title=title,
        quarters=quarters,
        rows=[
            Row(
                code=row,
                label=str(labels[row]),
                values=[protected.shown(row, column) for column in columns],
                total=protected.row_total(row).shown if additive else None,
            )
            for row in rows
        ],
        totals=[protected.column_total(column).shown for column in columns] if additive else None,
        grand_total=protected.grand_total.shown if additive else None,
    )


def tables(year: periods.FinancialYear) -> list[OpenTable]:
    return [table(year, "area"), table(year, "exploitation_type")]


def csv_rows(year: periods.FinancialYear, published: list[OpenTable]) -> list[list[str]]:
    """Tidy rows: one figure a line, withheld ones empty with a status."""
    lines = [["year", "quarter_start", "dimension", "code", "label", "count", "status"]]
    for published_table in published:
        for row in published_table.rows:
            for quarter, value in zip(published_table.quarters, row.values, strict=True):
                lines.append(
                    [
                        year.label,
                        quarter.start.isoformat(),
                        published_table.dimension,
                        row.code,
                        row.label,
                        "" if value is None else str(value),
                        "withheld" if value is None else "",
                    ]
                )
    return lines
