"""Every write of intelligence: one function per use case, each in a transaction, audited."""

import datetime
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from lantern.core import access, audit, normalisers, outbox, references
from lantern.core import selectors as core_selectors
from lantern.core.models import ExploitationType, Indicator, LocalAuthorityArea, Organisation, User
from lantern.entities import correlation
from lantern.intelligence import selectors
from lantern.intelligence.models import (
    MENTION_VALUE_MAX_LENGTH,
    MENTIONS_MAX,
    NARRATIVE_MAX_LENGTH,
    NOTE_MAX_LENGTH,
    REQUEST_MAX_LENGTH,
    TRANSITIONS,
    UPDATE_MAX_LENGTH,
    ClosingReason,
    HandlingCode,
    IntelligenceAssessment,
    IntelligenceReport,
    Mention,
    MentionKind,
    MentionRole,
    Regrading,
    ReportUpdate,
    Sector,
    SourceEvaluation,
    Status,
    StatusChange,
    Tasking,
    TaskingResult,
    TaskingStatus,
    mention_value_error,
    mentions_over_limit_message,
    person_details_error,
)
from lantern.public.models import PublicReport


@dataclass(frozen=True)
class MentionData:
    """One thing a report mentions, as the submitter wrote it."""

    kind: str
    role: str
    value: str
    details: str = ""
    date_of_birth: datetime.date | None = None
    nationality: str = ""


def submit_intelligence(
    *,
    actor: User,
    submission_key: uuid.UUID,
    summary: str,
    narrative: str,
    source_evaluation: str,
    intelligence_assessment: str,
    handling_code: str,
    handling_conditions: str = "",
    shared_with: Iterable[Organisation] = (),
    occurred_on: datetime.date | None = None,
    location: str = "",
    postcode: str = "",
    area: LocalAuthorityArea | None = None,
    exploitation_types: Iterable[ExploitationType] = (),
    child_involved: bool = False,
    indicators: Iterable[Indicator] = (),
    sector: str = "",
    mentions: Sequence[MentionData] = (),
    public_report: PublicReport | None = None,
    sanitised_from: IntelligenceReport | None = None,
    request: HttpRequest | None = None,
) -> IntelligenceReport:
    """Store a partner's intelligence once, and only once, for a submission key.

    A second call with the same key (a double click, a refresh, a retry) returns the
    report the first call stored. ``postcode`` must already be normalised; the area is
    derived from it unless the submitter chose one.
    """
    if not access.can_submit_intelligence(actor):
        raise PermissionDenied
    fields, shared_with = report_fields(
        actor=actor,
        submission_key=submission_key,
        summary=summary,
        narrative=narrative,
        source_evaluation=source_evaluation,
        intelligence_assessment=intelligence_assessment,
        handling_code=handling_code,
        handling_conditions=handling_conditions,
        shared_with=shared_with,
        occurred_on=occurred_on,
        location=location,
        postcode=postcode,
        area=area,
        child_involved=child_involved,
        sector=sector,
    )
    mentions = distinct_mentions(mentions)
    _check_mentions(mentions)
    fields |= {"public_report": public_report, "sanitised_from": sanitised_from}

    def create(reference: str) -> IntelligenceReport:
        report = IntelligenceReport.objects.create(reference=reference, **fields)
        report.exploitation_types.set(exploitation_types)
        report.indicators.set(indicators)
        report.shared_with.set(shared_with)
        add_mentions(report, mentions)
        StatusChange.objects.create(
            report=report, to_status=Status.NEW, changed_by=actor, changed_at=report.created_at
        )
        audit.record(
            action=audit.Action.INTELLIGENCE_SUBMITTED,
            actor=actor,
            target=report,
            request=request,
            detail={"grading": report.grading},
        )
        return report

    report, _created = references.store_once(
        IntelligenceReport, submission_key=submission_key, create=create, sent_by=actor
    )
    return report


