"""Every write of a joint operation: one function per use case, each in a transaction, audited.

Each function checks the access policy itself (``can_plan_operations`` to plan,
``can_run_operation`` for everything after), so no path — a view, a script, a future API —
changes an operation its caller may not run. Invalid input is refused as a whole with a
``ValidationError`` naming the field; nothing is half-saved.
"""

import datetime
import re
import uuid
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from lantern.core import access, audit, references
from lantern.core.access import NotFoundOrNotAllowed
from lantern.core.models import LocalAuthorityArea, Organisation, User
from lantern.core.roles import Role
from lantern.entities.selectors import entity_for_reading
from lantern.intelligence.models import IntelligenceReport
from lantern.operations.models import (
    TEXT_MAX_LENGTH,
    TRANSITIONS,
    Disruption,
    EnforcementKind,
    Operation,
    OperationStatus,
    Participant,
    StatusChange,
    Target,
)

_REFERENCE = re.compile(r"[A-Z0-9-]{1,12}")
# The Modern Slavery Act 2015 created the offences and the duties these operations act on:
# an operation before 2015 is a mistyped year, not a record to keep.
EARLIEST_START = datetime.datetime(2015, 1, 1, tzinfo=timezone.get_default_timezone())
# Operations are planned for the months ahead; a start further off is a mistyped year.
PLANNING_HORIZON_YEARS = 2
LONGEST_OPERATION = datetime.timedelta(days=31)


def plan_operation(
    *,
    actor: User,
    submission_key: uuid.UUID,
    name: str,
    objective: str,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    risk_assessment: str,
    lead_role: str,
    lead_organisation: Organisation | None = None,
    area: LocalAuthorityArea | None = None,
    briefing_notes: str = "",
    method: str = "",
    rendezvous_point: str = "",
    administration: str = "",
    command_roles: str = "",
    communications: str = "",
    interpreters: str = "",
    reception_centre: str = "",
    support_on_standby: str = "",
    request: HttpRequest | None = None,
) -> Operation:
    """Plan an operation once per submission key; its lead agency takes part from the start.

    The lead agency is the planner's organisation; only a hub coordinator plans on another
    agency's behalf. A second call with the same key returns the first call's operation.
    """
    if not access.can_plan_operations(actor):
        raise PermissionDenied
    lead_organisation = lead_organisation or actor.organisation
    if lead_organisation != actor.organisation and not access.has_role(actor, Role.HUB_COORDINATOR):
        raise ValidationError({"lead_organisation": _("Only a hub coordinator chooses the lead")})
    if not lead_organisation.has_shared_data_access:
        message = _("Select a lead agency from the list of active partners")
        raise ValidationError({"lead_organisation": message})
    fields = {
        "name": _required("name", name, _("Enter the operational name"), limit=100),
        "objective": _required("objective", objective, _("Enter the objective")),
        "risk_assessment": _required(
            "risk_assessment", risk_assessment, _("Enter the risk assessment")
        ),
        "briefing_notes": _optional("briefing_notes", briefing_notes),
        "method": _optional("method", method),
        "rendezvous_point": _optional("rendezvous_point", rendezvous_point, limit=300),
        "administration": _optional("administration", administration),
        "command_roles": _optional("command_roles", command_roles),
        "communications": _optional("communications", communications),
        "interpreters": _optional("interpreters", interpreters, limit=500),
        "reception_centre": _optional("reception_centre", reception_centre, limit=500),
        "support_on_standby": _optional("support_on_standby", support_on_standby),
    }
    lead_role = _required("lead_role", lead_role, _("Enter the lead agency’s role"), limit=200)
    _check_window(starts_at, ends_at)

    def create(reference: str) -> Operation:
        operation = Operation.objects.create(
            reference=reference,
            submission_key=submission_key,
            lead_organisation=lead_organisation,
            area=area,
            starts_at=starts_at,
            ends_at=ends_at,
            created_by=actor,
            **fields,
        )
        Participant.objects.create(
            operation=operation, organisation=lead_organisation, role=lead_role, added_by=actor
        )
        StatusChange.objects.create(
            operation=operation, to_status=OperationStatus.PLANNED, changed_by=actor
        )
        audit.record(
            action=audit.Action.OPERATION_PLANNED,
            actor=actor,
            target=operation,
            request=request,
            detail={"lead_organisation": lead_organisation.pk},
        )
        return operation

    operation, _created = references.store_once(
        Operation, submission_key=submission_key, create=create, sent_by=actor
    )
    return operation


