"""The daily run: owners of overdue taskings and NRM decisions told once each, by email
through the outbox; photos of drafts never sent removed; expired sessions cleared."""

import datetime
import uuid
from io import StringIO

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.core import mail
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from lantern.core.models import AuditEvent
from lantern.core.roles import Role
from lantern.housekeeping import services, tasks
from lantern.housekeeping.models import OverdueKind, OverdueNotice
from lantern.public.models import ReportPhoto
from lantern.public.services import DRAFT_PHOTO_LIFETIME
from tests.factories import OrganisationFactory, TaskingFactory, UserFactory
from tests.safeguarding.factories import NRMReferralFactory, VictimFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def _sent_to():
    return sorted(address for message in mail.outbox for address in message.to)


@pytest.fixture
def overdue_tasking():
    tasked = OrganisationFactory(name="Leicester City Council")
    answering = UserFactory(
        email="answers@council.test", organisation=tasked, roles=[Role.PARTNER_CONTRIBUTOR]
    )
    UserFactory(email="outreach@council.test", organisation=tasked, roles=[Role.OUTREACH_OFFICER])
    UserFactory(
        email="gone@council.test",
        organisation=tasked,
        roles=[Role.PARTNER_CONTRIBUTOR],
        is_active=False,
    )
    analyst = UserFactory(email="analyst@hub.test", roles=[Role.HUB_ANALYST])
    tasking = TaskingFactory(
        organisation=tasked, created_by=analyst, deadline=TODAY - datetime.timedelta(days=1)
    )
    assert answering.is_active
    return tasking


def test_an_overdue_tasking_is_told_to_those_who_answer_it_and_the_analyst_once(
    overdue_tasking, run_jobs
):
    on_time = TaskingFactory(deadline=TODAY)  # due today: not overdue yet

    summary = services.run_daily()
    again = services.run_daily()

    assert (summary.overdue_taskings, again.overdue_taskings) == (1, 0)
    notice = OverdueNotice.objects.get()
    assert (notice.kind, notice.object_id, notice.recipients) == (
        OverdueKind.TASKING,
        overdue_tasking.pk,
        2,
    )
    assert not OverdueNotice.objects.filter(object_id=on_time.pk).exists()
    assert mail.outbox == []  # queued, not sent in the run
    assert run_jobs() == 2
    assert _sent_to() == ["analyst@hub.test", "answers@council.test"]
    body = mail.outbox[0].body
    assert overdue_tasking.report.reference in body
    assert "Visit the car wash" not in body  # the request itself stays in Lantern
    assert "Répondez" in body  # and in French too
    event = AuditEvent.objects.get(action="jobs.overdue_notified")
    assert event.object_id == str(overdue_tasking.pk)
    assert event.detail == {"kind": "tasking", "recipients": 2}


def test_an_answered_tasking_past_its_deadline_is_not_chased(run_jobs):
    TaskingFactory(deadline=TODAY - datetime.timedelta(days=3), status="withdrawn")

    assert services.run_daily().overdue_taskings == 0
    assert not DBTaskResult.objects.exists()


def test_an_overdue_reasonable_grounds_decision_is_told_by_pseudonym_only(run_jobs):
    victim = VictimFactory(identified_on=TODAY - datetime.timedelta(days=20))
    lead = UserFactory(
        email="lead@police.test",
        organisation=victim.identified_by,
        roles=[Role.SAFEGUARDING_LEAD],
    )
    referral = NRMReferralFactory(victim=victim)
    NRMReferralFactory(  # decided in time: nothing to chase
        victim=VictimFactory(identified_on=TODAY - datetime.timedelta(days=20)),
        reasonable_grounds="positive",
        reasonable_grounds_on=TODAY - datetime.timedelta(days=17),
    )

    assert services.run_daily().overdue_nrm_decisions == 1
    assert services.run_daily().overdue_nrm_decisions == 0

    notice = OverdueNotice.objects.get()
    assert (notice.kind, notice.object_id) == (OverdueKind.NRM_REASONABLE_GROUNDS, referral.pk)
    run_jobs()
    assert _sent_to() == sorted([lead.email, referral.referred_by.email])
    body = mail.outbox[0].body
    assert victim.reference in body
    assert victim.name not in body


def test_an_overdue_conclusive_grounds_decision_is_a_notice_of_its_own(run_jobs):
    long_ago = TODAY - datetime.timedelta(days=400)
    referral = NRMReferralFactory(
        victim=VictimFactory(identified_on=long_ago),
        reasonable_grounds="positive",
        reasonable_grounds_on=long_ago + datetime.timedelta(days=3),
    )

    assert services.notify_overdue_nrm_decisions() == 1

    assert OverdueNotice.objects.get().kind == OverdueKind.NRM_CONCLUSIVE_GROUNDS
    assert OverdueNotice.objects.get().object_id == referral.pk


