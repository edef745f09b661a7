"""Every write of background work: retrying a failed job, and the daily run.

The daily run (``lantern daily``, or the worker's own daily job) tells the owners of
overdue taskings and NRM decisions, once each, by email through the outbox; reviews unused
accounts and opens, reminds and reports the periodic access reviews (accounts); disposes
of the photos of report drafts nobody sent; clears expired sessions; and counts the records
due for the hub coordinator's retention review (shown on their home page). Each part can run
again the same day without doing anything twice.
"""

import dataclasses
import datetime
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.contrib.sessions.models import Session
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.db import transaction
from django.db.models import Q
from django.tasks import Task, TaskResultStatus
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from lantern.accounts.services import access_review
from lantern.accounts.services import review as idle_review
from lantern.core import access, audit, outbox
from lantern.core.audit import AuditContext
from lantern.core.models import User
from lantern.core.roles import Role
from lantern.housekeeping import retention
from lantern.housekeeping.models import (
    REVIEWED_KINDS,
    Job,
    OverdueKind,
    OverdueNotice,
    RecordKind,
)
from lantern.intelligence import selectors as intelligence_selectors
from lantern.intelligence.models import Tasking
from lantern.outreach.services import campaigns as campaign_services
from lantern.public import services as public_services
from lantern.safeguarding import nrm
from lantern.safeguarding.models import NRMReferral

logger = logging.getLogger(__name__)

Progress = Callable[[str], None]


def retry_jobs(*, jobs: Iterable[Job], actor: User, context: AuditContext | None = None) -> int:
    """Queue a failed job again, as new, with its arguments; each retry audited.

    An email job starts its attempts again from the first, with the full back-off. A job
    whose task no longer exists in the code is left as it is. Returns how many were queued.
    """
    if not access.can_administer(actor):
        raise PermissionDenied
    retried = 0
    with transaction.atomic():
        for job in jobs:
            if job.status != TaskResultStatus.FAILED:
                continue
            try:
                # Due now, whatever wait the failed attempt had.
                task = dataclasses.replace(job.task, run_after=None)
            except (ImportError, SuspiciousOperation):
                logger.warning("Job %s names a task that no longer exists", job.pk)
                continue
            kwargs = dict(job.args_kwargs["kwargs"])
            if "attempt" in kwargs:
                kwargs["attempt"] = 1
            queued = task.enqueue(*job.args_kwargs["args"], **kwargs)
            audit.record(
                action=audit.Action.JOB_RETRIED,
                actor=actor,
                context=context,
                target=job,
                detail={"task": job.task_path, "queued_as": str(queued.id)},
            )
            retried += 1
    return retried


@dataclass(frozen=True)
class DailySummary:
    overdue_taskings: int
    overdue_nrm_decisions: int
    draft_photos_disposed: int
    sessions_cleared: int
    jobs_pruned: int
    accounts_flagged_unused: int = 0
    accounts_deactivated_unused: int = 0
    access_reviews_opened: int = 0
    access_reviews_overdue: int = 0
    records_due_for_review: int = 0
    campaigns_moved: int = 0


def run_daily(
    *, today: datetime.date | None = None, progress: Progress | None = None
) -> DailySummary:
    """The day's scheduled work; safe to run more than once a day."""
    today = today or timezone.localdate()
    say = progress or (lambda _message: None)
    say("Telling the owners of overdue taskings…")
    taskings = notify_overdue_taskings()
    say(f"  {taskings} tasking(s) newly overdue")
    say("Telling the owners of overdue NRM decisions…")
    decisions = notify_overdue_nrm_decisions(today=today)
    say(f"  {decisions} NRM decision(s) newly overdue")
    photos = sessions = 0
    if retention.is_automatic(RecordKind.DRAFT_PHOTO):
        say("Disposing of the photos of drafts never sent…")
        photos = public_services.dispose_of_abandoned_draft_photos(
            lifetime=retention.review_period(
                RecordKind.DRAFT_PHOTO, public_services.DRAFT_PHOTO_LIFETIME
            )
        )
        say(f"  {photos} photo(s) removed")
    if retention.is_automatic(RecordKind.SESSION):
        say("Clearing expired sessions…")
        sessions = clear_expired_sessions()
        say(f"  {sessions} session(s) cleared")
    say("Reviewing unused accounts…")
    idle = idle_review.review_idle_accounts()
    say(f"  {len(idle.flagged)} flagged, {len(idle.deactivated)} deactivated")
    say("Opening access reviews and reminding their administrators…")
    reviews = access_review.run_access_reviews()
    say(
        f"  {len(reviews.opened)} opened, {len(reviews.reminded)} reminded, "
        f"{len(reviews.reported_overdue)} newly overdue"
    )
    say("Moving campaigns on by their dates…")
    campaigns = campaign_services.follow_dates(today=today)
    say(f"  {campaigns} campaign(s) now running or finished")
    say("Removing finished background jobs…")
    jobs = prune_finished_jobs()
    say(f"  {jobs} job(s) removed")
    say("Counting the records due for the hub coordinator's retention review…")
    due = sum(line.count for line in retention.due() if line.rule.kind in REVIEWED_KINDS)
    say(f"  {due} record(s) due for review")
    return DailySummary(
        overdue_taskings=taskings,
        overdue_nrm_decisions=decisions,
        draft_photos_disposed=photos,
        sessions_cleared=sessions,
        jobs_pruned=jobs,
        accounts_flagged_unused=len(idle.flagged),
        accounts_deactivated_unused=len(idle.deactivated),
        access_reviews_opened=len(reviews.opened),
        access_reviews_overdue=len(reviews.reported_overdue),
        records_due_for_review=due,
        campaigns_moved=campaigns,
    )


