"""Benchmark: batch entity resolution of people, for quality and for scale.

Prints one JSON line per measurement:

- ``febrl2``: precision, recall and F1 of duplicate pairs on FEBRL dataset 2, for
  Lantern's person model (``lantern.entities.resolution``) with and without the
  identity number (FEBRL's social security number standing in for a passport or National
  Insurance number), and for the Splink documentation's FEBRL tutorial model (the
  ``febrl3`` DuckDB example's settings and training), all measured in the same run. Pairs
  are counted two ways: every pair inside a proposed cluster (what an analyst is shown)
  and only the scored links at or above the threshold.
- ``scale``: ``--records`` synthetic person records (default 1,000,000), made from FEBRL
  2's names, streets and places by a deterministic generator — 80% distinct people and
  20% corrupted copies of them (typos, missing values, swapped names, mistyped dates) —
  resolved by Lantern's model, trained on them from scratch: wall time, CPU time, peak
  resident memory (``ru_maxrss`` of a child process that only reads the records and
  resolves them, since DuckDB allocates outside Python's view, where tracemalloc cannot
  see) and the same pair quality figures. The machine's load average is printed too:
  other work slows the wall time but not the CPU time.

    .venv/bin/python bench/entity_resolution.py [--records 1000000] [--skip-scale]
        [--memory-limit 2GB] [--threads 2]
"""

import argparse
import itertools
import json
import logging
import multiprocessing
import os
import random
import resource
import tempfile
import time
from collections.abc import Iterable
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from febrl import load_febrl2_records
from lantern.entities.resolution import (
    DEFAULT_THRESHOLD,
    ProposedCluster,
    resolve_people,
)
from submission_matcher import match_pairs

SEED = 20261126
PERSON_FIELDS = ("given_name", "surname", "date_of_birth", "postcode", "locality", "address")


def pair_quality(predicted: set[frozenset[str]], truth: set[frozenset[str]]) -> dict:
    """Precision, recall and F1 of predicted duplicate pairs against the true ones."""
    true_positives = len(predicted & truth)
    precision = true_positives / len(predicted) if predicted else 0.0
    recall = true_positives / len(truth) if truth else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "precision": round(precision, 4),
        "recall": round(recall, 4),
        "f1": round(f1, 4),
        "predicted_pairs": len(predicted),
        "true_pairs": len(truth),
    }


def cluster_pairs(clusters: Iterable[ProposedCluster]) -> set[frozenset[str]]:
    return {
        frozenset(pair)
        for cluster in clusters
        for pair in itertools.combinations(cluster.record_ids, 2)
    }


def link_pairs(clusters: Iterable[ProposedCluster]) -> set[frozenset[str]]:
    return {
        frozenset((link.left_id, link.right_id)) for cluster in clusters for link in cluster.links
    }


def lantern_quality(records: list[dict], truth: set[frozenset[str]]) -> dict:
    started = time.perf_counter()
    clusters = resolve_people(records)
    return {
        "seconds": round(time.perf_counter() - started, 2),
        "clusters": pair_quality(cluster_pairs(clusters), truth),
        "links": pair_quality(link_pairs(clusters), truth),
    }


def tutorial_quality(records: list[dict], truth: set[frozenset[str]]) -> dict:
    """The Splink docs' FEBRL deduplication example (docs/demos/examples/duckdb/febrl3),
    its settings and training steps as published, scored like Lantern's model."""
    import splink.comparison_library as cl
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on

    started = time.perf_counter()
    blocking_rules = [
        block_on("soc_sec_id"),
        block_on("given_name"),
        block_on("surname"),
        block_on("date_of_birth"),
        block_on("postcode"),
    ]
    settings = SettingsCreator(
        unique_id_column_name="unique_id",
        link_type="dedupe_only",
        blocking_rules_to_generate_predictions=blocking_rules,
        comparisons=[
            cl.NameComparison("given_name"),
            cl.NameComparison("surname"),
            cl.DateOfBirthComparison(
                "date_of_birth", input_is_string=True, datetime_format="%Y-%m-%d"
            ),
            cl.DamerauLevenshteinAtThresholds("soc_sec_id", [2]),
            cl.ExactMatch("street_number").configure(term_frequency_adjustments=True),
            cl.ExactMatch("postcode").configure(term_frequency_adjustments=True),
        ],
    )
    table = pa.Table.from_pylist(
        [
            {
                "unique_id": record["unique_id"],
                "given_name": record["given_name"],
                "surname": record["surname"],
                "date_of_birth": record["date_of_birth"],
                "soc_sec_id": record["soc_sec_id"],
                "street_number": record["building"],
                "postcode": record["postcode"],
            }
            for record in records
        ]
    )
    linker = Linker(DuckDBAPI().register(table), settings, log_level=None)
    linker.training.estimate_probability_two_random_records_match(
        [
            block_on("soc_sec_id"),
            block_on("given_name", "surname", "date_of_birth"),
            "l.given_name = r.surname and l.surname = r.given_name "
            "and l.date_of_birth = r.date_of_birth",
        ],
        recall=0.9,
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=1e6, seed=2)
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("date_of_birth"))
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("postcode"))
    predictions = linker.inference.predict(threshold_match_probability=0.2)
    clustered = linker.clustering.cluster_pairwise_predictions_at_threshold(
        predictions, threshold_match_probability=DEFAULT_THRESHOLD
    )
    links = {
        frozenset((row["unique_id_l"], row["unique_id_r"]))
        for row in predictions.as_record_list()
        if row["match_probability"] >= DEFAULT_THRESHOLD
    }
    members: dict[str, list[str]] = {}
    for row in clustered.as_record_list():
        members.setdefault(row["cluster_id"], []).append(row["unique_id"])
    clusters = {
        frozenset(pair)
        for ids in members.values()
        for pair in itertools.combinations(sorted(ids), 2)
    }
    return {
        "seconds": round(time.perf_counter() - started, 2),
        "clusters": pair_quality(clusters, truth),
        "links": pair_quality(links, truth),
    }


