"""A person's matching record: the entity and what the hub knows with it, built in one place.

A person in Lantern is more than a name: the reports that mention them also give other
names for them, dates of birth, nationalities, and the places, postcodes, areas and
phones mentioned beside them. Both matchers read people through this module — the batch
model behind ``lantern entities resolve`` (``batch``, as Splink records) and the
on-submission matcher (``correlation``, as ``people.PersonRecord``) — so that they see the
same person the same way; ``tests/entities/test_matching.py`` proves it.

Reads are a fixed handful of queries per call, whatever the number of entities (in
chunks, to stay within the databases' limits on parameters).
"""

import datetime
from collections import Counter, defaultdict
from collections.abc import Collection, Iterator
from dataclasses import dataclass

from django.db.models import Q

from lantern.core import normalisers
from lantern.entities import people
from lantern.entities.models import Entity, EntityKind, Mention, MentionKind, intelligence_reports

# Entities read per round of queries.
_CHUNK = 500


@dataclass(frozen=True)
class PersonMatchingRecord:
    """Everything the matchers may use about one person entity (and those merged into it).

    Lists are distinct values, the most often mentioned first (ties alphabetically), so
    that the one value a matcher compares is the likeliest one and the same every time.
    Lantern records no gender yet: ``gender`` is there for the model, empty.
    """

    entity_id: int
    name: str
    aliases: tuple[str, ...] = ()
    dates_of_birth: tuple[datetime.date, ...] = ()
    nationalities: tuple[str, ...] = ()
    gender: str = ""
    postcodes: tuple[str, ...] = ()
    areas: tuple[str, ...] = ()
    addresses: tuple[str, ...] = ()
    phones: tuple[str, ...] = ()

    @property
    def date_of_birth(self) -> datetime.date | None:
        return self.dates_of_birth[0] if self.dates_of_birth else None


def person_matching_records(entity_ids: Collection[int]) -> dict[int, PersonMatchingRecord]:
    """The matching record of each of these person entities (others are left out)."""
    ids = sorted(set(entity_ids))
    records: dict[int, PersonMatchingRecord] = {}
    for start in range(0, len(ids), _CHUNK):
        records |= _records(ids[start : start + _CHUNK])
    return records


def _ranked(values: Counter) -> tuple:
    return tuple(value for value, _count in sorted(values.items(), key=lambda i: (-i[1], i[0])))


def _records(ids: list[int]) -> dict[int, PersonMatchingRecord]:
    entities = {
        pk: (label, born, nationality)
        for pk, label, born, nationality in Entity.objects.filter(
            pk__in=ids, kind=EntityKind.PERSON
        ).values_list("pk", "label", "date_of_birth", "nationality")
    }
    if not entities:
        return {}
    names: dict[int, Counter] = defaultdict(Counter)
    births: dict[int, Counter] = defaultdict(Counter)
    nationalities: dict[int, Counter] = defaultdict(Counter)
    reports: dict[int, set[int]] = defaultdict(set)
    own = Mention.objects.filter(
        Q(entity_id__in=list(entities)) | Q(entity__merged_into_id__in=list(entities))
    ).values_list(
        "entity_id", "entity__merged_into_id", "report_id", "value", "date_of_birth", "nationality"
    )
    for entity_id, merged_into, report_id, value, born, nationality in own:
        root = merged_into or entity_id
        reports[root].add(report_id)
        names[root][value.strip()] += 1
        if born is not None:
            births[root][born] += 1
        if folded := normalisers.fold_text(nationality):
            nationalities[root][folded] += 1
    places = _places(set().union(*reports.values()) if reports else set())
    records = {}
    for pk, (label, born, nationality) in entities.items():
        postcodes, areas, addresses, phones = Counter(), Counter(), Counter(), Counter()
        for report_id in reports[pk]:
            found = places.get(report_id)
            if found is not None:
                postcodes.update(found[0])
                areas.update(found[1])
                addresses.update(found[2])
                phones.update(found[3])
        dates = _ranked(births[pk])
        if born is not None:
            dates = (born, *(date for date in dates if date != born))
        folded = normalisers.fold_text(nationality)
        found_nationalities = _ranked(nationalities[pk])
        if folded:
            found_nationalities = (folded, *(n for n in found_nationalities if n != folded))
        records[pk] = PersonMatchingRecord(
            entity_id=pk,
            name=label,
            aliases=tuple(alias for alias in _ranked(names[pk]) if alias and alias != label),
            dates_of_birth=dates,
            nationalities=tuple(n for n in found_nationalities if n),
            postcodes=_ranked(postcodes),
            areas=_ranked(areas),
            addresses=_ranked(addresses),
            phones=_ranked(phones),
        )
    return records


