"""The ledger of published cells: a new release cannot be differenced against an old one."""

from lantern.evaluation.models import PublishedCell
from lantern.evaluation.services import disclosure as released

KEYS = ["2024-04", "2024-07", "2024-10", "2025-01"]


def _release(values, actor=None):
    return released.release_series(
        table_id="kpi:test",
        values=dict(zip(KEYS, values, strict=True)),
        keys=KEYS,
        periods={key: f"quarter:{key}" for key in KEYS},
        total_period="FY2024",
        release="test",
        actor=actor,
    )


def test_a_release_records_each_figure_once(db, board_viewer):
    _release([10, 12, 20, 30], actor=board_viewer)
    assert PublishedCell.objects.count() == 5  # four quarters and the total
    assert PublishedCell.objects.get(cell_key="total").shown == 72
    assert PublishedCell.objects.get(cell_key="total").published_by == board_viewer
    _release([10, 12, 20, 30])
    assert PublishedCell.objects.count() == 5


def test_a_figure_that_moved_by_a_few_records_is_withheld(db):
    _release([10, 12, 20, 30])
    # Two late records in the first quarter: showing 12 after 10 would reveal them.
    table = _release([12, 12, 20, 30])
    assert table.shown("all", "2024-04") is None
    assert table[("all", "2024-04")].reason == "ledger"
    # Its row would give it away: a companion is withheld, and the total (moved by 2) too.
    assert table.grand_total.suppressed
    withheld = [key for key in KEYS if table.shown("all", key) is None]
    assert len(withheld) >= 2
    assert PublishedCell.objects.filter(cell_key="2024-04", shown__isnull=True).exists()


def test_a_figure_that_moved_by_many_records_is_shown(db):
    _release([10, 12, 20, 30])
    table = _release([17, 12, 20, 30])
    assert table.shown("all", "2024-04") == 17
    assert table.grand_total.shown == 79


def test_the_comparison_is_with_the_last_value_shown(db):
    _release([10, 12, 20, 30])
    _release([12, 12, 20, 30])  # withheld: moved by 2
    # Moved by 2 again since it was withheld, by 4 since it was last shown: still withheld.
    assert _release([14, 12, 20, 30]).shown("all", "2024-04") is None
    # 15 is 5 more than the 10 last shown.
    assert _release([15, 12, 20, 30]).shown("all", "2024-04") == 15


def test_a_single_figure(db):
    figure = released.release_count(
        table_id="kpi:one", cell="total", period="FY2023", value=20, release="test"
    )
    assert figure.shown == 20
    again = released.release_count(
        table_id="kpi:one", cell="total", period="FY2023", value=23, release="test"
    )
    assert again.suppressed
