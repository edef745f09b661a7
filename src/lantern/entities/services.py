"""Analysts' decisions on entities: confirm or reject a match, undo a merge, exclude a value.

Each decision is audited and made in one transaction. A merge points the absorbed entity,
and everything it had absorbed, at the survivor; the match remembers which entities it
moved, so undoing it puts exactly those back.
"""

import logging

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lantern.core import access, audit
from lantern.core.audit import AuditContext
from lantern.core.models import User
from lantern.entities.models import (
    OPEN_MATCH_STATUSES,
    Entity,
    Match,
    MatchStatus,
)

logger = logging.getLogger(__name__)

EXCLUSION_REASON_MAX_LENGTH = 300


def _check_analyst(actor: User) -> None:
    if not access.can_triage_intelligence(actor):
        raise PermissionDenied


def confirm_match(*, match: Match, actor: User, context: AuditContext | None = None) -> Match:
    """Merge the suggested entity into the existing one; both keep every source mention."""
    _check_analyst(actor)
    with transaction.atomic():
        match = Match.objects.select_for_update().get(pk=match.pk)
        if match.status not in OPEN_MATCH_STATUSES:
            return match
        entity = Entity.objects.select_related("merged_into").get(pk=match.entity_id)
        candidate = Entity.objects.select_related("merged_into").get(pk=match.candidate_id)
        absorbed = entity.merged_into or entity
        survivor = candidate.merged_into or candidate
        if absorbed.kind != survivor.kind:
            raise ValidationError(_("Entities of different kinds cannot be merged"))
        moved: list[int] = []
        if absorbed.pk != survivor.pk:
            # Both roots locked, in one order, so that two merges at once cannot leave an
            # entity pointing at one that was itself merged meanwhile.
            roots = Entity.objects.select_for_update().filter(pk__in=[absorbed.pk, survivor.pk])
            if any(root.merged_into_id for root in roots.order_by("pk")):
                raise ValidationError(_("One of these entities was merged meanwhile: try again"))
            moved = [absorbed.pk, *absorbed.absorbed.values_list("pk", flat=True)]
            Entity.objects.filter(pk__in=moved).update(merged_into=survivor)
        match.status = MatchStatus.CONFIRMED
        match.decided_by, match.decided_at = actor, timezone.now()
        match.merged_entities = {"survivor": survivor.pk, "moved": moved}
        match.save(update_fields=["status", "decided_by", "decided_at", "merged_entities"])
        audit.record(
            action=audit.Action.ENTITY_MATCH_CONFIRMED,
            actor=actor,
            target=survivor,
            context=context,
            detail={"match": match.pk, "merged": moved},
        )
    return match


def reject_match(*, match: Match, actor: User, context: AuditContext | None = None) -> Match:
    """The analyst says these are not the same; the suggestion is not made again."""
    _check_analyst(actor)
    with transaction.atomic():
        match = Match.objects.select_for_update().get(pk=match.pk)
        if match.status not in OPEN_MATCH_STATUSES:
            return match
        match.status = MatchStatus.REJECTED
        match.decided_by, match.decided_at = actor, timezone.now()
        match.save(update_fields=["status", "decided_by", "decided_at"])
        audit.record(
            action=audit.Action.ENTITY_MATCH_REJECTED,
            actor=actor,
            target=match.candidate,
            context=context,
            detail={"match": match.pk},
        )
    return match


def mark_not_sure(*, match: Match, actor: User, context: AuditContext | None = None) -> Match:
    """The analyst cannot tell yet: the suggestion stays open (confirmable or rejectable
    later) but leaves the queue's "next suggestion", so that a sitting moves on."""
    _check_analyst(actor)
    with transaction.atomic():
        match = Match.objects.select_for_update().get(pk=match.pk)
        if match.status != MatchStatus.SUGGESTED:
            return match
        match.status = MatchStatus.NOT_SURE
        match.decided_by, match.decided_at = actor, timezone.now()
        match.save(update_fields=["status", "decided_by", "decided_at"])
        audit.record(
            action=audit.Action.ENTITY_MATCH_NOT_SURE,
            actor=actor,
            target=match.candidate,
            context=context,
            detail={"match": match.pk},
        )
    return match


def undo_merge(*, match: Match, actor: User, context: AuditContext | None = None) -> Match:
    """Separate again what a confirmation merged.

    Refused once the survivor has itself been merged into another entity: undo that later
    merge first, so that no entity is left pointing at the wrong one.
    """
    _check_analyst(actor)
    with transaction.atomic():
        match = Match.objects.select_for_update().get(pk=match.pk)
        if match.status != MatchStatus.CONFIRMED:
            return match
        merge = match.merged_entities
        if merge and merge["moved"]:
            if Entity.objects.filter(pk=merge["survivor"], merged_into__isnull=False).exists():
                raise ValidationError(
                    _("This entity was merged again since: undo the later merge first")
                )
            absorbed_id, *others = merge["moved"]
            Entity.objects.filter(pk=absorbed_id).update(merged_into=None)
            Entity.objects.filter(pk__in=others).update(merged_into=absorbed_id)
        match.status = MatchStatus.UNDONE
        match.decided_by, match.decided_at = actor, timezone.now()
        match.save(update_fields=["status", "decided_by", "decided_at"])
        audit.record(
            action=audit.Action.ENTITY_MERGE_UNDONE,
            actor=actor,
            target=match.candidate,
            context=context,
            detail={"match": match.pk, "separated": (merge or {}).get("moved", [])},
        )
    return match


def exclude_entity(
    *, entity: Entity, actor: User, reason: str, context: AuditContext | None = None
) -> Entity:
    """Put a value too common to mean anything on the exclusion list: it links nothing more."""
    _check_analyst(actor)
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Enter why this value should not link reports")})
    if len(reason) > EXCLUSION_REASON_MAX_LENGTH:
        raise ValidationError(
            {
                "reason": _("Shorten the reason to %(limit)s characters or fewer")
                % {"limit": EXCLUSION_REASON_MAX_LENGTH}
            }
        )
    with transaction.atomic():
        entity = Entity.objects.select_for_update().get(pk=entity.root_id)
        entity.excluded_at, entity.excluded_by = timezone.now(), actor
        entity.exclusion_reason = reason
        entity.save(update_fields=["excluded_at", "excluded_by", "exclusion_reason"])
        audit.record(
            action=audit.Action.ENTITY_EXCLUDED,
            actor=actor,
            target=entity,
            context=context,
            detail={"reason": reason},
        )
    return entity


def include_entity(*, entity: Entity, actor: User, context: AuditContext | None = None) -> Entity:
    """Take an entity off the exclusion list."""
    _check_analyst(actor)
    with transaction.atomic():
        entity = Entity.objects.select_for_update().get(pk=entity.root_id)
        entity.excluded_at, entity.excluded_by, entity.exclusion_reason = None, None, ""
        entity.save(update_fields=["excluded_at", "excluded_by", "exclusion_reason"])
        audit.record(
            action=audit.Action.ENTITY_INCLUDED, actor=actor, target=entity, context=context
        )
    return entity
