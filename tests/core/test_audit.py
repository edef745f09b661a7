"""The audit log: append-only, hash-chained, and verifiable."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

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


def test_actions_are_stored_as_the_same_strings_and_hash_as_before(three_events):
    """The enum changed the type, not the data: entries written when actions were plain
    strings still verify, and new ones store and hash the same dotted names."""
    login = AuditEvent.objects.get(pk=three_events[0].pk)

    assert type(login.action) is str
    assert login.action == "auth.login" == audit.Action.LOGIN
    assert login.entry_hash == three_events[0].entry_hash
    login.action = "auth.login"
    assert audit.compute_hash(login) == three_events[0].entry_hash
    assert audit.Action("record.export") is audit.Action.EXPORT


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
    head = three_events[-1]
    assert output.splitlines()[-1] == f"head {head.pk} {head.entry_hash}"


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


def _rewrite_tail(events: list[AuditEvent], purpose: str) -> None:
    """What someone with full database rights can do: rewrite entries, recomputing hashes."""
    _disable_triggers()
    previous = events[0].previous_hash
    for event in events:
        event.purpose = purpose
        event.previous_hash = previous
        event.entry_hash = audit.compute_hash(event)
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE core_auditevent SET purpose = %s, previous_hash = %s, entry_hash = %s "
                "WHERE id = %s",
                [event.purpose, event.previous_hash, event.entry_hash, event.pk],
            )
        previous = event.entry_hash


def _recorded(event: AuditEvent) -> str:
    return f"{event.pk}:{event.entry_hash}"


def test_recorded_heads_of_an_intact_log_match(three_events, tmp_path, capsys):
    first, second, third = three_events
    heads = tmp_path / "audit-heads.txt"
    heads.write_text(
        f"# heads recorded daily\n{first.pk} {first.entry_hash}\n\n"
        f"head {second.pk} {second.entry_hash.upper()}\n",
        encoding="utf-8",
    )

    call_command("audit", "verify", "--heads-file", str(heads), "--expect-head", _recorded(third))

    output = capsys.readouterr().out
    assert "Audit log intact: 3 entries verified." in output
    assert "Recorded heads still match: 3 checked." in output
    assert output.splitlines()[-1] == f"head {third.pk} {third.entry_hash}"


def test_a_deleted_tail_is_caught_by_the_recorded_head(three_events):
    recorded = _recorded(three_events[-1])
    _disable_triggers()
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM core_auditevent WHERE id = %s", [three_events[-1].pk])

    # The chain alone cannot tell: what is left is a consistent, shorter log.
    assert audit.verify_chain().intact
    with pytest.raises(CommandError) as refused:
        call_command("audit", "verify", "--expect-head", recorded)

    message = str(refused.value)
    assert f"Recorded head {three_events[-1].pk} no longer matches" in message
    assert "is missing" in message
    assert f"the log ends at entry {three_events[1].pk}" in message


def test_a_rewritten_tail_with_recomputed_hashes_is_caught(three_events, tmp_path):
    first, second, third = three_events
    heads = tmp_path / "audit-heads.txt"
    recorded_hash = third.entry_hash
    heads.write_text(f"{first.pk} {first.entry_hash}\n{third.pk} {recorded_hash}\n")
    _rewrite_tail([second, third], purpose="nothing to see")

    assert audit.verify_chain().intact
    with pytest.raises(CommandError) as refused:
        call_command("audit", "verify", "--heads-file", str(heads))

    message = str(refused.value)
    assert f"Recorded head {third.pk} no longer matches" in message
    assert f"entry {third.pk} has hash {third.entry_hash}, recorded {recorded_hash}" in message
    # The first entry was not touched: its recorded head still matches and is not named.
    assert f"Recorded head {first.pk} " not in message


def test_a_broken_chain_and_a_lost_head_are_both_reported(three_events):
    recorded = _recorded(three_events[-1])
    _disable_triggers()
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM core_auditevent WHERE id = %s", [three_events[-1].pk])
        cursor.execute(
            "UPDATE core_auditevent SET purpose = 'x' WHERE id = %s", [three_events[0].pk]
        )
    with pytest.raises(CommandError) as refused:
        call_command("audit", "verify", "--expect-head", recorded)
    message = str(refused.value)
    assert f"BROKEN at entry #{three_events[0].pk}" in message
    assert f"Recorded head {three_events[-1].pk} no longer matches" in message


def test_an_empty_log_has_head_zero(db, capsys):
    call_command("audit", "verify")
    assert capsys.readouterr().out.splitlines()[-1] == f"head 0 {audit.GENESIS_HASH}"


@pytest.mark.parametrize(
    "value", ["", "4711", "4711:", ":abc", "x:" + "a" * 64, "1:" + "g" * 64, "1:" + "a" * 63]
)
def test_a_malformed_expected_head_is_refused_by_name(three_events, value):
    with pytest.raises(CommandError, match="--expect-head"):
        call_command("audit", "verify", "--expect-head", value)


def test_a_malformed_heads_file_names_the_line(three_events, tmp_path):
    heads = tmp_path / "heads.txt"
    heads.write_text(f"{_recorded(three_events[0]).replace(':', ' ')}\n1 2 3\n")
    with pytest.raises(CommandError, match=r"heads.txt, line 2"):
        call_command("audit", "verify", "--heads-file", str(heads))
    with pytest.raises(CommandError, match="cannot be read"):
        call_command("audit", "verify", "--heads-file", str(tmp_path / "missing.txt"))


@hypothesis_settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=st.text(max_size=200))
def test_any_heads_file_is_checked_or_refused_never_crashes(three_events, tmp_path, text):
    heads = tmp_path / "fuzzed.txt"
    heads.write_text(text, encoding="utf-8")
    try:
        call_command("audit", "verify", "--heads-file", str(heads), stdout=io.StringIO())
    except CommandError:
        return
    # Accepted: only comments and blank lines, since no line can hold a matching head.
    assert all(not line.split() or line.split()[0].startswith("#") for line in text.splitlines())
