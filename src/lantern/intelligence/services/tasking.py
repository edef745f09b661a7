"""Taskings: the hub asks agencies to act on a report, they answer, the hub may withdraw;
each moves the report along the workflow when it should."""

import datetime
import uuid
from collections.abc import Sequence

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from lantern.core import access, audit, outbox
from lantern.core.audit import AuditContext
from lantern.core.models import Organisation, User
from lantern.intelligence import rules, selectors
from lantern.intelligence.models import (
    REQUEST_MAX_LENGTH,
    IntelligenceReport,
    Status,
    Tasking,
    TaskingResult,
    TaskingStatus,
)
from lantern.intelligence.services.triage import locked_status, move_status


def task_agencies(
    *,
    report: IntelligenceReport,
    user: User,
    submission_key: uuid.UUID,
    organisations: Sequence[Organisation],
    request_text: str,
    deadline: datetime.date,
    context: AuditContext | None = None,
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
    rules.check_text("request_text", request_text, REQUEST_MAX_LENGTH)
    if deadline < timezone.localdate():
        raise ValidationError({"deadline": _("The deadline must be today or in the future")})
    keys = {
        organisation.pk: uuid.uuid5(submission_key, str(organisation.pk))
        for organisation in organisations
    }
    with transaction.atomic():
        status = locked_status(report, user)
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
                context=context,
                detail={
                    "report": report.reference,
                    "organisation": organisation.pk,
                    "deadline": deadline.isoformat(),
                },
            )
            _queue_tasking_notice(tasking)
            taskings.append(tasking)
        if status != Status.TASKED:
            move_status(report=report, user=user, to_status=Status.TASKED, context=context)
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


def answer_tasking(
    *,
    tasking: Tasking,
    user: User,
    result: str,
    response: str,
    context: AuditContext | None = None,
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
    rules.check_text("response", response, REQUEST_MAX_LENGTH)
    with transaction.atomic():
        report_status = locked_status(tasking.report, user)
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
            context=context,
            detail={"report": tasking.report.reference, "result": result},
        )
        still_open = tasking.report.taskings.filter(status=TaskingStatus.OPEN).exists()
        if report_status == Status.TASKED and not still_open:
            move_status(
                report=tasking.report, user=user, to_status=Status.ACTIONED, context=context
            )
    return tasking


def _same_answer(tasking: Tasking, *, user: User, result: str, response: str) -> bool:
    return (
        tasking.status == TaskingStatus.ANSWERED
        and tasking.responded_by_id == user.pk
        and (tasking.result, tasking.response) == (result, response)
    )


def withdraw_tasking(
    *, tasking: Tasking, user: User, context: AuditContext | None = None
) -> Tasking:
    """Take back an open tasking; the agency loses the access the tasking gave it.

    When no open tasking is left on a tasked report, the report moves on as if the
    withdrawn one had never been asked: to actioned when another agency answered, or
    back to under assessment for the analysts to re-task or close.
    """
    if not access.can_triage_intelligence(user):
        raise PermissionDenied
    with transaction.atomic():
        report_status = locked_status(tasking.report, user)
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
            context=context,
            detail={"report": tasking.report.reference, "organisation": tasking.organisation_id},
        )
        remaining = set(tasking.report.taskings.values_list("status", flat=True))
        if report_status == Status.TASKED and TaskingStatus.OPEN not in remaining:
            answered = TaskingStatus.ANSWERED in remaining
            move_status(
                report=tasking.report,
                user=user,
                to_status=Status.ACTIONED if answered else Status.UNDER_ASSESSMENT,
                context=context,
            )
    return tasking
