"""Reads of intelligence. Every query starts from ``core.access.readable_intelligence``."""

import re
import uuid
from collections.abc import Mapping
from dataclasses import dataclass

from django.db.models import QuerySet
from django.http import Http404, HttpRequest

from lantern.core import access, audit
from lantern.core.models import ExploitationType, User
from lantern.intelligence.models import (
    TRANSITIONS,
    HandlingCode,
    IntelligenceReport,
    Status,
    StatusChange,
)

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


_GSS_CODE = re.compile(r"[ENSW]\d{8}")
_SLUG = re.compile(r"[-a-z0-9_]+")
OPEN_STATUSES = tuple(status for status in Status.values if status != Status.CLOSED)


@dataclass(frozen=True)
class TriageFilters:
    """What the triage queue is narrowed to; values outside the lists are ignored."""

    status: str = ""
    area_code: str = ""
    exploitation_type: str = ""
    handling_code: str = ""
    organisation_id: int | None = None

    @classmethod
    def from_query(cls, query: Mapping[str, str]) -> "TriageFilters":
        status = query.get("status", "")[:20]
        area_code = query.get("area", "")[:9]
        exploitation_type = query.get("type", "")[:50]
        handling_code = query.get("handling_code", "")[:1]
        organisation = query.get("organisation", "")[:12]
        # Only well-formed values reach the database (PostgreSQL refuses a NUL byte).
        return cls(
            status=status if status in OPEN_STATUSES else "",
            area_code=area_code if _GSS_CODE.fullmatch(area_code) else "",
            exploitation_type=exploitation_type if _SLUG.fullmatch(exploitation_type) else "",
            handling_code=handling_code if handling_code in HandlingCode.values else "",
            organisation_id=int(organisation) if organisation.isdecimal() else None,
        )


def triage_queue(user: User, filters: TriageFilters) -> QuerySet[IntelligenceReport]:
    """Open reports the analyst may read, oldest first; empty for anyone who may not triage."""
    if not access.can_triage_intelligence(user):
        return IntelligenceReport.objects.none()
    reports = readable_reports(user).exclude(status=Status.CLOSED)
    if filters.status:
        reports = reports.filter(status=filters.status)
    if filters.area_code:
        reports = reports.filter(area__gss_code=filters.area_code)
    if filters.exploitation_type:
        reports = reports.filter(exploitation_types__code=filters.exploitation_type)
    if filters.handling_code:
        reports = reports.filter(handling_code=filters.handling_code)
    if filters.organisation_id is not None:
        reports = reports.filter(originating_organisation_id=filters.organisation_id)
    return reports.order_by("created_at", "id")


def triage_organisation_choices(user: User) -> list[tuple[int, str]]:
    """The organisations the queue can be filtered by (active partners), as (id, name)."""
    if not access.can_triage_intelligence(user):
        return []
    return list(
        access.visible_partner_organisations(user).order_by("name").values_list("pk", "name")
    )


def exploitation_type_choices() -> list[tuple[str, str]]:
    """Exploitation types as (code, name in the current language) pairs."""
    return [(kind.code, kind.label) for kind in ExploitationType.objects.all()]


def timeline(user: User, report: IntelligenceReport) -> QuerySet[StatusChange]:
    """The report's status changes, newest first, for anyone who may read the report."""
    if not access.readable_intelligence(user).filter(pk=report.pk).exists():
        return StatusChange.objects.none()
    return report.status_changes.select_related("changed_by", "changed_by__organisation")


def next_statuses(user: User, report: IntelligenceReport) -> list[tuple[str, str]]:
    """The statuses this user may move the report to, as choices; none for non-analysts."""
    if not access.can_triage_intelligence(user):
        return []
    return [(str(status), Status(status).label) for status in TRANSITIONS[report.status]]
