"""Correlation on submission: resolve each new mention to an entity, suggest what it may be.

It runs inside the request that saves the report, so that an analyst opening the report
sees its links at once, but in a savepoint of its own: whatever goes wrong here, the report
is saved and its mentions stay unresolved until ``lantern entities correlate`` picks them up.

- An identifier (phone, email, registration, online profile, Companies House number, a
  business at a postcode, an address with postcode and number) joins the entity that
  already has its key: the same number is the same phone.
- A person, a bare place or business name, or a bank account becomes an entity of its
  own, and a ``Match`` is suggested for the existing entities it most likely is: the same
  key, or for people a similar name in the same block with agreeing date of birth and
  nationality (``entities.people``), or for places the same postcode and a similar address.

A report's mentions are resolved together, in a dozen queries whatever their number:
one read for the identifiers, one insert for the new entities, one for their blocks, one
read per kind of candidate, one insert for the suggestions and one update of the mentions.

Values too common to mean anything (a helpline number, "unknown") stop producing
suggestions once they appear in more than ``ENTITY_COMMON_VALUE_LIMIT`` reports, and an
analyst can exclude any entity from linking.
"""

import dataclasses
import datetime
import logging
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Count

from lantern.core import normalisers
from lantern.entities import people, selectors
from lantern.entities.models import (
    Entity,
    EntityBlock,
    EntityKind,
    Match,
    MatchReason,
    MatchSource,
    is_identifier,
)
from lantern.intelligence.models import Mention

logger = logging.getLogger(__name__)

# Confidence of a suggestion resting on an equal key alone, by kind: an equal place name
# is likely the same place; four equal digits of a bank account much less so.
_SAME_KEY_CONFIDENCE = {
    EntityKind.LOCATION: 0.9,
    EntityKind.BUSINESS: 0.9,
    EntityKind.BANK_ACCOUNT: 0.5,
}
# Entities read per block: beyond this a block is a common value, not a lead.
_BLOCK_CANDIDATES = 200
_ADDRESS_SIMILARITY = 0.6
MAX_SUGGESTIONS = 5
# Mentions resolved per transaction by the sweep.
_SWEEP_BATCH = 500

type Key = tuple[str, str]


@dataclass(frozen=True)
class Suggestion:
    candidate_id: int
    candidate_key: str
    confidence: float
    reasons: tuple[str, ...]


def correlate(mentions: Iterable[Mention]) -> None:
    """Resolve saved mentions to entities and suggest matches; never raises.

    Mentions whose resolution failed keep no entity (the sweep retries them), and the
    caller's transaction, the report itself, is untouched.
    """
    mentions = [mention for mention in mentions if mention.key and mention.entity_id is None]
    if not mentions:
        return
    try:
        with transaction.atomic():
            resolve(mentions)
    except Exception:
        logger.exception("Correlation failed; the mentions are left for the sweep")
        for mention in mentions:
            mention.entity = None


def resolve(mentions: Sequence[Mention]) -> None:
    """Give saved mentions their entities and record the suggestions they raise."""
    identified = [mention for mention in mentions if is_identifier(mention.kind, mention.key)]
    others = [mention for mention in mentions if not is_identifier(mention.kind, mention.key)]
    by_key = _identified_entities({(mention.kind, mention.key): mention for mention in identified})
    for mention in identified:
        mention.entity = by_key[mention.kind, mention.key]
    created = Entity.objects.bulk_create(
        Entity(
            kind=mention.kind,
            key=mention.key,
            label=mention.value,
            date_of_birth=mention.date_of_birth,
            nationality=mention.nationality,
        )
        for mention in others
    )
    for mention, entity in zip(others, created, strict=True):
        mention.entity = entity
    blocks = {entity.pk: blocking_keys(entity) for entity in created}
    EntityBlock.objects.bulk_create(
        EntityBlock(entity=entity, block=block) for entity in created for block in blocks[entity.pk]
    )
    common = common_values({(entity.kind, entity.key) for entity in created})
    _suggest([entity for entity in created if (entity.kind, entity.key) not in common], blocks)
    Mention.objects.bulk_update(mentions, ["entity"])


def _identified_entities(wanted: dict[Key, Mention]) -> dict[Key, Entity]:
    """The entity of each identifier, created where none has its key yet."""
    found = _entities_with_keys(wanted)
    missing = [key for key in wanted if key not in found]
    if missing:
        # A concurrent request may create the same phone first: the database's uniqueness
        # keeps one, and the read below finds it. (Two entities for one address in such a
        # race are suggested as a match the next time the address is mentioned.)
        Entity.objects.bulk_create(
            [Entity(kind=kind, key=key, label=wanted[kind, key].value) for kind, key in missing],
            ignore_conflicts=True,
        )
        found |= _entities_with_keys(missing)
    return found


