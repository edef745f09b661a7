"""The audit log: append-only, hash-chained, and verifiable."""

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from lantern.core import audit
from lantern.core.models import AuditEvent
from lantern.core.roles import Role


def _disable_triggers() -> None:
    """Simulate an attacker with direct database access, who can drop our guard."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE core_auditevent DISABLE TRIGGER USER")
        else:
            cursor.execute("DROP TRIGGER core_auditevent_no_update")
            cursor.execute("DROP TRIGGER core_auditevent_no_delete")


@pytest.fixture
def three_events(make_user):
    analyst = make_user(Role.HUB_ANALYST)
    return [
        audit.record(action=audit.Action.LOGIN, actor=analyst),
        audit.record_read(actor=analyst, target=analyst.organisation, purpose="triage"),
        audit.record_export(
            actor=analyst, description="partner list", row_count=12, purpose="board"
        ),
    ]


def test_entries_chain_to_the_previous_one(three_events):
    first, second, third = three_events
    assert first.previous_hash == audit.GENESIS_HASH
    assert second.previous_hash == first.entry_hash
    assert third.previous_hash == second.entry_hash
    assert len({first.entry_hash, second.entry_hash, third.entry_hash}) == 3


def test_entries_record_who_what_and_why(three_events):
    _, read, export = three_events
    assert read.action == audit.Action.READ
    assert read.object_type == "core.organisation"
    assert read.purpose == "triage"
    assert read.organisation_name == read.object_repr
    assert export.detail == {"description": "partner list", "rows": 12}


def test_verify_reports_an_intact_log(three_events):
    result = audit.verify_chain()
    assert result.intact
    assert result.entries == 3
    assert result.head_hash == three_events[-1].entry_hash


def test_verify_names_the_first_altered_entry(three_events):
    _disable_triggers()
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE core_auditevent SET purpose = %s WHERE id = %s", ["nothing", three_events[1].pk]
        )
    result = audit.verify_chain()
    assert not result.intact
    assert result.first_bad_id == three_events[1].pk
    assert "altered" in result.problem


def test_verify_names_the_entry_after_a_removed_one(three_events):
    _disable_triggers()
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM core_auditevent WHERE id = %s", [three_events[1].pk])
    result = audit.verify_chain()
    assert not result.intact
    assert result.first_bad_id == three_events[2].pk
    assert "removed" in result.problem


def test_verify_command_output(three_events, capsys):
    call_command("audit", "verify")
    output = capsys.readouterr().out
    assert "Audit log intact: 3 entries verified." in output
    assert three_events[-1].entry_hash in output


def test_verify_command_fails_on_a_broken_log(three_events):
    _disable_triggers()
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE core_auditevent SET actor_email = %s WHERE id = %s",
            ["someone@else.test", three_events[0].pk],
        )
    with pytest.raises(CommandError, match=rf"BROKEN at entry #{three_events[0].pk}"):
        call_command("audit", "verify")


def test_the_orm_refuses_to_change_or_delete_entries(three_events):
    event = three_events[0]
    event.purpose = "rewritten"
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()
    with pytest.raises(PermissionError):
        AuditEvent.objects.filter(pk=event.pk).update(purpose="rewritten")
    with pytest.raises(PermissionError):
        AuditEvent.objects.all().delete()


@pytest.mark.parametrize(
    "statement",
    ["UPDATE core_auditevent SET purpose = 'rewritten'", "DELETE FROM core_auditevent"],
)
def test_the_database_refuses_to_change_or_delete_entries(three_events, statement):
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(statement)
    assert AuditEvent.objects.count() == 3
    assert audit.verify_chain().intact


def test_anonymous_actor_is_recorded_by_the_identifier_given(rf, db):
    request = rf.get("/", REMOTE_ADDR="192.0.2.7")
    event = audit.record(
        action=audit.Action.LOGIN_FAILED, actor_email="nobody@x.test", request=request
    )
    assert event.actor_id is None
    assert event.actor_email == "nobody@x.test"
    assert event.ip_address == "192.0.2.7"
    assert audit.verify_chain().intact