# Finished jobs are kept this long (an email job holds its recipient's address and the
# message): long enough to answer "was it sent?", no longer. Failed ones wait longer for
# an administrator to look at them.
SUCCESSFUL_JOBS_KEPT = datetime.timedelta(days=14)
FAILED_JOBS_KEPT = datetime.timedelta(days=90)


def prune_finished_jobs(*, now: datetime.datetime | None = None) -> int:
    """Delete finished jobs past their keeping period; how many were deleted."""
    now = now or timezone.now()
    deleted, _detail = Job.objects.filter(
        Q(status=TaskResultStatus.SUCCESSFUL, finished_at__lt=now - SUCCESSFUL_JOBS_KEPT)
        | Q(status=TaskResultStatus.FAILED, finished_at__lt=now - FAILED_JOBS_KEPT)
    ).delete()
    return deleted


def clear_expired_sessions() -> int:
    """Delete sessions past their expiry (automatic under the retention schedule)."""
    deleted, _detail = Session.objects.filter(expire_date__lt=timezone.now()).delete()
    return deleted


def _in_both_languages(text: Callable[[], str]) -> str:
    parts = []
    for language in ("en", "fr"):
        with translation.override(language):
            parts.append(text())
    return "\n\n".join(parts)


def _subject(text: Callable[[], str]) -> str:
    return _in_both_languages(text).replace("\n\n", " / ")


def _active_addresses(users: Iterable[User | None]) -> list[str]:
    return sorted(
        {user.email for user in users if user is not None and user.is_active and user.email}
    )


def _tasking_owners(tasking: Tasking) -> list[str]:
    """Those who answer the tasked organisation's taskings, and the analyst who tasked it."""
    answering = intelligence_selectors.tasking_answerer_addresses(tasking.organisation_id)
    return sorted({*answering, *_active_addresses([tasking.created_by])})


def _notice(kind: OverdueKind, record_id: int, recipients: list[str], today: datetime.date) -> bool:
    """Record the notice; whether it is new (another run may have sent it already)."""
    _notice, created = OverdueNotice.objects.get_or_create(
        kind=kind,
        object_id=record_id,
        defaults={"notified_on": today, "recipients": len(recipients)},
    )
    return created


def notify_overdue_taskings(*, today: datetime.date | None = None) -> int:
    """Email the owners of each open tasking past its deadline, once; how many were new."""
    today = today or timezone.localdate()
    told = OverdueNotice.objects.filter(kind=OverdueKind.TASKING).values("object_id")
    overdue = (
        intelligence_selectors.overdue_taskings()
        .exclude(pk__in=told)
        .select_related("report", "organisation", "created_by")
    )
    notified = 0
    for tasking in overdue:
        recipients = _tasking_owners(tasking)
        subject, body = _tasking_message(
            {
                "organisation": tasking.organisation.name,
                "reference": tasking.report.reference,
                "deadline": tasking.deadline.isoformat(),
            }
        )
        with transaction.atomic():
            if not _notice(OverdueKind.TASKING, tasking.pk, recipients, today):
                continue
            for address in recipients:
                outbox.enqueue_email(subject=subject, body=body, to=[address])
            audit.record(
                action=audit.Action.OVERDUE_NOTIFIED,
                target=tasking,
                detail={"kind": OverdueKind.TASKING.value, "recipients": len(recipients)},
            )
        notified += 1
    return notified


