"""Submitting intelligence: by a partner, from a report from the public, and as a
sanitised version of a restricted report; each stored once per submission key."""

import uuid
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lantern.core import access, audit, references
from lantern.core import selectors as core_selectors
from lantern.core.audit import AuditContext
from lantern.core.models import Organisation, User
from lantern.entities import hits
from lantern.entities.mentions import check_mentions, distinct_mentions
from lantern.entities.models import HitContext
from lantern.intelligence import rules
from lantern.intelligence.models import (
    HandlingCode,
    IntelligenceReport,
    Status,
    StatusChange,
)
from lantern.intelligence.services.mentions import add_mentions
from lantern.intelligence.submitted import ReportFields
from lantern.public.models import PublicReport


def submit_intelligence(
    *,
    actor: User,
    submission_key: uuid.UUID,
    fields: ReportFields,
    public_report: PublicReport | None = None,
    sanitised_from: IntelligenceReport | None = None,
    context: AuditContext | None = None,
) -> IntelligenceReport:
    """Store a partner's intelligence once, and only once, for a submission key.

    A second call with the same key (a double click, a refresh, a retry) returns the
    report the first call stored.
    """
    if not access.can_submit_intelligence(actor):
        raise PermissionDenied
    columns, shared_with = report_columns(actor=actor, submission_key=submission_key, fields=fields)
    mentions = distinct_mentions(fields.mentions)
    check_mentions(mentions)
    columns |= {"public_report": public_report, "sanitised_from": sanitised_from}

    def create(reference: str) -> IntelligenceReport:
        report = IntelligenceReport.objects.create(reference=reference, **columns)
        report.exploitation_types.set(fields.exploitation_types)
        report.indicators.set(fields.indicators)
        report.shared_with.set(shared_with)
        add_mentions(report, mentions)
        StatusChange.objects.create(
            report=report, to_status=Status.NEW, changed_by=actor, changed_at=report.created_at
        )
        audit.record(
            action=audit.Action.INTELLIGENCE_SUBMITTED,
            actor=actor,
            target=report,
            context=context,
            detail={"grading": report.grading},
        )
        # The submitter learns from the report's page that restricted intelligence exists;
        # the hit is recorded here, once, whichever way the report came (page, API, worker).
        hits.report_hits(actor, [report], where=HitContext.SUBMISSION, context=context)
        return report

    report, _created = references.store_once(
        IntelligenceReport, submission_key=submission_key, create=create, sent_by=actor
    )
    return report


def report_columns(
    *, actor: User, submission_key: uuid.UUID, fields: ReportFields
) -> tuple[dict[str, Any], tuple[Organisation, ...]]:
    """A new report's columns and the organisations it names, checked as every submission is.

    One set of rules for the form, the API and the bulk import: grading in the scheme, no
    future date, C with its conditions; P keeps neither conditions nor named organisations.
    The area is the one chosen, else the postcode's (``postcode`` already normalised).
    """
    rules.check_grading(
        fields.source_evaluation,
        fields.intelligence_assessment,
        fields.handling_code,
        fields.sector,
    )
    if fields.occurred_on is not None and fields.occurred_on > timezone.localdate():
        raise ValidationError({"occurred_on": _("The date must be today or in the past")})
    handling_conditions, shared_with = fields.handling_conditions, fields.shared_with
    if fields.handling_code == HandlingCode.C and not handling_conditions.strip():
        raise ValidationError({"handling_conditions": _("Enter the conditions for sharing")})
    if fields.handling_code == HandlingCode.P:
        handling_conditions, shared_with = "", ()
    area = fields.area
    columns = {
        "submission_key": submission_key,
        "summary": fields.summary,
        "narrative": fields.narrative,
        "occurred_on": fields.occurred_on,
        "location": fields.location,
        "postcode": fields.postcode,
        "area_id": area.pk
        if area
        else (core_selectors.area_id_for_postcode(fields.postcode) or None),
        "child_involved": fields.child_involved,
        "sector": fields.sector or IntelligenceReport._meta.get_field("sector").default,
        "source_evaluation": fields.source_evaluation,
        "intelligence_assessment": fields.intelligence_assessment,
        "handling_code": fields.handling_code,
        "handling_conditions": handling_conditions.strip(),
        "originating_organisation": actor.organisation,
        "created_by": actor,
        "status": Status.NEW,
    }
    return columns, shared_with


