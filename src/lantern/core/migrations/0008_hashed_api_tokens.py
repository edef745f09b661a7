"""API tokens stored as hashes (django-rest-knox); DRF's clear tokens hashed, then dropped.

Django REST Framework's ``authtoken_token`` held every key in clear. Each key (40 hex
characters) becomes a knox token whose digest is the SHA-512 of the key and whose
``token_key`` is its first 15 characters, exactly what knox computes when the partner
system presents the key, so the systems keep working with the token they hold. The clear
table is then dropped, with the records of its migrations, its content type and its
permissions (``rest_framework.authtoken`` is no longer installed).

A migrated token keeps fewer hidden characters than a new one (25 rather than 57), so it
expires ``MIGRATED_TOKEN_DAYS`` after the upgrade: operators rotate each partner system
onto a new token before then (docs/adr/0018-hashed-api-tokens.md).
"""

import datetime

from django.db import migrations
from django.utils import timezone
from django.utils.dateparse import parse_datetime

MIGRATED_TOKEN_DAYS = 90
CLEAR_TABLE = "authtoken_token"


def _aware(value):
    """SQLite hands a raw timestamp back as naive text in UTC, PostgreSQL as a datetime."""
    if isinstance(value, str):
        value = parse_datetime(value)
    if value is not None and timezone.is_naive(value):
        value = timezone.make_aware(value, datetime.UTC)
    return value


def hash_clear_tokens(apps, connection) -> int:
    """Move DRF's clear tokens into knox's table as hashes and drop the clear table.

    Takes the connection rather than a schema editor so that it runs inside a test's
    transaction too. Returns how many tokens were moved.
    """
    from knox.crypto import hash_token
    from knox.settings import CONSTANTS

    if CLEAR_TABLE not in connection.introspection.table_names():
        return 0
    AuthToken = apps.get_model("knox", "AuthToken")
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {quote('key')}, user_id, created FROM {quote(CLEAR_TABLE)}")  # noqa: S608
        rows = cursor.fetchall()
    expiry = timezone.now() + datetime.timedelta(days=MIGRATED_TOKEN_DAYS)
    for key, user_id, created in rows:
        digest = hash_token(key)
        AuthToken(
            digest=digest,
            token_key=key[: CONSTANTS.TOKEN_KEY_LENGTH],
            user_id=user_id,
            expiry=expiry,
        ).save(force_insert=True)
        # ``created`` is set on insert (auto_now_add); keep when the token was issued.
        if (issued := _aware(created)) is not None:
            AuthToken.objects.filter(digest=digest).update(created=issued)
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE {quote(CLEAR_TABLE)}")
        cursor.execute("DELETE FROM django_migrations WHERE app = %s", ["authtoken"])
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission.objects.filter(content_type__app_label="authtoken").delete()
    ContentType.objects.filter(app_label="authtoken").delete()
    return len(rows)


def forwards(apps, schema_editor) -> None:
    hash_clear_tokens(apps, schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0007_reload_lexicon"),
        ("knox", "0009_extend_authtoken_field"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.CreateModel(
            name="ApiToken",
            fields=[],
            options={
                "verbose_name": "API token",
                "verbose_name_plural": "API tokens",
                "proxy": True,
                "indexes": [],
                "constraints": [],
            },
            bases=("knox.authtoken",),
        ),
        # Not reversible into clear tokens: going back leaves the hashed ones in place.
        migrations.RunPython(forwards, migrations.RunPython.noop),
    ]