def febrl_figures() -> dict:
    records, truth = load_febrl2_records()
    with_identity = [{**record, "identity_number": record["soc_sec_id"]} for record in records]
    return {
        "measurement": "febrl2",
        "records": len(records),
        "threshold": DEFAULT_THRESHOLD,
        "lantern": lantern_quality(records, truth),
        "lantern_with_identity_number": lantern_quality(with_identity, truth),
        "splink_tutorial": tutorial_quality(records, truth),
        "submission_matcher": submission_quality(records, truth),
    }


def submission_quality(records: list[dict], truth: set[frozenset[str]]) -> dict:
    """The on-submission matcher (``entities.people``) on the same records."""
    started = time.perf_counter()
    predicted, _candidates, _index, _persons = match_pairs(records)
    return {"seconds": round(time.perf_counter() - started, 2), **pair_quality(predicted, truth)}


def _typo(rng: random.Random, value: str) -> str:
    """One keyboard slip: a character inserted, dropped, replaced or swapped."""
    position = rng.randrange(len(value))
    letter = rng.choice("abcdefghijklmnopqrstuvwxyz")
    kind = rng.randrange(4)
    if kind == 0:
        return value[:position] + letter + value[position:]
    if kind == 1 and len(value) > 1:
        return value[:position] + value[position + 1 :]
    if kind == 2 or position == len(value) - 1:
        return value[:position] + letter + value[position + 1 :]
    return value[:position] + value[position + 1] + value[position] + value[position + 2 :]


def _mistyped_date(rng: random.Random, value: str) -> str:
    """A date of birth written wrongly: day and month swapped, or one digit changed."""
    year, month, day = value.split("-")
    if rng.random() < 0.3 and int(day) <= 12:
        return f"{year}-{day}-{month}"
    digits = list(year + month + day)
    position = rng.randrange(len(digits))
    digits[position] = str(rng.randrange(10))
    candidate = "".join(digits)
    return f"{candidate[:4]}-{candidate[4:6]}-{candidate[6:]}"


def _corrupt(rng: random.Random, person: dict) -> dict:
    """A second record of the same person, written by someone else: one to three
    fields mistyped or left out, sometimes the names the wrong way round."""
    copy = dict(person)
    for field in rng.sample(PERSON_FIELDS, rng.randint(1, 3)):
        if copy[field] is None:
            continue
        if rng.random() < 0.2:
            copy[field] = None
        elif field == "date_of_birth":
            copy[field] = _mistyped_date(rng, copy[field])
        else:
            copy[field] = _typo(rng, copy[field])
    if rng.random() < 0.03:
        copy["given_name"], copy["surname"] = copy["surname"], copy["given_name"]
    return copy