def _places(report_ids: set[int]) -> dict[int, tuple[set, set, set, set]]:
    """Per report: the postcodes, areas, addresses and phones it mentions or gives."""
    found: dict[int, tuple[set, set, set, set]] = defaultdict(lambda: (set(), set(), set(), set()))
    if not report_ids:
        return found
    for report_id, postcode, area in (
        intelligence_reports().filter(pk__in=report_ids).values_list("pk", "postcode", "area__name")
    ):
        if canonical := normalisers.normalise_postcode(postcode or ""):
            found[report_id][0].add(canonical)
        if area:
            found[report_id][1].add(normalisers.fold_text(area))
    for report_id, kind, key in Mention.objects.filter(
        report_id__in=report_ids, kind__in=[MentionKind.LOCATION, MentionKind.PHONE]
    ).values_list("report_id", "kind", "key"):
        if not key:
            continue
        if kind == MentionKind.PHONE:
            found[report_id][3].add(key)
            continue
        words = key.split()
        postcode = normalisers.normalise_postcode(" ".join(words[:2])) if len(words) > 1 else None
        if postcode:
            found[report_id][0].add(postcode)
        found[report_id][2].add(key)
    return found


def split_name(label: str) -> tuple[str | None, str | None]:
    """Given names and surname as written: "SMITH, John" or "John Smith", folded."""
    if "," in label:
        surname, _comma, given = label.partition(",")
        words = normalisers.fold_text(given).split()
        surname_words = normalisers.fold_text(surname).split()
    else:
        words = normalisers.fold_text(label).split()
        surname_words = words[-1:] if len(words) > 1 else []
        words = words[:-1] if len(words) > 1 else words
    return (" ".join(words) or None, " ".join(surname_words) or None)


def splink_record(record: PersonMatchingRecord) -> dict[str, object]:
    """The record as the batch model (``resolution.resolve_people``) reads it."""
    given_name, surname = split_name(record.name)
    return {
        "unique_id": str(record.entity_id),
        "given_name": given_name,
        "surname": surname,
        "date_of_birth": record.date_of_birth.isoformat() if record.date_of_birth else None,
        "postcode": record.postcodes[0] if record.postcodes else None,
        "locality": record.areas[0] if record.areas else None,
        "address": _street_address(record.addresses[0]) if record.addresses else None,
        "nationality": record.nationalities[0] if record.nationalities else None,
        "gender": record.gender or None,
        "phones": list(record.phones),
    }


def _street_address(key: str) -> str | None:
    """An address key without its postcode ("12 high st" of "LE1 5AB 12 high st"): the
    model compares the postcode on its own, and a shared postcode at the start of two
    addresses would make any two in one street look alike to Jaro-Winkler."""
    words = key.split()
    if len(words) > 2 and normalisers.normalise_postcode(" ".join(words[:2])):
        words = words[2:]
    return " ".join(words) or None


def person_record(record: PersonMatchingRecord) -> people.PersonRecord:
    """The record as the on-submission matcher (``people``) reads it."""
    return people.PersonRecord(
        name=record.name,
        date_of_birth=record.date_of_birth,
        nationality=record.nationalities[0] if record.nationalities else "",
        gender=record.gender,
        postcode=record.postcodes[0] if record.postcodes else "",
    )


def all_person_records() -> Iterator[PersonMatchingRecord]:
    """Every person that stands for itself (not merged into another), in id order."""
    ids = list(
        Entity.objects.filter(kind=EntityKind.PERSON, merged_into=None)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    for start in range(0, len(ids), _CHUNK):
        chunk = _records(ids[start : start + _CHUNK])
        yield from (chunk[pk] for pk in ids[start : start + _CHUNK] if pk in chunk)
