"""The hub coordinator's retention review: records past their review date are listed
(references and dates only); keeping one needs a reason and a new date; disposing of one
empties it of personal data, content and photos and leaves a tombstone, audited, while
the row (and the statistics counting it) stays. Nobody else reaches any of it."""

import datetime
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone

from lantern.core import audit
from lantern.core.models import AuditEvent
from lantern.core.roles import Role
from lantern.entities.mentions import MentionData
from lantern.entities.models import Entity
from lantern.housekeeping import retention
from lantern.housekeeping.models import (
    RecordKind,
    RecordType,
    RetentionDecision,
    RetentionRule,
    Tombstone,
)
from lantern.intelligence.models import ClosingReason, IntelligenceReport
from lantern.intelligence.services.mentions import add_mentions
from lantern.public.models import PublicReport, ReportPhoto
from lantern.safeguarding.models import PotentialVictim
from tests.factories import IntelligenceReportFactory
from tests.housekeeping.test_daily import _photo
from tests.housekeeping.test_retention import _old_report
from tests.safeguarding.factories import SupportReferralFactory, VictimFactory

pytestmark = pytest.mark.django_db

WORKLIST = reverse("housekeeping:worklist")


def _years_ago(years: float) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(days=int(years * 365))


def _intelligence(years: float, **fields) -> IntelligenceReport:
    report = IntelligenceReportFactory(**fields)
    IntelligenceReport.objects.filter(pk=report.pk).update(created_at=_years_ago(years))
    return report


def _review(record_type: RecordType, pk: int) -> str:
    return reverse("housekeeping:review", args=[record_type.value, pk])


@pytest.fixture
def coordinator(signed_in):
    return signed_in(Role.HUB_COORDINATOR)


def test_the_worklist_lists_what_is_due_by_reference_without_its_content(coordinator):
    old = _old_report()
    recent = _intelligence(1)
    due_intelligence = _intelligence(7)

    page = coordinator.get(WORKLIST).content.decode()

    assert old.reference in page and due_intelligence.reference in page
    assert recent.reference not in page
    assert "car wash" not in page  # neither what the public wrote nor the summary
    assert _review(RecordType.PUBLIC_REPORT, old.pk) in page


@pytest.mark.parametrize(
    "role",
    [Role.HUB_ANALYST, Role.SAFEGUARDING_LEAD, Role.SYSTEM_ADMINISTRATOR, Role.BOARD_VIEWER],
)
def test_nobody_but_the_hub_coordinator_reaches_the_review_or_disposes(signed_in, role):
    old = _old_report()
    client = signed_in(role)

    assert client.get(WORKLIST).status_code == 404
    assert client.get(reverse("housekeeping:disposed")).status_code == 404
    assert client.get(_review(RecordType.PUBLIC_REPORT, old.pk)).status_code == 404
    response = client.post(_review(RecordType.PUBLIC_REPORT, old.pk), {"decision": "dispose"})

    assert response.status_code == 404
    assert not Tombstone.objects.exists()
    old.refresh_from_db()
    assert old.what_happened == "Workers sleep at the car wash"


def test_a_record_not_due_or_missing_is_not_found_like_a_forbidden_one(coordinator):
    recent = _intelligence(1)

    for path in (
        _review(RecordType.INTELLIGENCE, recent.pk),
        _review(RecordType.INTELLIGENCE, 999999),
        "/hub/retention/no-such-kind/1/",
    ):
        assert coordinator.get(path).status_code == 404
        assert coordinator.post(path, {"decision": "dispose"}).status_code == 404
    assert not Tombstone.objects.exists()


