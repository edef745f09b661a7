"""The analysts' triage of a report: its status on the workflow, their assessment and
its grading, each a timeline entry or audited change."""

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from lantern.core import access, audit
from lantern.core.audit import AuditContext
from lantern.core.models import Organisation, User
from lantern.intelligence import rules
from lantern.intelligence.models import (
    NARRATIVE_MAX_LENGTH,
    NOTE_MAX_LENGTH,
    HandlingCode,
    IntelligenceReport,
    Regrading,
    Status,
    StatusChange,
)


def change_status(
    *,
    report: IntelligenceReport,
    user: User,
    to_status: Status,
    reason: str = "",
    note: str = "",
    context: AuditContext | None = None,
) -> StatusChange:
    """Move a report along the triage workflow and add the step to its timeline.

    Only the moves in ``TRANSITIONS`` are allowed; closing needs a reason. Anything else
    is refused with a ``ValidationError`` naming the field, and nothing changes.
    """
    if not access.can_triage_intelligence(user):
        raise PermissionDenied
    note = note.strip()
    if len(note) > NOTE_MAX_LENGTH:
        message = _("The note must be %(limit)s characters or fewer")
        raise ValidationError({"note": message % {"limit": NOTE_MAX_LENGTH}})
    with transaction.atomic():
        return move_status(
            report=report, user=user, to_status=to_status, reason=reason, note=note, context=context
        )


def move_status(
    *,
    report: IntelligenceReport,
    user: User,
    to_status: Status,
    reason: str = "",
    note: str = "",
    context: AuditContext | None = None,
) -> StatusChange:
    """Make one move of ``TRANSITIONS`` and record it, in the caller's transaction.

    Shared by the analyst's status changes and the moves a tasking makes (tasked,
    actioned); the caller has decided that ``user`` may make the move.
    """
    current = locked_status(report, user)
    reason = rules.check_transition(current, to_status, reason)
    change = StatusChange.objects.create(
        report=report,
        from_status=current,
        to_status=to_status,
        reason=reason,
        note=note,
        changed_by=user,
    )
    IntelligenceReport.objects.filter(pk=report.pk).update(status=to_status)
    report.status = to_status
    audit.record(
        action=audit.Action.INTELLIGENCE_STATUS_CHANGED,
        actor=user,
        target=report,
        context=context,
        detail={"from": current, "to": to_status, "reason": reason},
    )
    return change


def locked_status(report: IntelligenceReport, user: User) -> str:
    """The report's status, its row locked until the transaction ends.

    The lock keeps two people from making the same move at once (two analysts, or two
    agencies answering the last taskings). ``PermissionDenied`` if the user may not read it.
    """
    current = (
        access.readable_intelligence(user)
        .select_for_update()
        .filter(pk=report.pk)
        .values_list("status", flat=True)
        .first()
    )
    if current is None:
        raise PermissionDenied
    return current


def record_assessment(
    *,
    report: IntelligenceReport,
    user: User,
    assessment: str,
    context: AuditContext | None = None,
) -> IntelligenceReport:
    """Write or rewrite the analyst's assessment of a report.

    The assessment is one text the analysts keep up to date as they learn more, so a new
    version replaces the old one; the audit log keeps who wrote it and when.
    """
    if not access.can_triage_intelligence(user):
        raise PermissionDenied
    assessment = assessment.strip()
    if not assessment:
        raise ValidationError({"assessment": _("Enter your assessment")})
    rules.check_text("assessment", assessment, NARRATIVE_MAX_LENGTH)
    with transaction.atomic():
        locked_status(report, user)
        IntelligenceReport.objects.filter(pk=report.pk).update(assessment=assessment)
        report.assessment = assessment
        audit.record(
            action=audit.Action.INTELLIGENCE_ASSESSED,
            actor=user,
            target=report,
            context=context,
            detail={"characters": len(assessment)},
        )
    return report


def regrade(
    *,
    report: IntelligenceReport,
    user: User,
    source_evaluation: str,
    intelligence_assessment: str,
    handling_code: str,
    reason: str,
    handling_conditions: str = "",
    shared_with: Iterable[Organisation] = (),
    context: AuditContext | None = None,
) -> Regrading:
    """Change a report's 3x5x2 grading, with the analyst's reason, as a timeline entry.

    The rules of submission apply: values within the scheme, conditions stated for C, and
    only active partners named in them; P drops the conditions, since P is shared with
    every partner. A sanitised version stays P (it exists to be shared widely). A
    regrading that changes nothing is refused, so the timeline shows only real changes.
    """
    if not access.can_triage_intelligence(user):
        raise PermissionDenied
    rules.check_grading(source_evaluation, intelligence_assessment, handling_code, sector="")
    handling_conditions = handling_conditions.strip()
    shared_with = list(shared_with)
    if handling_code == HandlingCode.C and not handling_conditions:
        message = _("Enter the handling conditions: they are required for handling code C")
        raise ValidationError({"handling_conditions": message})
    if handling_code == HandlingCode.P:
        handling_conditions, shared_with = "", []
    if handling_code == HandlingCode.C and report.sanitised_from_id is not None:
        message = _("A sanitised version is shared with every partner: it keeps handling code P")
        raise ValidationError({"handling_code": message})
    rules.check_text("handling_conditions", handling_conditions, 2000)
    if any(not organisation.has_shared_data_access for organisation in shared_with):
        message = _("Select organisations from the list of active partners")
        raise ValidationError({"shared_with": message})
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Enter the reason for the new grading")})
    rules.check_text("reason", reason, NOTE_MAX_LENGTH)
    with transaction.atomic():
        locked_status(report, user)
        report.refresh_from_db()
        previous = report.grading
        shared_before = set(report.shared_with.values_list("pk", flat=True))
        shared_after = {organisation.pk for organisation in shared_with}
        report.source_evaluation = source_evaluation
        report.intelligence_assessment = intelligence_assessment
        report.handling_code = handling_code
        unchanged = (
            report.grading == previous
            and report.handling_conditions == handling_conditions
            and shared_before == shared_after
        )
        if unchanged:
            message = _("Change the grading, the conditions or the organisations named in them")
            raise ValidationError({"source_evaluation": message})
        report.handling_conditions = handling_conditions
        report.save(
            update_fields=[
                "source_evaluation",
                "intelligence_assessment",
                "handling_code",
                "handling_conditions",
            ]
        )
        report.shared_with.set(shared_with)
        regrading = Regrading.objects.create(
            report=report,
            previous_grading=previous,
            grading=report.grading,
            reason=reason,
            changed_by=user,
        )
        audit.record(
            action=audit.Action.INTELLIGENCE_REGRADED,
            actor=user,
            target=report,
            context=context,
            detail={
                "from": previous,
                "to": report.grading,
                "shared_with": sorted(shared_after),
            },
        )
    return regrading
