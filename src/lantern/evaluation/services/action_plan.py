"""Every write of the action plan: one function per use case, each in a transaction, audited.

Each function asks the access policy itself (``can_manage_action_plan`` to shape the plan,
``can_update_action`` to report progress), so a script or a future API changes nothing its
caller may not. Invalid input is refused as a whole with a ``ValidationError`` naming the
field; every change leaves an entry on the action's timeline (``ActionUpdate``) and in the
audit log, neither of which holds the text typed, only what changed.
"""

import datetime
import re
import uuid

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lantern.core import access, audit, references
from lantern.core.audit import AuditContext
from lantern.core.models import Organisation, User
from lantern.evaluation import evidence as evidence_rules
from lantern.evaluation.models.action_plan import (
    RAG_NEEDING_REASON,
    TEXT_MAX_LENGTH,
    Action,
    ActionStatus,
    ActionUpdate,
    Evidence,
    Objective,
    Pillar,
    Rag,
    UpdateKind,
)

# The Modern Slavery Act 2015 is where the plan's duties start: an earlier date is a typo.
EARLIEST_DUE = datetime.date(2015, 1, 1)
# A partnership plans a few years ahead; a due date further off is a mistyped year.
PLANNING_HORIZON_YEARS = 10
# NUL and lone surrogates: no database stores them, no keyboard types them.
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
# What an edit by the coordinator may change, in the order the timeline lists it.
EDITABLE_FIELDS = ("objective", "title", "description", "owner", "lead_name", "lead_user", "due_on")


def create_objective(
    *,
    actor: User,
    submission_key: uuid.UUID,
    pillar: str,
    title: str,
    description: str = "",
    context: AuditContext | None = None,
) -> Objective:
    """An objective under one of the four Ps, once per submission key."""
    if not access.can_manage_action_plan(actor):
        raise PermissionDenied
    fields = _objective_fields(pillar=pillar, title=title, description=description)

    def create() -> Objective:
        objective = Objective.objects.create(
            submission_key=submission_key, created_by=actor, **fields
        )
        audit.record(
            action=audit.Action.OBJECTIVE_CREATED,
            actor=actor,
            target=objective,
            context=context,
            detail={"pillar": objective.pillar},
        )
        return objective

    return references.store_unreferenced_once(
        Objective,
        submission_key=submission_key,
        create=create,
        sent_by=actor,
        sender_field="created_by",
    )


def change_objective(
    *,
    objective: Objective,
    actor: User,
    pillar: str,
    title: str,
    description: str = "",
    context: AuditContext | None = None,
) -> Objective:
    """Reword an objective or move it to another P."""
    if not access.can_manage_action_plan(actor):
        raise PermissionDenied
    fields = _objective_fields(pillar=pillar, title=title, description=description)
    with transaction.atomic():
        locked = Objective.objects.select_for_update().get(pk=objective.pk)
        changed = [name for name, value in fields.items() if getattr(locked, name) != value]
        if changed:
            for name, value in fields.items():
                setattr(locked, name, value)
            locked.save()
            audit.record(
                action=audit.Action.OBJECTIVE_CHANGED,
                actor=actor,
                target=locked,
                context=context,
                detail={"changed": changed},
            )
    return locked


def create_action(
    *,
    actor: User,
    submission_key: uuid.UUID,
    objective: Objective,
    title: str,
    owner: Organisation,
    due_on: datetime.date,
    description: str = "",
    lead_name: str = "",
    lead_user: User | None = None,
    context: AuditContext | None = None,
) -> Action:
    """An action under an objective, owned by a partner, once per submission key.

    It starts not started and green; its owner reports progress from then on.
    """
    if not access.can_manage_action_plan(actor):
        raise PermissionDenied
    fields = _action_fields(
        objective=objective,
        title=title,
        description=description,
        owner=owner,
        lead_name=lead_name,
        lead_user=lead_user,
        due_on=due_on,
    )

    def create(reference: str) -> Action:
        action = Action.objects.create(
            reference=reference, submission_key=submission_key, created_by=actor, **fields
        )
        ActionUpdate.objects.create(
            action=action,
            kind=UpdateKind.CREATED,
            to_status=action.status,
            to_rag=action.rag,
            recorded_by=actor,
        )
        audit.record(
            action=audit.Action.ACTION_CREATED,
            actor=actor,
            target=action,
            context=context,
            detail={"owner": owner.pk, "objective": objective.pk, "due_on": due_on.isoformat()},
        )
        return action

    action, _created = references.store_once(
        Action, submission_key=submission_key, create=create, sent_by=actor
    )
    return action