def _tasking_message(values: dict[str, str]) -> tuple[str, str]:
    subject = _subject(lambda: _("Lantern: a tasking is past its deadline"))
    body = _in_both_languages(
        lambda: (
            _(
                "The tasking of %(organisation)s on intelligence report %(reference)s was due "
                "on %(deadline)s and has not been answered. Answer it on the Taskings page in "
                "Lantern, or ask the intelligence hub for more time."
            )
            % values
        )
    )
    return subject, body


def _referral_owners(referral: NRMReferral) -> list[str]:
    """The person who made the referral and their organisation's safeguarding leads."""
    leads = [
        user
        for user in User.objects.filter(
            organisation_id=referral.referring_organisation_id, is_active=True
        )
        if access.has_role(user, Role.SAFEGUARDING_LEAD)
    ]
    return _active_addresses([*leads, referral.referred_by])


def _nrm_message(kind: OverdueKind, values: dict[str, str]) -> tuple[str, str]:
    subject = _subject(lambda: _("Lantern: an NRM decision is overdue"))
    if kind == OverdueKind.NRM_REASONABLE_GROUNDS:
        body = _in_both_languages(
            lambda: (
                _(
                    "The reasonable grounds decision on the NRM referral for potential victim "
                    "%(reference)s was due on %(due)s and is not recorded. Chase the competent "
                    "authority, and record the decision in Lantern when it comes."
                )
                % values
            )
        )
    else:
        body = _in_both_languages(
            lambda: (
                _(
                    "The conclusive grounds decision on the NRM referral for potential victim "
                    "%(reference)s was expected by %(due)s and is not recorded. Chase the "
                    "competent authority, and record the decision in Lantern when it comes."
                )
                % values
            )
        )
    return subject, body


def notify_overdue_nrm_decisions(*, today: datetime.date | None = None) -> int:
    """Email the owners of each NRM referral whose RG or CG decision is overdue, once per
    decision; the victim is named by pseudonymous reference only. How many were new."""
    today = today or timezone.localdate()
    pending = NRMReferral.objects.filter(
        Q(reasonable_grounds="") | Q(conclusive_grounds="")
    ).select_related("victim", "referred_by")
    told = set(
        OverdueNotice.objects.filter(
            kind__in=[OverdueKind.NRM_REASONABLE_GROUNDS, OverdueKind.NRM_CONCLUSIVE_GROUNDS]
        ).values_list("kind", "object_id")
    )
    notified = 0
    for referral in pending.iterator():
        timeline = nrm.timeline(referral, today=today)
        due = []
        if timeline.rg_overdue:
            due.append((OverdueKind.NRM_REASONABLE_GROUNDS, timeline.rg_due_on))
        if timeline.cg_overdue:
            due.append((OverdueKind.NRM_CONCLUSIVE_GROUNDS, timeline.cg_due_on))
        for kind, due_on in due:
            if (kind.value, referral.pk) in told:
                continue
            recipients = _referral_owners(referral)
            subject, body = _nrm_message(
                kind, {"reference": referral.victim.reference, "due": due_on.isoformat()}
            )
            with transaction.atomic():
                if not _notice(kind, referral.pk, recipients, today):
                    continue
                for address in recipients:
                    outbox.enqueue_email(subject=subject, body=body, to=[address])
                audit.record(
                    action=audit.Action.OVERDUE_NOTIFIED,
                    target=referral,
                    detail={"kind": kind.value, "recipients": len(recipients)},
                )
            notified += 1
    return notified


# When the worker's daily job runs, in local time: a quiet hour for mail and database.
DAILY_AT = datetime.time(2, 0)


def next_daily_run(now: datetime.datetime | None = None) -> datetime.datetime:
    """The next ``DAILY_AT`` after ``now``."""
    now = timezone.localtime(now)
    at = now.replace(hour=DAILY_AT.hour, minute=DAILY_AT.minute, second=0, microsecond=0)
    return at if at > now else at + datetime.timedelta(days=1)


def schedule_daily(daily: Task, *, now: datetime.datetime | None = None) -> bool:
    """Queue the next daily job unless one is already waiting; whether one was queued."""
    with transaction.atomic():
        waiting = Job.objects.filter(task_path=daily.module_path, status=TaskResultStatus.READY)
        if waiting.exists():
            return False
        daily.using(run_after=next_daily_run(now)).enqueue()
    return True
