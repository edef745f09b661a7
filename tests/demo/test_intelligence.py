"""The demo's intelligence: years of realistic reports, the same for a seed, loaded once."""

import datetime
import itertools
import re
import uuid
from collections import Counter, defaultdict

import pytest
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count, F, Max, Min

from lantern.core import selectors as core_selectors
from lantern.demo import intelligence, partnership
from lantern.entities.models import Mention, MentionKind
from lantern.intelligence.models import (
    TRANSITIONS,
    ClosingReason,
    HandlingCode,
    IntelligenceAssessment,
    IntelligenceReport,
    Regrading,
    SourceEvaluation,
    Status,
    StatusChange,
    Tasking,
    TaskingStatus,
)

UNTIL = datetime.datetime(2026, 11, 20, 15, 30, tzinfo=datetime.UTC)
COUNT = 1500


# These two run first, on an empty database: the fixture below keeps its reports for the
# rest of the module.


def test_it_needs_the_partnership_first(db):
    with pytest.raises(RuntimeError, match="partnership"):
        intelligence.generate(10, seed=1, until=UNTIL)
    assert not IntelligenceReport.objects.exists()


def test_the_demo_command_loads_intelligence_once(db, capsys):
    call_command("demo")
    assert f"{intelligence.DEMO_COUNT} reports added" in capsys.readouterr().out
    counts = (IntelligenceReport.objects.count(), Tasking.objects.count())
    assert counts[0] == intelligence.DEMO_COUNT
    call_command("demo")
    assert "0 reports added" in capsys.readouterr().out
    assert (IntelligenceReport.objects.count(), Tasking.objects.count()) == counts


@pytest.fixture(scope="module")
def generated(django_db_setup, django_db_blocker):
    """One load for the whole module, in a transaction rolled back at its end.

    Each test's own transaction nests inside it (a savepoint), as in Django's
    ``TestCase.setUpTestData``, so a test that changes the data leaves the next one intact.
    """
    with django_db_blocker.unblock(), transaction.atomic():
        partnership.generate()
        assert intelligence.generate(COUNT, seed=11, until=UNTIL) == COUNT
        yield
        transaction.set_rollback(True)


@pytest.fixture
def loaded(generated, db):
    return IntelligenceReport.objects.all()


def _snapshot() -> list[tuple]:
    reports = list(
        IntelligenceReport.objects.order_by("reference").values_list(
            "reference",
            "summary",
            "narrative",
            "created_at",
            "status",
            "source_evaluation",
            "intelligence_assessment",
            "handling_code",
            "handling_conditions",
            "postcode",
            "originating_organisation__name",
        )
    )
    mentions = sorted(Mention.objects.values_list("report__reference", "kind", "role", "key"))
    changes = sorted(
        StatusChange.objects.values_list("report__reference", "to_status", "changed_at", "reason")
    )
    taskings = sorted(
        Tasking.objects.values_list("report__reference", "organisation__name", "deadline")
    )
    return [reports, mentions, changes, taskings]


def test_it_is_deterministic_from_the_seed(loaded):
    first = _snapshot()
    IntelligenceReport.objects.all().delete()
    intelligence.generate(COUNT, seed=11, until=UNTIL)
    assert _snapshot() == first


def test_another_seed_tells_another_story(loaded):
    before = set(loaded.values_list("summary", "created_at"))
    intelligence.generate(200, seed=12, until=UNTIL)
    added = set(IntelligenceReport.objects.values_list("summary", "created_at")) - before
    assert len(added) == 200


def test_volumes_rise_year_on_year_and_start_in_2021(loaded):
    per_year = Counter(created.year for created in loaded.values_list("created_at", flat=True))
    assert min(per_year) == 2021
    assert per_year[2021] < per_year[2023] < per_year[2025]
    assert per_year[2025] > 1.5 * per_year[2021]


def test_nothing_happens_after_the_cut_off(loaded):
    assert loaded.aggregate(last=Max("created_at"))["last"] <= UNTIL
    assert loaded.aggregate(first=Min("created_at"))["first"].date() >= intelligence.FIRST_DAY
    assert not loaded.filter(occurred_on__gt=UNTIL.date()).exists()
    assert StatusChange.objects.aggregate(last=Max("changed_at"))["last"] <= UNTIL
    assert Regrading.objects.aggregate(last=Max("changed_at"))["last"] <= UNTIL
    assert Tasking.objects.aggregate(last=Max("created_at"))["last"] <= UNTIL
    assert Tasking.objects.aggregate(last=Max("responded_at"))["last"] <= UNTIL


def test_every_grading_handling_code_and_status_is_present(loaded):
    assert set(loaded.values_list("source_evaluation", flat=True)) == set(SourceEvaluation.values)
    assert set(loaded.values_list("intelligence_assessment", flat=True)) == set(
        IntelligenceAssessment.values
    )
    assert set(loaded.values_list("handling_code", flat=True)) == set(HandlingCode.values)
    assert set(loaded.values_list("status", flat=True)) == set(Status.values)
    reasons = set(StatusChange.objects.exclude(reason="").values_list("reason", flat=True))
    assert reasons == set(ClosingReason.values)
    assert set(Tasking.objects.values_list("status", flat=True)) == set(TaskingStatus.values)
    assert Regrading.objects.exists()


