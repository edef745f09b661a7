"""Reads for the public portal and for the hub's view of public reports."""

import uuid
from typing import Any

from django.db.models import QuerySet

from lantern.core import access, audit
from lantern.core.access import NotFoundOrNotAllowed
from lantern.core.audit import AuditContext
from lantern.core.models import LocalAuthorityArea, User
from lantern.public.models import HelpChannel, LocalContact, PublicReport, ReportPhoto
from lantern.public.tokens import hash_token


def help_channels() -> QuerySet[HelpChannel]:
    """Every channel an administrator has left shown, in their chosen order."""
    return HelpChannel.objects.filter(is_active=True)


def areas_with_local_contacts() -> QuerySet[LocalAuthorityArea]:
    """The areas a visitor can choose on the get-help page: those with a contact shown."""
    return LocalAuthorityArea.objects.filter(local_contacts__is_active=True).distinct()


def local_contacts(area_id: int | None) -> QuerySet[LocalContact]:
    """The contacts shown for one area, in the administrator's order (none for no area)."""
    return LocalContact.objects.filter(area_id=area_id, is_active=True).select_related("area")


def report_by_submission_key(submission_key: uuid.UUID) -> PublicReport | None:
    return PublicReport.objects.filter(submission_key=submission_key).first()


def report_for_follow_up(token: str) -> PublicReport | None:
    """The report a follow-up link belongs to; nothing of its content is read back."""
    return PublicReport.objects.filter(follow_up_token_hash=hash_token(token)).first()


def draft_photos(draft_key: uuid.UUID) -> QuerySet[ReportPhoto]:
    return ReportPhoto.objects.filter(draft_key=draft_key, report=None)


def visible_reports(user: User) -> QuerySet[PublicReport]:
    """Reports the user may read: every report for hub analysts, none for anyone else."""
    if not access.can_view_public_reports(user):
        return PublicReport.objects.none()
    return PublicReport.objects.select_related("area").prefetch_related(
        "suggestions__indicator", "suggestions__exploitation_type"
    )


def awaiting_triage(user: User) -> QuerySet[PublicReport]:
    """New reports from the public not yet turned into intelligence, oldest first."""
    return (
        visible_reports(user)
        .filter(status=PublicReport.Status.NEW, intelligence_report__isnull=True)
        .order_by("submitted_at", "id")
    )


def report_for_reading(user: User, reference: str, *, context: AuditContext) -> PublicReport:
    """One report, with its read audited; 404 alike for missing and not allowed."""
    report = (
        visible_reports(user)
        .prefetch_related("indicators", "suspected_types", "photos", "additions")
        .filter(reference=reference)
        .first()
    )
    if report is None:
        raise NotFoundOrNotAllowed
    audit.record_read(
        actor=user, target=report, purpose="triage of a public report", context=context
    )
    return report


def report_photo(
    user: User, reference: str, photo_id: int, *, context: AuditContext
) -> ReportPhoto:
    photo = (
        ReportPhoto.objects.filter(
            report__in=visible_reports(user), report__reference=reference, pk=photo_id
        )
        .select_related("report")
        .first()
    )
    if photo is None:
        raise NotFoundOrNotAllowed
    audit.record_read(
        actor=user,
        target=photo.report,
        purpose=f"photo {photo.pk} of a public report",
        context=context,
    )
    return photo


def intelligence_from_public_report(user: User, public_report: PublicReport) -> Any:
    """The intelligence a report from the public became, if the user may read it.

    Public sits below intelligence (ADR 0027): the report comes from the access policy,
    which answers for intelligence, rather than from intelligence's own selectors.
    """
    return access.readable_intelligence(user).filter(public_report=public_report).first()
