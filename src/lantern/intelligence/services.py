"""Every write of intelligence: one function per use case, each in a transaction, audited."""

import datetime
import uuid
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from lantern.core import access, audit, references
from lantern.core import selectors as core_selectors
from lantern.core.models import ExploitationType, Indicator, LocalAuthorityArea, Organisation, User
from lantern.intelligence.models import (
    NOTE_MAX_LENGTH,
    TRANSITIONS,
    ClosingReason,
    HandlingCode,
    IntelligenceAssessment,
    IntelligenceReport,
    Sector,
    SourceEvaluation,
    Status,
    StatusChange,
)


def submit_intelligence(
    *,
    actor: User,
    submission_key: uuid.UUID,
    summary: str,
    narrative: str,
    source_evaluation: str,
    intelligence_assessment: str,
    handling_code: str,
    handling_conditions: str = "",
    shared_with: Iterable[Organisation] = (),
    occurred_on: datetime.date | None = None,
    location: str = "",
    postcode: str = "",
    area: LocalAuthorityArea | None = None,
    exploitation_types: Iterable[ExploitationType] = (),
    child_involved: bool = False,
    indicators: Iterable[Indicator] = (),
    sector: str = "",
    request: HttpRequest | None = None,
) -> IntelligenceReport:
    """Store a partner's intelligence once, and only once, for a submission key.

    A second call with the same key (a double click, a refresh, a retry) returns the
    report the first call stored. ``postcode`` must already be normalised; the area is
    derived from it unless the submitter chose one.
    """
    if not access.can_submit_intelligence(actor):
        raise PermissionDenied
    _check_grading(source_evaluation, intelligence_assessment, handling_code, sector)
    if occurred_on is not None and occurred_on > timezone.localdate():
        raise ValidationError({"occurred_on": _("The date must be today or in the past")})
    if handling_code == HandlingCode.C and not handling_conditions.strip():
        raise ValidationError({"handling_conditions": _("Enter the conditions for sharing")})
    if handling_code == HandlingCode.P:
        handling_conditions, shared_with = "", ()
    fields = {
        "submission_key": submission_key,
        "summary": summary,
        "narrative": narrative,
        "occurred_on": occurred_on,
        "location": location,
        "postcode": postcode,
        "area": area or (core_selectors.area_for_postcode(postcode) if postcode else None),
        "child_involved": child_involved,
        "sector": sector or IntelligenceReport._meta.get_field("sector").default,
        "source_evaluation": source_evaluation,
        "intelligence_assessment": intelligence_assessment,
        "handling_code": handling_code,
        "handling_conditions": handling_conditions.strip(),
        "originating_organisation": actor.organisation,
        "created_by": actor,
        "status": Status.NEW,
    }

    def create(reference: str) -> IntelligenceReport:
        report = IntelligenceReport.objects.create(reference=reference, **fields)
        report.exploitation_types.set(exploitation_types)
        report.indicators.set(indicators)
        report.shared_with.set(shared_with)
        StatusChange.objects.create(
            report=report, to_status=Status.NEW, changed_by=actor, changed_at=report.created_at
        )
        audit.record(
            action=audit.Action.INTELLIGENCE_SUBMITTED,
            actor=actor,
            target=report,
            request=request,
            detail={"grading": report.grading},
        )
        return report

    report, created = references.store_once(
        IntelligenceReport, submission_key=submission_key, create=create
    )
    # The same form sent again returns its report, to the person who sent it only.
    if not created and report.created_by_id != actor.pk:
        raise PermissionDenied
    return report


def change_status(
    *,
    report: IntelligenceReport,
    user: User,
    to_status: str,
    reason: str = "",
    note: str = "",
    request: HttpRequest | None = None,
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
        # Read the status under a lock, so two analysts cannot both move the same step.
        current = (
            access.readable_intelligence(user)
            .select_for_update()
            .filter(pk=report.pk)
            .values_list("status", flat=True)
            .first()
        )
        if current is None:
            raise PermissionDenied
        if to_status not in TRANSITIONS.get(current, ()):
            raise ValidationError(
                {"to_status": _("Select a status this report can move to from the list")}
            )
        if to_status == Status.CLOSED:
            if reason not in ClosingReason.values:
                raise ValidationError({"reason": _("Select a reason for closing the report")})
        else:
            reason = ""
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
            request=request,
            detail={"from": current, "to": to_status, "reason": reason},
        )
    return change


def _check_grading(
    source_evaluation: str, intelligence_assessment: str, handling_code: str, sector: str
) -> None:
    """Refuse, by field, any value outside the 3x5x2 scheme or the list of sectors."""
    errors = {}
    if source_evaluation not in SourceEvaluation.values:
        errors["source_evaluation"] = _("Select a source evaluation of 1, 2 or 3")
    if intelligence_assessment not in IntelligenceAssessment.values:
        errors["intelligence_assessment"] = _("Select an intelligence assessment from A to E")
    if handling_code not in HandlingCode.values:
        errors["handling_code"] = _("Select handling code P or C")
    if sector and sector not in Sector.values:
        errors["sector"] = _("Select a sector from the list")
    if errors:
        raise ValidationError(errors)