def test_disposing_of_a_public_report_empties_it_removes_its_photos_and_leaves_a_tombstone(
    coordinator,
):
    report = _old_report()
    PublicReport.objects.filter(pk=report.pk).update(
        contact_name="Sam Reporter", contact_email="sam@example.com", consent_to_contact=True
    )
    photo = _photo(uuid.uuid4(), days_old=7 * 365, report=report)
    storage, name = photo.file.storage, photo.file.name
    reports_before = PublicReport.objects.count()

    response = coordinator.post(
        _review(RecordType.PUBLIC_REPORT, report.pk), {"decision": "dispose", "reason": ""}
    )
    assert response.status_code == 302
    again = coordinator.post(_review(RecordType.PUBLIC_REPORT, report.pk), {"decision": "dispose"})
    assert again.status_code == 302  # sent twice: disposed of once, back to the list
    assert coordinator.get(_review(RecordType.PUBLIC_REPORT, report.pk)).status_code == 404

    report.refresh_from_db()
    assert (report.what_happened, report.location, report.contact_name, report.contact_email) == (
        "",
        "",
        "",
        "",
    )
    assert PublicReport.objects.count() == reports_before  # statistics still count it
    assert not ReportPhoto.objects.filter(report=report).exists()
    assert not storage.exists(name)
    tombstone = Tombstone.objects.get()
    assert (tombstone.reference, tombstone.kind, tombstone.files_removed) == (
        report.reference,
        RecordKind.PUBLIC_REPORT,
        1,
    )
    assert tombstone.disposed_by.email == coordinator.user.email
    event = AuditEvent.objects.get(action=audit.Action.RECORD_DISPOSED)
    assert event.detail["reference"] == report.reference
    assert "Sam" not in str(event.detail)
    assert audit.verify_chain().intact
    assert report.reference not in coordinator.get(WORKLIST).content.decode()
    assert report.reference in coordinator.get(reverse("housekeeping:disposed")).content.decode()


def test_keeping_needs_a_reason_and_a_date_then_waits_until_that_date(coordinator):
    report = _intelligence(7)
    path = _review(RecordType.INTELLIGENCE, report.pk)

    refused = coordinator.post(path, {"decision": "retain", "reason": "", "retain_until": ""})
    assert refused.status_code == 200
    page = refused.content.decode()
    assert "Enter why the record is kept" in page
    assert "Enter the date of the next review" in page
    past = coordinator.post(
        path, {"decision": "retain", "reason": "Live case", "retain_until": "1/1/2020"}
    )
    assert "The next review must be after today" in past.content.decode()
    assert not RetentionDecision.objects.exists()

    next_review = timezone.localdate() + datetime.timedelta(days=365)
    answer = {
        "decision": "retain",
        "reason": "Operation Kestrel is still open",
        "retain_until": next_review.strftime("%d/%m/%Y"),
    }
    assert coordinator.post(path, answer).status_code == 302
    assert coordinator.post(path, answer).status_code == 302  # sent twice: one decision

    decision = RetentionDecision.objects.get()
    assert (decision.retain_until, decision.kind) == (next_review, RecordKind.INTELLIGENCE)
    assert AuditEvent.objects.filter(action=audit.Action.RECORD_RETAINED).count() == 1
    report.refresh_from_db()
    assert report.narrative  # kept as it was
    rule = RetentionRule.objects.get(kind=RecordKind.INTELLIGENCE)
    assert not retention.due_records(rule).filter(pk=report.pk).exists()
    later = timezone.now() + datetime.timedelta(days=366)
    assert retention.due_records(rule, now=later).filter(pk=report.pk).exists()


def test_disposing_of_intelligence_keeps_grading_and_handling_but_not_its_content(coordinator):
    report = _intelligence(7, restricted=True)
    add_mentions(report, [MentionData(kind="person", role="suspected_exploiter", value="Ivan K")])

    coordinator.post(_review(RecordType.INTELLIGENCE, report.pk), {"decision": "dispose"})

    report.refresh_from_db()
    assert (report.summary, report.narrative) == ("", "")
    assert not report.mentions.exists()
    assert (report.handling_code, report.handling_conditions) == (
        "C",
        "Police only: live investigation",
    )  # still restricted as before
    assert report.grading == "2 / B / C"