def add_participant(
    *,
    operation: Operation,
    actor: User,
    organisation: Organisation,
    role: str,
    request: HttpRequest | None = None,
) -> Participant:
    """An agency joins the operation, and from this moment its users see the plan."""
    role = _required("role", role, _("Enter the agency’s role in the operation"), limit=200)
    if not organisation.has_shared_data_access:
        message = _("Select an agency from the list of active partners")
        raise ValidationError({"organisation": message})
    with transaction.atomic():
        locked = _locked_for_planning(operation, actor)
        if locked.participants.filter(organisation=organisation).exists():
            message = _("%(organisation)s already takes part in this operation")
            raise ValidationError({"organisation": message % {"organisation": organisation}})
        participant = Participant.objects.create(
            operation=locked, organisation=organisation, role=role, added_by=actor
        )
        audit.record(
            action=audit.Action.OPERATION_PARTICIPANT_ADDED,
            actor=actor,
            target=locked,
            request=request,
            detail={"organisation": organisation.pk, "role": role},
        )
    return participant


def add_target(
    *,
    operation: Operation,
    actor: User,
    entity_id: int,
    description: str,
    justification: Iterable[str],
    request: HttpRequest | None = None,
) -> Target:
    """A hub entity the operation acts on, justified by intelligence the planner may read.

    ``justification`` holds report references. An entity or a report the planner may not
    read is refused with the same message as a missing one: the form reveals nothing.
    """
    description = _required(
        "description", description, _("Enter a description for participants"), limit=300
    )
    try:
        entity = entity_for_reading(actor, entity_id)
    except NotFoundOrNotAllowed:
        message = _("Enter the number of a hub entity you may read")
        raise ValidationError({"entity": message}) from None
    reports = _readable_reports(actor, justification, field="justification")
    if not reports:
        message = _("Enter the reference of at least one intelligence report that justifies it")
        raise ValidationError({"justification": message})
    with transaction.atomic():
        locked = _locked_for_planning(operation, actor)
        if locked.targets.filter(entity_id=entity.root_id).exists():
            raise ValidationError({"entity": _("This entity is already a target")})
        target = Target.objects.create(
            operation=locked, entity_id=entity.root_id, description=description
        )
        target.justification.set(reports)
        audit.record(
            action=audit.Action.OPERATION_TARGET_ADDED,
            actor=actor,
            target=locked,
            request=request,
            detail={
                "target": target.pk,
                "entity": entity.root_id,
                "justification": [report.reference for report in reports],
            },
        )
    return target


def move(
    *,
    operation: Operation,
    actor: User,
    to_status: str,
    reason: str = "",
    request: HttpRequest | None = None,
) -> StatusChange:
    """Move the operation one step along ``TRANSITIONS``; anything else is refused.

    Cancelling needs a reason; briefing needs a target to brief on; going live records
    when. Going live before the planned start is bringing the operation forward: it needs
    a reason, kept on the status history and in the audit log, so that an early start is
    a decision someone can answer for rather than a slip. The row is locked so that two
    people cannot make two moves from one status.
    """
    reason = _optional("reason", reason)
    with transaction.atomic():
        locked = _locked(operation, actor)
        current = locked.status
        if to_status not in TRANSITIONS.get(current, ()):
            message = _("An operation that is %(current)s cannot move to %(next)s") % {
                "current": OperationStatus(current).label.lower(),
                "next": _status_label(to_status),
            }
            raise ValidationError({"to_status": message})
        if to_status == OperationStatus.CANCELLED and not reason:
            raise ValidationError({"reason": _("Enter the reason for cancelling")})
        if to_status == OperationStatus.BRIEFED and not locked.targets.exists():
            raise ValidationError({"to_status": _("Add a target before the briefing")})
        brought_forward = to_status == OperationStatus.LIVE and timezone.now() < locked.starts_at
        if brought_forward and not reason:
            message = _(
                "The operation is planned to start on %(date)s: to go live before then, "
                "enter the reason for bringing it forward"
            ) % {"date": formats.date_format(timezone.localtime(locked.starts_at), "j F Y H:i")}
            raise ValidationError({"reason": message})
        if to_status != OperationStatus.CANCELLED and not brought_forward:
            reason = ""
        changes = {"status": to_status}
        if to_status == OperationStatus.LIVE:
            changes["went_live_at"] = timezone.now()
        Operation.objects.filter(pk=locked.pk).update(**changes)
        for field, value in changes.items():
            setattr(operation, field, value)
        change = StatusChange.objects.create(
            operation=locked,
            from_status=current,
            to_status=to_status,
            reason=reason,
            changed_by=actor,
        )
        audit.record(
            action=audit.Action.OPERATION_STATUS_CHANGED,
            actor=actor,
            target=locked,
            request=request,
            detail={
                "from": current,
                "to": to_status,
                "reason": reason,
                "brought_forward": brought_forward,
            },
        )
    return change


