"""Every write of the public portal: draft photos, sending a report, adding to it later."""

import datetime
import logging
import uuid
from functools import partial
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from lantern.core import audit, lexicon, lookups, outbox, references
from lantern.core import selectors as core_selectors
from lantern.public.forms import NOT_SURE
from lantern.public.models import (
    CAMPAIGN_CODE_MAX_LENGTH,
    HeardFrom,
    IndicatorSuggestion,
    PublicReport,
    ReportAddition,
    ReportPhoto,
)
from lantern.public.photos import CleanPhoto
from lantern.public.tokens import hash_token, new_follow_up_token

logger = logging.getLogger(__name__)

# The answers the lexicon scans for indicators.
_FREE_TEXT = ("what_happened", "location", "when", "people", "vehicles", "business_name")


def add_draft_photo(
    *, draft_key: uuid.UUID, upload: UploadedFile, photo: CleanPhoto
) -> ReportPhoto:
    """Keep a cleaned photo for a report that is still being written."""
    stored = ReportPhoto(
        draft_key=draft_key,
        original_name=(upload.name or "")[:200],
        content_type=photo.content_type,
        width=photo.width,
        height=photo.height,
        size=len(photo.content),
    )
    stored.file.save(f"photo.{stored.extension}", ContentFile(photo.content), save=False)
    stored.save()
    return stored


def remove_draft_photo(*, draft_key: uuid.UUID, photo_id: int) -> None:
    """Remove a photo from a draft; photos of sent reports cannot be removed this way."""
    photo = ReportPhoto.objects.filter(draft_key=draft_key, report=None, pk=photo_id).first()
    if photo is not None:
        photo.file.delete(save=False)
        photo.delete()


def submit_report(
    *, submission_key: uuid.UUID, answers: dict[str, Any], language: str, campaign_code: str = ""
) -> tuple[PublicReport, str | None]:
    """Store a report once, and only once, for a submission key.

    ``campaign_code`` is the code of the campaign link the reporter arrived through, if
    any: the only trace of the visit a report keeps.

    Returns the report and its follow-up token; the token is ``None`` when the key had
    already been used (a double click, a refresh, a retry), because only its hash is kept.
    """
    token = new_follow_up_token()
    report, created = references.store_once(
        PublicReport,
        submission_key=submission_key,
        create=partial(_create_report, submission_key, answers, language, token, campaign_code),
    )
    if not created:
        return report, None
    return report, token


def _create_report(
    submission_key: uuid.UUID,
    answers: dict[str, Any],
    language: str,
    token: str,
    campaign_code: str,
    reference: str,
) -> PublicReport:
    wants_contact = answers.get("wants_contact") == "yes"
    postcode = answers.get("postcode", "")
    heard_from = answers.get("heard_from", "")
    report = PublicReport.objects.create(
        reference=reference,
        submission_key=submission_key,
        follow_up_token_hash=hash_token(token),
        language=language,
        immediate_danger=answers["immediate_danger"] == "yes",
        what_happened=answers["what_happened"],
        type_not_sure=NOT_SURE in answers.get("suspected_types", []),
        children_involved=answers["children_involved"],
        location=answers["location"],
        postcode=postcode,
        area_id=core_selectors.area_id_for_postcode(postcode) if postcode else None,
        when=answers.get("when", ""),
        people=answers.get("people", ""),
        vehicles=answers.get("vehicles", ""),
        vehicle_registrations=answers.get("vehicle_registrations", []),
        phone_numbers=answers.get("phone_numbers", []),
        business_name=answers.get("business_name", ""),
        consent_to_contact=wants_contact and bool(answers.get("consent_to_contact")),
        contact_name=answers.get("contact_name", "") if wants_contact else "",
        contact_email=answers.get("contact_email", "") if wants_contact else "",
        contact_phone=answers.get("contact_phone", "") if wants_contact else "",
        campaign_code=campaign_code[:CAMPAIGN_CODE_MAX_LENGTH],
        heard_from=heard_from if heard_from in HeardFrom.values else "",
    )
    _link(report, PublicReport.indicators, lookups.indicator_ids(), answers.get("indicators", []))
    _link(
        report,
        PublicReport.suspected_types,
        lookups.exploitation_type_ids(),
        answers.get("suspected_types", []),
    )
    # Drafts say how many photos they hold; one without the count is linked to be safe.
    if answers.get("photo_count", 1):
        ReportPhoto.objects.filter(draft_key=submission_key, report=None).update(report=report)
    _suggest_indicators(report, " \n".join(str(answers.get(name, "")) for name in _FREE_TEXT))
    if report.consent_to_contact and report.contact_email:
        _email_reference(report)
    return report


