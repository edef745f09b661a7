"""Correlation on submission: every mention finds its entity, and what it may be."""

import datetime

import pytest

from lantern.core.roles import Role
from lantern.entities import correlation, lookups
from lantern.entities.mentions import MentionData
from lantern.entities.models import Entity, Match, MatchStatus, Mention
from lantern.intelligence.services.submission import submit_intelligence
from lantern.intelligence.submitted import ReportFields
from tests.entities.factories import MentionFactory
from tests.factories import IntelligenceReportFactory

pytestmark = pytest.mark.django_db


def test_one_phone_written_three_ways_is_one_entity(mention):
    first, second, third = IntelligenceReportFactory.create_batch(3)

    a = mention(first, "phone", "07700 900123")
    b = mention(second, "phone", "+44 7700 900123")
    c = mention(third, "phone", "0044-7700-900123")

    assert a.entity_id == b.entity_id == c.entity_id
    assert Entity.objects.get().key == "+447700900123"
    assert not Match.objects.exists()


def test_a_similar_person_is_suggested_with_its_reasons(mention):
    earlier, later = IntelligenceReportFactory.create_batch(2)
    born = datetime.date(1990, 3, 27)
    known = mention(earlier, "person", "Ștefan Popescu", date_of_birth=born)

    new = mention(later, "person", "POPESCU, Stefan", date_of_birth=born)

    match = Match.objects.get()
    assert (match.entity_id, match.candidate_id) == (new.entity_id, known.entity_id)
    assert match.status == MatchStatus.SUGGESTED
    assert match.confidence >= 0.8
    assert "date_of_birth_agrees" in match.reasons


def test_different_dates_of_birth_keep_namesakes_apart(mention):
    earlier, later = IntelligenceReportFactory.create_batch(2)
    mention(earlier, "person", "John Smith", date_of_birth=datetime.date(1960, 1, 1))

    mention(later, "person", "John Smith", date_of_birth=datetime.date(1999, 7, 14))

    suggestions = list(Match.objects.all())
    assert all(match.confidence < 0.8 for match in suggestions)


def test_one_address_written_two_ways_is_one_place(mention):
    earlier, later = IntelligenceReportFactory.create_batch(2)
    known = mention(earlier, "location", "12 High Street, Leicester LE1 5AB")

    same = mention(later, "location", "12 high st le15ab")

    assert same.entity_id == known.entity_id
    assert not Match.objects.exists()


def test_a_street_without_a_number_is_only_suggested(mention):
    earlier, later = IntelligenceReportFactory.create_batch(2)
    known = mention(earlier, "location", "Canal Street, LE1 3LE")

    new = mention(later, "location", "canal st LE13LE")

    match = Match.objects.get()
    assert new.entity_id != known.entity_id
    assert (match.entity_id, match.candidate_id) == (new.entity_id, known.entity_id)


def test_one_name_written_often_is_suggested_once_per_new_mention(mention):
    reports = IntelligenceReportFactory.create_batch(5)
    for report in reports:
        mention(report, "person", "Marek Carter")

    assert Match.objects.count() == 4


def test_a_frequent_place_stops_suggesting(mention, settings):
    settings.ENTITY_COMMON_VALUE_LIMIT = 2
    reports = IntelligenceReportFactory.create_batch(3)
    mention(reports[0], "location", "Supermarket car park")
    mention(reports[1], "location", "supermarket car park")
    assert Match.objects.count() == 1

    mention(reports[2], "location", "SUPERMARKET CAR PARK")

    assert Match.objects.count() == 1


def test_a_frequent_person_still_suggests_matches(mention, settings):
    settings.ENTITY_COMMON_VALUE_LIMIT = 2
    reports = IntelligenceReportFactory.create_batch(4)
    for report in reports:
        mention(report, "person", "Marek Carter")

    # A person identifies one human being: frequency never holds it back.
    assert Match.objects.count() == 3


