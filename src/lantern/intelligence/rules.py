"""The rules of intelligence, one function per rule: what a report may hold, how it moves
along the triage workflow, and who may do what to it.

Forms call them to tell the person at the keyboard what is wrong; services call them
again before writing, so that no path (a form, the API, the import, a script) stores what
the rules do not allow. Each refusal is a ``ValidationError`` keyed by the field it is
about; the "may" questions answer what pages offer, and services ask them again.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from lantern.core import access
from lantern.core.models import User
from lantern.intelligence.models import (
    TRANSITIONS,
    ClosingReason,
    HandlingCode,
    IntelligenceAssessment,
    IntelligenceReport,
    Sector,
    SourceEvaluation,
    Status,
)

# The statuses in which a report can be tasked (see ``services.tasking.task_agencies``).
TASKABLE_STATUSES = (Status.UNDER_ASSESSMENT, Status.TASKED, Status.ACTIONED)


def check_transition(current: str, to_status: Status, reason: str) -> str:
    """The closing reason kept for a move of ``TRANSITIONS`` (none unless closing); any
    other move, or closing without a reason from the list, is refused by field."""
    if not TRANSITIONS.allows(current, to_status):
        raise ValidationError(
            {"to_status": _("Select a status this report can move to from the list")}
        )
    if to_status == Status.CLOSED:
        if reason not in ClosingReason.values:
            raise ValidationError({"reason": _("Select a reason for closing the report")})
        return reason
    return ""


def next_statuses(user: User, report: IntelligenceReport) -> list[tuple[str, str]]:
    """The statuses this user may move the report to, as choices; none for non-analysts."""
    if not access.can_triage_intelligence(user):
        return []
    return TRANSITIONS.choices_from(report.status)


def can_add_mentions(user: User) -> bool:
    """Analysts add the people, places and things a report mentions (issue 4)."""
    return access.can_triage_intelligence(user)


def can_task(user: User, report: IntelligenceReport) -> bool:
    """Whether the analyst is offered to task agencies on this report (see
    ``services.tasking.task_agencies``)."""
    return access.can_triage_intelligence(user) and report.status in TASKABLE_STATUSES


def check_grading(
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


def check_text(field: str, value: str, limit: int) -> None:
    """Refuse text that is too long or holds a NUL (PostgreSQL cannot store one), by field."""
    if len(value) > limit:
        message = _("Enter %(limit)s characters or fewer") % {"limit": limit}
        raise ValidationError({field: message})
    if "\x00" in value:
        message = _("Remove the unreadable characters. Type or paste plain text only.")
        raise ValidationError({field: message})
