"""Benchmark: how fast the audit log appends and verifies (figures as one JSON line).

Every sensitive read in Lantern appends an audit entry, so the append rate bounds how many
audited reads a second the hub can serve. Run with the project's settings; it uses its own
throw-away SQLite database unless DATABASE_URL is set (then it uses the test database name).

    .venv/bin/python bench/audit_chain.py [--entries 5000]
"""

import argparse
import json
import os
import sys
import tempfile
import time


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--entries", type=int, default=5000)
    options = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lantern.settings")
    os.environ.setdefault("LANTERN_VAR_DIR", tempfile.mkdtemp(prefix="lantern-bench-"))
    import django

    django.setup()
    from django.db import connection
    from django.test.runner import DiscoverRunner
    from django.test.utils import setup_test_environment

    setup_test_environment()
    runner = DiscoverRunner(verbosity=0)
    old_config = runner.setup_databases()
    try:
        from lantern.core import audit

        started = time.perf_counter()
        for number in range(options.entries):
            audit.record(
                action=audit.Action.READ,
                actor_email=f"analyst{number % 50}@bench.test",
                purpose="benchmark",
                detail={"n": number},
            )
        append_seconds = time.perf_counter() - started

        started = time.perf_counter()
        result = audit.verify_chain()
        verify_seconds = time.perf_counter() - started
        assert result.intact and result.entries == options.entries
        print(
            json.dumps(
                {
                    "benchmark": "audit_chain",
                    "database": connection.vendor,
                    "entries": options.entries,
                    "appends_per_second": round(options.entries / append_seconds),
                    "verified_per_second": round(options.entries / verify_seconds),
                    "python": sys.version.split()[0],
                }
            )
        )
    finally:
        runner.teardown_databases(old_config)


if __name__ == "__main__":
    main()