def report_fields(
    *,
    actor: User,
    submission_key: uuid.UUID,
    summary: str,
    narrative: str,
    source_evaluation: str,
    intelligence_assessment: str,
    handling_code: str,
    handling_conditions: str = "",
    shared_with: Iterable[Organisation] = (),
    occurred_on: datetime.date | None = None,
    location: str = "",
    postcode: str = "",
    area: LocalAuthorityArea | None = None,
    child_involved: bool = False,
    sector: str = "",
) -> tuple[dict[str, Any], Iterable[Organisation]]:
    """A new report's fields and the organisations it names, checked as every submission is.

    One set of rules for the form, the API and the bulk import: grading in the scheme, no
    future date, C with its conditions; P keeps neither conditions nor named organisations.
    The area is the one chosen, else the postcode's (``postcode`` already normalised).
    """
    _check_grading(source_evaluation, intelligence_assessment, handling_code, sector)
    if occurred_on is not None and occurred_on > timezone.localdate():
        raise ValidationError({"occurred_on": _("The date must be today or in the past")})
    if handling_code == HandlingCode.C and not handling_conditions.strip():
        raise ValidationError({"handling_conditions": _("Enter the conditions for sharing")})
    if handling_code == HandlingCode.P:
        handling_conditions, shared_with = "", ()
    fields = {
        "submission_key": submission_key,
        "summary": summary,
        "narrative": narrative,
        "occurred_on": occurred_on,
        "location": location,
        "postcode": postcode,
        "area_id": area.pk if area else (core_selectors.area_id_for_postcode(postcode) or None),
        "child_involved": child_involved,
        "sector": sector or IntelligenceReport._meta.get_field("sector").default,
        "source_evaluation": source_evaluation,
        "intelligence_assessment": intelligence_assessment,
        "handling_code": handling_code,
        "handling_conditions": handling_conditions.strip(),
        "originating_organisation": actor.organisation,
        "created_by": actor,
        "status": Status.NEW,
    }
    return fields, shared_with


def change_status(
    *,
    report: IntelligenceReport,
    user: User,
    to_status: Status,
    reason: str = "",
    note: str = "",
    request: HttpRequest | None = None,
) -> StatusChange:
    """Move a report along the triage workflow and add the step to its timeline.

    Only the moves in ``TRANSITIONS`` are allowed; closing needs a reason. Anything else
    is refused with a ``ValidationError`` naming the field, and nothing changes.
    """
    if not access.can_triage_intelligence(user):
        raise PermissionDenied
    note = note.strip()
    if len(note) > NOTE_MAX_LENGTH:
        message = _("The note must be %(limit)s characters or fewer")
        raise ValidationError({"note": message % {"limit": NOTE_MAX_LENGTH}})
    with transaction.atomic():
        return _move_status(
            report=report, user=user, to_status=to_status, reason=reason, note=note, request=request
        )


def _move_status(
    *,
    report: IntelligenceReport,
    user: User,
    to_status: Status,
    reason: str = "",
    note: str = "",
    request: HttpRequest | None = None,
) -> StatusChange:
    """Make one move of ``TRANSITIONS`` and record it, in the caller's transaction.

    Shared by the analyst's status changes and the moves a tasking makes (tasked,
    actioned); the caller has decided that ``user`` may make the move.
    """
    current = _locked_status(report, user)
    if not TRANSITIONS.allows(current, to_status):
        raise ValidationError(
            {"to_status": _("Select a status this report can move to from the list")}
        )
    if to_status == Status.CLOSED:
        if reason not in ClosingReason.values:
            raise ValidationError({"reason": _("Select a reason for closing the report")})
    else:
        reason = ""
    change = StatusChange.objects.create(
        report=report,
        from_status=current,
        to_status=to_status,
        reason=reason,
        note=note,
        changed_by=user,
    )
    IntelligenceReport.objects.filter(pk=report.pk).update(status=to_status)
    report.status = to_status
    audit.record(
        action=audit.Action.INTELLIGENCE_STATUS_CHANGED,
        actor=user,
        target=report,
        request=request,
        detail={"from": current, "to": to_status, "reason": reason},
    )
    return change


