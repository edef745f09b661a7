"""Benchmark: the coordinator's dashboard, a KPI page and the board pack at demo size.

KPIs are computed from the records on every page view, so their cost grows with the
partnership's history. This loads the demo partnership (``--reports`` sets how much
intelligence it holds: the demo's own size by default, more for a larger partnership),
then requests through Django's test client, as the real views run them:

- the hub coordinator's home page (the headline KPIs with their charts),
- a KPI page (potential victims identified, with a breakdown by area),
- the same KPI page for a board viewer (through disclosure control and the ledger),

each ``--requests`` times, beside a bare count query over the same records in the same
run (the floor the pages are compared with); then generates the board pack once as a PDF
and once as a workbook. One JSON line of figures.

    .venv/bin/python bench/evaluation.py [--reports 2500] [--victims N] [--requests 20]

The issue's size is ``--reports 300000 --victims 20000``; loading that takes hours on a
small machine (entity correlation above all), so measure at the size it allows.

It uses its own throw-away database (SQLite in a temporary directory unless DATABASE_URL
is set; then the test database beside it).
"""

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from typing import Any


def percentile_95(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def timed(action: Callable[[], Any], times: int) -> list[float]:
    samples = []
    for _ in range(times):
        started = time.perf_counter()
        action()
        samples.append(time.perf_counter() - started)
    return samples


def load(reports: int, seed: int = 2026, victims: int | None = None) -> dict[str, int]:
    """The demo partnership with ``reports`` pieces of intelligence and, when ``victims``
    is given, about that many potential victims (the demo records about 0.4 per report)."""
    from lantern.demo import entities, intelligence, operations, partnership, safeguarding
    from lantern.entities import correlation
    from lantern.entities.models import Mention, MentionKind, MentionRole

    partnership.generate(seed=seed)
    intelligence.generate(reports, seed=seed)
    correlation.correlate_unresolved()
    entities.decide_old_suggestions()
    share = safeguarding.RECORDED_SHARE
    if victims is not None:
        named = Mention.objects.filter(
            kind=MentionKind.PERSON,
            role=MentionRole.POTENTIAL_VICTIM,
            report__sanitised_from__isnull=True,
        ).count()
        share = min(1.0, victims / named) if named else share
    victims = safeguarding.generate(seed=seed, share=share)
    joint = operations.generate(seed=seed)
    return {"reports": reports, "victims": victims, "operations": joint}


def measure(*, requests: int) -> dict[str, Any]:
    """Time the pages and the packs on whatever the database holds."""
    from django.conf import settings
    from django.test import Client

    from lantern.core.models import User
    from lantern.core.roles import Role
    from lantern.evaluation import periods
    from lantern.safeguarding.models import PotentialVictim

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    year = periods.last_complete_year()
    coordinator = User.objects.filter(groups__name=Role.HUB_COORDINATOR.value).first()
    board = User.objects.filter(groups__name=Role.BOARD_VIEWER.value).first()
    clients = {}
    for name, user in (("coordinator", coordinator), ("board", board)):
        client = Client()
        client.force_login(user)
        clients[name] = client
    kpi_url = f"/evaluation/kpis/victims-identified/?year={year.start_year}&breakdown=area"

    def get(client: Client, url: str) -> None:
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)

    # One warm-up each: the chart renderer starts on first use.
    get(clients["coordinator"], "/")
    get(clients["board"], kpi_url)
    dashboard = timed(lambda: get(clients["coordinator"], "/"), requests)
    kpi_page = timed(lambda: get(clients["coordinator"], kpi_url), requests)
    board_page = timed(lambda: get(clients["board"], kpi_url), requests)
    bare = timed(
        lambda: PotentialVictim.objects.filter(identified_on__range=(year.start, year.end)).count(),
        requests,
    )
    packs = {}
    for format in ("pdf", "xlsx"):
        query = {"year": year.start_year, "format": format, "language": "en-gb"}
        started = time.perf_counter()
        response = clients["board"].get("/evaluation/board-pack/", query)
        packs[format] = time.perf_counter() - started
        assert response.status_code == 200, response.status_code

    def ms(samples: list[float]) -> float:
        return round(1000 * percentile_95(samples), 1)

    return {
        "requests": requests,
        "dashboard_p95_ms": ms(dashboard),
        "kpi_page_p95_ms": ms(kpi_page),
        "kpi_page_board_viewer_p95_ms": ms(board_page),
        "bare_count_p95_ms": ms(bare),
        "dashboard_median_ms": round(1000 * statistics.median(dashboard), 1),
        "board_pack_pdf_seconds": round(packs["pdf"], 2),
        "board_pack_xlsx_seconds": round(packs["xlsx"], 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reports", type=int, default=None, help="intelligence reports")
    parser.add_argument(
        "--victims",
        type=int,
        default=None,
        help="about how many potential victims (the demo's share of named people by default)",
    )
    parser.add_argument("--requests", type=int, default=20)
    options = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lantern.settings")
    os.environ.setdefault("LANTERN_VAR_DIR", tempfile.mkdtemp(prefix="lantern-bench-"))
    import django

    django.setup()
    from django.db import connection
    from django.test.runner import DiscoverRunner
    from django.test.utils import setup_test_environment

    from lantern.demo import intelligence

    setup_test_environment()
    runner = DiscoverRunner(verbosity=0)
    old_config = runner.setup_databases()
    try:
        started = time.perf_counter()
        sizes = load(options.reports or intelligence.DEMO_COUNT, victims=options.victims)
        load_seconds = time.perf_counter() - started
        figures = measure(requests=options.requests)
        print(
            json.dumps(
                {
                    "benchmark": "evaluation",
                    "database": connection.vendor,
                    **sizes,
                    "load_seconds": round(load_seconds, 1),
                    **figures,
                    "python": sys.version.split()[0],
                }
            )
        )
    finally:
        runner.teardown_databases(old_config)


if __name__ == "__main__":
    main()
