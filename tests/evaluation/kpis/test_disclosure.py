"""Disclosure control: no withheld figure can be worked out from what is published."""

import itertools

import numpy as np
import pytest
from hypothesis import HealthCheck, example, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from scipy.optimize import milp
from scipy.optimize._constraints import Bounds, LinearConstraint

from lantern.evaluation import disclosure
from lantern.evaluation.disclosure import TOTAL, Figure

ROWS = ["north", "south", "east", "west"]
COLUMNS = ["labour", "sexual", "criminal", "domestic"]


@st.composite
def tables(draw, max_rows=4, max_columns=4, max_value=30):
    rows = ROWS[: draw(st.integers(1, max_rows))]
    columns = COLUMNS[: draw(st.integers(1, max_columns))]
    counts = st.one_of(st.integers(0, 6), st.integers(0, max_value))
    values = {(r, c): draw(counts) for r in rows for c in columns}
    return rows, columns, values


def _published(table):
    return {key: figure.shown for key, figure in table.figures.items() if not figure.suppressed}


def _interior(key, rows, columns):
    row, column = key
    return [
        (r, c)
        for r in (rows if row == TOTAL else [row])
        for c in (columns if column == TOTAL else [column])
    ]


def _integer_interval(key, rows, columns, published):
    """The least and greatest value of a withheld figure over every non-negative integer
    table that publishes the same figures: an exact integer programme, independent of the
    engine's linear programming."""
    unknowns = [(r, c) for r in rows for c in columns if (r, c) not in published]
    index = {cell: i for i, cell in enumerate(unknowns)}
    matrix, targets = [], []
    for figure, value in published.items():
        if TOTAL not in figure:
            continue
        vector, known = np.zeros(len(unknowns)), 0
        for part in _interior(figure, rows, columns):
            if part in index:
                vector[index[part]] = 1
            else:
                known += published[part]
        if vector.any():
            matrix.append(vector)
            targets.append(value - known)
    objective, constant = np.zeros(len(unknowns)), 0
    for part in _interior(key, rows, columns):
        if part in index:
            objective[index[part]] = 1
        else:
            constant += published[part]
    constraints = [LinearConstraint(np.array(matrix), targets, targets)] if matrix else []
    ends = []
    for sign in (1, -1):
        result = milp(
            sign * objective,
            constraints=constraints,
            integrality=np.ones(len(unknowns)),
            bounds=Bounds(0, 10_000),
        )
        assert result.status == 0
        ends.append(sign * result.fun + constant)
    return ends[0], ends[1]


@hypothesis_settings(max_examples=150, deadline=None)
@given(tables())
@example((["north"], ["labour", "sexual"], {("north", "labour"): 3, ("north", "sexual"): 9}))
@example(
    (
        ["north", "south"],
        ["labour", "sexual"],
        {("north", "labour"): 1, ("north", "sexual"): 0, ("south", "labour"): 0},
    )
)
def test_no_withheld_figure_can_be_worked_out(table_data):
    rows, columns, values = table_data
    table = disclosure.protect(values, rows=rows, columns=columns, minimum=5)
    published = _published(table)
    true = disclosure.all_true_values(values, rows=rows, columns=columns)
    # Every small count is withheld; everything shown is the true value.
    for key, value in true.items():
        if 0 < value < 5:
            assert table[key].suppressed, key
        if not table[key].suppressed:
            assert table[key].shown == value
    # Each withheld figure could take at least two values given what is published.
    for key in table.suppressed_keys:
        low, high = _integer_interval(key, rows, columns, published)
        assert low <= true[key] <= high
        assert high - low >= 1, (key, low, high, published)


@hypothesis_settings(max_examples=150, deadline=None)
@given(tables())
def test_no_line_has_exactly_one_withheld_figure(table_data):
    rows, columns, values = table_data
    table = disclosure.protect(values, rows=rows, columns=columns, minimum=5)
    withheld = table.suppressed_keys
    for r in [*rows, TOTAL]:
        line = [(r, c) for c in [*columns, TOTAL]]
        if len(line) > 2:
            assert sum(key in withheld for key in line) != 1, line
    for c in [*columns, TOTAL]:
        line = [(r, c) for r in [*rows, TOTAL]]
        if len(line) > 2:
            assert sum(key in withheld for key in line) != 1, line


