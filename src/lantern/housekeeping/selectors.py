"""Every read of background work and of the retention review: the jobs page is for
system administrators only, the review worklist for the hub coordinator only."""

import datetime
from dataclasses import dataclass

from django.db.models import Model, QuerySet
from django.urls import reverse
from django.utils import timezone

from lantern.core import access
from lantern.core.models import User
from lantern.housekeeping import retention
from lantern.housekeeping.models import (
    REVIEWED_KINDS,
    Job,
    RecordKind,
    RecordType,
    RetentionDecision,
    RetentionRule,
    Tombstone,
)


def jobs(user: User) -> QuerySet[Job]:
    """Every background job for a system administrator; none for anyone else."""
    if not access.can_administer(user):
        return Job.objects.none()
    return Job.objects.all()


# The hub's retention review: records due under the schedule, by reference and dates only.

WORKLIST_ROWS = 100


@dataclass(frozen=True)
class DueItem:
    """One record due for review, as the reviewer sees it: no personal data, no content."""

    record_type: RecordType
    record: Model
    kind: RecordKind
    rule: RetentionRule
    reference: str
    made_at: datetime.datetime
    due_on: datetime.date
    last_decision: RetentionDecision | None

    @property
    def link(self) -> str:
        """The record's own page, where its own access rules apply."""
        name, argument = _PAGES[self.record_type]
        return reverse(name, args=[getattr(self.record, argument)])

    @property
    def review_link(self) -> str:
        return reverse("housekeeping:review", args=[self.record_type.value, self.record.pk])


_PAGES = {
    RecordType.PUBLIC_REPORT: ("public:report_detail", "reference"),
    RecordType.INTELLIGENCE: ("intelligence:report_detail", "reference"),
    RecordType.VICTIM: ("safeguarding:victim", "reference"),
    RecordType.SUPPORT_REFERRAL: ("safeguarding:support_referral", "pk"),
    RecordType.ENTITY: ("entities:entity", "pk"),
}


def reference_of(record_type: RecordType, record: Model) -> str:
    """How a record is named in the worklist and its tombstone."""
    if record_type == RecordType.SUPPORT_REFERRAL:
        return f"SR-{record.pk}"
    if record_type == RecordType.ENTITY:
        return f"E-{record.pk}"
    return record.reference


def _item(record_type: RecordType, record: Model, kind: RecordKind, rule: RetentionRule) -> DueItem:
    last = (
        RetentionDecision.objects.filter(record_type=record_type, object_id=record.pk)
        .select_related("decided_by")
        .first()
    )
    return DueItem(
        record_type=record_type,
        record=record,
        kind=kind,
        rule=rule,
        reference=reference_of(record_type, record),
        made_at=getattr(record, retention.date_field(kind)),
        due_on=retention.review_due_on(record, kind, rule),
        last_decision=last,
    )


@dataclass(frozen=True)
class WorklistSection:
    rule: RetentionRule
    total: int
    items: list[DueItem]


def retention_worklist(
    user: User, *, now: datetime.datetime | None = None
) -> list[WorklistSection]:
    """For each kind reviewed record by record, the records due, oldest first (at most
    ``WORKLIST_ROWS`` each) and how many in all. Only for the hub coordinator."""
    if not access.can_review_retention(user):
        raise access.NotFoundOrNotAllowed
    rules = {rule.kind: rule for rule in RetentionRule.objects.all()}
    sections = []
    for kind in REVIEWED_KINDS:
        rule = rules.get(kind)
        if rule is None:
            continue
        due = retention.due_records(rule, now=now).order_by(retention.date_field(kind), "pk")
        record_type = retention.RECORD_TYPES[kind]
        if record_type == RecordType.SUPPORT_REFERRAL:
            due = due.select_related("victim")
        items = [_item(record_type, record, kind, rule) for record in due[:WORKLIST_ROWS]]
        sections.append(WorklistSection(rule=rule, total=due.count(), items=items))
    return sections


def due_for_review_count(user: User, *, now: datetime.datetime | None = None) -> int:
    """How many records wait for the hub coordinator's review, every kind together."""
    if not access.can_review_retention(user):
        return 0
    rules = RetentionRule.objects.filter(kind__in=REVIEWED_KINDS)
    return sum(retention.due_records(rule, now=now).count() for rule in rules)


def due_item(
    user: User, record_type: RecordType, object_id: int, *, now: datetime.datetime | None = None
) -> DueItem:
    """One record due for review; not found (or not allowed) for anything else."""
    if not access.can_review_retention(user):
        raise access.NotFoundOrNotAllowed
    model = retention.RECORD_MODELS[record_type]
    record = model.objects.filter(pk=object_id).first()
    if record is None:
        raise access.NotFoundOrNotAllowed
    kind = retention.kind_of(record_type, record)
    rule = RetentionRule.objects.filter(kind=kind).first()
    if rule is None:
        raise access.NotFoundOrNotAllowed
    due = retention.due_records(rule, now=now).filter(pk=object_id).first()
    if due is None:
        raise access.NotFoundOrNotAllowed
    return _item(record_type, due, kind, rule)


def was_decided(user: User, record_type: RecordType, object_id: int) -> bool:
    """Whether the hub coordinator already disposed of the record or kept it for now."""
    if not access.can_review_retention(user):
        return False
    named = {"record_type": record_type, "object_id": object_id}
    return (
        Tombstone.objects.filter(**named).exists()
        or RetentionDecision.objects.filter(**named, retain_until__gt=timezone.localdate()).exists()
    )


def tombstones(user: User) -> QuerySet[Tombstone]:
    """What was disposed of, newest first: for the hub coordinator only."""
    if not access.can_review_retention(user):
        return Tombstone.objects.none()
    return Tombstone.objects.select_related("disposed_by")
