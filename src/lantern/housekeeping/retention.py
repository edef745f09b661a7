"""What the retention schedule makes due: records past their review date, by kind.

A record's review date is when it was made plus its kind's review period (the
``RetentionRule`` rows, which administrators edit), or, once a reviewer kept it, the date
they set (``RetentionDecision``). A record disposed of (``Tombstone``) is never due again.
Intelligence falls under one of four kinds by what it is and what came of it, after the
Management of Police Information groups: a child involved (group 1), acted on (group 2),
graded suspected false or malicious, or any other (group 3); the first that matches
applies. Only kinds marked automatic (drafts nobody sent, expired sessions) are disposed of
without a decision; every other kind waits in the hub's review worklist.
``lantern retention --dry-run`` prints this.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.sessions.models import Session
from django.db.models import Exists, Min, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from lantern.core.models import AuditEvent
from lantern.entities.models import Entity
from lantern.housekeeping.models import (
    RecordKind,
    RecordType,
    RetentionDecision,
    RetentionRule,
    Tombstone,
)
from lantern.intelligence.models import (
    ClosingReason,
    IntelligenceAssessment,
    IntelligenceReport,
    Status,
    StatusChange,
)
from lantern.public.models import PublicReport, ReportPhoto
from lantern.safeguarding.models import PotentialVictim, SupportReferral

# Closed with one of these, intelligence was acted on (MoPI group 2).
ACTED_ON_REASONS = (
    ClosingReason.REFERRED_TO_OPERATION,
    ClosingReason.REFERRED_FOR_SAFEGUARDING,
    ClosingReason.PASSED_ON,
)


def _child() -> Q:
    return Q(child_involved=True)


def _acted_on() -> Q:
    closed_acted_on = StatusChange.objects.filter(
        report=OuterRef("pk"), to_status=Status.CLOSED, reason__in=ACTED_ON_REASONS
    )
    return ~_child() & Q(Exists(closed_acted_on))


def _doubtful() -> Q:
    return (
        ~_child() & ~_acted_on() & Q(intelligence_assessment=IntelligenceAssessment.SUSPECTED_FALSE)
    )


def _other_intelligence() -> Q:
    return (
        ~_child()
        & ~_acted_on()
        & ~Q(intelligence_assessment=IntelligenceAssessment.SUSPECTED_FALSE)
    )


def _intelligence(group: Callable[[], Q]) -> Callable[[], QuerySet]:
    return lambda: IntelligenceReport.objects.filter(group())


# Each kind: its records, and the field that dates them.
_RECORDS: dict[RecordKind, tuple[Callable[[], QuerySet], str]] = {
    RecordKind.PUBLIC_REPORT: (lambda: PublicReport.objects.all(), "submitted_at"),
    RecordKind.PUBLIC_REPORT_PHOTO: (
        lambda: ReportPhoto.objects.filter(report__isnull=False),
        "uploaded_at",
    ),
    RecordKind.DRAFT_PHOTO: (lambda: ReportPhoto.objects.filter(report=None), "uploaded_at"),
    RecordKind.INTELLIGENCE_CHILD: (_intelligence(_child), "created_at"),
    RecordKind.INTELLIGENCE_ACTED_ON: (_intelligence(_acted_on), "created_at"),
    RecordKind.INTELLIGENCE_DOUBTFUL: (_intelligence(_doubtful), "created_at"),
    RecordKind.INTELLIGENCE: (_intelligence(_other_intelligence), "created_at"),
    RecordKind.ENTITY: (lambda: Entity.objects.all(), "created_at"),
    RecordKind.VICTIM: (lambda: PotentialVictim.objects.all(), "created_at"),
    RecordKind.SUPPORT_REFERRAL: (lambda: SupportReferral.objects.all(), "referred_at"),
    RecordKind.AUDIT_LOG: (lambda: AuditEvent.objects.all(), "occurred_at"),
    RecordKind.SESSION: (lambda: Session.objects.all(), "expire_date"),
}

# The kinds reviewed record by record, and the table each one's records are in.
RECORD_TYPES: dict[RecordKind, RecordType] = {
    RecordKind.PUBLIC_REPORT: RecordType.PUBLIC_REPORT,
    RecordKind.INTELLIGENCE_CHILD: RecordType.INTELLIGENCE,
    RecordKind.INTELLIGENCE_ACTED_ON: RecordType.INTELLIGENCE,
    RecordKind.INTELLIGENCE_DOUBTFUL: RecordType.INTELLIGENCE,
    RecordKind.INTELLIGENCE: RecordType.INTELLIGENCE,
    RecordKind.VICTIM: RecordType.VICTIM,
    RecordKind.SUPPORT_REFERRAL: RecordType.SUPPORT_REFERRAL,
    RecordKind.ENTITY: RecordType.ENTITY,
}


def date_field(kind: RecordKind) -> str:
    """The field that dates a kind's records."""
    return _RECORDS[kind][1]


def kind_of(record_type: RecordType, record: object) -> RecordKind:
    """The kind a record falls under now (for intelligence: its group)."""
    kinds = [kind for kind, of_type in RECORD_TYPES.items() if of_type == record_type]
    for kind in kinds:
        if _RECORDS[kind][0]().filter(pk=record.pk).exists():
            return kind
    return kinds[0]


def _with_review(records: QuerySet, record_type: RecordType) -> QuerySet:
    """Records not disposed of, with ``retained_until``: the latest reviewer's date, if any."""
    decisions = RetentionDecision.objects.filter(
        record_type=record_type, object_id=OuterRef("pk")
    ).order_by("-decided_at", "-id")
    disposed = Tombstone.objects.filter(record_type=record_type, object_id=OuterRef("pk"))
    return records.annotate(retained_until=Subquery(decisions.values("retain_until")[:1])).exclude(
        Exists(disposed)
    )


def due_records(rule: RetentionRule, *, now: datetime.datetime | None = None) -> QuerySet:
    """The records of the rule's kind past their review date (sessions: past expiry)."""
    now = now or timezone.now()
    kind = RecordKind(rule.kind)
    records, field = _RECORDS[kind]
    cutoff = now - datetime.timedelta(days=rule.review_after_days)
    record_type = RECORD_TYPES.get(kind)
    if record_type is None:
        return records().filter(**{f"{field}__lt": cutoff})
    return _with_review(records(), record_type).filter(
        Q(retained_until__isnull=True, **{f"{field}__lt": cutoff})
        | Q(retained_until__lte=timezone.localdate(now))
    )


def review_due_on(record: object, kind: RecordKind, rule: RetentionRule) -> datetime.date:
    """When a record is (or was) due for review: a reviewer's date, else made plus period."""
    retained = getattr(record, "retained_until", None)
    if retained is not None:
        return retained
    made = getattr(record, date_field(kind))
    return timezone.localdate(made) + datetime.timedelta(days=rule.review_after_days)


@dataclass(frozen=True)
class Due:
    rule: RetentionRule
    count: int
    oldest: datetime.datetime | None


def due(*, now: datetime.datetime | None = None) -> list[Due]:
    """For each rule of the schedule, how many records are due and the oldest one's date."""
    lines = []
    for rule in RetentionRule.objects.all():
        records = due_records(rule, now=now)
        summary = records.aggregate(oldest=Min(date_field(RecordKind(rule.kind))))
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


RECORD_MODELS = {
    RecordType.PUBLIC_REPORT: PublicReport,
    RecordType.INTELLIGENCE: IntelligenceReport,
    RecordType.VICTIM: PotentialVictim,
    RecordType.SUPPORT_REFERRAL: SupportReferral,
    RecordType.ENTITY: Entity,
}