def debrief_target(
    *,
    target: Target,
    actor: User,
    visited: bool,
    people_spoken_to: int,
    arrests: int,
    charges: int,
    warrants_executed: int,
    closure_orders: int,
    items_seized: int,
    disruptions: Iterable[str] = (),
    outcome_notes: str = "",
    request: HttpRequest | None = None,
) -> Target:
    """Record what happened at one target. The operation's totals add these up.

    Sent again, it replaces the target's outcomes (a correction), never adds to them.
    """
    counts = {
        "people_spoken_to": people_spoken_to,
        "arrests": arrests,
        "charges": charges,
        "warrants_executed": warrants_executed,
        "closure_orders": closure_orders,
        "items_seized": items_seized,
    }
    for field, value in counts.items():
        if value < 0:
            raise ValidationError({field: _("Enter a number, 0 or more")})
    kinds = list(dict.fromkeys(disruptions))
    if any(kind not in EnforcementKind.values for kind in kinds):
        raise ValidationError({"disruptions": _("Select kinds of enforcement from the list")})
    outcome_notes = _optional("outcome_notes", outcome_notes)
    with transaction.atomic():
        operation = _locked(target.operation, actor)
        _check_debrief_open(operation)
        Target.objects.filter(pk=target.pk, operation=operation).update(
            visited=visited, outcome_notes=outcome_notes, **counts
        )
        target.disruptions.exclude(kind__in=kinds).delete()
        for kind in kinds:
            Disruption.objects.get_or_create(target=target, kind=kind)
        audit.record(
            action=audit.Action.OPERATION_DEBRIEFED,
            actor=actor,
            target=operation,
            request=request,
            detail={"target": target.pk, **counts, "visited": visited, "disruptions": kinds},
        )
    target.refresh_from_db()
    return target


def record_debrief_notes(
    *, operation: Operation, actor: User, notes: str, request: HttpRequest | None = None
) -> Operation:
    """What the debrief concluded for the operation as a whole."""
    notes = _optional("notes", notes)
    with transaction.atomic():
        locked = _locked(operation, actor)
        _check_debrief_open(locked)
        Operation.objects.filter(pk=locked.pk).update(debrief_notes=notes)
        operation.debrief_notes = notes
        audit.record(
            action=audit.Action.OPERATION_DEBRIEFED,
            actor=actor,
            target=locked,
            request=request,
            detail={"notes": True},
        )
    return operation


def link_intelligence(
    *,
    operation: Operation,
    actor: User,
    references: Iterable[str],
    request: HttpRequest | None = None,
) -> list[IntelligenceReport]:
    """Link the new intelligence the operation generated, by report reference.

    Only reports the user may read can be linked; linking one twice changes nothing.
    """
    reports = _readable_reports(actor, references, field="references")
    if not reports:
        raise ValidationError({"references": _("Enter the reference of at least one report")})
    with transaction.atomic():
        locked = _locked(operation, actor)
        _check_debrief_open(locked)
        locked.intelligence_generated.add(*reports)
        audit.record(
            action=audit.Action.OPERATION_CHANGED,
            actor=actor,
            target=locked,
            request=request,
            detail={"intelligence_linked": [report.reference for report in reports]},
        )
    return reports


