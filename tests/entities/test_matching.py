"""A person's matching record is built in one place, from the entity and what its reports
say with it, and the batch run and the on-submission matcher read the same record."""

import datetime

import pytest

from lantern.entities import batch, matching
from lantern.entities.mentions import MentionData
from lantern.entities.models import Match
from lantern.intelligence.services.mentions import add_mentions
from tests.factories import IntelligenceReportFactory

pytestmark = pytest.mark.django_db

BORN = datetime.date(1990, 3, 27)


@pytest.fixture
def built(monkeypatch):
    """Every matching record built, as ``(entity id, record)``, whichever path built it."""
    seen: list[tuple[int, matching.PersonMatchingRecord]] = []
    build = matching._records

    def spy(ids):
        records = build(ids)
        seen.extend(records.items())
        return records

    monkeypatch.setattr(matching, "_records", spy)
    return seen


def submit(mentions: list[MentionData], **report) -> list:
    return add_mentions(IntelligenceReportFactory(**report), mentions)


def test_the_batch_run_and_the_on_submission_matcher_build_identical_records(built):
    [person, *_others] = submit(
        [
            MentionData(
                "person", "suspect", "Ion POPESCU", date_of_birth=BORN, nationality="Romanian"
            ),
            MentionData("location", "premises", "12 High Street, Leicester LE1 5AB"),
            MentionData("phone", "contact", "07700 900123"),
        ],
        postcode="LE2 7QQ",
    )
    submit([MentionData("person", "victim", "Popescu, Ion", nationality="romanian")])
    on_submission = dict(built)[person.entity_id]
    built.clear()

    records = list(batch.person_records())

    from_batch = dict(built)[person.entity_id]
    assert from_batch == on_submission
    assert on_submission.date_of_birth == BORN
    assert on_submission.nationalities == ("romanian",)
    assert set(on_submission.postcodes) == {"LE1 5AB", "LE2 7QQ"}
    assert on_submission.addresses == ("LE1 5AB 12 high st",)
    assert on_submission.phones == ("+447700900123",)
    [record] = [r for r in records if r["unique_id"] == str(person.entity_id)]
    assert (record["given_name"], record["surname"], record["date_of_birth"]) == (
        "ion",
        "popescu",
        "1990-03-27",
    )
    assert record["phones"] == ["+447700900123"]
    # The postcode is compared on its own: the address is the building and street.
    assert (record["postcode"], record["address"]) == ("LE1 5AB", "12 high st")


def test_a_merged_entitys_mentions_count_for_its_survivor():
    [first] = submit([MentionData("person", "suspect", "Ana Rusu", date_of_birth=BORN)])
    [second, _place] = submit(
        [
            MentionData("person", "suspect", "Anna Rusu"),
            MentionData("location", "premises", "3 Mill Lane LE4 1AA"),
        ]
    )
    second.entity.merged_into_id = first.entity_id
    second.entity.save()

    record = matching.person_matching_records([first.entity_id])[first.entity_id]

    assert record.aliases == ("Anna Rusu",)
    assert record.postcodes == ("LE4 1AA",)


def test_a_postcode_mentioned_beside_a_person_helps_find_them_again():
    submit(
        [
            MentionData("person", "suspect", "Martha Wilkins"),
            MentionData("location", "premises", "12 High Street LE1 5AB"),
        ]
    )

    [new, _place] = submit(
        [
            MentionData("person", "suspect", "Martha Wilkons"),
            MentionData("location", "premises", "40 Granby Street LE1 5AB"),
        ]
    )

    match = Match.objects.get(entity_id=new.entity_id)
    assert "postcode_agrees" in match.reasons


def test_only_person_entities_have_matching_records():
    [phone] = submit([MentionData("phone", "contact", "07700 900123")])

    assert matching.person_matching_records([phone.entity_id, 10_000]) == {}