def test_a_placeholder_suggests_nothing_however_rare(mention):
    first, second = IntelligenceReportFactory.create_batch(2)
    mention(first, "person", "Unknown")

    mention(second, "person", "UNKNOWN")

    assert not Match.objects.exists()


def test_an_excluded_value_suggests_nothing(mention):
    earlier, later = IntelligenceReportFactory.create_batch(2)
    known = mention(earlier, "business", "Unknown")
    Entity.objects.filter(pk=known.entity_id).update(
        excluded_at=datetime.datetime.now(datetime.UTC)
    )

    mention(later, "business", "unknown")

    assert not Match.objects.exists()


def test_a_failing_correlation_never_loses_the_report(make_user, monkeypatch):
    def broken(mention):
        raise RuntimeError("entity store unavailable")

    monkeypatch.setattr(correlation, "resolve", broken)
    contributor = make_user(Role.PARTNER_CONTRIBUTOR)

    report = submit_intelligence(
        actor=contributor,
        submission_key="5f0e8a8e-52a5-4d55-b3f6-3d0b7fd2d0b1",
        fields=ReportFields(
            summary="Van collecting workers at dawn",
            narrative="A white van collects eight men at 5am.",
            source_evaluation="2",
            intelligence_assessment="B",
            handling_code="P",
            mentions=[MentionData(kind="vehicle", role="vehicle_used", value="AB12 CDE")],
        ),
    )

    stored = Mention.objects.get(report=report)
    assert stored.entity_id is None
    monkeypatch.undo()
    assert correlation.correlate_unresolved() == 1
    stored.refresh_from_db()
    assert stored.entity.key == "AB12CDE"


@pytest.mark.parametrize(
    "value",
    ["", " ", "\u200b", "🙂🙂", "x" * 300, "'; DROP TABLE entities_entity; --", "Ⅻ ﬁ ß"],
)
def test_any_text_in_a_name_is_kept_as_written(mention, value):
    report = IntelligenceReportFactory()

    stored = mention(report, "person", value) if value.strip() else None

    if stored is not None:
        assert stored.value == value.strip()


def test_one_bad_mention_does_not_stop_the_sweep(monkeypatch):
    report = IntelligenceReportFactory()
    for value in ("07700 900001", "07700 900002", "07700 900003"):
        MentionFactory(
            report=report,
            kind="phone",
            role="contact",
            value=value,
            key=f"+44{value.replace(' ', '')[1:]}",
        )
    real = correlation.resolve

    def refuses_the_second(mentions):
        if any(mention.value == "07700 900002" for mention in mentions):
            raise RuntimeError("bad data")
        real(mentions)

    monkeypatch.setattr(correlation, "resolve", refuses_the_second)

    assert correlation.correlate_unresolved() == 2
    assert list(Mention.objects.filter(entity__isnull=True).values_list("value", flat=True)) == [
        "07700 900002"
    ]


def test_a_phone_created_by_another_request_meanwhile_is_joined_not_duplicated(
    mention, monkeypatch
):
    first, second = IntelligenceReportFactory.create_batch(2)
    known = mention(first, "phone", "07700 900123")
    real = lookups.entities_with_keys
    reads = []

    def created_after_the_read(keys):
        # The first read misses the phone, as if another request saved it just after.
        reads.append(keys)
        return [] if len(reads) == 1 else real(keys)

    monkeypatch.setattr(lookups, "entities_with_keys", created_after_the_read)

    again = mention(second, "phone", "+44 7700 900123")

    assert again.entity_id == known.entity_id
    assert Entity.objects.filter(kind="phone").count() == 1
    assert len(reads) == 2


def test_namesakes_resolved_in_one_sweep_are_suggested_to_each_other():
    report = IntelligenceReportFactory()
    for value in ("Marek Carter", "MAREK CARTER"):
        MentionFactory(report=report, value=value, key="marek carter")

    assert correlation.correlate_unresolved() == 2

    first, second = Mention.objects.order_by("pk")
    match = Match.objects.get()
    assert (match.entity_id, match.candidate_id) == (second.entity_id, first.entity_id)
    assert "same_key" in match.reasons