def change_action(
    *,
    action: Action,
    actor: User,
    objective: Objective,
    title: str,
    owner: Organisation,
    due_on: datetime.date,
    description: str = "",
    lead_name: str = "",
    lead_user: User | None = None,
    context: AuditContext | None = None,
) -> Action:
    """The coordinator rewords, reassigns or reschedules an action; the timeline says what."""
    if not access.can_manage_action_plan(actor):
        raise PermissionDenied
    fields = _action_fields(
        objective=objective,
        title=title,
        description=description,
        owner=owner,
        lead_name=lead_name,
        lead_user=lead_user,
        due_on=due_on,
    )
    with transaction.atomic():
        locked = Action.objects.select_for_update().get(pk=action.pk)
        changed = [name for name in EDITABLE_FIELDS if getattr(locked, name) != fields[name]]
        if not changed:
            return locked
        for name in changed:
            setattr(locked, name, fields[name])
        locked.save()
        ActionUpdate.objects.create(
            action=locked, kind=UpdateKind.EDITED, changed_fields=changed, recorded_by=actor
        )
        audit.record(
            action=audit.Action.ACTION_CHANGED,
            actor=actor,
            target=locked,
            context=context,
            detail={"changed": changed},
        )
    return locked


def update_progress(
    *,
    action: Action,
    actor: User,
    submission_key: uuid.UUID,
    status: str,
    rag: str,
    rag_reason: str = "",
    note: str = "",
    context: AuditContext | None = None,
) -> ActionUpdate:
    """The owner's progress report: status, RAG status (with its reason when amber or red)
    and what happened, as one timeline entry, once per submission key."""
    if not access.can_update_action(actor, action.owner_id):
        raise PermissionDenied
    if status not in ActionStatus.values:
        raise ValidationError({"status": _("Select the action’s status from the list")})
    if rag not in Rag.values:
        raise ValidationError({"rag": _("Select a RAG status from the list")})
    rag_reason = _optional("rag_reason", rag_reason, limit=1000)
    note = _optional("note", note)
    if rag in RAG_NEEDING_REASON and not rag_reason:
        raise ValidationError({"rag_reason": _("Say why the action is amber or red")})

    def create() -> ActionUpdate:
        locked = Action.objects.select_for_update().get(pk=action.pk)
        if not (note or status != locked.status or rag != locked.rag):
            message = _("Write a progress update, or change the status or the RAG status")
            raise ValidationError({"note": message})
        update = ActionUpdate.objects.create(
            action=locked,
            submission_key=submission_key,
            kind=UpdateKind.PROGRESS,
            note=note,
            from_status=locked.status,
            to_status=status,
            from_rag=locked.rag,
            to_rag=rag,
            rag_reason=rag_reason if rag in RAG_NEEDING_REASON else "",
            recorded_by=actor,
        )
        if status == ActionStatus.COMPLETE and locked.status != ActionStatus.COMPLETE:
            locked.completed_on = timezone.localdate()
        elif status != ActionStatus.COMPLETE:
            locked.completed_on = None
        locked.status = status
        locked.rag = rag
        # The reason explains the current RAG status: green needs none.
        locked.rag_reason = rag_reason if rag in RAG_NEEDING_REASON else ""
        locked.save()
        audit.record(
            action=audit.Action.ACTION_PROGRESS_UPDATED,
            actor=actor,
            target=locked,
            context=context,
            detail={
                "update": update.pk,
                "status": [update.from_status, status],
                "rag": [update.from_rag, rag],
            },
        )
        return update

    return references.store_unreferenced_once(
        ActionUpdate,
        submission_key=submission_key,
        create=create,
        sent_by=actor,
        sender_field="recorded_by",
    )