def _link(report: PublicReport, relation: Any, ids: dict[str, int], codes: list[str]) -> None:
    """Link a new report to lookups by code, in one insert (the report has no links yet)."""
    through = relation.through
    source, target = relation.field.m2m_field_name(), relation.field.m2m_reverse_field_name()
    through.objects.bulk_create(
        through(**{f"{source}_id": report.pk, f"{target}_id": ids[code]})
        for code in codes
        if code in ids
    )


def _suggest_indicators(report: PublicReport, text: str) -> None:
    IndicatorSuggestion.objects.bulk_create(
        IndicatorSuggestion(
            report=report,
            indicator_id=suggestion.indicator_id,
            exploitation_type_id=suggestion.exploitation_type_id,
            phrases=suggestion.phrases,
        )
        for suggestion in lexicon.suggest(text)
    )


def _email_reference(report: PublicReport) -> None:
    """Queue the reference, and nothing else of the report, for the reporter's address.

    Queued in the transaction that stores the report (the outbox), and sent by the
    worker: a mail server that is slow or down neither delays nor fails the report.
    """
    with override(report.language):
        outbox.enqueue_email(
            subject=_("Your report to the modern slavery partnership"),
            body=_(
                "Thank you for telling us. Your reference is %(reference)s.\n\n"
                "Give this reference if you call us about your report. If someone is in "
                "immediate danger, call 999."
            )
            % {"reference": report.reference},
            to=[report.contact_email],
        )


def email_follow_up_link(*, link: str, email: str, language: str) -> None:
    """Queue the private link for an address given for that purpose only.

    The address goes into the outbox's job and nowhere else: it is not stored with the
    report, and the job is disposed of with other finished jobs (the retention schedule).
    """
    with override(language):
        outbox.enqueue_email(
            subject=_("Your private link to add to your report"),
            body=_(
                "You asked us to send you this link. Open it if you want to tell us more "
                "about what you reported:\n\n%(link)s\n\n"
                "Anyone who has the link can add to your report, but nobody can read your "
                "report with it. If someone is in immediate danger, call 999."
            )
            % {"link": link},
            to=[email],
        )


@transaction.atomic
def add_information(*, report: PublicReport, text: str, language: str) -> ReportAddition:
    """Information a reporter adds later; scanned for indicators like the report itself."""
    addition = ReportAddition.objects.create(report=report, text=text, language=language)
    _suggest_indicators(report, text)
    return addition


# A draft's photos outlive its session (30 minutes idle) by this much before disposal:
# room for a reporter who kept the form open, none for photos nobody will ever send.
DRAFT_PHOTO_LIFETIME = datetime.timedelta(days=2)


def dispose_of_abandoned_draft_photos(
    *,
    now: datetime.datetime | None = None,
    lifetime: datetime.timedelta = DRAFT_PHOTO_LIFETIME,
) -> int:
    """Delete the photos of drafts never sent, files first, and record it in the audit log.

    Automatic under the retention schedule: nobody decides on a draft nobody sent. A file
    already gone is no reason to keep its row; a row whose file cannot be removed stays,
    to be tried again the next day. Returns how many photos were removed.
    """
    cutoff = (now or timezone.now()) - lifetime
    removed = []
    for photo in ReportPhoto.objects.filter(report=None, uploaded_at__lt=cutoff).iterator():
        try:
            photo.file.delete(save=False)
        except OSError:
            logger.exception("Could not remove the file of draft photo %s", photo.pk)
            continue
        removed.append(photo.pk)
    if not removed:
        return 0
    with transaction.atomic():
        # A draft sent meanwhile keeps its row (its file is gone: the report says so).
        deleted, _detail = ReportPhoto.objects.filter(pk__in=removed, report=None).delete()
        audit.record(
            action=audit.Action.DRAFT_PHOTOS_DISPOSED,
            detail={"photos": deleted, "uploaded_before": cutoff.isoformat()},
        )
    return deleted
