"""Releasing figures through disclosure control, and keeping the ledger of what was shown.

Every figure shown to someone who may not read the records is released here: the ledger
is read (a cell whose value moved by a small number since it was last shown is withheld),
the table is protected, and any figure not already in the ledger as shown is added to it,
in one transaction.

A cell is named in the ledger either within its table (``table_id`` and a cell key of its
own) or, when it is a count that other tables publish too, by what it counts
(``figure_name``: the measure, its filters, a breakdown value) and its period. Figures
named that way are compared with their last release in *any* table: the KPI pages and the
public statistics both publish potential victims identified by quarter and by area, and a
late record must not show as the difference between the two.
"""

from collections.abc import Callable, Mapping, Sequence

from django.db import transaction
from django.db.models import Q

from lantern.core.models import User
from lantern.evaluation import disclosure
from lantern.evaluation.disclosure import CellKey, ProtectedTable
from lantern.evaluation.models import PublishedCell

# How a table cell is named in the ledger: (cell key, period), or None for a figure that
# repeats another (a one-row table's column totals are its cells).
LedgerName = Callable[[CellKey], tuple[str, str] | None]

FIGURE_PREFIX = "figure:"


def figure_name(
    measure: str, filters: Mapping[str, object] | None = None, breakdown: str = "", value: str = ""
) -> str:
    """The ledger's name for a count of ``measure`` (with a KPI's ``filters``), or of its
    records whose ``breakdown`` is ``value``: the same in every table that publishes it."""
    name = FIGURE_PREFIX + measure
    if filters:
        name += "[" + ",".join(f"{key}={filters[key]}" for key in sorted(filters)) + "]"
    if breakdown:
        name += f"|{breakdown}={value}"
    return name


def release_table(
    *,
    table_id: str,
    values: Mapping[CellKey, int],
    rows: Sequence[str],
    columns: Sequence[str],
    name: LedgerName,
    release: str,
    actor: User | None = None,
    also_suppress: Sequence[CellKey] = (),
) -> ProtectedTable:
    """Protect a table against its own totals and the ledger, and record what is shown.

    ``also_suppress`` names figures withheld for a reason of the caller's (a stage of a
    chain only a few records short of the one before)."""
    true = disclosure.all_true_values(values, rows=rows, columns=columns)
    names = {key: named for key in true if (named := name(key)) is not None}
    with transaction.atomic():
        last_shown: dict[tuple[str, str], int] = {}
        last_any: dict[tuple[str, str], int | None] = {}
        if names:
            cells = {cell for cell, _ in names.values()}
            shared = {cell for cell in cells if cell.startswith(FIGURE_PREFIX)}
            entries = (
                PublishedCell.objects.filter(
                    Q(table_id=table_id, cell_key__in=cells - shared) | Q(cell_key__in=shared),
                    period__in={period for _, period in names.values()},
                )
                .order_by("published_at", "pk")
                .values_list("cell_key", "period", "shown")
            )
            for cell, period, shown in entries:
                last_any[(cell, period)] = shown
                if shown is not None:
                    last_shown[(cell, period)] = shown
        forced = disclosure.ledger_suppressions(
            {key: true[key] for key in names},
            {key: last_shown[named] for key, named in names.items() if named in last_shown},
        )
        table = disclosure.protect(
            values, rows=rows, columns=columns, also_suppress=[*forced, *also_suppress]
        )
        new_entries = []
        for key, (cell, period) in names.items():
            shown = table[key].shown
            if (cell, period) in last_any and last_any[(cell, period)] == shown:
                continue
            new_entries.append(
                PublishedCell(
                    table_id=table_id[:200],
                    cell_key=cell[:200],
                    period=period[:50],
                    shown=shown,
                    release=release[:200],
                    published_by=actor if actor is not None and actor.is_authenticated else None,
                )
            )
        PublishedCell.objects.bulk_create(new_entries)
    return table


def release_series(
    *,
    table_id: str,
    values: Mapping[str, int],
    keys: Sequence[str],
    periods: Mapping[str, str],
    total_period: str,
    release: str,
    actor: User | None = None,
    figure: str = "",
    breakdown: str = "",
) -> ProtectedTable:
    """A one-row table (a trend or a breakdown) and its total, each cell named by its key
    and ``periods[key]``, the total by ``("total", total_period)``.

    With ``figure`` (a ``figure_name``) the cells are named by what they count, shared
    with other tables: a trend's buckets and its total as ``figure`` in their periods; a
    ``breakdown``'s parts as that figure's breakdown values, and no total (its parts need
    not add up to the figure: a record can have several types of exploitation, or none).
    """

    def name(key: CellKey) -> tuple[str, str] | None:
        row, column = key
        if row == disclosure.TOTAL:
            if column != disclosure.TOTAL or (figure and breakdown):
                return None
            return (figure or "total", total_period)
        if column == disclosure.TOTAL:
            return None  # the same figure as the grand total
        if figure and breakdown:
            return (f"{figure}|{breakdown}={column}", periods[column])
        return (figure or column, periods[column])

    return release_table(
        table_id=table_id,
        values={("all", key): value for key, value in values.items()},
        rows=["all"],
        columns=list(keys),
        name=name,
        release=release,
        actor=actor,
    )


def release_count(
    *,
    table_id: str,
    cell: str,
    period: str,
    value: int,
    release: str,
    actor: User | None = None,
    withhold: bool = False,
) -> disclosure.Figure:
    """One figure on its own (a baseline year's total); ``withhold`` withholds it anyway."""
    table = release_table(
        table_id=table_id,
        values={("all", "value"): value},
        rows=["all"],
        columns=["value"],
        name=lambda key: (cell, period) if key == ("all", "value") else None,
        release=release,
        actor=actor,
        also_suppress=[("all", "value")] if withhold else (),
    )
    return table[("all", "value")]
