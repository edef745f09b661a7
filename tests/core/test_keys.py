"""``lantern keys rotate``: victims' details end up under the newest key, still readable,
batch by batch, audited, and an interrupted rotation simply runs again."""

import io

import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from lantern.core import audit, field_keys, keys
from lantern.core.models import AuditEvent
from lantern.safeguarding.models import PotentialVictim
from tests.safeguarding.factories import VictimFactory

OLD_SALT = "old-salt-for-rotation-tests"
NEW_SALT = "new-salt-for-rotation-tests"


@pytest.fixture
def salts(settings):
    """Start with only the old salt; put everything back as it was afterwards."""
    settings.SALT_KEY = [OLD_SALT]
    field_keys.forget_cached_keys()
    yield settings
    settings.SALT_KEY = [OLD_SALT]  # undone by pytest-django next; forget what was derived
    field_keys.forget_cached_keys()


@pytest.fixture
def victims(salts, db):
    return [
        VictimFactory(name=f"Ana Popescu {number}", contact=f"07700 900{number:03d}")
        for number in range(5)
    ]


def _stored(victim: PotentialVictim, column: str = "name") -> str:
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {column} FROM safeguarding_potentialvictim WHERE id = %s", [victim.pk]
        )
        return cursor.fetchone()[0]


def _key(salt: str) -> Fernet:
    from django.conf import settings

    saved = settings.SALT_KEY
    settings.SALT_KEY = [salt]
    try:
        return field_keys.newest_key(PotentialVictim._meta.get_field("name"))
    finally:
        settings.SALT_KEY = saved
        field_keys.forget_cached_keys()


def _add_new_salt(settings) -> None:
    settings.SALT_KEY = [NEW_SALT, OLD_SALT]
    field_keys.forget_cached_keys()


def test_rotation_reencrypts_every_value_under_the_newest_key_and_keeps_it_readable(victims, salts):
    _add_new_salt(salts)
    assert sum(keys.status().older.values()) == 10  # name and contact of five victims

    report = keys.rotate(batch_size=2)

    assert sum(report.rewritten.values()) == 10
    new_key = _key(NEW_SALT)
    for victim in victims:
        assert new_key.decrypt(_stored(victim).encode()).decode() == victim.name
        assert new_key.decrypt(_stored(victim, "contact").encode()).decode() == victim.contact
    # Only the new salt left: every victim still reads the same through Lantern.
    salts.SALT_KEY = [NEW_SALT]
    field_keys.forget_cached_keys()
    assert sorted(PotentialVictim.objects.values_list("name", flat=True)) == sorted(
        victim.name for victim in victims
    )
    assert sum(keys.status().older.values()) == 0


def test_each_batch_is_audited_and_the_chain_holds(victims, salts):
    _add_new_salt(salts)
    keys.rotate(batch_size=2)
    events = list(AuditEvent.objects.filter(action=audit.Action.FIELD_KEYS_ROTATED).order_by("id"))
    assert [event.detail["rows_reencrypted"] for event in events] == [2, 2, 1]
    assert {event.detail["model"] for event in events} == {"safeguarding.PotentialVictim"}
    assert audit.verify_chain().intact


def test_an_interrupted_rotation_resumes_and_running_it_again_changes_nothing(victims, salts):
    _add_new_salt(salts)
    calls = []

    def interrupt(message: str) -> None:
        calls.append(message)
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        keys.rotate(batch_size=2, progress=interrupt)
    # The first batch was committed before the interruption; the rest waits.
    assert sum(keys.status().older.values()) == 6
    resumed = keys.rotate(batch_size=2)
    assert sum(resumed.rewritten.values()) == 6
    assert sum(resumed.current.values()) == 4
    stored = [_stored(victim) for victim in victims]

    again = keys.rotate(batch_size=2)

    assert sum(again.rewritten.values()) == 0
    assert [_stored(victim) for victim in victims] == stored  # not even re-encrypted
    assert (
        AuditEvent.objects.filter(action=audit.Action.FIELD_KEYS_ROTATED).count() == 1 + 2
    )  # batches with changes only


def test_a_value_no_configured_key_opens_is_left_alone_and_reported(victims, salts):
    foreign = _key("a-salt-nobody-configured").encrypt(b"someone").decode()
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE safeguarding_potentialvictim SET name = %s WHERE id = %s",
            [foreign, victims[0].pk],
        )
    _add_new_salt(salts)
    with pytest.raises(CommandError, match="1 values open with none"):
        call_command("keys", "rotate", stdout=io.StringIO())
    assert _stored(victims[0]) == foreign
    assert sum(keys.status().older.values()) == 0


def test_the_command_reports_what_it_did(victims, salts):
    _add_new_salt(salts)
    output = io.StringIO()
    call_command("keys", "status", stdout=output)
    assert "10 under older keys" in output.getvalue()
    call_command("keys", "rotate", "--batch-size", "3", stdout=output)
    assert "10 values re-encrypted" in output.getvalue()
    call_command("keys", "status", stdout=output)
    assert "old salts can be removed" in output.getvalue()
    with pytest.raises(CommandError, match="at least 1"):
        call_command("keys", "rotate", "--batch-size", "0", stdout=output)


def test_rotating_the_secret_key_itself_moves_values_off_the_fallback(victims, salts):
    old_secret = salts.SECRET_KEY
    salts.SECRET_KEY = "a-new-secret-key-" + "z" * 40
    salts.SECRET_KEY_FALLBACKS = [old_secret]
    field_keys.forget_cached_keys()
    assert sum(keys.rotate().rewritten.values()) == 10
    salts.SECRET_KEY_FALLBACKS = []
    field_keys.forget_cached_keys()
    assert PotentialVictim.objects.get(pk=victims[2].pk).name == "Ana Popescu 2"
