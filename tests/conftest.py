import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import translation

from lantern.core import lookups
from lantern.core.models import Organisation, User
from lantern.core.roles import Role
from tests.factories import OrganisationFactory, UserFactory


@pytest.fixture
def organisation(db) -> Organisation:
    return OrganisationFactory(name="Leicestershire Fire and Rescue Service")


@pytest.fixture
def make_user(db):
    """Build a user holding the given roles, in a partner organisation by default."""

    def make(*roles: Role, organisation: Organisation | None = None, **fields) -> User:
        if organisation is not None:
            fields["organisation"] = organisation
        return UserFactory(roles=list(roles), **fields)

    return make


@pytest.fixture
def signed_in(client: Client, make_user):
    """A client signed in (password step done, no second factor enrolled) as a new user."""

    def sign_in(*roles: Role, organisation: Organisation | None = None, **fields) -> Client:
        user = make_user(*roles, organisation=organisation, **fields)
        client.force_login(user)
        client.user = user
        return client

    return sign_in


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Argon2 is deliberately slow; tests that are not about hashing use a fast hasher."""
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.MD5PasswordHasher",
        "django.contrib.auth.hashers.Argon2PasswordHasher",
    ]


@pytest.fixture(autouse=True)
def english_by_default():
    """Each test starts in English: a request to /fr/ must not leak into the next test."""
    with translation.override("en-gb"):
        yield


@pytest.fixture(autouse=True)
def private_cache(settings):
    """A cache of the test's own, so rate-limit counters never carry over between tests."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "tests",
        }
    }
    cache.clear()


@pytest.fixture(autouse=True)
def private_storage(settings, tmp_path):
    """Photos sent in a test land in the test's own folder, never in var/."""
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {**settings.STORAGES["private"], "OPTIONS": {"location": str(tmp_path)}},
    }


@pytest.fixture(autouse=True)
def fresh_lookups():
    """Each test reads the lookup tables as its own database holds them."""
    lookups.clear()


@pytest.fixture
def run_jobs(db, monkeypatch):
    """Run the queued background jobs now, in this process, as ``lantern worker`` would
    (the package's own worker loop, in batch mode); returns how many ran.

    The loop closes the connection between jobs as a request would; inside the test's
    transaction that would end the test's database on PostgreSQL, so (as Django's test
    client does for requests) it is kept open here.
    """
    from django_tasks_db.management.commands import db_worker
    from django_tasks_db.management.commands.db_worker import Worker

    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)

    def run() -> int:
        worker = Worker(
            queue_names=["*"],
            interval=0,
            batch=True,
            backend_name="default",
            startup_delay=False,
            max_tasks=None,
            worker_id="tests",
            excluded_queue_names=[],
        )
        worker.run()
        return worker._run_tasks

    return run
