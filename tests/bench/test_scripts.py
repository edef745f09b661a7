"""Every benchmark in bench/ runs, with tiny sizes, on the database the suite runs on.

A benchmark that no longer starts is a defect found late: the public-report benchmark once
stopped at start-up for months when production settings began to require a setting it did
not pass. Each script runs here as an operator would run it, in a process of its own, and
must print its figures as JSON with nothing lost or failed.
"""

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench"
DATABASE = "postgres" if os.environ.get("DATABASE_URL", "").startswith("postgres") else "sqlite"

# Each script with sizes that take seconds, not the hours of a real run.
RUNS = {
    "audit_chain.py": ["--entries", "50"],
    "submission_matcher.py": [],
    "entity_resolution.py": ["--records", "300", "--product-records", "100"],
    # Trains on FEBRL 2 into a temporary file: the shipped model is left as it is.
    "train_people_model.py": ["--output", str(Path(tempfile.gettempdir()) / "people-model.json")],
    "entities.py": [
        *("--database", DATABASE),
        *("--entities", "300", "--reports", "100", "--correlations", "5"),
    ],
    "intelligence.py": [
        *("--database", DATABASE),
        *("--reports", "100", "--requests", "5", "--budget", "5"),
    ],
    "intelligence_import.py": ["--database", DATABASE, "--rows", "50"],
    # Kills the server and the worker once each under a few clients: nothing lost.
    "crash.py": [
        *("--database", DATABASE),
        *("--clients", "4", "--seconds", "6", "--kills", "1", "--workers", "1"),
    ],
    "backup.py": ["--database", DATABASE, "--reports", "2000"],
    "public_report.py": [
        *("--database", DATABASE),
        *("--clients", "4", "--seconds", "1", "--workers", "2", "--drafts", "40"),
    ],
}
HELPERS = {"bare_settings.py", "bare_urls.py", "febrl.py"}


def _figures(stdout: str) -> list[dict]:
    return [json.loads(line) for line in stdout.splitlines() if line.startswith("{")]


def test_every_benchmark_is_run_here_or_in_a_test_of_its_own():
    scripts = {path.name for path in BENCH.glob("*.py")} - HELPERS - {"__init__.py"}
    own_tests = {
        path.name.removeprefix("test_") for path in Path(__file__).parent.glob("test_*.py")
    }
    assert scripts - set(RUNS) - own_tests == set()


@pytest.mark.parametrize("script", sorted(RUNS))
def test_the_benchmark_runs_and_prints_its_figures(script):
    environment = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    environment.pop("DJANGO_SETTINGS_MODULE", None)
    completed = subprocess.run(
        [sys.executable, str(BENCH / script), *RUNS[script]],
        cwd=BENCH.parent,
        env=environment,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )

    assert completed.returncode == 0, completed.stderr[-3000:]
    figures = _figures(completed.stdout)
    assert figures, completed.stdout[-3000:]
    for line in figures:
        assert line.get("lost", 0) == 0 and line.get("errors", 0) == 0, line
