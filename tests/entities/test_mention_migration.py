"""Mention's move from intelligence to entities keeps its table and every row (ADR 0027)."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from lantern.entities.models import Mention
from tests.e2e.conftest import _remove_audit_triggers
from tests.factories import IntelligenceReportFactory

# Migrating runs outside a test's transaction (SQLite's schema editor refuses one), so the
# database is flushed after each test and restored from the migrations' data before it.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

BEFORE = [("intelligence", "0008_report_update"), ("entities", "0002_restricted_hit_owners")]
AFTER = [
    ("intelligence", "0009_mention_to_entities"),
    ("entities", "0003_mention_from_intelligence"),
]


@pytest.fixture(autouse=True)
def _flushable():
    """The flush after the test must not meet the audit log's append-only triggers."""
    yield
    _remove_audit_triggers()


def _migrate(targets: list[tuple[str, str]]) -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return MigrationExecutor(connection)


def test_a_mention_written_before_the_move_is_read_after_it():
    report = IntelligenceReportFactory()
    before = _migrate(BEFORE).loader.project_state(BEFORE).apps
    with pytest.raises(LookupError):
        before.get_model("entities", "Mention")
    OldMention = before.get_model("intelligence", "Mention")
    old = OldMention.objects.create(
        report_id=report.pk, kind="phone", role="contact", value="07700 900123", key="7700900123"
    )

    _migrate(AFTER)

    moved = Mention.objects.get(pk=old.pk)
    assert (moved.report, moved.kind, moved.value, moved.key) == (
        report,
        "phone",
        "07700 900123",
        "7700900123",
    )
    assert list(report.mentions.all()) == [moved]
    assert Mention._meta.db_table == "intelligence_mention"


def test_the_move_can_be_undone_and_keeps_the_rows():
    report = IntelligenceReportFactory()
    kept = Mention.objects.create(
        report=report, kind="vehicle", role="vehicle_used", value="AB12CDE"
    )

    before = _migrate(BEFORE).loader.project_state(BEFORE).apps

    assert before.get_model("intelligence", "Mention").objects.get(pk=kept.pk).value == "AB12CDE"
    _migrate(AFTER)
    assert Mention.objects.get(pk=kept.pk).report == report