@hypothesis_settings(max_examples=60, deadline=None)
@given(tables(max_rows=2, max_columns=2, max_value=8))
def test_brute_force_agrees_on_tiny_tables(table_data):
    """Enumerate every table of small counts: each withheld cell has two possible values."""
    rows, columns, values = table_data
    table = disclosure.protect(values, rows=rows, columns=columns, minimum=5)
    published = _published(table)
    cells = [(r, c) for r in rows for c in columns]
    hidden = [cell for cell in cells if cell not in published]
    cap = disclosure.all_true_values(values, rows=rows, columns=columns)[(TOTAL, TOTAL)] + 2
    seen: dict = {key: set() for key in table.suppressed_keys}
    for guess in itertools.product(range(cap + 1), repeat=len(hidden)):
        candidate = {**{cell: published[cell] for cell in cells if cell in published}}
        candidate.update(dict(zip(hidden, guess, strict=True)))
        totals = disclosure.all_true_values(candidate, rows=rows, columns=columns)
        if all(totals[key] == value for key, value in published.items()):
            for key in seen:
                seen[key].add(totals[key])
    for key, possible in seen.items():
        assert len(possible) >= 2, (key, possible)


def test_small_counts_are_withheld_and_zeros_shown():
    table = disclosure.protect_series(
        {"Q1": 3, "Q2": 12, "Q3": 0, "Q4": 20}, keys=["Q1", "Q2", "Q3", "Q4"], minimum=5
    )
    assert table.shown("all", "Q1") is None
    assert table[("all", "Q1")].reason == disclosure.Reason.SMALL
    # Q1 alone would be the total minus the others: the next smallest non-zero goes too.
    assert table.shown("all", "Q2") is None
    assert table[("all", "Q2")].reason == disclosure.Reason.SECONDARY
    assert table.shown("all", "Q3") == 0
    assert table.shown("all", "Q4") == 20
    assert table.grand_total.shown == 35


def test_totals_come_from_true_values():
    table = disclosure.protect(
        {("a", "x"): 2, ("a", "y"): 40, ("b", "x"): 30, ("b", "y"): 50},
        rows=["a", "b"],
        columns=["x", "y"],
        minimum=5,
    )
    assert table.grand_total.shown == 122
    shown_rows = [table.row_total(r).shown for r in ["a", "b"] if not table.row_total(r).suppressed]
    assert all(value in {42, 80} for value in shown_rows)


def test_a_small_total_is_withheld_with_its_parts():
    table = disclosure.protect_series({"Q1": 1, "Q2": 2}, keys=["Q1", "Q2"], minimum=5)
    assert table.grand_total.suppressed
    assert table.shown("all", "Q1") is None and table.shown("all", "Q2") is None


def test_threshold_comes_from_settings(settings):
    settings.DISCLOSURE_THRESHOLD = 10
    assert disclosure.protect_count(7).suppressed
    settings.DISCLOSURE_THRESHOLD = 5
    assert disclosure.protect_count(7).shown == 7


@pytest.mark.parametrize(
    ("numerator", "denominator", "expected"),
    [
        (Figure(10), Figure(40), 25.0),
        (Figure(None, "small"), Figure(40), None),
        (Figure(10), Figure(None, "small"), None),
        (Figure(0), Figure(0), None),
    ],
)
def test_percentages_only_from_shown_counts(numerator, denominator, expected):
    assert disclosure.percentage(numerator, denominator) == expected


def test_ledger_withholds_a_cell_that_moved_by_a_small_number():
    moved = disclosure.ledger_suppressions(
        {("all", "Q1"): 14, ("all", "Q2"): 30, ("all", "Q3"): 12},
        {("all", "Q1"): 12, ("all", "Q2"): 20, ("all", "Q3"): 12},
        minimum=5,
    )
    assert moved == {("all", "Q1")}


def test_negative_counts_are_refused():
    with pytest.raises(ValueError):
        disclosure.protect({("a", "x"): -1}, rows=["a"], columns=["x"])


@hypothesis_settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tables(max_rows=3, max_columns=3))
def test_protection_is_deterministic(table_data):
    rows, columns, values = table_data
    first = disclosure.protect(values, rows=rows, columns=columns, minimum=5)
    second = disclosure.protect(values, rows=rows, columns=columns, minimum=5)
    assert first.figures == second.figures