def test_c_coded_reports_state_their_conditions_and_some_name_organisations(loaded):
    restricted = loaded.filter(handling_code=HandlingCode.C)
    assert not restricted.filter(handling_conditions="").exists()
    assert not loaded.filter(handling_code=HandlingCode.P).exclude(handling_conditions="").exists()
    assert not loaded.filter(handling_code=HandlingCode.P, shared_with__isnull=False).exists()
    named = restricted.filter(shared_with__isnull=False).distinct()
    assert named.exists()
    for report in named[:20]:
        for organisation in report.shared_with.all():
            assert organisation.name in report.handling_conditions
            assert organisation != report.originating_organisation


def test_each_timeline_is_a_path_the_workflow_allows(loaded):
    steps = defaultdict(list)
    for change in StatusChange.objects.order_by("changed_at", "id"):
        steps[change.report_id].append(change)
    for report in loaded:
        timeline = steps[report.pk]
        assert timeline[0].from_status == ""
        assert timeline[0].to_status == Status.NEW
        assert timeline[0].changed_at == report.created_at
        assert timeline[0].changed_by == report.created_by
        for previous, change in itertools.pairwise(timeline):
            assert change.from_status == previous.to_status
            assert TRANSITIONS.allows(previous.to_status, change.to_status)
            assert change.changed_at >= previous.changed_at
        assert timeline[-1].to_status == report.status
        if report.status == Status.CLOSED:
            assert timeline[-1].reason in ClosingReason.values


def test_taskings_go_to_other_agencies_and_some_are_overdue(loaded):
    taskings = Tasking.objects.select_related("report", "responded_by")
    for tasking in taskings:
        assert tasking.organisation_id != tasking.report.originating_organisation_id
        assert tasking.created_at >= tasking.report.created_at
        if tasking.status == TaskingStatus.ANSWERED:
            assert tasking.responded_by.organisation_id == tasking.organisation_id
            assert tasking.responded_at >= tasking.created_at
    overdue = [tasking for tasking in taskings if tasking.is_overdue]
    assert overdue
    assert any(tasking.report.status == Status.TASKED for tasking in overdue)


def test_places_are_in_llr_and_postcodes_give_their_area(loaded):
    with_postcode = loaded.exclude(postcode="")
    assert with_postcode.count() > 0.8 * COUNT
    for report in with_postcode.select_related("area"):
        assert report.area_id == core_selectors.area_id_for_postcode(report.postcode)
    areas = set(loaded.values_list("area__name", flat=True))
    assert len(areas) == 9


def test_the_mix_follows_the_national_figures(loaded):
    types = Counter(
        IntelligenceReport.exploitation_types.through.objects.filter(
            intelligencereport__in=loaded
        ).values_list("exploitationtype__code", flat=True)
    )
    ranked = [code for code, _count in types.most_common()]
    assert ranked[:4] == ["criminal", "labour", "sexual", "domestic_servitude"]
    children = loaded.filter(child_involved=True)
    assert 0.25 * COUNT < children.count() < 0.5 * COUNT
    child_types = Counter(
        children.filter(exploitation_types__isnull=False).values_list(
            "exploitation_types__code", flat=True
        )
    )
    assert child_types.most_common(1)[0][0] == "criminal"


def test_recurring_entities_are_reported_by_different_agencies(loaded):
    for kind in (
        MentionKind.PHONE,
        MentionKind.VEHICLE,
        MentionKind.LOCATION,
        MentionKind.BUSINESS,
        MentionKind.PERSON,
    ):
        shared = (
            Mention.objects.filter(kind=kind)
            .values("key")
            .annotate(agencies=Count("report__originating_organisation", distinct=True))
            .filter(agencies__gte=2)
        )
        assert shared.exists(), kind
    assert not Mention.objects.filter(key="").exists()


def test_phones_registrations_and_addresses_are_fictional(loaded):
    phones = set(Mention.objects.filter(kind=MentionKind.PHONE).values_list("key", flat=True))
    assert phones and all(re.fullmatch(r"\+447700900\d{3}", phone) for phone in phones)
    registrations = Mention.objects.filter(kind=MentionKind.VEHICLE).values_list("key", flat=True)
    assert all("Q" in registration[-3:] for registration in registrations)
    for kind in (MentionKind.EMAIL, MentionKind.ONLINE_PROFILE):
        values = Mention.objects.filter(kind=kind).values_list("value", flat=True)
        assert all(re.search(r"[@.]example\.(net|com|org)\b|\.example/", value) for value in values)
    accounts = Mention.objects.filter(kind=MentionKind.BANK_ACCOUNT).values_list("key", flat=True)
    assert all(re.fullmatch(r"\d{4}", account) for account in accounts)


def test_every_report_comes_from_someone_in_its_organisation(loaded):
    assert not loaded.exclude(created_by__organisation=F("originating_organisation")).exists()


def test_loading_twice_adds_nothing(loaded):
    counts = (loaded.count(), StatusChange.objects.count(), Mention.objects.count())
    assert intelligence.generate(COUNT, seed=11, until=UNTIL) == 0
    assert (loaded.count(), StatusChange.objects.count(), Mention.objects.count()) == counts


def test_new_submissions_are_stamped_now_again_afterwards(loaded):
    """The generator lifts ``auto_now_add`` only while it writes."""
    report = loaded.earliest("created_at")
    report.pk = None
    report.reference, report.submission_key = "TEST-0001", uuid.uuid4()
    report.save()
    assert report.created_at > UNTIL
