"""What a report mentions: stored with matching keys and linked to entities, on
submission or added later by an analyst."""

from collections.abc import Sequence

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from lantern.core import access, audit
from lantern.core.audit import AuditContext
from lantern.core.models import User
from lantern.entities import correlation
from lantern.entities.mentions import MentionData, check_mentions, new_mentions
from lantern.entities.models import MENTIONS_MAX, Mention, mentions_over_limit_message
from lantern.intelligence.models import IntelligenceReport


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
    check_mentions([mention])
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
