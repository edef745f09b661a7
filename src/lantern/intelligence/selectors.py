"""Reads of intelligence. Every query starts from ``core.access.readable_intelligence``."""

import uuid

from django.db.models import QuerySet
from django.http import Http404, HttpRequest

from lantern.core import access, audit
from lantern.core.models import User
from lantern.intelligence.models import IntelligenceReport

READ_PURPOSE = "reading intelligence"


def readable_reports(user: User) -> QuerySet[IntelligenceReport]:
    """What the user may read, newest first, with what a list shows."""
    return access.readable_intelligence(user).select_related("originating_organisation", "area")


def report_for_reading(user: User, reference: str, *, request: HttpRequest) -> IntelligenceReport:
    """One report, its read audited; ``Http404`` alike for missing and not allowed."""
    report = (
        readable_reports(user)
        .select_related("created_by")
        .prefetch_related("exploitation_types", "indicators", "shared_with")
        .filter(reference=reference)
        .first()
    )
    if report is None:
        raise Http404
    audit.record_read(actor=user, target=report, purpose=READ_PURPOSE, request=request)
    return report


def submitted_report(user: User, submission_key: uuid.UUID) -> IntelligenceReport | None:
    """The report this user already sent with this form, if any (a double submission)."""
    return IntelligenceReport.objects.filter(submission_key=submission_key, created_by=user).first()
