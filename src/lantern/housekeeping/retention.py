"""What the retention schedule makes due: records past their review date, by kind.

Each record's review date is when it was made plus its kind's review period (the
``RetentionRule`` rows, which administrators edit). Only kinds marked automatic (drafts
nobody sent, expired sessions) are disposed of without a decision; every other kind is
counted here for the hub's review. ``lantern retention --dry-run`` prints this.
"""

import datetime
from dataclasses import dataclass

from django.contrib.sessions.models import Session
from django.db.models import Min, QuerySet
from django.utils import timezone

from lantern.core.models import AuditEvent
from lantern.entities.models import Entity
from lantern.housekeeping.models import RecordKind, RetentionRule
from lantern.intelligence.models import IntelligenceReport
from lantern.public.models import PublicReport, ReportPhoto
from lantern.safeguarding.models import PotentialVictim, SupportReferral

# Each kind: its records, and the field that dates them.
_RECORDS = {
    RecordKind.PUBLIC_REPORT: (lambda: PublicReport.objects.all(), "submitted_at"),
    RecordKind.PUBLIC_REPORT_PHOTO: (
        lambda: ReportPhoto.objects.filter(report__isnull=False),
        "uploaded_at",
    ),
    RecordKind.DRAFT_PHOTO: (lambda: ReportPhoto.objects.filter(report=None), "uploaded_at"),
    RecordKind.INTELLIGENCE: (lambda: IntelligenceReport.objects.all(), "created_at"),
    RecordKind.ENTITY: (lambda: Entity.objects.all(), "created_at"),
    RecordKind.VICTIM: (lambda: PotentialVictim.objects.all(), "created_at"),
    RecordKind.SUPPORT_REFERRAL: (lambda: SupportReferral.objects.all(), "referred_at"),
    RecordKind.AUDIT_LOG: (lambda: AuditEvent.objects.all(), "occurred_at"),
    RecordKind.SESSION: (lambda: Session.objects.all(), "expire_date"),
}


@dataclass(frozen=True)
class Due:
    rule: RetentionRule
    count: int
    oldest: datetime.datetime | None


def due_records(rule: RetentionRule, *, now: datetime.datetime | None = None) -> QuerySet:
    """The records of the rule's kind past their review date (sessions: past expiry)."""
    now = now or timezone.now()
    records, field = _RECORDS[RecordKind(rule.kind)]
    cutoff = now - datetime.timedelta(days=rule.review_after_days)
    return records().filter(**{f"{field}__lt": cutoff})


def due(*, now: datetime.datetime | None = None) -> list[Due]:
    """For each rule of the schedule, how many records are due and the oldest one's date."""
    lines = []
    for rule in RetentionRule.objects.all():
        records = due_records(rule, now=now)
        _records, field = _RECORDS[RecordKind(rule.kind)]
        summary = records.aggregate(oldest=Min(field))
        lines.append(Due(rule=rule, count=records.count(), oldest=summary["oldest"]))
    return lines


def review_period(kind: RecordKind, default: datetime.timedelta) -> datetime.timedelta:
    """The schedule's period for a kind, or ``default`` if the partnership removed it."""
    rule = RetentionRule.objects.filter(kind=kind).first()
    return datetime.timedelta(days=rule.review_after_days) if rule else default


def is_automatic(kind: RecordKind) -> bool:
    """Whether the schedule disposes of this kind without a decision (yes if unset)."""
    rule = RetentionRule.objects.filter(kind=kind).first()
    return rule.automatic if rule else True