def _entities_with_keys(keys: Iterable[Key]) -> dict[Key, Entity]:
    keys = set(keys)
    if not keys:
        return {}
    found: dict[Key, Entity] = {}
    rows = Entity.objects.filter(
        kind__in={kind for kind, _key in keys}, key__in={key for _kind, key in keys}
    ).order_by("pk")
    for entity in rows:
        if (entity.kind, entity.key) in keys:
            found.setdefault((entity.kind, entity.key), entity)
    return found


def blocking_keys(entity: Entity) -> list[str]:
    """Short keys that put an entity beside the ones it may be, prefixed by kind."""
    if entity.kind == EntityKind.PERSON:
        keys = people.blocking_keys(_person(entity))
    elif entity.kind == EntityKind.LOCATION:
        # Address keys start with the postcode's two parts ("N1 5AB ...", "LE10 4WH ...").
        postcode = normalisers.normalise_postcode(" ".join(entity.key.split()[:2])) or ""
        keys = [postcode] if postcode and postcode != entity.key else []
    else:
        keys = []
    return [f"{entity.kind}:{key}"[:100] for key in keys]


def common_values(keys: set[Key]) -> set[Key]:
    """Of these values, those more than ``ENTITY_COMMON_VALUE_LIMIT`` reports mention."""
    if not keys:
        return set()
    rows = (
        Mention.objects.filter(
            kind__in={kind for kind, _key in keys}, key__in={key for _kind, key in keys}
        )
        .values("kind", "key")
        .annotate(reports=Count("report_id", distinct=True))
        .filter(reports__gt=settings.ENTITY_COMMON_VALUE_LIMIT)
    )
    return {(row["kind"], row["key"]) for row in rows} & keys


def _suggest(entities: list[Entity], blocks: dict[int, list[str]]) -> None:
    """Record, for each new entity, suggestions for the existing entities it most likely is.

    Candidates are older entities with the same key or sharing a block; each is compared
    as the entity it stands for now (its merge survivor).
    """
    if not entities:
        return
    same_key = _older_with_same_key(entities)
    in_blocks = _older_in_blocks(entities, blocks)
    candidates = _candidates(
        {pk for ids in (*same_key.values(), *in_blocks.values()) for pk in ids}
    )
    found = {
        entity.pk: _best_per_key(
            _suggestions(entity, same_key[entity.pk], in_blocks[entity.pk], candidates)
        )
        for entity in entities
    }
    quiet = linkless(
        [
            candidates[suggestion.candidate_id]
            for suggestions in found.values()
            for suggestion in suggestions
        ]
    )
    Match.objects.bulk_create(
        [
            Match(
                entity_id=entity_id,
                candidate_id=suggestion.candidate_id,
                confidence=round(suggestion.confidence, 3),
                reasons=list(suggestion.reasons),
                source=MatchSource.SUBMISSION,
            )
            for entity_id, suggestions in found.items()
            for suggestion in suggestions
            if suggestion.candidate_id not in quiet
        ],
        ignore_conflicts=True,
    )


@dataclass(frozen=True)
class _Candidate:
    """What comparing needs of an existing entity, read as values: at a million entities a
    model instance per candidate cost more than the comparison itself."""

    pk: int
    kind: str
    key: str
    label: str
    date_of_birth: datetime.date | None
    nationality: str
    excluded_at: datetime.datetime | None
    merged_into_id: int | None

    @property
    def is_excluded(self) -> bool:
        return self.excluded_at is not None


_CANDIDATE_FIELDS = [field.name for field in dataclasses.fields(_Candidate)]


def _candidates(ids: set[int]) -> dict[int, _Candidate]:
    """These entities, and the survivors of those that were merged."""
    found = _candidate_rows(ids)
    survivors = {c.merged_into_id for c in found.values() if c.merged_into_id} - found.keys()
    return found | _candidate_rows(survivors)


def _candidate_rows(ids: set[int]) -> dict[int, _Candidate]:
    if not ids:
        return {}
    rows = Entity.objects.filter(pk__in=ids).values_list(*_CANDIDATE_FIELDS)
    return {row[0]: _Candidate(*row) for row in rows}


def _older_with_same_key(entities: list[Entity]) -> dict[int, set[int]]:
    rows = Entity.objects.filter(
        kind__in={entity.kind for entity in entities},
        key__in={entity.key for entity in entities},
    ).values_list("pk", "kind", "key")
    by_key: dict[Key, set[int]] = defaultdict(set)
    for pk, kind, key in rows:
        by_key[kind, key].add(pk)
    return {
        entity.pk: {pk for pk in by_key[entity.kind, entity.key] if pk < entity.pk}
        for entity in entities
    }


def _older_in_blocks(entities: list[Entity], blocks: dict[int, list[str]]) -> dict[int, set[int]]:
    wanted = {block for entity in entities for block in blocks[entity.pk]}
    found: dict[int, set[int]] = defaultdict(set)
    if not wanted:
        return found
    # Read apart, not as a subquery: as one, PostgreSQL took 181 ms at p95 (bench/entities.py)
    # against 52 ms this way.
    small_enough = list(
        EntityBlock.objects.filter(block__in=wanted)
        .values("block")
        .annotate(entities=Count("entity_id"))
        .filter(entities__lte=_BLOCK_CANDIDATES)
        .values_list("block", flat=True)
    )
    members: dict[str, set[int]] = defaultdict(set)
    for block, entity_id in EntityBlock.objects.filter(block__in=small_enough).values_list(
        "block", "entity_id"
    ):
        members[block].add(entity_id)
    for entity in entities:
        for block in blocks[entity.pk]:
            found[entity.pk] |= {pk for pk in members[block] if pk < entity.pk}
    return found


