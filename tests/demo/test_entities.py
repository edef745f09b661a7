"""The demo's entities: linked as the hub would have them, older suggestions decided."""

import datetime

import pytest

from lantern.demo import entities, intelligence, partnership
from lantern.entities import correlation
from lantern.entities.models import Entity, Match, MatchStatus, Mention

UNTIL = datetime.datetime(2026, 11, 20, 15, 30, tzinfo=datetime.UTC)


@pytest.fixture(scope="module")
def loaded(module_transaction):
    """Loaded once for the module (tests/demo/conftest.py)."""
    partnership.generate()
    intelligence.generate(300, until=UNTIL)
    correlation.correlate_unresolved()


@pytest.fixture
def demo(loaded, db):
    return loaded


def test_every_mention_is_linked_and_recurring_things_link_reports(demo):
    assert not Mention.objects.exclude(key="").filter(entity__isnull=True).exists()
    shared = Entity.objects.filter(kind="phone").filter(mentions__isnull=False)
    assert any(phone.mentions.values("report").distinct().count() > 1 for phone in shared)


def test_older_suggestions_are_decided_and_recent_ones_left_for_the_queue(demo):
    now = UNTIL + datetime.timedelta(minutes=1)

    decided = entities.decide_old_suggestions(now=now)

    cutoff = now - datetime.timedelta(days=entities.DECIDED_AFTER_DAYS)
    assert decided > 0
    assert Match.objects.filter(status=MatchStatus.CONFIRMED).exists()
    assert Entity.objects.filter(merged_into__isnull=False).exists()
    for match in Match.objects.filter(status=MatchStatus.SUGGESTED):
        assert match.entity.mentions.filter(report__created_at__gte=cutoff).exists()
    assert entities.decide_old_suggestions(now=now) == 0
