"""bench/outreach.py runs end to end with tiny sizes: every post-test acknowledged is stored
once, and the results page's timing covers every attempt."""

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_outreach_benchmark_runs_with_tiny_sizes():
    completed = subprocess.run(
        [
            sys.executable,
            str(ROOT / "bench" / "outreach.py"),
            "--database=sqlite",
            "--attendees=4",
            "--clients=2",
            "--seconds=20",
            "--attempts=20",
            "--repeats=2",
            "--workers=1",
        ],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr[-3000:]
    figures = json.loads(completed.stdout.strip().splitlines()[-1])
    assert figures["acknowledged"] == figures["stored"] == 4
    assert figures["lost"] == figures["duplicates"] == figures["post_errors"] == 0
    assert figures["results_attempts"] == 20 and figures["results_pairs"] == 10
    assert figures["results_p95_ms"] > 0
    assert figures["results_uncached_p95_ms"] > 0 and figures["results_bare_query_p95_ms"] > 0
