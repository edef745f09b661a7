"""Benchmark: a 50,000-row CSV import of intelligence, end to end (figures as JSON lines).

A partner's bulk import must finish while they wait (issue 4 aims under 60 s for 50,000
rows). This generates a file in the template with varied rows (grading, codes, C with
named organisations, phones, vehicles, people, addresses, businesses), then times what
the import page does with it: reading and checking every row through the submission
form (``imports.check_file``), then storing it (``imports.import_intelligence``: reports,
links, mentions, timeline entries, audit entries, in one transaction). Afterwards it
counts what was stored and verifies the audit chain.

    .venv/bin/python bench/intelligence_import.py [--database sqlite|postgres|both]
        [--rows 50000]

Each database is fresh and private: an SQLite file in a temporary directory, and
PostgreSQL's ``lantern_bench_import`` (created, then dropped at the end).
"""

import argparse
import csv
import datetime
import io
import json
import os
import random
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

POSTGRES_SERVER = "postgresql://postgres@127.0.0.1:5432"
POSTGRES_DATABASE = "lantern_bench_import"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--run", choices=["sqlite", "postgres"], help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.run:
        measure(options.rows)
        return
    databases = ["sqlite", "postgres"] if options.database == "both" else [options.database]
    for database in databases:
        run_on(database, options.rows)


def run_on(database: str, rows: int) -> None:
    """One child process per database, since Django's settings are fixed at start-up."""
    with tempfile.TemporaryDirectory(prefix="lantern-bench-") as directory:
        environment = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "lantern.settings",
            "LANTERN_VAR_DIR": directory,
            "DATABASE_URL": (
                f"sqlite:///{Path(directory) / 'bench.sqlite3'}"
                if database == "sqlite"
                else f"{POSTGRES_SERVER}/{POSTGRES_DATABASE}"
            ),
        }
        if database == "postgres":
            postgres("DROP DATABASE IF EXISTS {name} WITH (FORCE)", "CREATE DATABASE {name}")
        try:
            command = [sys.executable, __file__, "--run", database, "--rows", str(rows)]
            subprocess.run(command, env=environment, check=True)
        finally:
            if database == "postgres":
                postgres("DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def postgres(*statements: str) -> None:
    import psycopg

    with psycopg.connect(f"{POSTGRES_SERVER}/postgres", autocommit=True) as connection:
        for statement in statements:
            connection.execute(statement.format(name=POSTGRES_DATABASE))


def measure(rows: int) -> None:
    import django

    django.setup()
    from django.contrib.auth.models import Group
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    from lantern.core import audit
    from lantern.core.models import AuditEvent, Organisation, User
    from lantern.core.roles import Role
    from lantern.entities.models import Mention
    from lantern.intelligence import imports
    from lantern.intelligence.models import IntelligenceReport

    partners = [
        Organisation.objects.create(
            name=f"Bench partner {number}",
            organisation_type="charity",
            isa_signed_on=datetime.date(2024, 4, 1),
        )
        for number in range(5)
    ]
    user = User.objects.create_user(
        email="bench@lantern.example", password=uuid.uuid4().hex, organisation=partners[0]
    )
    user.groups.add(Group.objects.get(name=Role.PARTNER_CONTRIBUTOR.value))
    content = generate(rows, [partner.name for partner in partners[1:]])
    upload = SimpleUploadedFile("bench.csv", content, content_type="text/csv")

    started = time.perf_counter()
    checked = imports.check_file(upload)
    checked_at = time.perf_counter()
    if checked.problems:
        sys.exit(f"The generated file has problems: {checked.problems[:5]}")
    result = imports.import_intelligence(actor=user, submission_key=uuid.uuid4(), rows=checked.rows)
    stored_at = time.perf_counter()

    verification = audit.verify_chain()
    print(
        json.dumps(
            {
                "database": connection.vendor,
                "rows": rows,
                "file_mb": round(len(content) / 1_000_000, 1),
                "check_seconds": round(checked_at - started, 2),
                "store_seconds": round(stored_at - checked_at, 2),
                "total_seconds": round(stored_at - started, 2),
                "rows_per_second": round(rows / (stored_at - started)),
                "reports_stored": IntelligenceReport.objects.count(),
                "created": result.created,
                "mentions_stored": Mention.objects.count(),
                "audit_entries": AuditEvent.objects.count(),
                "audit_chain_intact": verification.intact,
            }
        ),
        flush=True,
    )


SUMMARIES = [
    "Men sleeping at a hand car wash",
    "Girl seen at a takeaway late at night",
    "Workers collected by minibus at 5am",
    "Nail bar staff do not speak to customers",
    "Cannabis smell and covered windows",
    "Teenager carrying drugs between towns",
]
TYPES = ["labour", "sexual", "criminal", "domestic_servitude", "labour;criminal", ""]
INDICATORS = ["injuries", "", "documents_held;debt", "long_hours;threats;wages_held"]
SECTORS = ["hand_car_wash", "nail_bar", "agriculture", "cannabis", "hospitality", "unknown"]
POSTCODES = ["LE1 5AB", "LE3 0AA", "LE11 3QF", "LE10 1AA", "LE15 6RB", ""]


def generate(rows: int, partner_names: list[str]) -> bytes:
    """A CSV file in the template: varied, valid rows, with mentions in most."""
    from lantern.intelligence import csv_formats

    chance = random.Random(2026)
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(csv_formats.COLUMN_NAMES)
    for number in range(rows):
        coded_c = chance.random() < 0.2
        values = {
            "summary": f"{chance.choice(SUMMARIES)} ({number})",
            "narrative": " ".join(
                chance.choice(SUMMARIES).lower() for _ in range(chance.randint(3, 12))
            ),
            "occurred_on": f"20{chance.randint(22, 25)}-{chance.randint(1, 12):02d}-"
            f"{chance.randint(1, 28):02d}",
            "location": f"{chance.randint(1, 200)} High Street",
            "postcode": chance.choice(POSTCODES),
            "area": "",
            "exploitation_types": chance.choice(TYPES),
            "child_involved": chance.choice(["yes", "no", "no", ""]),
            "indicators": chance.choice(INDICATORS),
            "sector": chance.choice(SECTORS),
            "source_evaluation": chance.choice("123"),
            "intelligence_assessment": chance.choice("ABCDE"),
            "handling_code": "C" if coded_c else "P",
            "handling_conditions": "Hub and named partners only" if coded_c else "",
            "shared_with": chance.choice(partner_names) if coded_c else "",
            "phones": f"07700 9{chance.randint(0, 99999):05d}" if chance.random() < 0.6 else "",
            "vehicles": f"AB{chance.randint(10, 99)} CDE" if chance.random() < 0.4 else "",
            "people": "Stefan Dang; Maria Popescu" if chance.random() < 0.3 else "",
            "addresses": f"Unit {chance.randint(1, 9)}, Narborough Road, LE3 0AA"
            if chance.random() < 0.3
            else "",
            "businesses": "Sparkle Wash Ltd" if chance.random() < 0.2 else "",
        }
        writer.writerow([values[name] for name in csv_formats.COLUMN_NAMES])
    return text.getvalue().encode("utf-8")


if __name__ == "__main__":
    main()
