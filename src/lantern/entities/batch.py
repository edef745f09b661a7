"""Batch entity resolution over Lantern's entities: Splink proposals as suggested matches.

Reads the people and places that stand for themselves (not merged into another), sends
them to ``resolution`` as plain records, and records each proposed link as a ``Match``
from the newer entity to the older one, for an analyst to confirm or reject. A pair an
analyst already decided keeps its decision: a proposal never reopens it.
"""

import re
from collections.abc import Iterator
from pathlib import Path

from django.db import transaction

from lantern.core import normalisers
from lantern.entities import matching, resolution
from lantern.entities.models import Entity, EntityKind, Match, MatchReason, MatchSource

_BUILDING = re.compile(r"^\d+[a-z]?$")
SHIPPED_MODELS = Path(__file__).parent / "data"


def person_records() -> Iterator[dict[str, object]]:
    """One record per person that stands for itself, built by ``matching`` as the
    on-submission matcher builds it: names split as written ("SMITH, John" or "John
    Smith"), date of birth, nationality, and the postcode, area, address and phones
    mentioned with them."""
    for record in matching.all_person_records():
        yield matching.splink_record(record)


def location_records() -> Iterator[dict[str, str | None]]:
    """One record per place: its key is the postcode, then the folded address."""
    places = Entity.objects.filter(kind=EntityKind.LOCATION, merged_into=None)
    for pk, key in places.values_list("pk", "key").iterator(chunk_size=10_000):
        words = key.split()
        postcode = normalisers.normalise_postcode(" ".join(words[:2])) if len(words) > 1 else None
        rest = words[2:] if postcode else words
        building = next((word for word in rest if _BUILDING.match(word)), None)
        street = " ".join(word for word in rest if word != building)
        yield {
            "unique_id": str(pk),
            "postcode": postcode,
            "building": building,
            "street": street or None,
        }


def propose_matches(*, backend: str = "duckdb", model_directory: str | Path | None = None) -> int:
    """Run both models and record their proposals; returns how many new suggestions.

    Each model is loaded from ``people-model.json`` and ``locations-model.json`` in
    ``model_directory`` or, the first time, trained on the partnership's own entities and
    saved there. Without a directory, the models Lantern ships are used: trained on FEBRL
    dataset 2 (see docs/entity-resolution.md), they need no training data, which a new
    partnership does not yet have.
    """
    directory = Path(model_directory) if model_directory else SHIPPED_MODELS
    proposed = 0
    for name, records, resolve in (
        ("people", list(person_records()), resolution.resolve_people),
        ("locations", list(location_records()), resolution.resolve_locations),
    ):
        if len(records) < 2:
            continue
        model_path = directory / f"{name}-model.json"
        clusters = resolve(records, backend=backend, model_path=model_path)
        proposed += _record(clusters)
    return proposed


def _record(clusters: list[resolution.ProposedCluster]) -> int:
    matches = []
    for cluster in clusters:
        for link in cluster.links:
            older, newer = sorted((int(link.left_id), int(link.right_id)))
            matches.append(
                Match(
                    entity_id=newer,
                    candidate_id=older,
                    confidence=round(link.match_probability, 3),
                    reasons=[MatchReason.MODEL],
                    source=MatchSource.BATCH,
                )
            )
    with transaction.atomic():
        before = Match.objects.count()
        Match.objects.bulk_create(matches, ignore_conflicts=True, batch_size=1000)
        return Match.objects.count() - before
