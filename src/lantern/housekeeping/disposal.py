"""The hub's review decisions: keep a record due for review (with a reason and a new review
date), or dispose of it, leaving a tombstone.

Disposal empties the record of personal data and content, in place: the row stays, with
its reference, dates and the categories statistics count (area, types of exploitation,
status, grading, outcome), so that counts, links from other records and the audit chain
stay whole; photos are removed from storage; the ``Tombstone`` says what it was, when it
was made and disposed of, who decided and under which rule. Both decisions are audited.
Only the hub coordinator reviews (``access.can_review_retention``), and only records due
(``selectors.due_item``); a decision sent twice is made once.
"""

import datetime
import logging

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lantern.core import access, audit
from lantern.core.audit import AuditContext
from lantern.entities.models import Entity
from lantern.housekeeping import selectors
from lantern.housekeeping.models import RecordType, RetentionDecision, Tombstone
from lantern.intelligence.models import (
    IntelligenceReport,
    Regrading,
    ReportUpdate,
    StatusChange,
    Tasking,
)
from lantern.public.models import PublicReport
from lantern.safeguarding.models import PotentialVictim, SupportReferral

logger = logging.getLogger(__name__)

REASON_MAX_LENGTH = 2000
# A reviewer keeps a record for at most this long before it is reviewed again.
LONGEST_RETENTION = datetime.timedelta(days=10 * 365 + 3)


def _reason(reason: str, *, required: bool) -> str:
    reason = reason.strip()
    if required and not reason:
        raise ValidationError({"reason": _("Enter why the record is kept")})
    if len(reason) > REASON_MAX_LENGTH:
        raise ValidationError(
            {
                "reason": _("The reason must be %(limit)s characters or fewer")
                % {"limit": REASON_MAX_LENGTH}
            }
        )
    return reason


def retain(
    *,
    record_type: RecordType,
    object_id: int,
    reason: str,
    retain_until: datetime.date,
    context: AuditContext,
) -> RetentionDecision:
    """Keep a record due for review until ``retain_until``, for ``reason``; audited.

    The same decision sent twice (same record, same review) is recorded once.
    """
    item = selectors.due_item(context.actor, record_type, object_id)
    reason = _reason(reason, required=True)
    today = timezone.localdate()
    if retain_until <= today:
        raise ValidationError({"retain_until": _("The next review must be after today")})
    if retain_until > today + LONGEST_RETENTION:
        raise ValidationError(
            {"retain_until": _("The next review must be within ten years from today")}
        )
    existing = RetentionDecision.objects.filter(
        record_type=record_type, object_id=object_id, review_due_on=item.due_on
    ).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            decision = RetentionDecision.objects.create(
                record_type=record_type,
                object_id=object_id,
                kind=item.kind,
                review_due_on=item.due_on,
                reason=reason,
                retain_until=retain_until,
                decided_by=context.actor,
            )
            audit.record(
                action=audit.Action.RECORD_RETAINED,
                target=item.record,
                context=context,
                detail={
                    "kind": item.kind.value,
                    "review_due_on": item.due_on.isoformat(),
                    "retain_until": retain_until.isoformat(),
                },
            )
    except IntegrityError:  # the same decision, sent twice at once
        return RetentionDecision.objects.get(
            record_type=record_type, object_id=object_id, review_due_on=item.due_on
        )
    return decision


