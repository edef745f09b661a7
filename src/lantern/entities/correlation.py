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

A report's mentions are resolved together, in about a dozen statements whatever their
number: a count of common values, one read of the entities with their keys, one insert of
the new entities, one of their blocks, two reads of the blocks' members, a count of the
candidates' reports, one insert of the suggestions and one update of the mentions. The
reads are SQL (``entities.lookups``) and the writes ``core.bulk``'s: at a million entities,
assembling ORM queries cost more than running them (ADR 0015).

What is not evidence (a helpline, "unknown": ``entities.evidence``) suggests nothing, nor
does an entity an analyst excluded; a phone, email or place that more than
``ENTITY_COMMON_VALUE_LIMIT`` reports mention stops suggesting too (the fan-out cap), but
frequency never holds back a registration, a person, a business or a bank account.
"""

import datetime
import logging
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from django.conf import settings
from django.db import IntegrityError, transaction

from lantern.core import normalisers
from lantern.core.bulk import insert_all, insert_returning, update_all
from lantern.entities import evidence, lookups, matching, people
from lantern.entities.lookups import Key
from lantern.entities.models import (
    Entity,
    EntityBlock,
    EntityKind,
    Match,
    MatchReason,
    MatchSource,
    Mention,
    is_identifier,
)

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


@dataclass(frozen=True)
class Suggestion:
    candidate_id: int
    candidate_key: str
    confidence: float
    reasons: tuple[str, ...]


class _Candidate(NamedTuple):
    """What comparing needs of an existing entity, read as values (a tuple, not a model
    instance): a new person meets hundreds of candidates in its blocks."""

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
    identified: dict[Key, Mention] = {}
    others: list[Mention] = []
    for mention in mentions:
        if is_identifier(mention.kind, mention.key):
            identified.setdefault((mention.kind, mention.key), mention)
        else:
            others.append(mention)
    # Counted first: a name too common to link ("unknown") suggests nothing, so its
    # thousands of namesakes are never read.
    common = common_values({(mention.kind, mention.key) for mention in others})
    existing = _entities_with_keys(
        identified.keys() | {(mention.kind, mention.key) for mention in others} - common
    )
    by_key, created = _create_entities(identified, others, existing)
    for mention in mentions:
        if (mention.kind, mention.key) in identified:
            mention.entity_id = by_key[mention.kind, mention.key]
    for mention, entity in zip(others, created, strict=True):
        mention.entity = entity
    # Linked first, so that each new person's matching record holds what its report says
    # with it (``matching``), as a later batch run will read it.
    update_all(mentions, ["entity"])
    records = matching.person_matching_records(
        [entity.pk for entity in created if entity.kind == EntityKind.PERSON]
    )
    blocks = {entity.pk: blocking_keys(entity, records.get(entity.pk)) for entity in created}
    insert_all([EntityBlock(entity=new, block=key) for new in created for key in blocks[new.pk]])
    _suggest(
        [entity for entity in created if (entity.kind, entity.key) not in common],
        blocks,
        existing,
        records,
    )


def _create_entities(
    identified: dict[Key, Mention], others: list[Mention], existing: dict[Key, list[_Candidate]]
) -> tuple[dict[Key, int], list[Entity]]:
    """The entity id of each identifier (created where none has its key yet), and a new
    entity for each of the other mentions, in one insert."""
    by_key = {key: existing[key][0].pk for key in identified if key in existing}
    try:
        return _insert_entities(identified, others, by_key)
    except IntegrityError:
        # A concurrent request created one of these identifiers first: the database keeps
        # one entity per identifier, so that one is read and used instead. (Two entities
        # for one address in such a race are suggested as a match the next time the
        # address is mentioned.)
        created_meanwhile = _entities_with_keys(set(identified) - by_key.keys())
        by_key |= {key: found[0].pk for key, found in created_meanwhile.items()}
        return _insert_entities(identified, others, by_key)


def _insert_entities(
    identified: dict[Key, Mention], others: list[Mention], by_key: dict[Key, int]
) -> tuple[dict[Key, int], list[Entity]]:
    missing = [key for key in identified if key not in by_key]
    new = [Entity(kind=kind, key=key, label=identified[kind, key].value) for kind, key in missing]
    new += [
        Entity(
            kind=mention.kind,
            key=mention.key,
            label=mention.value,
            date_of_birth=mention.date_of_birth,
            nationality=mention.nationality,
        )
        for mention in others
    ]
    with transaction.atomic():
        insert_returning(new)
    identifiers = {(entity.kind, entity.key): entity.pk for entity in new[: len(missing)]}
    return by_key | identifiers, new[len(missing) :]


def _entities_with_keys(keys: Iterable[Key]) -> dict[Key, list[_Candidate]]:
    """The existing entities with each of these keys, oldest first, read as values: both
    the entity of an identifier and the candidates of a name written the same way."""
    keys = set(keys)
    if not keys:
        return {}
    found: dict[Key, list[_Candidate]] = defaultdict(list)
    for row in lookups.entities_with_keys(keys):
        candidate = _Candidate._make(row)
        if (candidate.kind, candidate.key) in keys:
            found[candidate.kind, candidate.key].append(candidate)
    return dict(found)


def blocking_keys(entity: Entity, record: matching.PersonMatchingRecord | None = None) -> list[str]:
    """Short keys that put an entity beside the ones it may be, prefixed by kind; a
    person's from its matching ``record`` when given (its co-mentioned postcode too)."""
    if entity.kind == EntityKind.PERSON:
        keys = people.blocking_keys(
            matching.person_record(record) if record is not None else _person(entity)
        )
    elif entity.kind == EntityKind.LOCATION:
        # Address keys start with the postcode's two parts ("N1 5AB ...", "LE10 4WH ...").
        postcode = normalisers.normalise_postcode(" ".join(entity.key.split()[:2])) or ""
        keys = [postcode] if postcode and postcode != entity.key else []
    else:
        keys = []
    return [f"{entity.kind}:{key}"[:100] for key in keys]


