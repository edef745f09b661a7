"""The encrypted model fields of every installed app, and the keys that open them.

Victims' personal details are encrypted with django-fernet-encrypted-fields
(docs/adr/0013-encrypted-fields.md). Backup verification samples them and key rotation
re-encrypts them; both find the fields here, over every installed app, so that core needs
to know nothing about the apps that own them.
"""

from dataclasses import dataclass

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.apps import apps
from django.db import models
from encrypted_fields.fields import EncryptedFieldMixin


@dataclass(frozen=True)
class EncryptedColumns:
    model: type[models.Model]
    fields: tuple[models.Field, ...]

    @property
    def label(self) -> str:
        return self.model._meta.label

    @property
    def table(self) -> str:
        return self.model._meta.db_table

    @property
    def columns(self) -> tuple[str, ...]:
        return tuple(field.column for field in self.fields)


def encrypted_columns() -> list[EncryptedColumns]:
    """Every concrete model with encrypted fields, in a stable order."""
    found = []
    for model in apps.get_models():
        if model._meta.proxy or not model._meta.managed:
            continue
        fields = tuple(
            field for field in model._meta.concrete_fields if isinstance(field, EncryptedFieldMixin)
        )
        if fields:
            found.append(EncryptedColumns(model, fields))
    return sorted(found, key=lambda item: item.label)


def forget_cached_keys() -> None:
    """Make every encrypted field derive its keys again from the settings in force now.

    The library derives them once per process and caches them on each field; after a salt
    is added (or, in tests, the settings change) the fields must not go on using old ones.
    """
    for item in encrypted_columns():
        for field in item.fields:
            field.__dict__.pop("keys", None)
            field.__dict__.pop("f", None)


def _keys(field: models.Field) -> list[bytes]:
    field.__dict__.pop("keys", None)
    field.__dict__.pop("f", None)
    return list(field.keys)


def all_keys(field: models.Field) -> MultiFernet:
    """Every key the settings allow (SECRET_KEY and its fallbacks by every salt)."""
    return MultiFernet([Fernet(key) for key in _keys(field)])


def newest_key(field: models.Field) -> Fernet:
    """The key new values are encrypted with: SECRET_KEY with the first salt."""
    return Fernet(_keys(field)[0])


def decrypts(token: str, keys: MultiFernet) -> bool:
    try:
        keys.decrypt(token.encode("utf-8"))
    except (InvalidToken, UnicodeEncodeError):
        return False
    return True