def _suggestions(
    entity: Entity, same_key: set[int], in_blocks: set[int], candidates: dict[int, _Candidate]
) -> list[Suggestion]:
    found: dict[int, Suggestion] = {}
    for pk in same_key:
        root = _root(candidates[pk], candidates)
        found.setdefault(root.pk, _same_key_suggestion(entity, root))
    for pk in in_blocks - same_key:
        root = _root(candidates[pk], candidates)
        if root.pk in found:
            continue
        suggestion = _similar(entity, root)
        if suggestion is not None:
            found[root.pk] = suggestion
    found.pop(entity.pk, None)
    return list(found.values())


def _root(candidate: _Candidate, candidates: dict[int, _Candidate]) -> _Candidate:
    return candidates[candidate.merged_into_id] if candidate.merged_into_id else candidate


def _best_per_key(suggestions: list[Suggestion]) -> list[Suggestion]:
    """One suggestion per distinct key (the best of several "Marek Carter"s, not each of
    them) and at most ``MAX_SUGGESTIONS``, so that suggestions grow with what is new, not
    with how often a name was written before."""
    best: dict[str, Suggestion] = {}
    for suggestion in sorted(suggestions, key=lambda s: (-s.confidence, s.candidate_id)):
        best.setdefault(suggestion.candidate_key, suggestion)
    return list(best.values())[:MAX_SUGGESTIONS]


def _same_key_suggestion(entity: Entity, candidate: _Candidate) -> Suggestion:
    if entity.kind == EntityKind.PERSON:
        comparison = people.compare(_person(entity), _person(candidate))
        return Suggestion(
            candidate.pk,
            candidate.key,
            comparison.confidence,
            (MatchReason.SAME_KEY, *comparison.reasons),
        )
    confidence = _SAME_KEY_CONFIDENCE.get(EntityKind(entity.kind), 0.9)
    return Suggestion(candidate.pk, candidate.key, confidence, (MatchReason.SAME_KEY,))


def _similar(entity: Entity, candidate: _Candidate) -> Suggestion | None:
    if entity.kind == EntityKind.PERSON:
        comparison = people.compare(_person(entity), _person(candidate))
        if comparison.confidence < people.SUGGESTION_THRESHOLD:
            return None
        return Suggestion(
            candidate.pk, candidate.key, comparison.confidence, tuple(comparison.reasons)
        )
    if entity.kind == EntityKind.LOCATION:
        similarity = _token_similarity(entity.key, candidate.key)
        if similarity < _ADDRESS_SIMILARITY:
            return None
        reasons = (MatchReason.POSTCODE_AGREES, MatchReason.ADDRESS_SIMILAR)
        return Suggestion(candidate.pk, candidate.key, round(0.5 + similarity * 0.4, 3), reasons)
    return None


def _token_similarity(first: str, second: str) -> float:
    first_tokens, second_tokens = set(first.split()), set(second.split())
    if not first_tokens or not second_tokens:
        return 0.0
    return len(first_tokens & second_tokens) / len(first_tokens | second_tokens)


def _person(entity: Entity | _Candidate) -> people.PersonRecord:
    return people.PersonRecord(
        name=entity.label, date_of_birth=entity.date_of_birth, nationality=entity.nationality
    )


def linkless(roots: Iterable[Entity | _Candidate]) -> set[int]:
    """Of these root entities, those excluded by an analyst or too common to link."""
    roots = list(roots)
    excluded = {root.pk for root in roots if root.is_excluded}
    counts = selectors.report_counts({root.pk for root in roots} - excluded)
    limit = settings.ENTITY_COMMON_VALUE_LIMIT
    return excluded | {entity_id for entity_id, count in counts.items() if count > limit}


def correlate_unresolved() -> int:
    """Resolve every mention still without an entity (bulk imports, the demo, failures).

    Returns how many mentions were resolved.
    """
    resolved, after = 0, 0
    while True:
        batch = list(
            Mention.objects.filter(entity__isnull=True, pk__gt=after)
            .exclude(key="")
            .order_by("pk")[:_SWEEP_BATCH]
        )
        if not batch:
            return resolved
        after = batch[-1].pk
        try:
            with transaction.atomic():
                resolve(batch)
            resolved += len(batch)
        except Exception:
            # One bad mention must not stop the sweep for good: the rest of its batch is
            # resolved one by one, and it is logged and passed over until fixed.
            logger.exception("Correlation of a batch failed; resolving it mention by mention")
            for mention in batch:
                mention.entity = None
                correlate([mention])
                resolved += mention.entity is not None