def synthetic_people(count: int) -> tuple[pa.Table, int]:
    """``count`` person records, 80% distinct people and 20% copies of 15% of them.

    Returns the table (with a ``person`` column naming the true person) and the number
    of true duplicate pairs. Deterministic: the same count gives the same records.
    """
    rng = random.Random(SEED)
    febrl, _ = load_febrl2_records()
    originals = [record for record in febrl if record["unique_id"].endswith("-org")]
    vocabulary = {
        field: [record[field] for record in originals if record[field]]
        for field in ("given_name", "surname", "locality", "street")
    }
    people_count = count * 4 // 5
    columns: dict[str, list] = {field: [] for field in ("unique_id", "person", *PERSON_FIELDS)}

    def add(unique_id: str, person_id: int, person: dict) -> None:
        columns["unique_id"].append(unique_id)
        columns["person"].append(person_id)
        for field in PERSON_FIELDS:
            columns[field].append(person[field])

    people = []
    for person_id in range(people_count):
        person = {
            "given_name": rng.choice(vocabulary["given_name"]),
            "surname": rng.choice(vocabulary["surname"]),
            "date_of_birth": (
                f"{rng.randint(1920, 2008)}-{rng.randint(1, 12):02}-{rng.randint(1, 28):02}"
            ),
            "postcode": str(rng.randint(1000, 9999)),
            "locality": rng.choice(vocabulary["locality"]),
            "address": f"{rng.randint(1, 300)} {rng.choice(vocabulary['street'])}",
        }
        people.append(person)
        add(f"p{person_id}", person_id, person)
    copies_per_person: dict[int, int] = {}
    for copy_number in range(count - people_count):
        person_id = rng.randrange(people_count * 15 // 100)
        copies_per_person[person_id] = copies_per_person.get(person_id, 0) + 1
        add(f"p{person_id}-copy{copy_number}", person_id, _corrupt(rng, people[person_id]))
    true_pairs = sum((copies + 1) * copies // 2 for copies in copies_per_person.values())
    return pa.table(columns), true_pairs


def _scale_in_child(path: str, duckdb_config: dict, queue: multiprocessing.Queue) -> None:
    """Resolve the records saved at ``path``: the process holds nothing else, so its peak
    resident memory is the resolution's (and the records' own, about 0.1 GiB)."""
    logging.getLogger("splink").setLevel(logging.ERROR)
    table = pq.read_table(path)
    started = time.perf_counter()
    clusters = resolve_people(table.drop_columns(["person"]), duckdb_config=duckdb_config)
    seconds = time.perf_counter() - started
    usage = resource.getrusage(resource.RUSAGE_SELF)
    persons = dict(zip(table["unique_id"].to_pylist(), table["person"].to_pylist(), strict=True))
    predicted = cluster_pairs(clusters)
    true_positives = sum(1 for left, right in predicted if persons[left] == persons[right])
    queue.put(
        {
            "seconds": round(seconds, 1),
            "cpu_seconds": round(usage.ru_utime + usage.ru_stime, 1),
            "peak_rss_gib": round(usage.ru_maxrss / 2**20, 2),
            "clusters": len(clusters),
            "predicted_pairs": len(predicted),
            "true_positives": true_positives,
        }
    )


def scale_figures(count: int, duckdb_config: dict) -> dict:
    """Generate the records here, resolve them in a fresh process that does nothing else."""
    table, true_pair_count = synthetic_people(count)
    with tempfile.TemporaryDirectory(prefix="lantern-er-") as directory:
        path = os.path.join(directory, "people.parquet")
        pq.write_table(table, path)
        del table
        context = multiprocessing.get_context("spawn")
        queue = context.Queue()
        load_before = os.getloadavg()[0]
        child = context.Process(target=_scale_in_child, args=(path, duckdb_config, queue))
        child.start()
        figures = queue.get()
        child.join()
    true_positives = figures.pop("true_positives")
    precision = true_positives / figures["predicted_pairs"] if figures["predicted_pairs"] else 0.0
    recall = true_positives / true_pair_count
    return {
        "measurement": "scale",
        "records": count,
        "duckdb": {key: value for key, value in duckdb_config.items() if key != "temp_directory"},
        **figures,
        "true_pairs": true_pair_count,
        "precision": round(precision, 4),
        "recall": round(recall, 4),
        "f1": round(2 * precision * recall / (precision + recall), 4),
        # Other work on the machine slows the wall time, not the CPU time.
        "load_average_before": round(load_before, 2),
        "load_average_after": round(os.getloadavg()[0], 2),
    }


def _django(home: Path) -> None:
    """Set Django up on a new SQLite database in ``home``, migrated."""
    import secrets

    os.environ.update(
        {
            "SECRET_KEY": secrets.token_urlsafe(50),
            "LANTERN_VAR_DIR": str(home / "var"),
            "DATABASE_URL": f"sqlite:///{home / 'lantern.sqlite3'}",
            "DJANGO_SETTINGS_MODULE": "lantern.settings",
        }
    )
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0, interactive=False)


def with_dates_damaged(records: list[dict], rng: random.Random) -> list[dict]:
    """Date of birth removed from a random 20% of records, day and month swapped in 5%."""
    damaged = []
    for record in records:
        born = record["date_of_birth"]
        draw = rng.random()
        if born and draw < 0.20:
            record = {**record, "date_of_birth": None}
        elif born and draw < 0.25 and int(born[8:]) <= 12:
            record = {**record, "date_of_birth": f"{born[:4]}-{born[8:]}-{born[5:7]}"}
        damaged.append(record)
    return damaged


def _febrl_pairs(pairs, febrl_id: dict[int, str]) -> set[frozenset[str]]:
    return {
        frozenset((febrl_id[left], febrl_id[right]))
        for left, right in pairs
        if left in febrl_id and right in febrl_id
    }


def _components(pairs: set[frozenset[str]]) -> set[frozenset[str]]:
    """Every pair inside the clusters the links make (what an analyst is shown)."""
    parent: dict[str, str] = {}

    def root(node: str) -> str:
        while parent.setdefault(node, node) != node:
            node = parent[node]
        return node

    for pair in pairs:
        left, right = sorted(pair)
        parent[root(right)] = root(left)
    members: dict[str, list[str]] = {}
    for node in list(parent):
        members.setdefault(root(node), []).append(node)
    return {
        frozenset(pair)
        for ids in members.values()
        for pair in itertools.combinations(sorted(ids), 2)
    }


def product_path_quality(records: list[dict], truth: set[frozenset[str]]) -> dict:
    """FEBRL records stored as reports (a person and their address each) and matched by
    Lantern's own code: on submission as each report is saved, then ``lantern entities
    resolve`` with the shipped model. All of it is rolled back afterwards."""
    from django.core.management import call_command
    from django.db import transaction

    from febrl import store_as_reports
    from lantern.entities import batch, resolution
    from lantern.entities.models import Match, MatchSource
    from lantern.entities.people import SUGGESTION_THRESHOLD

    figures: dict = {}
    with transaction.atomic():
        started = time.perf_counter()
        febrl_id = store_as_reports(records, correlate=True)
        suggested = Match.objects.filter(
            source=MatchSource.SUBMISSION, confidence__gte=SUGGESTION_THRESHOLD
        ).values_list("entity_id", "candidate_id")
        links = _febrl_pairs(suggested, febrl_id)
        figures["on_submission"] = {
            "seconds": round(time.perf_counter() - started, 2),
            "clusters": pair_quality(_components(links), truth),
            "links": pair_quality(links, truth),
        }
        # Only the batch run's proposals are counted below: a pair suggested on
        # submission would keep its row, and the batch run's would not be recorded.
        Match.objects.all().delete()
        started = time.perf_counter()
        call_command("entities", "resolve", stdout=open(os.devnull, "w"))  # noqa: SIM115
        proposed = Match.objects.filter(source=MatchSource.BATCH).values_list(
            "entity_id", "candidate_id"
        )
        links = _febrl_pairs(proposed, febrl_id)
        people = list(batch.person_records())
        compared = resolution.candidate_pairs(
            people, model_path=batch.SHIPPED_MODELS / "people-model.json"
        )
        compared_pairs = _febrl_pairs(
            [tuple(int(record_id) for record_id in pair) for pair in compared], febrl_id
        )
        figures["entities_resolve"] = {
            "seconds": round(time.perf_counter() - started, 2),
            "clusters": pair_quality(_components(links), truth),
            "links": pair_quality(links, truth),
            "blocking_recall": round(len(compared_pairs & truth) / len(truth), 4),
        }
        transaction.set_rollback(True)
    return figures


def product_figures(limit: int) -> dict:
    """Lantern through its own storage and code beside the standard Splink model, on
    FEBRL 2 as written and with dates of birth damaged."""
    records, truth = load_febrl2_records()
    records = records[:limit]
    kept = {record["unique_id"] for record in records}
    truth = {pair for pair in truth if pair <= kept}
    damaged = with_dates_damaged(records, random.Random(SEED))
    return {
        "measurement": "febrl2_product_path",
        "records": len(records),
        "threshold": DEFAULT_THRESHOLD,
        "as_written": {
            **product_path_quality(records, truth),
            "splink_standard": tutorial_quality(records, truth),
        },
        "dates_of_birth_20pct_missing_5pct_swapped": {
            **product_path_quality(damaged, truth),
            "splink_standard": tutorial_quality(damaged, truth),
        },
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--skip-scale", action="store_true")
    parser.add_argument("--memory-limit", default="2GB")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument(
        "--product-records",
        type=int,
        default=5000,
        help="FEBRL 2 records stored as reports for the product-path figures (all: 5000)",
    )
    arguments = parser.parse_args()
    logging.getLogger("splink").setLevel(logging.ERROR)
    print(json.dumps(febrl_figures()), flush=True)
    with tempfile.TemporaryDirectory(prefix="lantern-er-db-") as home:
        _django(Path(home))
        print(json.dumps(product_figures(arguments.product_records)), flush=True)
    if not arguments.skip_scale:
        with tempfile.TemporaryDirectory(prefix="lantern-er-") as spill:
            duckdb_config = {
                "memory_limit": arguments.memory_limit,
                "threads": arguments.threads,
                "temp_directory": spill,
            }
            print(json.dumps(scale_figures(arguments.records, duckdb_config)), flush=True)


if __name__ == "__main__":
    main()
