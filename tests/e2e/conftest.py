"""Browser tests: headless Debian Chromium driven by Playwright against pytest-django's live server.

One browser runs for the whole session; every test gets a fresh browser context (cookies,
storage) and a transactional database, restored from the post-migration state before each
test (``serialized_rollback``) so that the role groups and local authority areas created by
data migrations are there for every test.

The audit log's database triggers (migration ``0004_audit_append_only``) refuse the DELETE or
TRUNCATE that flushes the database after a transactional test, so each test installs them
before it runs and removes them just before the flush.
"""

import importlib
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright

from lantern.core.models import Organisation, User
from lantern.core.roles import Role
from tests.factories import PASSWORD, OrganisationFactory, UserFactory

# Playwright's sync API runs an asyncio event loop in this thread, which makes Django
# refuse ORM calls from the tests unless told that this is safe (it is: nothing else runs
# on that loop).
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
AXE_SCRIPT = Path(os.environ.get("AXE_CORE", ROOT / "node_modules" / "axe-core" / "axe.min.js"))
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-quic",
    "--no-first-run",
    "--disable-sync",
]
VIEWPORT = {"width": 1280, "height": 800}

_audit_triggers = importlib.import_module("lantern.core.migrations.0004_audit_append_only")


def _install_audit_triggers() -> None:
    with connection.schema_editor() as editor:
        _audit_triggers.uninstall(None, editor)
        _audit_triggers.install(None, editor)


def _remove_audit_triggers() -> None:
    with connection.schema_editor() as editor:
        _audit_triggers.uninstall(None, editor)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """On CI's second pass (PostgreSQL after SQLite), leave out the accessibility scans of
    pages that read the same on any database: the first pass scanned them, in each
    language. ``make test`` alone sets nothing and runs every scan."""
    if os.environ.get("LANTERN_SECOND_DATABASE_PASS", "") != "1":
        return
    repeated = [item for item in items if item.get_closest_marker("same_on_every_database")]
    if repeated:
        config.hook.pytest_deselected(items=repeated)
        items[:] = [item for item in items if not item.get_closest_marker("same_on_every_database")]


@pytest.fixture(scope="session")
def browser(django_db_setup: None) -> Iterator[Browser]:
    """Debian's Chromium, started once for the session.

    Starting Playwright's sync API gives the test code a fresh context, and with it fresh
    Django connection objects (Django keeps them in context variables) that lack the
    post-migration snapshot the test database set-up took for ``serialized_rollback``.
    The snapshot is carried over by hand so that every browser test starts from it,
    whether or not other tests set the database up before Playwright started.
    """
    if not Path(CHROMIUM).exists():
        pytest.fail(
            f"Chromium not found at {CHROMIUM}: install Debian's chromium package "
            "(make test does) or set CHROMIUM to its path."
        )
    snapshot = getattr(connection, "_test_serialized_contents", None)
    with sync_playwright() as playwright:
        if snapshot is not None:
            connection._test_serialized_contents = snapshot
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def _audit_triggers_restored(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    """Leave the triggers in place at the end, for a database kept with --reuse-db."""
    yield
    with django_db_blocker.unblock():
        _install_audit_triggers()


@pytest.fixture
def site(
    live_server: Any,
    transactional_db: None,
    django_db_serialized_rollback: None,
    _audit_triggers_restored: None,
) -> Iterator[str]:
    """The live server's base URL, with a database holding the migrations' data."""
    _install_audit_triggers()
    yield live_server.url
    _remove_audit_triggers()


@pytest.fixture
def new_context(browser: Browser, site: str) -> Iterator[Callable[..., BrowserContext]]:
    """Open browser contexts (closed after the test) on the live server.

    ``bypass_csp`` defaults to False so the journeys run under the site's real Content
    Security Policy; the accessibility scans turn it on only to inject axe-core.
    """
    contexts: list[BrowserContext] = []

    def open_context(**options: Any) -> BrowserContext:
        options = {"base_url": site, "viewport": VIEWPORT, "locale": "en-GB", **options}
        context = browser.new_context(**options)
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context

    yield open_context
    for context in contexts:
        context.close()


@pytest.fixture
def page_errors() -> list[str]:
    """Console errors and uncaught exceptions seen by ``page``."""
    return []


@pytest.fixture
def page(new_context: Callable[..., BrowserContext], page_errors: list[str]) -> Page:
    """A page under the site's real CSP that records console errors and uncaught exceptions."""
    page = new_context().new_page()
    page.on(
        "console",
        lambda message: (
            page_errors.append(f"console {message.type}: {message.text}")
            if message.type == "error"
            else None
        ),
    )
    page.on("pageerror", lambda error: page_errors.append(f"uncaught exception: {error}"))
    return page


@pytest.fixture
def make_user(site: str) -> Callable[..., User]:
    """Create a user holding the given roles, in a partner organisation with a signed ISA."""

    def make(*roles: Role, organisation: Organisation | None = None, **fields: Any) -> User:
        if organisation is not None:
            fields["organisation"] = organisation
        return UserFactory(roles=list(roles), **fields)

    return make


@pytest.fixture
def make_organisation(site: str) -> Callable[..., Organisation]:
    def make(**fields: Any) -> Organisation:
        return OrganisationFactory(**fields)

    return make


def give_authenticator(user: User) -> TOTPDevice:
    """A confirmed TOTP device, as if the user had enrolled an authenticator app."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return device or TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)


@pytest.fixture
def open_session(site: str) -> Callable[..., None]:
    """Sign a browser context in as a user without the sign-in form (fast set-up for scans).

    With ``second_factor`` (the default) the user gets an authenticator and the session
    counts as verified, as after entering a code; without it the session has done the
    password step only.
    """

    def sign_in(context: BrowserContext, user: User, *, second_factor: bool = True) -> None:
        client = Client()
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        if second_factor:
            device = give_authenticator(user)
            session = client.session
            session[DEVICE_ID_SESSION_KEY] = device.persistent_id
            session.save()
        cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
        context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": site}])

    return sign_in


def sign_in_with_password(page: Page, email: str, password: str = PASSWORD) -> None:
    """Fill in and send the sign-in form of the current language's /sign-in/ page."""
    form = page.locator("main form[method=post]")
    form.locator("input[name=username]").fill(email)
    form.locator("input[name=password]").fill(password)
    form.locator("button[type=submit]").click()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS
