"""API tokens of partner systems: stored as hashes only, shown once, expired, rotated, revoked."""

import datetime
import hashlib
import importlib
import io

import pytest
from django.apps import apps as django_apps
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.throttling import UserRateThrottle

from lantern.core import audit, services
from lantern.core.models import ApiToken, AuditEvent
from lantern.core.roles import Role

API = "/api/v1/intelligence/"
MIGRATION = importlib.import_module("lantern.core.migrations.0008_hashed_api_tokens")


def _status(token: str) -> int:
    return Client(headers={"authorization": f"Token {token}"}).get(API).status_code


def _issue(account, days: int = 30) -> services.IssuedToken:
    return services.issue_api_token(
        account=account, expires_in=datetime.timedelta(days=days), actor_email="operator"
    )


def _database_holds(text: str) -> list[str]:
    """Every table and row of the database in which ``text`` appears, in any column."""
    found = []
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {quote(table)}")
            for row in cursor.fetchall():
                for value in row:
                    if isinstance(value, bytes | memoryview):
                        value = bytes(value).decode("utf-8", "replace")
                    if text in str(value):
                        found.append(f"{table}: {row}")
    return found


def _run(*arguments: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("api-token", *arguments, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.fixture
def account(make_user):
    return make_user(Role.PARTNER_CONTRIBUTOR, email="system@partner.example")


def test_only_a_hash_of_the_token_is_stored(account):
    issued = _issue(account)

    assert _status(issued.token) == 200
    assert _database_holds(issued.token) == []
    stored = ApiToken.objects.get(user=account)
    assert stored.digest == hashlib.sha512(issued.token.encode()).hexdigest()
    assert issued.token.startswith("lantern_")
    assert len(issued.token) == len("lantern_") + 64
    # What is kept in clear is too short to sign in with.
    assert issued.token.startswith(stored.token_key)
    assert _status(stored.token_key) == 401


def test_the_command_prints_the_token_once_and_audits_who_issued_it(account):
    out, err = _run("create", "SYSTEM@partner.example", "--expires-in", "7")

    token = out.strip()
    assert _status(token) == 200
    assert "shown once" in err
    assert "Authorization: Token" in err
    expiry = ApiToken.objects.get(user=account).expiry
    assert expiry - timezone.now() == pytest.approx(
        datetime.timedelta(days=7), abs=datetime.timedelta(minutes=1)
    )
    event = AuditEvent.objects.get(action=audit.Action.API_TOKEN_ISSUED)
    assert event.actor_email.startswith("command line (")
    assert (event.actor_id, event.ip_address) == (None, None)  # a command: no account, no address
    assert event.purpose == "lantern api-token create"
    assert event.object_id == str(account.pk)
    assert event.detail["token"] == token[:15]
    assert _database_holds(token) == []

    listing, _ = _run("list")
    assert f"system@partner.example  {token[:15]}…" in listing
    assert token not in listing
    assert "active" in listing


def test_an_account_may_hold_several_tokens_and_revoke_one(account):
    first, second = _issue(account), _issue(account)

    _run("revoke", account.email, "--token", first.record.token_key + "…")

    assert _status(first.token) == 401
    assert _status(second.token) == 200
    revoked = AuditEvent.objects.get(action=audit.Action.API_TOKEN_REVOKED)
    assert revoked.detail == {"revoked": [first.record.token_key]}


def test_revoking_every_token_of_an_account(account):
    tokens = [_issue(account).token for _ in range(2)]

    out, _ = _run("revoke", account.email)

    assert out.strip() == f"Revoked 2 token(s) of {account.email}."
    assert [_status(token) for token in tokens] == [401, 401]
    with pytest.raises(CommandError, match="no token to revoke"):
        _run("revoke", account.email)


def test_rotation_invalidates_every_old_token(account):
    old = [_issue(account).token for _ in range(2)]

    out, _ = _run("rotate", account.email)

    new = out.strip()
    assert [_status(token) for token in old] == [401, 401]
    assert _status(new) == 200
    assert ApiToken.objects.filter(user=account).count() == 1
    event = AuditEvent.objects.get(action=audit.Action.API_TOKEN_ROTATED)
    assert event.detail["token"] == new[:15]
    assert sorted(event.detail["revoked"]) == sorted(token[:15] for token in old)
    assert audit.verify_chain().intact


def test_an_expired_token_is_refused(account):
    issued = _issue(account)
    ApiToken.objects.filter(pk=issued.record.pk).update(
        expiry=timezone.now() - datetime.timedelta(seconds=1)
    )

    listing, _ = _run("list", account.email)
    response = Client(headers={"authorization": f"Token {issued.token}"}).get(API)

    assert f"{issued.record.token_key}…" in listing
    assert listing.rstrip().endswith("EXPIRED")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


def test_a_deactivated_accounts_token_is_refused(account):
    issued = _issue(account)
    account.is_active = False
    account.save(update_fields=["is_active"])

    assert _status(issued.token) == 401
    with pytest.raises(CommandError, match="deactivated"):
        _run("create", account.email)


@pytest.mark.parametrize(
    "arguments",
    [
        ("create", "nobody@partner.example"),
        ("rotate", "nobody@partner.example"),
        ("revoke", "nobody@partner.example"),
        ("list", "nobody@partner.example"),
        ("create", "system@partner.example", "--expires-in", "0"),
        ("create", "system@partner.example", "--expires-in", "-3"),
        ("create", "system@partner.example", "--expires-in", "soon"),
        ("create", "system@partner.example", "--expires-in", "36500"),
    ],
)
def test_bad_command_input_is_refused_and_changes_nothing(account, arguments):
    with pytest.raises(CommandError):
        _run(*arguments)
    assert not ApiToken.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="api.").exists()


def test_an_administrator_expires_a_token_in_the_admin(signed_in, account):
    issued, other = _issue(account), _issue(account)
    administrator = signed_in(Role.SYSTEM_ADMINISTRATOR)
    changelist = reverse("admin:core_apitoken_changelist")

    listing = administrator.get(changelist)
    assert listing.status_code == 200
    assert issued.record.token_key in listing.text
    assert issued.token not in listing.text

    response = administrator.post(
        changelist, {"action": "expire_now", "_selected_action": [issued.record.pk]}, follow=True
    )

    assert "1 token expired" in response.text
    assert _status(issued.token) == 401
    assert _status(other.token) == 200
    event = AuditEvent.objects.get(action=audit.Action.API_TOKEN_EXPIRED)
    assert event.actor_id == administrator.user.pk
    assert event.detail["token"] == issued.record.token_key

    french = administrator.get("/fr" + changelist).text
    assert "jetons d’API" in french
    assert "Faire expirer maintenant les jetons sélectionnés" in french


def test_no_one_else_sees_or_expires_tokens_in_the_admin(signed_in, account):
    issued = _issue(account)
    analyst = signed_in(Role.HUB_ANALYST)
    changelist = reverse("admin:core_apitoken_changelist")

    listing = analyst.get(changelist)
    analyst.post(changelist, {"action": "expire_now", "_selected_action": [issued.record.pk]})

    assert listing.status_code == 302
    assert issued.record.token_key not in listing.text
    assert _status(issued.token) == 200
    assert not AuditEvent.objects.filter(action=audit.Action.API_TOKEN_EXPIRED).exists()


def test_the_throttle_counts_each_account_on_its_own(monkeypatch, account, make_user):
    monkeypatch.setattr(UserRateThrottle, "rate", "2/minute", raising=False)
    busy = _issue(account).token
    other = _issue(make_user(Role.PARTNER_CONTRIBUTOR)).token

    assert [_status(busy) for _ in range(3)] == [200, 200, 429]
    assert _status(other) == 200


def _clear_token_table(key: str, user_id: int) -> None:
    """DRF's authtoken_token as an installation upgraded from it still has it."""
    quote = connection.ops.quote_name
    postgres = connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TABLE {quote('authtoken_token')} ({quote('key')} varchar(40) PRIMARY KEY, "
            f"created {'timestamp with time zone' if postgres else 'datetime'} NOT NULL, "
            "user_id bigint NOT NULL UNIQUE)"
        )
        cursor.execute(
            f"INSERT INTO {quote('authtoken_token')} VALUES (%s, %s, %s)",
            [key, "2025-06-01 09:30:00+00" if postgres else "2025-06-01 09:30:00", user_id],
        )
        cursor.execute(
            "INSERT INTO django_migrations (app, name, applied) VALUES (%s, %s, %s)",
            ["authtoken", "0001_initial", timezone.now()],
        )
    content_type = ContentType.objects.create(app_label="authtoken", model="token")
    Permission.objects.create(content_type=content_type, codename="add_token", name="Can add")


def test_the_migration_hashes_clear_tokens_and_drops_them(account):
    key = "9944b09199c62bcf9418ad846dd0e4bbdfc6ee4b"  # a DRF key: 40 hex characters
    _clear_token_table(key, account.pk)
    assert _database_holds(key)

    moved = MIGRATION.hash_clear_tokens(django_apps, connection)

    assert moved == 1
    assert "authtoken_token" not in connection.introspection.table_names()
    assert _database_holds(key) == []
    assert not ContentType.objects.filter(app_label="authtoken").exists()
    assert not Permission.objects.filter(codename="add_token").exists()
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM django_migrations WHERE app = 'authtoken'")
        assert cursor.fetchone() == (0,)
    # The partner system keeps working with the token it holds, until the migrated one expires.
    assert _status(key) == 200
    token = ApiToken.objects.get(user=account)
    assert token.created == datetime.datetime(2025, 6, 1, 9, 30, tzinfo=datetime.UTC)
    assert token.expiry - timezone.now() == pytest.approx(
        datetime.timedelta(days=MIGRATION.MIGRATED_TOKEN_DAYS), abs=datetime.timedelta(minutes=1)
    )
    # Nothing to do on a new installation, or a second time.
    assert MIGRATION.hash_clear_tokens(django_apps, connection) == 0


def test_the_issued_token_stays_out_of_its_repr(account):
    issued = _issue(account)
    assert issued.token not in repr(issued)
