"""Retrain the person model Lantern ships (``src/lantern/entities/data/people-model.json``).

The shipped model lets a new partnership run ``lantern entities resolve`` before it has
entities of its own to learn from. It is trained on FEBRL dataset 2 (5,000 synthetic
people, a fifth of them corrupted copies) with the fields Lantern's matching record
gives the model (``lantern.entities.matching.splink_record``): names, date of birth, a
postcode, an area (FEBRL's suburb) and an address. FEBRL has no nationality, gender or
phone, so the model does not compare them: a comparison it could not train would weigh
on Splink's defaults (see ``resolution.person_settings``).

    .venv/bin/python bench/train_people_model.py [--output PATH]
"""

import argparse
import itertools
import json
import logging
from pathlib import Path

from febrl import load_febrl2_records
from lantern.entities import resolution

SHIPPED = Path(resolution.__file__).parent / "data"
FIELDS = ("given_name", "surname", "date_of_birth", "postcode", "locality", "address")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=SHIPPED / "people-model.json")
    arguments = parser.parse_args()
    logging.getLogger("splink").setLevel(logging.ERROR)
    records, truth = load_febrl2_records()
    arguments.output.unlink(missing_ok=True)
    clusters = resolution.resolve_people(
        [{"unique_id": r["unique_id"], **{f: r[f] for f in FIELDS}} for r in records],
        model_path=arguments.output,
    )
    proposed = {
        frozenset(pair)
        for cluster in clusters
        for pair in itertools.combinations(cluster.record_ids, 2)
    }
    found = len(proposed & truth)
    model = json.loads(arguments.output.read_text(encoding="utf-8"))
    print(
        json.dumps(
            {
                "model": str(arguments.output),
                "comparisons": [c["output_column_name"] for c in model["comparisons"]],
                "febrl2_precision": round(found / len(proposed), 4),
                "febrl2_recall": round(found / len(truth), 4),
            }
        )
    )


if __name__ == "__main__":
    main()
