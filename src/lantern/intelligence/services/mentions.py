"""What a report mentions: stored with matching keys and linked to entities, on
submission or added later by an analyst."""

from collections.abc import Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from lantern.core import access, audit, normalisers
from lantern.core.audit import AuditContext
from lantern.core.models import User
from lantern.entities import correlation
from lantern.intelligence import rules
from lantern.intelligence.models import (
    MENTIONS_MAX,
    IntelligenceReport,
    Mention,
    mentions_over_limit_message,
)
from lantern.intelligence.submitted import MentionData


def add_mention(
    *,
    report: IntelligenceReport,
    actor: User,
    mention: MentionData,
    context: AuditContext | None = None,
) -> Mention:
    """An analyst records one more person, place or thing the report mentions."""
    if not access.can_triage_intelligence(actor):
        raise PermissionDenied
    if not access.readable_intelligence(actor).filter(pk=report.pk).exists():
        raise PermissionDenied
    rules.check_mentions([mention])
    count = report.mentions.count() + 1
    if count > MENTIONS_MAX:
        raise ValidationError({"mentions": mentions_over_limit_message(count)})
    with transaction.atomic():
        [stored] = add_mentions(report, [mention])
        audit.record(
            action=audit.Action.INTELLIGENCE_MENTION_ADDED,
            actor=actor,
            target=report,
            context=context,
            detail={"kind": mention.kind, "role": mention.role},
        )
    return stored


def add_mentions(report: IntelligenceReport, mentions: Sequence[MentionData]) -> list[Mention]:
    """Store what a report mentions with its matching keys, and link them to the entities
    they are (a failure to link never stops the report being saved); callers check them
    first."""
    stored = Mention.objects.bulk_create(new_mentions(report, mentions))
    correlation.correlate(stored)
    return stored


def distinct_mentions(mentions: Sequence[MentionData]) -> list[MentionData]:
    """The mentions without repeats, in their order: the same name pasted twice (or 3,500
    times) is one mention, stored and correlated once."""
    seen: set[tuple[Any, ...]] = set()
    distinct = []
    for mention in mentions:
        identity = (
            mention.kind,
            mention.role,
            mention.value.strip().casefold(),
            mention.details.strip(),
            mention.date_of_birth,
            mention.nationality.strip().casefold(),
        )
        if identity not in seen:
            seen.add(identity)
            distinct.append(mention)
    return distinct


def _details_with_note(mention: MentionData) -> str:
    """The details given, and what was written around an identifier ("mob" of
    "07700 900 123 (mob)"), so that nothing typed is lost when the key is extracted."""
    note = normalisers.split_identifier(mention.kind, mention.value)[1]
    details = mention.details.strip()
    if note and note not in details:
        details = f"{details}\n{note}" if details else note
    # The column holds 1,000 characters, as the forms allow.
    return details[:1000]


def new_mentions(report: IntelligenceReport, mentions: Sequence[MentionData]) -> list[Mention]:
    """The report's mentions with their matching keys, unsaved (the bulk import saves many);
    repeats are left out."""
    return [
        Mention(
            report=report,
            kind=mention.kind,
            role=mention.role,
            value=mention.value.strip(),
            key=normalisers.mention_key(mention.kind, mention.value),
            details=_details_with_note(mention),
            date_of_birth=mention.date_of_birth,
            nationality=mention.nationality.strip(),
        )
        for mention in distinct_mentions(mentions)
    ]