def dispose(
    *, record_type: RecordType, object_id: int, reason: str, context: AuditContext
) -> Tombstone:
    """Empty a record due for review of personal data and content; leave its tombstone.

    Disposing of a record already disposed of returns its tombstone and changes nothing.
    """
    if not access.can_review_retention(context.actor):
        raise access.NotFoundOrNotAllowed
    existing = Tombstone.objects.filter(record_type=record_type, object_id=object_id).first()
    if existing is not None:
        return existing
    item = selectors.due_item(context.actor, record_type, object_id)
    reason = _reason(reason, required=False)
    if record_type == RecordType.ENTITY:
        _refuse_entity_still_mentioned(item.record)
    files = _remove_files(record_type, item.record)
    try:
        with transaction.atomic():
            _EMPTY[record_type](item.record)
            tombstone = Tombstone.objects.create(
                record_type=record_type,
                object_id=object_id,
                reference=item.reference,
                kind=item.kind,
                review_after_days=item.rule.review_after_days,
                made_at=item.made_at,
                review_due_on=item.due_on,
                disposed_by=context.actor,
                reason=reason,
                files_removed=files,
            )
            audit.record(
                action=audit.Action.RECORD_DISPOSED,
                target=item.record,
                context=context,
                detail={
                    "kind": item.kind.value,
                    "reference": item.reference,
                    "review_after_days": item.rule.review_after_days,
                    "files_removed": files,
                },
            )
    except IntegrityError:  # disposed of by the same decision sent twice at once
        return Tombstone.objects.get(record_type=record_type, object_id=object_id)
    return tombstone


def _refuse_entity_still_mentioned(entity: Entity) -> None:
    mentions = entity.mentions.count()
    if mentions:
        raise ValidationError(
            {
                "decision": _(
                    "Intelligence still kept mentions this entity (%(count)s mentions): "
                    "review that intelligence first, or keep the entity"
                )
                % {"count": mentions}
            }
        )


def _remove_files(record_type: RecordType, record: object) -> int:
    """Remove a report's photos from storage first: a file left behind would outlive the
    decision; a row left behind says its file is gone, and is removed with the rest."""
    if record_type != RecordType.PUBLIC_REPORT:
        return 0
    removed = 0
    for photo in record.photos.all():
        photo.file.delete(save=False)
        removed += 1
    return removed


def _empty_public_report(report: PublicReport) -> None:
    report.photos.all().delete()
    report.additions.all().delete()
    PublicReport.objects.filter(pk=report.pk).update(
        what_happened="",
        location="",
        postcode="",
        when="",
        people="",
        vehicles="",
        vehicle_registrations=[],
        phone_numbers=[],
        business_name="",
        consent_to_contact=False,
        contact_name="",
        contact_email="",
        contact_phone="",
    )


def _empty_intelligence(report: IntelligenceReport) -> None:
    # The handling code and its conditions stay: they still decide who sees the rest.
    report.mentions.all().delete()
    ReportUpdate.objects.filter(report=report).delete()
    Tasking.objects.filter(report=report).update(request="", response="")
    StatusChange.objects.filter(report=report).update(note="")
    Regrading.objects.filter(report=report).update(reason="")
    IntelligenceReport.objects.filter(pk=report.pk).update(
        summary="", narrative="", location="", postcode="", assessment=""
    )


def _empty_victim(victim: PotentialVictim) -> None:
    victim.name = victim.date_of_birth = victim.contact = victim.address = None
    victim.immigration_status = None
    victim.languages = ""
    victim.entity = None  # the person as intelligence names them
    personal = ["name", "date_of_birth", "contact", "address", "immigration_status"]
    victim.save(update_fields=[*personal, "languages", "entity"])


def _empty_support_referral(referral: SupportReferral) -> None:
    SupportReferral.objects.filter(pk=referral.pk).update(
        request="", shared_details={}, consent_override_reason="", decline_reason=""
    )


def _empty_entity(entity: Entity) -> None:
    entity.blocks.all().delete()
    # A key no value normalises to: nothing is linked to it again.
    Entity.objects.filter(pk=entity.pk).update(
        key=f"disposed:{entity.pk}",
        label="",
        date_of_birth=None,
        nationality="",
        exclusion_reason="",
    )


_EMPTY = {
    RecordType.PUBLIC_REPORT: _empty_public_report,
    RecordType.INTELLIGENCE: _empty_intelligence,
    RecordType.VICTIM: _empty_victim,
    RecordType.SUPPORT_REFERRAL: _empty_support_referral,
    RecordType.ENTITY: _empty_entity,
}
