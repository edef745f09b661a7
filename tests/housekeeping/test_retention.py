"""The retention schedule as data: sensible defaults, edited by administrators (audited),
listed by ``lantern retention``; only drafts and expired sessions go without a decision."""

import datetime
import uuid
from io import StringIO

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from lantern.core import audit
from lantern.core.models import AuditEvent
from lantern.core.roles import Role
from lantern.housekeeping import services
from lantern.housekeeping.models import RecordKind, RetentionRule
from lantern.public.models import PublicReport, ReportPhoto
from lantern.public.services import submit_report
from tests.housekeeping.test_daily import _photo

pytestmark = pytest.mark.django_db

YEARS_AGO_7 = timezone.now() - datetime.timedelta(days=7 * 365)


def _old_report():
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
    PublicReport.objects.filter(pk=report.pk).update(submitted_at=YEARS_AGO_7)
    return report


def _expired_session():
    session = SessionStore()
    session.create()
    Session.objects.filter(session_key=session.session_key).update(
        expire_date=timezone.now() - datetime.timedelta(minutes=1)
    )


@pytest.fixture
def due():
    """A report from the public seven years old, a photo of a draft abandoned last week and
    an expired session."""
    report = _old_report()
    photo = _photo(uuid.uuid4(), days_old=7)
    _expired_session()
    return report, photo


def test_every_kind_has_a_default_period_with_its_reason_and_only_two_go_automatically():
    rules = {rule.kind: rule for rule in RetentionRule.objects.all()}

    assert set(rules) == set(RecordKind.values)
    assert all(rule.rationale for rule in rules.values())
    assert {kind for kind, rule in rules.items() if rule.automatic} == {
        RecordKind.DRAFT_PHOTO,
        RecordKind.SESSION,
    }
    assert rules[RecordKind.INTELLIGENCE].review_after_days >= 6 * 365  # MoPI group 3
    assert rules[RecordKind.AUDIT_LOG].review_after_days >= 10 * 365


def _retention(*arguments):
    output = StringIO()
    call_command("retention", *arguments, stdout=output)
    return output.getvalue()


def test_a_dry_run_lists_what_is_due_and_changes_nothing(due):
    report, photo = due

    text = _retention("--dry-run")

    assert "Reports from the public: after 2192 days, 1 due for review" in text
    assert "Intelligence reports (any other): after 2192 days, 0 due for review" in text
    assert "Intelligence involving a child: after 3652 days, 0 due for review" in text
    assert "Would remove 1: Photos of report drafts never sent" in text
    assert "Would remove 1: Expired sessions" in text
    assert "Dry run: nothing was changed." in text
    assert PublicReport.objects.filter(pk=report.pk).exists()
    assert ReportPhoto.objects.filter(pk=photo.pk).exists()
    assert Session.objects.count() == 1


def test_retention_disposes_of_drafts_and_sessions_only(due):
    report, photo = due

    text = _retention()

    assert "Removed 1 photo(s) of drafts never sent." in text
    assert "Removed 1 expired session(s)." in text
    assert PublicReport.objects.filter(pk=report.pk).exists()  # due, but needs a decision
    assert not ReportPhoto.objects.filter(pk=photo.pk).exists()
    assert not Session.objects.exists()


def test_a_longer_draft_period_set_by_the_partnership_keeps_the_photo(due):
    _report, photo = due
    RetentionRule.objects.filter(kind=RecordKind.DRAFT_PHOTO).update(review_after_days=30)

    assert services.run_daily().draft_photos_disposed == 0
    assert ReportPhoto.objects.filter(pk=photo.pk).exists()


def test_drafts_not_marked_automatic_are_kept_by_the_daily_run(due):
    _report, photo = due
    RetentionRule.objects.filter(kind=RecordKind.DRAFT_PHOTO).update(automatic=False)

    assert services.run_daily().draft_photos_disposed == 0
    assert ReportPhoto.objects.filter(pk=photo.pk).exists()


def _change_url(kind):
    return reverse(
        "admin:housekeeping_retentionrule_change",
        args=[RetentionRule.objects.get(kind=kind).pk],
    )


def test_an_administrator_sets_a_period_and_it_is_audited(signed_in):
    client = signed_in(Role.SYSTEM_ADMINISTRATOR)

    response = client.post(
        _change_url(RecordKind.INTELLIGENCE),
        {"review_after_days": "3653", "rationale": "Ten years: the ISA of 2026, clause 9."},
    )

    assert response.status_code == 302
    rule = RetentionRule.objects.get(kind=RecordKind.INTELLIGENCE)
    assert (rule.review_after_days, rule.automatic) == (3653, False)
    event = AuditEvent.objects.get(action=audit.Action.ADMIN_CHANGE)
    assert event.object_id == str(rule.pk)


def test_intelligence_cannot_be_made_to_go_without_a_decision(signed_in):
    client = signed_in(Role.SYSTEM_ADMINISTRATOR)

    response = client.post(
        _change_url(RecordKind.INTELLIGENCE),
        {"review_after_days": "10", "automatic": "on", "rationale": "Tidy up"},
    )

    assert response.status_code == 200
    assert "every other record needs a decision" in response.content.decode()
    rule = RetentionRule.objects.get(kind=RecordKind.INTELLIGENCE)
    assert (rule.review_after_days, rule.automatic) == (2192, False)


@pytest.mark.parametrize("role", [role for role in Role if role is not Role.SYSTEM_ADMINISTRATOR])
def test_nobody_else_changes_the_schedule(signed_in, role):
    client = signed_in(role)

    response = client.post(
        _change_url(RecordKind.VICTIM), {"review_after_days": "1", "rationale": "x"}
    )

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))
    assert RetentionRule.objects.get(kind=RecordKind.VICTIM).review_after_days == 2192


_ANY_TEXT = st.one_of(
    st.text(max_size=40),
    st.just("99999999999999999999"),
    st.just("-1"),
    st.just("\x00"),
)


@hypothesis_settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    answers=st.dictionaries(
        st.sampled_from(["review_after_days", "automatic", "rationale", "kind"]), _ANY_TEXT
    ),
    kind=st.sampled_from(RecordKind.values),
)
def test_no_schedule_input_causes_a_server_error(signed_in, answers, kind):
    client = signed_in(Role.SYSTEM_ADMINISTRATOR)
    data = {
        name: value.encode("utf-8", "replace").decode("utf-8") for name, value in answers.items()
    }
    before = RetentionRule.objects.get(kind=kind)

    response = client.post(_change_url(kind), data)

    assert response.status_code in {200, 302}
    after = RetentionRule.objects.get(kind=kind)
    assert after.kind == before.kind
    assert not after.automatic or after.kind in {RecordKind.DRAFT_PHOTO, RecordKind.SESSION}
