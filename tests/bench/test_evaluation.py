"""A smoke run of bench/evaluation.py at a tiny size: the benchmark keeps working."""

from bench import evaluation


def test_the_benchmark_runs_at_a_tiny_size(db):
    sizes = evaluation.load(reports=20)
    assert sizes["reports"] == 20 and sizes["victims"] > 0
    figures = evaluation.measure(requests=2)
    for key in ("dashboard_p95_ms", "kpi_page_p95_ms", "bare_count_p95_ms"):
        assert figures[key] > 0
    assert figures["board_pack_pdf_seconds"] > 0
    assert figures["board_pack_xlsx_seconds"] > 0


def test_the_number_of_victims_can_be_set(db):
    sizes = evaluation.load(reports=40, victims=3)
    assert 0 < sizes["victims"] <= 10


def test_percentile():
    assert evaluation.percentile_95([float(n) for n in range(1, 101)]) == 95.0
    assert evaluation.percentile_95([3.0]) == 3.0
