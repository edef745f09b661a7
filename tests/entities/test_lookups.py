"""Correlation's reads in SQL answer as the ORM would, on both databases."""

import pytest

from lantern.entities import lookups
from lantern.entities.models import Entity, EntityBlock
from tests.entities.factories import EntityFactory, MentionFactory
from tests.factories import IntelligenceReportFactory

pytestmark = pytest.mark.django_db


def people(count: int, name: str = "Marek Carter") -> list[Entity]:
    key = name.lower()
    return EntityFactory.create_batch(count, key=key, label=name)


def test_blocks_holding_more_than_the_most_are_passed_over():
    crowded, few = people(3), people(2, "Ana Pop")
    for entity in crowded:
        EntityBlock.objects.create(entity=entity, block="person:n:crowded")
    for entity in few:
        EntityBlock.objects.create(entity=entity, block="person:n:few")

    members = lookups.block_members(["person:n:crowded", "person:n:few", "person:n:none"], most=2)

    assert sorted(members) == sorted(("person:n:few", entity.pk) for entity in few)


def test_blocks_counted_over_several_statements_give_the_same_members(monkeypatch):
    entities = people(4)
    blocks = [f"person:n:{number}" for number in range(4)]
    for entity, block in zip(entities, blocks, strict=True):
        EntityBlock.objects.create(entity=entity, block=block)
    together = sorted(lookups.block_members(blocks, most=1))

    monkeypatch.setattr(lookups, "_COUNTED_PER_STATEMENT", 1)

    assert sorted(lookups.block_members(blocks, most=1)) == together
    assert len(together) == 4


def test_entities_with_keys_reads_every_namesake_oldest_first_with_its_details():
    namesakes = people(2)
    people(1, "Ana Pop")

    rows = lookups.entities_with_keys({("person", "marek carter"), ("phone", "marek carter")})

    assert [row[0] for row in rows] == [entity.pk for entity in namesakes]
    assert rows[0][1:4] == ("person", "marek carter", "Marek Carter")


def test_report_counts_count_each_report_once_across_a_merged_cluster():
    root, absorbed = people(2)
    absorbed.merged_into = root
    absorbed.save()
    first, second = IntelligenceReportFactory.create_batch(2)
    for report, entity in ((first, root), (first, absorbed), (second, absorbed)):
        MentionFactory(report=report, entity=entity, value="Marek Carter")

    assert lookups.report_counts({root.pk}) == {root.pk: 2}
    assert lookups.report_counts(set()) == {}


def test_common_values_are_those_more_reports_mention_than_the_limit():
    reports = IntelligenceReportFactory.create_batch(3)
    for report in reports:
        MentionFactory(report=report, value="Unknown")
    keys = {("person", "unknown"), ("person", "marek carter")}

    assert lookups.common_values(keys, limit=2) == [("person", "unknown")]
    assert lookups.common_values(keys, limit=3) == []


def test_entities_are_read_by_id_over_as_many_statements_as_needed(monkeypatch):
    monkeypatch.setattr(lookups, "_IDS_PER_STATEMENT", 2)
    entities = people(5)

    rows = lookups.entities_by_id({entity.pk for entity in entities})

    assert sorted(row[0] for row in rows) == sorted(entity.pk for entity in entities)
    assert lookups.entities_by_id(set()) == []
