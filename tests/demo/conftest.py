import pytest
from django.db import transaction
from django.test import override_settings


@pytest.fixture(scope="module")
def module_transaction(django_db_setup, django_db_blocker):
    """A transaction around a whole module, rolled back at its end.

    A module-scoped fixture inside it loads the demo once for every test of the module;
    each test's own transaction nests inside it (a savepoint), as in Django's
    ``TestCase.setUpTestData``, so a test that changes the data leaves the next one intact.
    Function-scoped fixtures have not run yet when it loads, so the fast password hasher
    and a private cache are set here for the load.
    """
    fast = override_settings(
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        CACHES={
            "default": {
                "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                "LOCATION": "demo-module",
            }
        },
    )
    with django_db_blocker.unblock(), fast, transaction.atomic():
        yield
        transaction.set_rollback(True)