def _readable_reports(user: User, given: Iterable[str], *, field: str) -> list[IntelligenceReport]:
    """The reports these references name, in the order given, all readable by the user.

    A reference the user may not read is refused exactly like one that does not exist.
    """
    wanted = list(dict.fromkeys(reference.strip().upper() for reference in given))
    wanted = [reference for reference in wanted if reference]
    # Only what could be a reference reaches the query (PostgreSQL refuses a NUL byte).
    plausible = [reference for reference in wanted if _REFERENCE.fullmatch(reference)]
    found = {
        report.reference: report
        for report in access.readable_intelligence(user).filter(reference__in=plausible)
    }
    unknown = [reference for reference in wanted if reference not in found]
    if unknown:
        message = _("No report you may read has the reference %(references)s")
        raise ValidationError({field: message % {"references": ", ".join(unknown)}})
    return [found[reference] for reference in wanted]


def _locked(operation: Operation, actor: User) -> Operation:
    """The operation with its row locked, if the actor may run it; ``PermissionDenied`` else."""
    locked = access.readable_operations(actor).select_for_update().filter(pk=operation.pk).first()
    if locked is None or not access.can_run_operation(actor, locked):
        raise PermissionDenied
    return locked


def _locked_for_planning(operation: Operation, actor: User) -> Operation:
    locked = _locked(operation, actor)
    if not locked.plan_is_open:
        message = _("The plan of an operation that is %(status)s cannot change")
        raise ValidationError(message % {"status": locked.get_status_display().lower()})
    return locked


def _check_debrief_open(operation: Operation) -> None:
    if operation.status == OperationStatus.CLOSED:
        raise ValidationError(_("A closed operation’s debrief cannot change"))
    if not operation.can_be_debriefed:
        raise ValidationError(_("Only an operation that went live can be debriefed"))


def _check_window(starts_at: datetime.datetime | None, ends_at: datetime.datetime | None) -> None:
    """A window a real operation could have: a mistyped year is refused, not planned."""
    if starts_at is None:
        raise ValidationError({"starts_at": _("Enter when the operation starts")})
    if ends_at is None:
        raise ValidationError({"ends_at": _("Enter when the operation ends")})
    if starts_at < EARLIEST_START:
        message = _("The start must be on or after %(date)s") % {
            "date": formats.date_format(EARLIEST_START.date(), "j F Y")
        }
        raise ValidationError({"starts_at": message})
    latest = _years_after(timezone.localdate(), PLANNING_HORIZON_YEARS)
    # Compared as instants: converting a year-9999 date to local time can overflow.
    if starts_at > timezone.make_aware(datetime.datetime.combine(latest, datetime.time.max)):
        message = _("The start must be on or before %(date)s, 2 years from today") % {
            "date": formats.date_format(latest, "j F Y")
        }
        raise ValidationError({"starts_at": message})
    if ends_at <= starts_at:
        raise ValidationError({"ends_at": _("The end must be after the start")})
    if ends_at - starts_at > LONGEST_OPERATION:
        message = _("An operation lasts at most 31 days: plan a longer one as several operations")
        raise ValidationError({"ends_at": message})


def _years_after(day: datetime.date, years: int) -> datetime.date:
    """The same date ``years`` later; 29 February becomes 28 February in a common year."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def _required(field: str, value: str, message: str, *, limit: int = TEXT_MAX_LENGTH) -> str:
    value = _optional(field, value, limit=limit)
    if not value:
        raise ValidationError({field: message})
    return value


def _optional(field: str, value: str, *, limit: int = TEXT_MAX_LENGTH) -> str:
    """Text trimmed; refused by field if too long or holding a NUL (PostgreSQL refuses it)."""
    value = (value or "").strip()
    if len(value) > limit:
        message = _("Enter %(limit)s characters or fewer") % {"limit": limit}
        raise ValidationError({field: message})
    if "\x00" in value:
        raise ValidationError({field: _("Remove the invisible characters from the text")})
    return value


def _status_label(status: str) -> str:
    return (
        OperationStatus(status).label.lower()
        if status in OperationStatus.values
        else _("an unknown status")
    )