def link_evidence(
    *,
    action: Action,
    actor: User,
    submission_key: uuid.UUID,
    kind: str,
    reference: str,
    description: str = "",
    context: AuditContext | None = None,
) -> Evidence:
    """Link a Lantern record that shows the action's progress (checked to exist and to be
    readable by the person linking it), once per submission key."""
    if not access.can_update_action(actor, action.owner_id):
        raise PermissionDenied
    reference = evidence_rules.check(actor, kind, reference)
    description = _optional("description", description, limit=300)

    def create() -> Evidence:
        locked = Action.objects.select_for_update().get(pk=action.pk)
        if locked.evidence.filter(kind=kind, reference=reference).exists():
            raise ValidationError({"reference": _("This evidence is already linked")})
        linked = Evidence.objects.create(
            action=locked,
            submission_key=submission_key,
            kind=kind,
            reference=reference,
            description=description,
            added_by=actor,
        )
        ActionUpdate.objects.create(
            action=locked, kind=UpdateKind.EVIDENCE, evidence=linked, recorded_by=actor
        )
        audit.record(
            action=audit.Action.ACTION_EVIDENCE_LINKED,
            actor=actor,
            target=locked,
            context=context,
            detail={"evidence": linked.pk, "kind": kind, "reference": reference},
        )
        return linked

    return references.store_unreferenced_once(
        Evidence,
        submission_key=submission_key,
        create=create,
        sent_by=actor,
        sender_field="added_by",
    )


def _objective_fields(*, pillar: str, title: str, description: str) -> dict[str, str]:
    if pillar not in Pillar.values:
        raise ValidationError({"pillar": _("Select Pursue, Prevent, Protect or Prepare")})
    return {
        "pillar": pillar,
        "title": _required("title", title, _("Enter the objective"), limit=200),
        "description": _optional("description", description),
    }


def _action_fields(
    *,
    objective: Objective,
    title: str,
    description: str,
    owner: Organisation,
    lead_name: str,
    lead_user: User | None,
    due_on: datetime.date,
) -> dict[str, object]:
    if not owner.has_shared_data_access:
        message = _("Select an owner from the list of active partners")
        raise ValidationError({"owner": message})
    if lead_user is not None and (lead_user.organisation_id != owner.pk or not lead_user.is_active):
        message = _("Select a lead who works for the owner organisation, or name one instead")
        raise ValidationError({"lead_user": message})
    # The end of a year, not today's date moved on: 29 February has no twin ten years on.
    latest = datetime.date(timezone.localdate().year + PLANNING_HORIZON_YEARS, 12, 31)
    if not EARLIEST_DUE <= due_on <= latest:
        message = _("Enter a due date between 2015 and %(year)s") % {"year": latest.year}
        raise ValidationError({"due_on": message})
    return {
        "objective": objective,
        "title": _required("title", title, _("Enter the action"), limit=200),
        "description": _optional("description", description),
        "owner": owner,
        "lead_name": _optional("lead_name", lead_name, limit=200),
        "lead_user": lead_user,
        "due_on": due_on,
    }


def _required(field: str, value: str, message: str, *, limit: int = TEXT_MAX_LENGTH) -> str:
    value = _optional(field, value, limit=limit)
    if not value:
        raise ValidationError({field: message})
    return value


def _optional(field: str, value: str, *, limit: int = TEXT_MAX_LENGTH) -> str:
    value = (value or "").strip()
    if _UNSTORABLE.search(value):
        raise ValidationError({field: _("Remove the characters that cannot be stored")})
    if len(value) > limit:
        message = _("Write %(limit)s characters or fewer") % {"limit": limit}
        raise ValidationError({field: message})
    return value