def _photo(draft_key, *, days_old, report=None):
    photo = ReportPhoto(
        draft_key=draft_key,
        report=report,
        original_name="van.jpg",
        content_type="image/jpeg",
        width=1,
        height=1,
        size=3,
    )
    photo.file.save("photo.jpg", ContentFile(b"jpg"), save=False)
    photo.save()
    ReportPhoto.objects.filter(pk=photo.pk).update(
        uploaded_at=timezone.now() - datetime.timedelta(days=days_old)
    )
    return photo


def test_photos_of_drafts_never_sent_are_removed_with_their_files_and_audited():
    abandoned = _photo(uuid.uuid4(), days_old=DRAFT_PHOTO_LIFETIME.days + 1)
    in_progress = _photo(uuid.uuid4(), days_old=0)
    storage = abandoned.file.storage
    abandoned_name = abandoned.file.name

    assert services.run_daily().draft_photos_disposed == 1

    assert list(ReportPhoto.objects.all()) == [in_progress]
    assert not storage.exists(abandoned_name)
    assert storage.exists(in_progress.file.name)
    event = AuditEvent.objects.get(action="public.draft_photos_disposed")
    assert event.detail["photos"] == 1


def test_photos_of_sent_reports_are_kept_however_old(visitor_report):
    kept = _photo(uuid.uuid4(), days_old=365, report=visitor_report)

    assert services.run_daily().draft_photos_disposed == 0
    assert ReportPhoto.objects.get() == kept
    assert kept.file.storage.exists(kept.file.name)


@pytest.fixture
def visitor_report():
    from lantern.public.services import submit_report

    report, _token = submit_report(
        submission_key=uuid.uuid4(),
        answers={
            "immediate_danger": "no",
            "what_happened": "Workers sleep at the car wash",
            "children_involved": "no",
            "location": "Narborough Road",
        },
        language="en",
    )
    return report


def test_expired_sessions_are_cleared_and_live_ones_kept():
    live = SessionStore()
    live["x"] = 1
    live.create()
    expired = SessionStore()
    expired.create()
    Session.objects.filter(session_key=expired.session_key).update(
        expire_date=timezone.now() - datetime.timedelta(minutes=1)
    )

    assert services.run_daily().sessions_cleared == 1
    assert list(Session.objects.values_list("session_key", flat=True)) == [live.session_key]


def test_the_daily_command_shows_its_progress(overdue_tasking):
    output = StringIO()
    call_command("daily", stdout=output)

    text = output.getvalue()
    assert "overdue taskings" in text
    assert "Done: 1 tasking(s)" in text


def test_the_worker_daily_job_runs_the_work_and_queues_tomorrows(overdue_tasking, run_jobs):
    now = timezone.localtime()
    assert services.schedule_daily(tasks.daily) is True
    assert services.schedule_daily(tasks.daily) is False  # one is waiting already
    waiting = DBTaskResult.objects.get()
    assert waiting.run_after == services.next_daily_run(now)
    assert waiting.run_after > timezone.now()

    DBTaskResult.objects.update(run_after=timezone.now() - datetime.timedelta(seconds=1))
    run_jobs()

    daily_jobs = DBTaskResult.objects.filter(task_path="lantern.housekeeping.tasks.daily")
    done = daily_jobs.get(status="SUCCESSFUL")
    assert done.return_value["overdue_taskings"] == 1
    assert daily_jobs.get(status="READY").run_after > timezone.now()  # tomorrow's
    assert len(mail.outbox) == 2  # the notices it queued, sent in the same batch


def test_the_next_daily_run_is_tonight_or_tomorrow_night():
    evening = timezone.make_aware(datetime.datetime(2026, 3, 4, 22, 0))
    early = timezone.make_aware(datetime.datetime(2026, 3, 4, 1, 0))

    assert services.next_daily_run(evening) == timezone.make_aware(
        datetime.datetime(2026, 3, 5, 2, 0)
    )
    assert services.next_daily_run(early) == timezone.make_aware(
        datetime.datetime(2026, 3, 4, 2, 0)
    )


def test_finished_jobs_are_removed_after_their_keeping_period(run_jobs):
    from django.db import transaction

    from lantern.core import outbox

    with transaction.atomic():
        for number in range(3):
            outbox.enqueue_email(subject="Hi", body="Body", to=[f"{number}@example.com"])
    run_jobs()
    old, recent, failed = DBTaskResult.objects.order_by("enqueued_at")
    now = timezone.now()
    DBTaskResult.objects.filter(pk=old.pk).update(finished_at=now - datetime.timedelta(days=15))
    DBTaskResult.objects.filter(pk=failed.pk).update(
        status="FAILED", finished_at=now - datetime.timedelta(days=30)
    )

    assert services.run_daily().jobs_pruned == 1

    assert set(DBTaskResult.objects.values_list("pk", flat=True)) == {recent.pk, failed.pk}