def convert_public_report(
    *,
    actor: User,
    public_report: PublicReport,
    submission_key: uuid.UUID,
    request: HttpRequest | None = None,
    **fields: Any,
) -> IntelligenceReport:
    """An analyst turns a report from the public into intelligence, once.

    The intelligence keeps a link to the public report, which keeps the reporter's own
    words; the public report is then under assessment as that intelligence. ``fields``
    are ``submit_intelligence``'s. Converting an already converted report is refused,
    unless it is the same form sent again.
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
            public_report=locked,
            request=request,
            **fields,
        )
        PublicReport.objects.filter(pk=locked.pk).update(
            status=PublicReport.Status.UNDER_ASSESSMENT
        )
        audit.record(
            action=audit.Action.INTELLIGENCE_CONVERTED_FROM_PUBLIC,
            actor=actor,
            target=report,
            request=request,
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
    request: HttpRequest | None = None,
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
            summary=summary,
            narrative=narrative,
            location=location,
            source_evaluation=source_evaluation,
            intelligence_assessment=intelligence_assessment,
            handling_code=HandlingCode.P,
            occurred_on=locked.occurred_on,
            area=locked.area,
            exploitation_types=locked.exploitation_types.all(),
            child_involved=locked.child_involved,
            indicators=locked.indicators.all(),
            sector=locked.sector,
            sanitised_from=locked,
            request=request,
        )
        audit.record(
            action=audit.Action.INTELLIGENCE_SANITISED,
            actor=actor,
            target=locked,
            request=request,
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


def add_mention(
    *,
    report: IntelligenceReport,
    actor: User,
    mention: MentionData,
    request: HttpRequest | None = None,
) -> Mention:
    """An analyst records one more person, place or thing the report mentions."""
    if not access.can_triage_intelligence(actor):
        raise PermissionDenied
    if not access.readable_intelligence(actor).filter(pk=report.pk).exists():
        raise PermissionDenied
    _check_mentions([mention])
    count = report.mentions.count() + 1
    if count > MENTIONS_MAX:
        raise ValidationError({"mentions": mentions_over_limit_message(count)})
    with transaction.atomic():
        [stored] = add_mentions(report, [mention])
        audit.record(
            action=audit.Action.INTELLIGENCE_MENTION_ADDED,
            actor=actor,
            target=report,
            request=request,
            detail={"kind": mention.kind, "role": mention.role},
        )
    return stored


def add_mentions(report: IntelligenceReport, mentions: Sequence[MentionData]) -> list[Mention]:
    """Store what a report mentions with its matching keys, and link them to the entities
    they are (a failure to link never stops the report being saved); callers check them
    first."""
    stored = Mention.objects.bulk_create(new_mentions(report, mentions))
    correlation.correlate(stored)
    return stored


def distinct_mentions(mentions: Sequence[MentionData]) -> list[MentionData]:
    """The mentions without repeats, in their order: the same name pasted twice (or 3,500
    times) is one mention, stored and correlated once."""
    seen: set[tuple[Any, ...]] = set()
    distinct = []
    for mention in mentions:
        identity = (
            mention.kind,
            mention.role,
            mention.value.strip().casefold(),
            mention.details.strip(),
            mention.date_of_birth,
            mention.nationality.strip().casefold(),
        )
        if identity not in seen:
            seen.add(identity)
            distinct.append(mention)
    return distinct


def _details_with_note(mention: MentionData) -> str:
    """The details given, and what was written around an identifier ("mob" of
    "07700 900 123 (mob)"), so that nothing typed is lost when the key is extracted."""
    note = normalisers.split_identifier(mention.kind, mention.value)[1]
    details = mention.details.strip()
    if note and note not in details:
        details = f"{details}\n{note}" if details else note
    # The column holds 1,000 characters, as the forms allow.
    return details[:1000]


def new_mentions(report: IntelligenceReport, mentions: Sequence[MentionData]) -> list[Mention]:
    """The report's mentions with their matching keys, unsaved (the bulk import saves many);
    repeats are left out."""
    return [
        Mention(
            report=report,
            kind=mention.kind,
            role=mention.role,
            value=mention.value.strip(),
            key=normalisers.mention_key(mention.kind, mention.value),
            details=_details_with_note(mention),
            date_of_birth=mention.date_of_birth,
            nationality=mention.nationality.strip(),
        )
        for mention in distinct_mentions(mentions)
    ]


def _check_mentions(mentions: Sequence[MentionData]) -> None:
    """Refuse too many mentions, or the first that is not one, naming it by its position."""
    if len(mentions) > MENTIONS_MAX:
        raise ValidationError({"mentions": mentions_over_limit_message(len(mentions))})
    for number, mention in enumerate(mentions, start=1):
        if mention.kind not in MentionKind.values:
            problem = _("Select what kind of thing it is from the list")
        elif mention.role not in MentionRole.values:
            problem = _("Select its role from the list")
        elif len(mention.value) > MENTION_VALUE_MAX_LENGTH or len(mention.details) > 1000:
            problem = _("Shorten it to %(limit)s characters or fewer, details to 1000") % {
                "limit": MENTION_VALUE_MAX_LENGTH
            }
        elif (mention.date_of_birth or mention.nationality) and mention.kind != MentionKind.PERSON:
            problem = _("Only a person has a date of birth or a nationality")
        elif len(mention.nationality) > 100:
            problem = _("Shorten the nationality to 100 characters or fewer")
        else:
            problem = person_details_error(mention.date_of_birth) or mention_value_error(
                mention.kind, mention.value.strip()
            )
        if problem:
            message = _("Mention %(number)s: %(problem)s")
            raise ValidationError({"mentions": message % {"number": number, "problem": problem}})


def _check_grading(
    source_evaluation: str, intelligence_assessment: str, handling_code: str, sector: str
) -> None:
    """Refuse, by field, any value outside the 3x5x2 scheme or the list of sectors."""
    errors = {}
    if source_evaluation not in SourceEvaluation.values:
        errors["source_evaluation"] = _("Select a source evaluation of 1, 2 or 3")
    if intelligence_assessment not in IntelligenceAssessment.values:
        errors["intelligence_assessment"] = _("Select an intelligence assessment from A to E")
    if handling_code not in HandlingCode.values:
        errors["handling_code"] = _("Select handling code P or C")
    if sector and sector not in Sector.values:
        errors["sector"] = _("Select a sector from the list")
    if errors:
        raise ValidationError(errors)


def _locked_status(report: IntelligenceReport, user: User) -> str:
    """The report's status, its row locked until the transaction ends.

    The lock keeps two people from making the same move at once (two analysts, or two
    agencies answering the last taskings). ``PermissionDenied`` if the user may not read it.
    """
    current = (
        access.readable_intelligence(user)
        .select_for_update()
        .filter(pk=report.pk)
        .values_list("status", flat=True)
        .first()
    )
    if current is None:
        raise PermissionDenied
    return current


def _check_text(field: str, value: str, limit: int) -> None:
    """Refuse text that is too long or holds a NUL (PostgreSQL cannot store one), by field."""
    if len(value) > limit:
        message = _("Enter %(limit)s characters or fewer") % {"limit": limit}
        raise ValidationError({field: message})
    if "\x00" in value:
        message = _("Remove the unreadable characters. Type or paste plain text only.")
        raise ValidationError({field: message})


def record_assessment(
    *,
    report: IntelligenceReport,
    user: User,
    assessment: str,
    request: HttpRequest | None = None,
) -> IntelligenceReport:
    """Write or rewrite the analyst's assessment of a report.

    The assessment is one text the analysts keep up to date as they learn more, so a new
    version replaces the old one; the audit log keeps who wrote it and when.
    """
    if not access.can_triage_intelligence(user):
        raise PermissionDenied
    assessment = assessment.strip()
    if not assessment:
        raise ValidationError({"assessment": _("Enter your assessment")})
    _check_text("assessment", assessment, NARRATIVE_MAX_LENGTH)
    with transaction.atomic():
        _locked_status(report, user)
        IntelligenceReport.objects.filter(pk=report.pk).update(assessment=assessment)
        report.assessment = assessment
        audit.record(
            action=audit.Action.INTELLIGENCE_ASSESSED,
            actor=user,
            target=report,
            request=request,
            detail={"characters": len(assessment)},
        )
    return report


def regrade(
    *,
    report: IntelligenceReport,
    user: User,
    source_evaluation: str,
    intelligence_assessment: str,
    handling_code: str,
    reason: str,
    handling_conditions: str = "",
    shared_with: Iterable[Organisation] = (),
    request: HttpRequest | None = None,
) -> Regrading:
    """Change a report's 3x5x2 grading, with the analyst's reason, as a timeline entry.

    The rules of submission apply: values within the scheme, conditions stated for C, and
    only active partners named in them; P drops the conditions, since P is shared with
    every partner. A sanitised version stays P (it exists to be shared widely). A
    regrading that changes nothing is refused, so the timeline shows only real changes.
    """
    if not access.can_triage_intelligence(user):
        raise PermissionDenied
    _check_grading(source_evaluation, intelligence_assessment, handling_code, sector="")
    handling_conditions = handling_conditions.strip()
    shared_with = list(shared_with)
    if handling_code == HandlingCode.C and not handling_conditions:
        message = _("Enter the handling conditions: they are required for handling code C")
        raise ValidationError({"handling_conditions": message})
    if handling_code == HandlingCode.P:
        handling_conditions, shared_with = "", []
    if handling_code == HandlingCode.C and report.sanitised_from_id is not None:
        message = _("A sanitised version is shared with every partner: it keeps handling code P")
        raise ValidationError({"handling_code": message})
    _check_text("handling_conditions", handling_conditions, 2000)
    if any(not organisation.has_shared_data_access for organisation in shared_with):
        message = _("Select organisations from the list of active partners")
        raise ValidationError({"shared_with": message})
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Enter the reason for the new grading")})
    _check_text("reason", reason, NOTE_MAX_LENGTH)
    with transaction.atomic():
        _locked_status(report, user)
        report.refresh_from_db()
        previous = report.grading
        shared_before = set(report.shared_with.values_list("pk", flat=True))
        shared_after = {organisation.pk for organisation in shared_with}
        report.source_evaluation = source_evaluation
        report.intelligence_assessment = intelligence_assessment
        report.handling_code = handling_code
        unchanged = (
            report.grading == previous
            and report.handling_conditions == handling_conditions
            and shared_before == shared_after
        )
        if unchanged:
            message = _("Change the grading, the conditions or the organisations named in them")
            raise ValidationError({"source_evaluation": message})
        report.handling_conditions = handling_conditions
        report.save(
            update_fields=[
                "source_evaluation",
                "intelligence_assessment",
                "handling_code",
                "handling_conditions",
            ]
        )
        report.shared_with.set(shared_with)
        regrading = Regrading.objects.create(
            report=report,
            previous_grading=previous,
            grading=report.grading,
            reason=reason,
            changed_by=user,
        )
        audit.record(
            action=audit.Action.INTELLIGENCE_REGRADED,
            actor=user,
            target=report,
            request=request,
            detail={
                "from": previous,
                "to": report.grading,
                "shared_with": sorted(shared_after),
            },
        )
    return regrading


def task_agencies(
    *,
    report: IntelligenceReport,
    user: User,
    submission_key: uuid.UUID,
    organisations: Sequence[Organisation],
    request_text: str,
    deadline: datetime.date,
    request: HttpRequest | None = None,
) -> list[Tasking]:
    """Ask one or more agencies to act on a report by a deadline, once per submission key.

    Each agency gets a tasking of its own, keyed by the form's submission key and the
    organisation, so the same form sent again returns the taskings the first one made.

    Only a report an analyst has taken into assessment is tasked: a new one is refused
    (moving it to under assessment first puts that decision on its timeline), and so is
    a closed one. Tasking moves the report to tasked, from under assessment or, to
    re-task, from actioned; a report already tasked stays tasked. An agency that already
    holds an open tasking on the report is not tasked a second time.
    """
    if not access.can_triage_intelligence(user):
        raise PermissionDenied
    organisations = list(dict.fromkeys(organisations))
    if not organisations:
        raise ValidationError({"organisations": _("Select at least one organisation to task")})
    if any(not organisation.has_shared_data_access for organisation in organisations):
        message = _("Select organisations from the list of active partners")
        raise ValidationError({"organisations": message})
    request_text = request_text.strip()
    if not request_text:
        raise ValidationError({"request_text": _("Enter what you ask the agency to do")})
    _check_text("request_text", request_text, REQUEST_MAX_LENGTH)
    if deadline < timezone.localdate():
        raise ValidationError({"deadline": _("The deadline must be today or in the future")})
    keys = {
        organisation.pk: uuid.uuid5(submission_key, str(organisation.pk))
        for organisation in organisations
    }
    with transaction.atomic():
        status = _locked_status(report, user)
        already_sent = list(Tasking.objects.filter(submission_key__in=keys.values()))
        if already_sent:
            return already_sent
        if status == Status.NEW:
            raise ValidationError(
                _("Move the report to under assessment before you task an agency")
            )
        if status == Status.CLOSED:
            raise ValidationError(_("A closed report cannot be tasked"))
        busy = report.taskings.filter(status=TaskingStatus.OPEN, organisation__in=organisations)
        names = ", ".join(
            str(tasking.organisation) for tasking in busy.select_related("organisation")
        )
        if names:
            message = _("Already tasked and not yet answered: %(names)s") % {"names": names}
            raise ValidationError({"organisations": message})
        taskings = []
        for organisation in organisations:
            tasking = Tasking.objects.create(
                report=report,
                organisation=organisation,
                submission_key=keys[organisation.pk],
                request=request_text,
                deadline=deadline,
                created_by=user,
            )
            audit.record(
                action=audit.Action.TASKING_CREATED,
                actor=user,
                target=tasking,
                request=request,
                detail={
                    "report": report.reference,
                    "organisation": organisation.pk,
                    "deadline": deadline.isoformat(),
                },
            )
            _queue_tasking_notice(tasking)
            taskings.append(tasking)
        if status != Status.TASKED:
            _move_status(report=report, user=user, to_status=Status.TASKED, request=request)
    return taskings


def _queue_tasking_notice(tasking: Tasking) -> None:
    """Tell the tasked organisation's people, by email queued with the tasking (the
    outbox): the report's reference and the deadline, not the request, which stays in
    Lantern behind its access rules."""
    values = {
        "organisation": tasking.organisation.name,
        "reference": tasking.report.reference,
        "deadline": tasking.deadline.isoformat(),
    }
    subjects, bodies = [], []
    for language in ("en", "fr"):
        with translation.override(language):
            subjects.append(_("Lantern: your organisation has been tasked"))
            bodies.append(
                _(
                    "The intelligence hub has tasked %(organisation)s on intelligence report "
                    "%(reference)s, to answer by %(deadline)s. Read the request and answer it "
                    "on the Taskings page in Lantern."
                )
                % values
            )
    for address in selectors.tasking_answerer_addresses(tasking.organisation_id):
        outbox.enqueue_email(subject=" / ".join(subjects), body="\n\n".join(bodies), to=[address])


def add_update(
    *,
    report: IntelligenceReport,
    user: User,
    submission_key: uuid.UUID,
    text: str,
    request: HttpRequest | None = None,
) -> ReportUpdate:
    """An update from the organisation that submitted the report: added to its timeline,
    never changing what was sent, so the hub's grading and triage stand on the original.
    Once per submission key (a double click adds one update)."""
    if not access.can_add_report_update(user, report):
        raise PermissionDenied
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Enter the update")})
    _check_text("text", text, UPDATE_MAX_LENGTH)

    def create() -> ReportUpdate:
        update = ReportUpdate.objects.create(
            report=report, submission_key=submission_key, text=text, created_by=user
        )
        audit.record(
            action=audit.Action.INTELLIGENCE_UPDATE_ADDED,
            actor=user,
            target=report,
            request=request,
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


def answer_tasking(
    *,
    tasking: Tasking,
    user: User,
    result: str,
    response: str,
    request: HttpRequest | None = None,
) -> Tasking:
    """Record what the tasked agency did and what came of it.

    Answering the report's last open tasking moves the report from tasked to actioned,
    in the answering user's name, so the analysts see it is ready to close or re-task.
    The same answer sent again by the same person (a double click, a refresh) returns
    the tasking as answered; any other answer to a tasking already answered or withdrawn
    is refused and nothing changes.
    """
    if not access.can_answer_taskings(user):
        raise PermissionDenied
    if result not in TaskingResult.values:
        raise ValidationError({"result": _("Select the result from the list")})
    response = response.strip()
    if not response:
        raise ValidationError({"response": _("Enter what your organisation did")})
    _check_text("response", response, REQUEST_MAX_LENGTH)
    with transaction.atomic():
        report_status = _locked_status(tasking.report, user)
        current = access.readable_taskings(user).select_for_update().filter(pk=tasking.pk).first()
        if current is None or current.organisation_id != user.organisation_id:
            raise PermissionDenied
        if _same_answer(current, user=user, result=result, response=response):
            return current
        if not access.can_answer_tasking(user, current):
            raise ValidationError(_("This tasking is no longer open: it was answered or withdrawn"))
        tasking.status = TaskingStatus.ANSWERED
        tasking.result = result
        tasking.response = response
        tasking.responded_by = user
        tasking.responded_at = timezone.now()
        tasking.save(update_fields=["status", "result", "response", "responded_by", "responded_at"])
        audit.record(
            action=audit.Action.TASKING_ANSWERED,
            actor=user,
            target=tasking,
            request=request,
            detail={"report": tasking.report.reference, "result": result},
        )
        still_open = tasking.report.taskings.filter(status=TaskingStatus.OPEN).exists()
        if report_status == Status.TASKED and not still_open:
            _move_status(
                report=tasking.report, user=user, to_status=Status.ACTIONED, request=request
            )
    return tasking


def _same_answer(tasking: Tasking, *, user: User, result: str, response: str) -> bool:
    return (
        tasking.status == TaskingStatus.ANSWERED
        and tasking.responded_by_id == user.pk
        and (tasking.result, tasking.response) == (result, response)
    )


def withdraw_tasking(
    *, tasking: Tasking, user: User, request: HttpRequest | None = None
) -> Tasking:
    """Take back an open tasking; the agency loses the access the tasking gave it.

    When no open tasking is left on a tasked report, the report moves on as if the
    withdrawn one had never been asked: to actioned when another agency answered, or
    back to under assessment for the analysts to re-task or close.
    """
    if not access.can_triage_intelligence(user):
        raise PermissionDenied
    with transaction.atomic():
        report_status = _locked_status(tasking.report, user)
        current = access.readable_taskings(user).select_for_update().filter(pk=tasking.pk).first()
        if current is None:
            raise PermissionDenied
        if current.status != TaskingStatus.OPEN:
            raise ValidationError(_("Only a tasking that awaits an answer can be withdrawn"))
        tasking.status = TaskingStatus.WITHDRAWN
        tasking.save(update_fields=["status"])
        audit.record(
            action=audit.Action.TASKING_WITHDRAWN,
            actor=user,
            target=tasking,
            request=request,
            detail={"report": tasking.report.reference, "organisation": tasking.organisation_id},
        )
        remaining = set(tasking.report.taskings.values_list("status", flat=True))
        if report_status == Status.TASKED and TaskingStatus.OPEN not in remaining:
            answered = TaskingStatus.ANSWERED in remaining
            _move_status(
                report=tasking.report,
                user=user,
                to_status=Status.ACTIONED if answered else Status.UNDER_ASSESSMENT,
                request=request,
            )
    return tasking