@pytest.mark.parametrize(
    ("fields", "closed_as", "kind", "due_after_years"),
    [
        ({"child_involved": True}, None, RecordKind.INTELLIGENCE_CHILD, 10),
        ({}, ClosingReason.REFERRED_TO_OPERATION, RecordKind.INTELLIGENCE_ACTED_ON, 10),
        ({"intelligence_assessment": "E"}, None, RecordKind.INTELLIGENCE_DOUBTFUL, 2),
        ({"intelligence_assessment": "E"}, ClosingReason.NO_FURTHER_ACTION, None, 2),
        ({}, ClosingReason.NO_FURTHER_ACTION, RecordKind.INTELLIGENCE, 6),
    ],
)
def test_intelligence_is_reviewed_by_grading_and_outcome(fields, closed_as, kind, due_after_years):
    report = _intelligence(0, **fields)
    if closed_as:
        report.status_changes.create(
            from_status="under_assessment",
            to_status="closed",
            reason=closed_as,
            changed_by=report.created_by,
        )
    kind = kind or RecordKind.INTELLIGENCE_DOUBTFUL
    assert retention.kind_of(RecordType.INTELLIGENCE, report) == kind
    rule = RetentionRule.objects.get(kind=kind)
    before = timezone.now() + datetime.timedelta(days=365 * due_after_years - 30)
    after = timezone.now() + datetime.timedelta(days=365 * due_after_years + 30)
    assert not retention.due_records(rule, now=before).filter(pk=report.pk).exists()
    assert retention.due_records(rule, now=after).filter(pk=report.pk).exists()
    # In no other kind: one review per report.
    others = RetentionRule.objects.filter(kind__startswith="intelligence").exclude(kind=kind)
    far = timezone.now() + datetime.timedelta(days=365 * 20)
    assert not any(retention.due_records(o, now=far).filter(pk=report.pk) for o in others)


def test_disposing_of_a_victims_personal_details_keeps_the_pseudonymous_record(coordinator):
    victim = VictimFactory(contact="07700 900123", address="Flat 2, Hidden Lane")
    PotentialVictim.objects.filter(pk=victim.pk).update(created_at=_years_ago(7))
    referral = SupportReferralFactory(victim=victim)

    coordinator.post(_review(RecordType.VICTIM, victim.pk), {"decision": "dispose"})

    victim.refresh_from_db()
    assert (victim.name, victim.contact, victim.address, victim.date_of_birth) == (
        None,
        None,
        None,
        None,
    )
    assert victim.reference and victim.age_at_identification == 30
    referral.refresh_from_db()
    assert referral.request  # its own review, later (made today)


def test_an_entity_still_mentioned_by_kept_intelligence_cannot_be_disposed_of(coordinator):
    report = _intelligence(7)
    [mention] = add_mentions(
        report, [MentionData(kind="phone", role="contact", value="07700 900456")]
    )
    mention.refresh_from_db()
    entity = mention.entity
    Entity.objects.filter(pk=entity.pk).update(created_at=_years_ago(7))

    refused = coordinator.post(_review(RecordType.ENTITY, entity.pk), {"decision": "dispose"})
    assert "review that intelligence first" in refused.content.decode()
    assert not Tombstone.objects.exists()

    coordinator.post(_review(RecordType.INTELLIGENCE, report.pk), {"decision": "dispose"})
    coordinator.post(_review(RecordType.ENTITY, entity.pk), {"decision": "dispose"})
    entity.refresh_from_db()
    assert entity.label == "" and entity.key.startswith("disposed:")
    assert Tombstone.objects.count() == 2


def test_the_coordinators_home_page_counts_what_is_due_and_nobody_elses_does(
    coordinator, signed_in
):
    _intelligence(7)
    _old_report()

    page = coordinator.get("/").content.decode()
    assert "2 records are due for review under the retention schedule" in page
    assert "Retention review" not in signed_in(Role.HUB_ANALYST).get("/").content.decode()


def test_the_daily_run_counts_what_waits_for_review():
    from lantern.housekeeping import services

    _intelligence(7)
    _intelligence(1)

    assert services.run_daily().records_due_for_review == 1
