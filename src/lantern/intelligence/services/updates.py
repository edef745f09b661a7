"""Updates from the organisation that submitted a report (addenda on its timeline)."""

import uuid

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from lantern.core import access, audit, references
from lantern.core.audit import AuditContext
from lantern.core.models import User
from lantern.intelligence import rules
from lantern.intelligence.models import UPDATE_MAX_LENGTH, IntelligenceReport, ReportUpdate


def add_update(
    *,
    report: IntelligenceReport,
    user: User,
    submission_key: uuid.UUID,
    text: str,
    context: AuditContext | None = None,
) -> ReportUpdate:
    """An update from the organisation that submitted the report: added to its timeline,
    never changing what was sent, so the hub's grading and triage stand on the original.
    Once per submission key (a double click adds one update)."""
    if not access.can_add_report_update(user, report):
        raise PermissionDenied
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Enter the update")})
    rules.check_text("text", text, UPDATE_MAX_LENGTH)

    def create() -> ReportUpdate:
        update = ReportUpdate.objects.create(
            report=report, submission_key=submission_key, text=text, created_by=user
        )
        audit.record(
            action=audit.Action.INTELLIGENCE_UPDATE_ADDED,
            actor=user,
            target=report,
            context=context,
            detail={"update": update.pk},
        )
        return update

    return references.store_unreferenced_once(
        ReportUpdate,
        submission_key=submission_key,
        create=create,
        sent_by=user,
        sender_field="created_by",
    )
