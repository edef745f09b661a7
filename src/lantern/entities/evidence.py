"""Whether a value is evidence, and whether it is only frequent.

A value is "not evidence" because of what it is (a helpline, a switchboard, "unknown"),
never because many reports share it: the van seen by twenty agencies is the strongest lead
there is. So two different things are kept apart here.

- **Not evidence**: an analyst excluded it (with a reason, audited, undoable), or it is a
  known service in ``data/known-services.csv`` (helplines and placeholders, each with its
  source). It links nothing: no suggestions, no fan-out in the link chart, no count of
  matches in triage.
- **Frequent**: a phone, email or place more than ``ENTITY_COMMON_VALUE_LIMIT`` reports
  mention. Only the *automatic* fan-out of correlation stops for it (suggestions, the
  cost MISP's correlation cap exists for); the entity, its reports and its count stay in
  plain view, labelled "frequent". Kinds that identify one thing (a registration, a
  person, a bank account, a business, a profile) are never held back by frequency.
"""

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from lantern.core import normalisers
from lantern.entities.models import EntityKind

KNOWN_SERVICES_FILE = Path(__file__).parent / "data" / "known-services.csv"

# The kinds whose frequent values stop suggesting matches: a number, an address or a
# mailbox many unrelated people use (a switchboard, a car park, a shared inbox).
FREQUENCY_CAPPED_KINDS = frozenset({EntityKind.PHONE, EntityKind.EMAIL, EntityKind.LOCATION})


@dataclass(frozen=True)
class KnownService:
    """A value shipped as not evidence: what it is and where that was checked."""

    kind: str
    key: str
    name: str
    source: str


@cache
def known_services() -> dict[tuple[str, str], KnownService]:
    """The shipped list, by (kind, normalised key): written however a report writes it."""
    services = {}
    with KNOWN_SERVICES_FILE.open(encoding="utf-8", newline="") as file:
        for row in csv.DictReader(file):
            key = normalisers.mention_key(row["kind"], row["value"])
            if not key:
                raise ValueError(f"{row['value']!r} does not normalise as a {row['kind']}")
            services[row["kind"], key] = KnownService(
                kind=row["kind"], key=key, name=row["name"], source=row["source"]
            )
    return services


def known_service(kind: str, key: str) -> KnownService | None:
    return known_services().get((kind, key))


def capped_by_frequency(kind: str) -> bool:
    """Whether frequency alone may stop suggestions for values of this kind."""
    return kind in FREQUENCY_CAPPED_KINDS


def is_frequent(kind: str, report_count: int, limit: int) -> bool:
    return capped_by_frequency(kind) and report_count > limit


@dataclass(frozen=True)
class Standing:
    """What a page says of a value beside its reports: not evidence (and why), frequent
    (with the count and agencies the viewer may see), or neither."""

    known_service: KnownService | None
    excluded: bool
    frequent: bool
    reports: int
    agencies: int

    @property
    def not_evidence(self) -> bool:
        return self.excluded or self.known_service is not None


def standing(
    *, kind: str, keys: list[str], excluded: bool, reports: int, agencies: int, limit: int
) -> Standing:
    """The standing of an entity (with ``keys``, its own and its merged ones') as seen
    through ``reports`` and ``agencies`` the viewer may read."""
    service = next((found for key in keys if (found := known_service(kind, key)) is not None), None)
    return Standing(
        known_service=service,
        excluded=excluded,
        frequent=is_frequent(kind, reports, limit),
        reports=reports,
        agencies=agencies,
    )
