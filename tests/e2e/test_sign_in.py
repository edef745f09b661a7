"""Journeys through signing in and out, in a real browser under the site's real CSP."""

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import BrowserContext, Page, expect

from lantern.core.roles import Role
from tests.e2e.conftest import give_authenticator, sign_in_with_password

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_partner_signs_in_reads_home_in_french_and_english_and_signs_out(
    page: Page,
    page_errors: list[str],
    site: str,
    make_user: Callable,
    make_organisation: Callable,
    artifacts: Path,
) -> None:
    organisation = make_organisation(name="Leicestershire Fire and Rescue Service")
    user = make_user(
        Role.PARTNER_CONTRIBUTOR,
        organisation=organisation,
        full_name="Amira Khan",
        email="amira.khan@leicestershire-fire.test",
    )
    html = page.locator("html")
    heading = page.get_by_role("heading", level=1)

    page.goto("/sign-in/")
    expect(page).to_have_title("Sign in – Lantern")
    expect(heading).to_have_text("Sign in to Lantern")
    sign_in_with_password(page, user.email)

    expect(page).to_have_url(f"{site}/")
    expect(heading).to_have_text("Welcome, Amira")
    main = page.get_by_role("main")
    expect(main).to_contain_text("Leicestershire Fire and Rescue Service")
    expect(page.get_by_role("heading", level=2, name="Your roles", exact=True)).to_be_visible()
    expect(main.locator(".govuk-summary-list__key")).to_have_text(["Partner contributor"])
    page.screenshot(path=artifacts / "home-en.png", full_page=True)

    page.get_by_role("link", name="Français").click()
    expect(page).to_have_url(f"{site}/fr/")
    expect(html).to_have_attribute("lang", "fr")
    expect(heading).to_contain_text("Amira")
    expect(main).to_contain_text("Leicestershire Fire and Rescue Service")
    expect(page.get_by_role("heading", level=2, name="Vos rôles", exact=True)).to_be_visible()
    expect(page.get_by_role("heading", level=2, name="Your roles", exact=True)).to_have_count(0)
    page.screenshot(path=artifacts / "home-fr.png", full_page=True)

    page.get_by_role("link", name="English").click()
    expect(page).to_have_url(f"{site}/")
    expect(html).to_have_attribute("lang", "en-gb")
    expect(page.get_by_role("heading", level=2, name="Your roles", exact=True)).to_be_visible()

    page.get_by_role("banner").get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(f"{site}/sign-in/")
    expect(heading).to_have_text("Sign in to Lantern")
    expect(page.get_by_role("button", name="Sign out")).to_have_count(0)

    # Signed out, the site's address is the public front door, with the way back in.
    page.goto("/")
    expect(page).to_have_url(f"{site}/help/")
    page.get_by_role("link", name="Partner sign in").click()
    expect(page).to_have_url(f"{site}/sign-in/")
    assert page_errors == []


def test_wrong_password_shows_the_error_summary(
    page: Page, page_errors: list[str], site: str, make_user: Callable
) -> None:
    user = make_user(Role.HUB_ANALYST)

    page.goto("/sign-in/")
    sign_in_with_password(page, user.email, "not the right password")

    expect(page).to_have_url(f"{site}/sign-in/")
    expect(page).to_have_title("Error: Sign in – Lantern")
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    expect(summary.get_by_role("alert")).to_be_visible()
    expect(summary.get_by_role("heading", level=2)).to_have_text("There is a problem")
    error = summary.get_by_role("link")
    expect(error).to_have_text(re.compile(r"^Enter a correct email address and password\b"))
    expect(error).to_have_attribute("href", "#id_username")
    # GOV.UK Frontend moves focus to the summary, and its links to the field.
    expect(summary).to_be_focused()
    error.click()
    email = page.get_by_label("Email address")
    expect(email).to_be_focused()
    expect(email).to_have_value(user.email)
    expect(page.get_by_label("Password")).to_have_value("")
    expect(page.get_by_role("button", name="Sign out")).to_have_count(0)
    assert page_errors == []


def test_signing_in_and_out_works_without_javascript(
    new_context: Callable[..., BrowserContext], site: str, make_user: Callable
) -> None:
    user = make_user(Role.SAFEGUARDING_LEAD, full_name="Grace Okafor")
    page = new_context(java_script_enabled=False).new_page()

    page.goto("/sign-in/")
    sign_in_with_password(page, user.email)
    expect(page).to_have_url(f"{site}/")
    expect(page.locator("body")).not_to_have_class(re.compile(r"\bjs-enabled\b"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Welcome, Grace")

    page.get_by_role("link", name="Français").click()
    expect(page).to_have_url(f"{site}/fr/")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    page.get_by_role("link", name="English").click()
    expect(page).to_have_url(f"{site}/")

    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(f"{site}/sign-in/")
    expect(page.get_by_role("button", name="Sign out")).to_have_count(0)
    page.goto("/")
    expect(page).to_have_url(f"{site}/help/")


def test_user_with_an_authenticator_enters_a_code_after_the_password(
    page: Page, page_errors: list[str], site: str, make_user: Callable
) -> None:
    user = make_user(Role.HUB_COORDINATOR, full_name="Tomasz Nowak")
    device = give_authenticator(user)

    page.goto("/sign-in/")
    sign_in_with_password(page, user.email)
    expect(page).to_have_url(f"{site}/sign-in/code/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Enter your security code")

    page.goto("/partners/")  # nothing else is reachable before the code
    expect(page).to_have_url(f"{site}/sign-in/code/")

    code = page.get_by_label("Code from your authenticator app")
    code.fill("000000" if _token(device) != "000000" else "111111")
    page.get_by_role("button", name="Continue").click()
    expect(page).to_have_title("Error: Enter your security code – Lantern")
    expect(page.locator(".govuk-error-summary")).to_contain_text("The code is wrong")

    # django-otp refuses every code for a second after a wrong one; lift that, not wait.
    TOTPDevice.objects.get(pk=device.pk).throttle_reset()
    code.fill(_token(device))
    page.get_by_role("button", name="Continue").click()
    expect(page).to_have_url(f"{site}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Welcome, Tomasz")
    menu = page.get_by_role("navigation", name="Menu")
    expect(menu.get_by_role("link", name="Home")).to_have_attribute("aria-current", "page")
    expect(menu.get_by_role("link", name="Partners")).to_be_visible()
    assert page_errors == []


def _token(device: TOTPDevice) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"
