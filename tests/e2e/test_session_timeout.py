"""The time-out warning in a real browser (WCAG 2.2.1), with the limit shortened to seconds.

The warning must take the focus, be announced, keep the user signed in from the keyboard
(the button or Escape), and, if nobody answers, end on a page that says what happened.
"""

import time
from collections.abc import Callable

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from lantern.core.models import User
from lantern.core.roles import Role
from tests.e2e.conftest import AXE_SCRIPT
from tests.e2e.test_accessibility import FAILING_IMPACTS, RUN_AXE, WCAG_TAGS, _format

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _short_sessions(settings, *, seconds: int, warning: int) -> None:
    settings.SESSION_COOKIE_AGE = seconds
    settings.LANTERN_SESSION_WARNING_SECONDS = warning


def test_staff_stay_signed_in_by_keyboard_and_the_session_really_lasts(
    page: Page,
    page_errors: list[str],
    settings,
    make_user: Callable[..., User],
    open_session: Callable[..., None],
    site: str,
) -> None:
    _short_sessions(settings, seconds=8, warning=4)
    open_session(page.context, make_user(Role.HUB_ANALYST))
    page.goto("/")
    loaded = time.monotonic()
    dialog = page.get_by_role("dialog", name="You are about to be signed out")
    expect(dialog).to_be_hidden()
    # The page states the limit in words, for readers without JavaScript too.
    expect(page.locator("#session-limit")).to_contain_text("signs you out after 1 minute")

    expect(dialog).to_be_visible(timeout=8_000)
    stay = dialog.get_by_role("button", name="Stay signed in")
    expect(stay).to_be_focused()
    expect(dialog.locator("[aria-live=polite]")).to_contain_text("we will sign you out in")
    expect(dialog.locator("[data-countdown]")).to_contain_text("second")

    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    # Past the end of the session the page was loaded with, the user is still signed in.
    time.sleep(max(0.0, loaded + 9.5 - time.monotonic()))
    page.goto("/partners/")
    expect(page).to_have_url(f"{site}/partners/")

    # The warning comes back, and this time the button (Enter) keeps the session.
    expect(dialog).to_be_visible(timeout=8_000)
    page.keyboard.press("Enter")
    expect(dialog).to_be_hidden()
    expect(page).to_have_url(f"{site}/partners/")
    assert page_errors == []


def test_when_nobody_answers_the_sign_in_page_says_why(
    page: Page,
    page_errors: list[str],
    settings,
    make_user: Callable[..., User],
    open_session: Callable[..., None],
    site: str,
) -> None:
    _short_sessions(settings, seconds=4, warning=2)
    open_session(page.context, make_user(Role.HUB_ANALYST))
    page.goto("/partners/")
    expect(page).to_have_url(f"{site}/partners/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in to Lantern", timeout=10_000)
    expect(page.get_by_role("main")).to_contain_text("You were signed out because")
    # Really signed out: the page asked for is refused until the user signs in again.
    page.goto("/partners/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in to Lantern")
    assert page_errors == []


def test_a_public_draft_is_kept_from_the_warning_in_french(
    new_context: Callable[..., BrowserContext],
    settings,
    site: str,
) -> None:
    _short_sessions(settings, seconds=8, warning=4)
    page = new_context(locale="fr-FR").new_page()
    page.goto("/fr/report/")
    expect(page.get_by_role("main")).to_contain_text("dans un délai de 1 minute")
    page.goto("/fr/report/danger/")
    page.get_by_label("Non").check()
    page.get_by_role("button", name="Continuer").click()
    expect(page).to_have_url(f"{site}/fr/report/what-happened/")
    loaded = time.monotonic()
    dialog = page.get_by_role("dialog", name="Vos réponses vont bientôt être supprimées")
    expect(dialog).to_be_visible(timeout=8_000)
    expect(dialog.locator("[data-countdown]")).to_contain_text("seconde")
    keep = dialog.get_by_role("button", name="Garder mes réponses")
    expect(keep).to_be_focused()
    keep.press("Enter")
    expect(dialog).to_be_hidden()
    # Past the end of the session the page was loaded with, the answer is still there.
    time.sleep(max(0.0, loaded + 9 - time.monotonic()))
    page.goto("/fr/report/danger/")
    expect(page.get_by_label("Non")).to_be_checked()


def test_the_open_warning_passes_axe(
    new_context: Callable[..., BrowserContext],
    settings,
    make_user: Callable[..., User],
    open_session: Callable[..., None],
) -> None:
    _short_sessions(settings, seconds=6, warning=3)
    page = new_context(bypass_csp=True).new_page()
    open_session(page.context, make_user(Role.HUB_ANALYST))
    page.goto("/")
    expect(page.get_by_role("dialog")).to_be_visible(timeout=8_000)
    page.add_script_tag(path=AXE_SCRIPT)
    violations = page.evaluate(RUN_AXE, WCAG_TAGS)
    failing = [violation for violation in violations if violation["impact"] in FAILING_IMPACTS]
    assert not failing, _format(failing)