def convert_public_report(
    *,
    actor: User,
    public_report: PublicReport,
    submission_key: uuid.UUID,
    fields: ReportFields,
    context: AuditContext | None = None,
) -> IntelligenceReport:
    """An analyst turns a report from the public into intelligence, once.

    The intelligence keeps a link to the public report, which keeps the reporter's own
    words; the public report is then under assessment as that intelligence. Converting an
    already converted report is refused, unless it is the same form sent again.
    """
    if not (access.can_triage_intelligence(actor) and access.can_view_public_reports(actor)):
        raise PermissionDenied
    with transaction.atomic():
        locked = PublicReport.objects.select_for_update().get(pk=public_report.pk)
        earlier = _made_once(
            IntelligenceReport.objects.filter(public_report=locked).first(),
            submission_key,
            _("This report from the public is already intelligence %(reference)s"),
        )
        if earlier is not None:
            return earlier
        report = submit_intelligence(
            actor=actor,
            submission_key=submission_key,
            fields=fields,
            public_report=locked,
            context=context,
        )
        PublicReport.objects.filter(pk=locked.pk).update(
            status=PublicReport.Status.UNDER_ASSESSMENT
        )
        audit.record(
            action=audit.Action.INTELLIGENCE_CONVERTED_FROM_PUBLIC,
            actor=actor,
            target=report,
            context=context,
            detail={"public_report": locked.reference},
        )
    return report


def publish_sanitised_version(
    *,
    actor: User,
    original: IntelligenceReport,
    submission_key: uuid.UUID,
    summary: str,
    narrative: str,
    location: str,
    source_evaluation: str,
    intelligence_assessment: str,
    context: AuditContext | None = None,
) -> IntelligenceReport:
    """Share an edited, P-coded version of a C-coded report with every partner, once.

    The analyst's text replaces the original's; what would identify people or places in
    detail (postcode, mentions) is not carried over. The original stays restricted and
    the two are linked (``sanitised_from``).
    """
    if not access.can_triage_intelligence(actor):
        raise PermissionDenied
    with transaction.atomic():
        locked = (
            access.readable_intelligence(actor).select_for_update().filter(pk=original.pk).first()
        )
        if locked is None:
            raise PermissionDenied
        if locked.handling_code != HandlingCode.C:
            raise ValidationError(_("Only a report with handling code C has a sanitised version"))
        earlier = _made_once(
            IntelligenceReport.objects.filter(sanitised_from=locked).first(),
            submission_key,
            _("This report already has a sanitised version, %(reference)s"),
        )
        if earlier is not None:
            return earlier
        report = submit_intelligence(
            actor=actor,
            submission_key=submission_key,
            fields=ReportFields(
                summary=summary,
                narrative=narrative,
                location=location,
                source_evaluation=source_evaluation,
                intelligence_assessment=intelligence_assessment,
                handling_code=HandlingCode.P,
                occurred_on=locked.occurred_on,
                area=locked.area,
                exploitation_types=tuple(locked.exploitation_types.all()),
                child_involved=locked.child_involved,
                indicators=tuple(locked.indicators.all()),
                sector=locked.sector,
            ),
            sanitised_from=locked,
            context=context,
        )
        audit.record(
            action=audit.Action.INTELLIGENCE_SANITISED,
            actor=actor,
            target=locked,
            context=context,
            detail={"sanitised_version": report.reference},
        )
    return report


def _made_once(
    existing: IntelligenceReport | None, submission_key: uuid.UUID, refusal: str
) -> IntelligenceReport | None:
    """The report this same form already made, if any; another form's report refuses.

    ``refusal`` names the existing report through ``%(reference)s``.
    """
    if existing is None or existing.submission_key == submission_key:
        return existing
    raise ValidationError(refusal % {"reference": existing.reference})