def common_values(keys: set[Key]) -> set[Key]:
    """Of these values, those that suggest nothing: known services, and values of the
    kinds frequency caps that more than ``ENTITY_COMMON_VALUE_LIMIT`` reports mention."""
    known = {key for key in keys if evidence.known_service(*key) is not None}
    capped = {key for key in keys - known if evidence.capped_by_frequency(key[0])}
    if not capped:
        return known
    return known | set(lookups.common_values(capped, settings.ENTITY_COMMON_VALUE_LIMIT)) & capped


def _suggest(
    entities: list[Entity],
    blocks: dict[int, list[str]],
    existing: dict[Key, list[_Candidate]],
    records: dict[int, matching.PersonMatchingRecord],
) -> None:
    """Record, for each new entity, suggestions for the existing entities it most likely is.

    Candidates are older entities with the same key (``existing``, or created just before
    in the same batch) or sharing a block; each is compared as the entity it stands for
    now (its merge survivor).
    """
    if not entities:
        return
    candidates = {candidate.pk: candidate for found in existing.values() for candidate in found}
    same_key = _older_with_same_key(entities, existing, candidates)
    in_blocks = _older_in_blocks(entities, blocks, candidates)
    survivors = {c.merged_into_id for c in candidates.values() if c.merged_into_id}
    candidates |= _candidate_rows(survivors - candidates.keys())
    # Every person compared is read as its matching record, as the batch run reads it.
    people_compared = {pk for pk, c in candidates.items() if c.kind == EntityKind.PERSON}
    records = records | matching.person_matching_records(people_compared - records.keys())
    persons = {pk: matching.person_record(record) for pk, record in records.items()}
    found = {
        entity.pk: _best_per_key(
            _suggestions(entity, same_key[entity.pk], in_blocks[entity.pk], candidates, persons)
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
    insert_all(
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
        ]
    )


def _candidate_rows(ids: set[int]) -> dict[int, _Candidate]:
    return {row[0]: _Candidate._make(row) for row in lookups.entities_by_id(ids)}


def _as_candidate(entity: Entity) -> _Candidate:
    fields = ("key", "label", "date_of_birth", "nationality", "excluded_at", "merged_into_id")
    return _Candidate(entity.pk, entity.kind, *(getattr(entity, field) for field in fields))


def _older_with_same_key(
    entities: list[Entity], existing: dict[Key, list[_Candidate]], candidates: dict[int, _Candidate]
) -> dict[int, set[int]]:
    """Each new entity's older namesakes: those read before it was created, and those
    created before it in the same batch (the sweep resolves 500 mentions at once)."""
    by_key: dict[Key, set[int]] = defaultdict(set)
    for key, found in existing.items():
        by_key[key] |= {candidate.pk for candidate in found}
    older: dict[int, set[int]] = {}
    for entity in sorted(entities, key=lambda entity: entity.pk):
        older[entity.pk] = set(by_key[entity.kind, entity.key])
        by_key[entity.kind, entity.key].add(entity.pk)
        candidates[entity.pk] = _as_candidate(entity)
    return older


def _older_in_blocks(
    entities: list[Entity], blocks: dict[int, list[str]], candidates: dict[int, _Candidate]
) -> dict[int, set[int]]:
    """Each new entity's older neighbours in its blocks, read with what comparing needs
    (into ``candidates``); blocks of more than ``_BLOCK_CANDIDATES`` are passed over."""
    wanted = {block for entity in entities for block in blocks[entity.pk]}
    found: dict[int, set[int]] = defaultdict(set)
    if not wanted:
        return found
    members: dict[str, set[int]] = defaultdict(set)
    for block, entity_id in lookups.block_members(wanted, _BLOCK_CANDIDATES):
        members[block].add(entity_id)
    candidates |= _candidate_rows(set().union(*members.values()) - candidates.keys())
    for entity in entities:
        for block in blocks[entity.pk]:
            found[entity.pk] |= {pk for pk in members[block] if pk < entity.pk}
    return found


def _suggestions(
    entity: Entity,
    same_key: set[int],
    in_blocks: set[int],
    candidates: dict[int, _Candidate],
    persons: dict[int, people.PersonRecord],
) -> list[Suggestion]:
    person = persons.get(entity.pk) if entity.kind == EntityKind.PERSON else None
    found: dict[int, Suggestion] = {}
    for pk in same_key:
        root = _root(candidates[pk], candidates)
        found.setdefault(root.pk, _same_key_suggestion(entity, person, root, persons))
    for pk in in_blocks - same_key:
        root = _root(candidates[pk], candidates)
        if root.pk in found:
            continue
        suggestion = _similar(entity, person, root, persons)
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


def _same_key_suggestion(
    entity: Entity,
    person: people.PersonRecord | None,
    candidate: _Candidate,
    persons: dict[int, people.PersonRecord],
) -> Suggestion:
    if person is not None:
        comparison = people.compare(person, persons.get(candidate.pk) or _person(candidate))
        return Suggestion(
            candidate.pk,
            candidate.key,
            comparison.confidence,
            (MatchReason.SAME_KEY, *comparison.reasons),
        )
    confidence = _SAME_KEY_CONFIDENCE.get(EntityKind(entity.kind), 0.9)
    return Suggestion(candidate.pk, candidate.key, confidence, (MatchReason.SAME_KEY,))


def _similar(
    entity: Entity,
    person: people.PersonRecord | None,
    candidate: _Candidate,
    persons: dict[int, people.PersonRecord],
) -> Suggestion | None:
    """A suggestion that ``entity`` (``person``, if a person) is ``candidate``, if likely."""
    if person is not None:
        comparison = people.suggestion(person, persons.get(candidate.pk) or _person(candidate))
        if comparison is None:
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
    """Of these root entities, those no suggestion should point at: not evidence (excluded
    by an analyst, or a known service), or a frequent phone, email or place."""
    roots = list(roots)
    quiet = {
        root.pk
        for root in roots
        if root.is_excluded or evidence.known_service(root.kind, root.key) is not None
    }
    capped = {root.pk for root in roots if evidence.capped_by_frequency(root.kind)} - quiet
    counts = lookups.report_counts(capped)
    limit = settings.ENTITY_COMMON_VALUE_LIMIT
    return quiet | {entity_id for entity_id, count in counts.items() if count > limit}


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
