"""Fixtures for core's tests that need data committed for real (backups, other processes)."""

import importlib
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import connection

_audit_triggers = importlib.import_module("lantern.core.migrations.0004_audit_append_only")


def _install_triggers() -> None:
    with connection.schema_editor() as editor:
        _audit_triggers.uninstall(None, editor)
        _audit_triggers.install(None, editor)


@pytest.fixture
def _triggers_after_flush(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    """Put the audit triggers back once the database was flushed after the test."""
    yield
    with django_db_blocker.unblock():
        _install_triggers()


@pytest.fixture
def committed_db(
    _triggers_after_flush: None, transactional_db: None, django_db_serialized_rollback: None
) -> Iterator[None]:
    """A database whose writes are committed, visible to another process or connection.

    It starts from the post-migration state (roles, areas); the audit log's append-only
    triggers are in force during the test, lifted only for the flush that follows it
    (which they would refuse) and put back after it, as tests/e2e/conftest.py does.
    """
    _install_triggers()
    yield
    with connection.schema_editor() as editor:
        _audit_triggers.uninstall(None, editor)
