"""Disclosure control: the one engine every published number goes through.

Board packs, the board viewer's pages, open data and any export for people who may not
read the records ask this module what to show. It never shows a count from 1 to
``threshold - 1`` ("fewer than 5" by default), and protects those cells from being worked
out of what else is shown:

1. **Primary suppression.** Counts from 1 to ``threshold - 1`` are withheld. Zeros are
   shown: a zero is not a small number of people.
2. **Ledger.** A cell already published (same table, cell and period) whose value moved by
   1 to ``threshold - 1`` since its last shown value is withheld too, so that two releases
   cannot be differenced to reveal a few late-recorded records (``ledger_suppressions``).
3. **Secondary suppression.** A row or column (its total counted as one of its cells)
   that has exactly one withheld cell gives it away by subtraction, so the next-smallest
   non-zero cell in that line is withheld too, repeating until stable.
4. **Audit.** Lines with two withheld cells can still pin one down (a cell that bridges
   two groups of withheld cells is fixed by the totals). For every withheld cell the
   engine computes the interval of values consistent with everything shown, by linear
   programming over the table's equations; a cell whose interval is a single value gets a
   companion withheld beside it, and the whole process repeats until every withheld cell
   could take at least two values. Row/column-sum constraints form a totally unimodular
   matrix, so the linear programme's bounds are the integer bounds.

Totals are always computed from the true values (never from what is shown) and shown
unless they are small or would reveal a withheld cell. Percentages are computed from
shown counts only and withheld when their numerator or denominator is.

The engine is pure (no database): ``lantern.evaluation.services.disclosure`` applies the
ledger and records each release. See docs/adr/0022-disclosure-control.md.
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
from django.conf import settings
from scipy.optimize import linprog

DEFAULT_THRESHOLD = 5

# A cell's position: (row key, column key). Totals use TOTAL as their key.
TOTAL = "__total__"
CellKey = tuple[str, str]


def threshold() -> int:
    """The smallest count shown (``DISCLOSURE_THRESHOLD`` in settings, 5 by default)."""
    value = int(getattr(settings, "DISCLOSURE_THRESHOLD", DEFAULT_THRESHOLD))
    return max(value, 1)


class Reason:
    SMALL = "small"
    SECONDARY = "secondary"
    LEDGER = "ledger"


@dataclass(frozen=True)
class Figure:
    """One number as published: ``shown`` is None when it is withheld."""

    shown: int | None
    reason: str = ""

    @property
    def suppressed(self) -> bool:
        return self.shown is None


@dataclass
class ProtectedTable:
    """A table of counts with its row, column and grand totals, as published.

    ``cells`` holds every interior cell; row totals are at ``(row, TOTAL)``, column totals
    at ``(TOTAL, column)``, the grand total at ``(TOTAL, TOTAL)``.
    """

    rows: list[str]
    columns: list[str]
    figures: dict[CellKey, Figure] = field(default_factory=dict)
    threshold: int = DEFAULT_THRESHOLD

    def __getitem__(self, key: CellKey) -> Figure:
        return self.figures[key]

    def shown(self, row: str, column: str) -> int | None:
        return self.figures[(row, column)].shown

    def row_total(self, row: str) -> Figure:
        return self.figures[(row, TOTAL)]

    def column_total(self, column: str) -> Figure:
        return self.figures[(TOTAL, column)]

    @property
    def grand_total(self) -> Figure:
        return self.figures[(TOTAL, TOTAL)]

    @property
    def suppressed_keys(self) -> set[CellKey]:
        return {key for key, figure in self.figures.items() if figure.suppressed}


def _all_keys(rows: Sequence[str], columns: Sequence[str]) -> list[CellKey]:
    return [(r, c) for r in [*rows, TOTAL] for c in [*columns, TOTAL]]


def _true_values(
    rows: Sequence[str], columns: Sequence[str], values: Mapping[CellKey, int]
) -> dict[CellKey, int]:
    """Every interior cell (missing ones are zero) and the totals computed from them."""
    true = {(r, c): int(values.get((r, c), 0)) for r in rows for c in columns}
    for key, value in true.items():
        if value < 0:
            raise ValueError(f"A count cannot be negative: {key} = {value}")
    for r in rows:
        true[(r, TOTAL)] = sum(true[(r, c)] for c in columns)
    for c in columns:
        true[(TOTAL, c)] = sum(true[(r, c)] for r in rows)
    true[(TOTAL, TOTAL)] = sum(true[(r, c)] for r in rows for c in columns)
    return true


def _lines(rows: Sequence[str], columns: Sequence[str]) -> list[list[CellKey]]:
    """Each equation of the table as its cells: the parts first, the total last."""
    lines = [[*((r, c) for c in columns), (r, TOTAL)] for r in [*rows, TOTAL]]
    lines += [[*((r, c) for r in rows), (TOTAL, c)] for c in [*columns, TOTAL]]
    return lines


def _is_trivial(line: list[CellKey], rows: Sequence[str], columns: Sequence[str]) -> bool:
    # A line with one part is its own total: they are the same number, not an equation
    # that could reveal anything.
    return len(line) == 2


def _companion(
    line: Iterable[CellKey], suppressed: set[CellKey], true: Mapping[CellKey, int]
) -> CellKey | None:
    """The next cell to withhold in a line: the smallest non-zero part, then a zero part,
    then the total (a withheld zero could be known to be structurally empty, and the total
    is the figure readers need most)."""
    candidates = [key for key in line if key not in suppressed]
    if not candidates:
        return None

    def rank(key: CellKey) -> tuple[int, int, int, str]:
        is_total = int(key[0] == TOTAL or key[1] == TOTAL)
        return (is_total, int(true[key] == 0), true[key], repr(key))

    return min(candidates, key=rank)


def _secondary(
    rows: Sequence[str],
    columns: Sequence[str],
    true: Mapping[CellKey, int],
    suppressed: set[CellKey],
) -> set[CellKey]:
    """Withhold companions until no line has exactly one withheld cell."""
    suppressed = set(suppressed)
    lines = [line for line in _lines(rows, columns) if not _is_trivial(line, rows, columns)]
    changed = True
    while changed:
        changed = False
        for line in lines:
            if sum(key in suppressed for key in line) == 1:
                companion = _companion(line, suppressed, true)
                if companion is not None:
                    suppressed.add(companion)
                    changed = True
        # A one-part line: the part and its total are the same number, so they are
        # withheld together or not at all.
        for line in _lines(rows, columns):
            if _is_trivial(line, rows, columns) and len(set(line) & suppressed) == 1:
                suppressed.update(line)
                changed = True
    return suppressed


def _interior_of(key: CellKey, rows: Sequence[str], columns: Sequence[str]) -> list[CellKey]:
    """The interior cells a figure adds up: itself, its row, its column or the whole table."""
    row, column = key
    return [
        (r, c)
        for r in (rows if row == TOTAL else [row])
        for c in (columns if column == TOTAL else [column])
    ]


def feasible_intervals(
    rows: Sequence[str],
    columns: Sequence[str],
    true: Mapping[CellKey, int],
    suppressed: set[CellKey],
) -> dict[CellKey, tuple[float, float]]:
    """For each withheld cell, the least and greatest value consistent with what is shown.

    The unknowns are the withheld interior cells (each a non-negative count); each shown
    total fixes the sum of the interior cells it adds up. A withheld total's interval is
    that of the sum of its parts. Unbounded intervals are reported as ``inf``.
    """
    if not suppressed:
        return {}
    unknowns = [(r, c) for r in rows for c in columns if (r, c) in suppressed]
    index = {key: i for i, key in enumerate(unknowns)}

    def split(key: CellKey) -> tuple[np.ndarray, int]:
        vector, known = np.zeros(len(unknowns)), 0
        for part in _interior_of(key, rows, columns):
            if part in index:
                vector[index[part]] = 1
            else:
                known += true[part]
        return vector, known

    equations, targets = [], []
    for key in true:
        if key in suppressed or TOTAL not in key:
            continue
        vector, known = split(key)
        if vector.any():
            equations.append(vector)
            targets.append(true[key] - known)
    intervals: dict[CellKey, tuple[float, float]] = {}
    for key in suppressed:
        objective, constant = split(key)
        if not objective.any():
            intervals[key] = (constant, constant)
            continue
        ends = []
        for sign in (1, -1):
            result = linprog(
                sign * objective,
                A_eq=np.array(equations) if equations else None,
                b_eq=np.array(targets) if targets else None,
                bounds=[(0, None)] * len(unknowns),
                method="highs",
            )
            if result.status == 3:  # unbounded: no shown total caps it
                ends.append(float("inf"))
            else:
                ends.append(sign * result.fun)
        intervals[key] = (ends[0] + constant, ends[1] + constant)
    return intervals


def _pinned(
    rows: Sequence[str],
    columns: Sequence[str],
    true: Mapping[CellKey, int],
    suppressed: set[CellKey],
) -> list[CellKey]:
    """Withheld cells that only one value fits: what the audit must protect further."""
    intervals = feasible_intervals(rows, columns, true, suppressed)
    return sorted(
        (key for key, (low, high) in intervals.items() if high - low < 1 - 1e-9),
        key=repr,
    )


def protect(
    values: Mapping[CellKey, int],
    *,
    rows: Sequence[str],
    columns: Sequence[str],
    also_suppress: Iterable[CellKey] = (),
    minimum: int | None = None,
) -> ProtectedTable:
    """The table as it may be published.

    ``values`` maps (row, column) to a true count (missing cells are zero); totals are
    computed here. ``also_suppress`` names cells withheld for another reason (the ledger),
    which secondary suppression then protects like any small count.
    """
    limit = threshold() if minimum is None else minimum
    rows, columns = list(rows), list(columns)
    if len(set(rows)) != len(rows) or len(set(columns)) != len(columns):
        raise ValueError("Row and column keys must be unique.")
    true = _true_values(rows, columns, values)
    reasons: dict[CellKey, str] = {}
    for key, value in true.items():
        if 0 < value < limit:
            reasons[key] = Reason.SMALL
    for key in also_suppress:
        if key in true and key not in reasons:
            reasons[key] = Reason.LEDGER
    suppressed = set(reasons)
    while True:
        suppressed = _secondary(rows, columns, true, suppressed)
        pinned = _pinned(rows, columns, true, suppressed)
        if not pinned:
            break
        added = False
        for key in pinned:
            for line in _lines(rows, columns):
                if key in line:
                    companion = _companion(line, suppressed, true)
                    if companion is not None:
                        suppressed.add(companion)
                        added = True
                        break
            if added:
                break
        if not added:
            # Every line through the pinned cells is withheld: withhold what is left
            # smallest first (never reached for a table with a shown total to protect).
            remaining = sorted(set(true) - suppressed, key=lambda key: (true[key], repr(key)))
            if not remaining:
                break
            suppressed.add(remaining[0])
    figures = {
        key: Figure(None, reasons.get(key, Reason.SECONDARY))
        if key in suppressed
        else Figure(true[key])
        for key in _all_keys(rows, columns)
    }
    return ProtectedTable(rows=rows, columns=columns, figures=figures, threshold=limit)


def protect_series(
    values: Mapping[str, int],
    *,
    keys: Sequence[str],
    also_suppress: Iterable[str] = (),
    minimum: int | None = None,
) -> ProtectedTable:
    """A one-row table (a trend by month, a breakdown by area) and its total."""
    return protect(
        {("all", key): value for key, value in values.items()},
        rows=["all"],
        columns=list(keys),
        also_suppress=[("all", key) for key in also_suppress],
        minimum=minimum,
    )


def protect_count(value: int, *, minimum: int | None = None) -> Figure:
    """A single count on its own (a headline figure with no breakdown shown beside it)."""
    limit = threshold() if minimum is None else minimum
    return Figure(None, Reason.SMALL) if 0 < value < limit else Figure(int(value))


def percentage(numerator: Figure, denominator: Figure) -> float | None:
    """A share computed from shown counts only; withheld if either count is withheld."""
    if numerator.suppressed or denominator.suppressed or not denominator.shown:
        return None
    return 100.0 * numerator.shown / denominator.shown


def ledger_suppressions(
    current: Mapping[CellKey, int],
    last_shown: Mapping[CellKey, int],
    *,
    minimum: int | None = None,
) -> set[CellKey]:
    """Cells whose value moved by 1 to ``threshold - 1`` since they were last shown.

    ``current`` holds the true values about to be released (totals included),
    ``last_shown`` the value each cell showed in its last release. Showing both would
    reveal the small number of records that changed in between.
    """
    limit = threshold() if minimum is None else minimum
    return {
        key
        for key, value in current.items()
        if key in last_shown and 0 < abs(value - last_shown[key]) < limit
    }


def all_true_values(
    values: Mapping[CellKey, int], *, rows: Sequence[str], columns: Sequence[str]
) -> dict[CellKey, int]:
    """Interior cells and totals, as ``protect`` computes them (for the ledger check)."""
    return _true_values(list(rows), list(columns), values)
