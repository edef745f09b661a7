"""The on-submission person matcher measured on FEBRL dataset 2.

Run: ``.venv/bin/python bench/submission_matcher.py`` (a few seconds).

Every record is put in an in-memory index by its ``people.blocking_keys`` (as
``correlation`` indexes entities in the database); the candidate pairs are the records
sharing any key; a pair is predicted a duplicate when ``people.compare`` gives it at
least ``people.SUGGESTION_THRESHOLD``. Printed: precision, recall and F1 of duplicate
pairs against FEBRL's true pairs, how many candidate pairs blocking produced (and how
many true pairs it missed), the largest block, and the time taken. FEBRL ids are used
only to score, never to match.
"""

import datetime
import itertools
import json
import sys
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from febrl import load_febrl2_records
from lantern.entities import people


def person(record: dict) -> people.PersonRecord:
    """A FEBRL record as the matcher sees a person mentioned in a report."""
    name = " ".join(part for part in (record["given_name"], record["surname"]) if part)
    date_of_birth = record["date_of_birth"]
    return people.PersonRecord(
        name=name,
        date_of_birth=datetime.date.fromisoformat(date_of_birth) if date_of_birth else None,
        postcode=record["postcode"] or "",
    )


def match_pairs(
    records: list[dict],
) -> tuple[set[frozenset[str]], set[frozenset[str]], dict[str, list[str]], dict]:
    """What the matcher would suggest among ``records``, as correlation does it: candidate
    pairs from shared blocking keys, then ``compare`` against the threshold."""
    persons = {record["unique_id"]: person(record) for record in records}
    index: dict[str, list[str]] = defaultdict(list)
    for identifier, record in persons.items():
        for key in people.blocking_keys(record):
            index[key].append(identifier)
    candidates = {
        frozenset(pair)
        for identifiers in index.values()
        for pair in itertools.combinations(identifiers, 2)
    }
    predicted = set()
    for pair in candidates:
        first, second = sorted(pair)
        comparison = people.compare(persons[first], persons[second])
        if comparison.confidence >= people.SUGGESTION_THRESHOLD:
            predicted.add(pair)
    return predicted, candidates, index, persons


def main() -> None:
    records, true_pairs = load_febrl2_records()
    started = time.perf_counter()
    predicted, candidates, index, persons = match_pairs(records)
    elapsed = time.perf_counter() - started

    true_positives = len(predicted & true_pairs)
    precision = true_positives / len(predicted) if predicted else 0.0
    recall = true_positives / len(true_pairs)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    print(f"FEBRL 2: {len(records)} records, {len(true_pairs)} true duplicate pairs")
    print(
        f"candidate pairs {len(candidates)}, true pairs blocking missed "
        f"{len(true_pairs - candidates)}, largest block {max(map(len, index.values()))}"
    )
    print(f"predicted {len(predicted)}, true positives {true_positives}")
    print(f"precision {precision:.4f}  recall {recall:.4f}  F1 {f1:.4f}  time {elapsed:.2f} s")
    figures = {
        "benchmark": "submission_matcher",
        "records": len(records),
        "true_pairs": len(true_pairs),
        "candidate_pairs": len(candidates),
        "predicted_pairs": len(predicted),
        "precision": round(precision, 4),
        "recall": round(recall, 4),
        "f1": round(f1, 4),
        "seconds": round(elapsed, 2),
    }
    print(json.dumps(figures))
    if "--errors" in sys.argv:
        for label, pairs in (
            ("false positive", predicted - true_pairs),
            ("false negative", true_pairs - predicted),
        ):
            for first, second in sorted(map(sorted, pairs)):
                comparison = people.compare(persons[first], persons[second])
                blocked = "blocked" if frozenset((first, second)) in candidates else "unblocked"
                print(label, blocked, comparison.confidence, *comparison.reasons)
                for identifier in (first, second):
                    record = persons[identifier]
                    print(f"    {record.name!r} {record.date_of_birth} {record.postcode}")


if __name__ == "__main__":
    main()
