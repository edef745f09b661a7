"""Accounts in a real browser, in English and French, scanned with axe-core: an
organisation administrator invites a colleague who sets a password and enrols the
authenticator; a password reset that still asks for the second factor."""

import re
from collections.abc import Callable

import pytest
from django.core import mail
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import BrowserContext, Page, expect

from lantern.core.models import User
from lantern.core.roles import Role
from tests.e2e.conftest import AXE_SCRIPT, give_authenticator, sign_in_with_password
from tests.e2e.test_accessibility import FAILING_IMPACTS, RUN_AXE, WCAG_TAGS

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

NEW_PASSWORD = "amber-lantern-harbour-73"
LANGUAGES = [("", "en-gb"), ("/fr", "fr")]


def _axe_clean(page: Page) -> None:
    page.add_script_tag(path=AXE_SCRIPT)
    violations = page.evaluate(RUN_AXE, WCAG_TAGS)
    failing = [v for v in violations if v["impact"] in FAILING_IMPACTS]
    assert failing == [], f"{page.url}: {failing}"


def _code(device: TOTPDevice) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


def _link(pattern: str, run_jobs: Callable[[], int]) -> str:
    """The link in the last email, once the worker has sent what the page queued."""
    run_jobs()
    return re.search(pattern, mail.outbox[-1].body).group(0)


@pytest.mark.parametrize(("prefix", "lang"), LANGUAGES)
def test_an_organisation_administrator_invites_a_colleague_who_joins(
    new_context: Callable[..., BrowserContext],
    open_session: Callable,
    make_user: Callable,
    make_organisation: Callable,
    run_jobs: Callable[[], int],
    site: str,
    prefix: str,
    lang: str,
) -> None:
    organisation = make_organisation(name="Leicester City Council")
    administrator = make_user(
        Role.ORGANISATION_ADMINISTRATOR, organisation=organisation, full_name="Olu Admin"
    )
    admin_page = new_context(bypass_csp=True).new_page()
    open_session(admin_page.context, administrator)

    admin_page.goto(f"{prefix}/organisation/users/")
    expect(admin_page.locator("html")).to_have_attribute("lang", lang)
    _axe_clean(admin_page)
    admin_page.locator("main a.govuk-button").click()
    expect(admin_page).to_have_url(f"{site}{prefix}/organisation/users/invite/")
    form = admin_page.locator("main form[method=post]")
    form.locator("button[type=submit]").click()
    expect(admin_page.locator(".govuk-error-summary")).to_be_visible()
    _axe_clean(admin_page)
    form = admin_page.locator("main form[method=post]")
    form.locator("[name=full_name]").fill("Nia New")
    form.locator("[name=email]").fill("Nia.New@Leicester.test")
    form.locator("input[value='partner contributor']").check()
    form.locator("button[type=submit]").click()
    expect(admin_page).to_have_url(f"{site}{prefix}/organisation/users/")
    expect(admin_page.get_by_role("main")).to_contain_text("nia.new@leicester.test")

    invitation_link = _link(r"https?://\S+/invitation/\S+/", run_jobs)
    newcomer = new_context(bypass_csp=True).new_page()
    assert f"{prefix}/invitation/" in invitation_link  # in the inviter's language
    newcomer.goto(invitation_link)
    expect(newcomer.get_by_role("main")).to_contain_text("Leicester City Council")
    _axe_clean(newcomer)
    form = newcomer.locator("main form[method=post]")
    form.locator("[name=new_password1]").fill(NEW_PASSWORD)
    form.locator("[name=new_password2]").fill(NEW_PASSWORD)
    form.locator("button[type=submit]").click()

    expect(newcomer).to_have_url(re.compile(r"/account/security/$"))
    _axe_clean(newcomer)
    user = User.objects.get(email="nia.new@leicester.test")
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    form = newcomer.locator("main form[method=post]")
    form.locator("[name=token]").fill(_code(device))
    form.locator("button[type=submit]").click()

    expect(newcomer).to_have_url(re.compile(r"/(fr/)?$"))
    assert TOTPDevice.objects.filter(user=user, confirmed=True).exists()
    assert user.roles() == [Role.PARTNER_CONTRIBUTOR]
    assert user.organisation == organisation


@pytest.mark.parametrize(("prefix", "lang"), LANGUAGES)
def test_a_password_reset_still_asks_for_the_second_factor(
    new_context: Callable[..., BrowserContext],
    make_user: Callable,
    run_jobs: Callable[[], int],
    site: str,
    prefix: str,
    lang: str,
) -> None:
    user = make_user(Role.PARTNER_CONTRIBUTOR, full_name="Pat Person", email="pat@leicester.test")
    device = give_authenticator(user)
    page = new_context(bypass_csp=True).new_page()

    page.goto(f"{prefix}/sign-in/")
    page.locator("main a[href$='/sign-in/forgot-password/']").click()
    expect(page).to_have_url(f"{site}{prefix}/sign-in/forgot-password/")
    expect(page.locator("html")).to_have_attribute("lang", lang)
    _axe_clean(page)
    form = page.locator("main form[method=post]")
    form.locator("[name=email]").fill("PAT@leicester.test")
    form.locator("button[type=submit]").click()
    expect(page).to_have_url(f"{site}{prefix}/sign-in/forgot-password/sent/")
    _axe_clean(page)

    page.goto(_link(r"https?://\S+/reset-password/\S+/", run_jobs))
    _axe_clean(page)
    form = page.locator("main form[method=post]")
    form.locator("[name=new_password1]").fill(NEW_PASSWORD)
    form.locator("[name=new_password2]").fill(NEW_PASSWORD)
    form.locator("button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/sign-in/$"))

    sign_in_with_password(page, user.email, NEW_PASSWORD)
    expect(page).to_have_url(re.compile(r"/sign-in/code/"))
    form = page.locator("main form[method=post]")
    form.locator("[name=token]").fill(_code(device))
    form.locator("button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/(fr/)?$"))


@pytest.mark.parametrize(("prefix", "lang"), LANGUAGES)
def test_an_organisation_administrator_deactivates_a_leaver_whose_next_request_is_refused(
    new_context: Callable[..., BrowserContext],
    open_session: Callable,
    make_user: Callable,
    make_organisation: Callable,
    site: str,
    prefix: str,
    lang: str,
) -> None:
    organisation = make_organisation(name="Leicester City Council")
    administrator = make_user(Role.ORGANISATION_ADMINISTRATOR, organisation=organisation)
    leaver = make_user(Role.PARTNER_CONTRIBUTOR, organisation=organisation, full_name="Lee Leaver")
    leaver_page = new_context().new_page()
    open_session(leaver_page.context, leaver)
    leaver_page.goto(f"{prefix}/intelligence/")
    expect(leaver_page).to_have_url(f"{site}{prefix}/intelligence/")
    admin_page = new_context(bypass_csp=True).new_page()
    open_session(admin_page.context, administrator)

    admin_page.goto(f"{prefix}/organisation/users/")
    admin_page.get_by_role("link", name="Lee Leaver").click()
    expect(admin_page.locator("html")).to_have_attribute("lang", lang)
    _axe_clean(admin_page)
    admin_page.locator(f"main a[href$='/organisation/users/{leaver.pk}/deactivate/']").click()
    _axe_clean(admin_page)
    admin_page.locator("main form[method=post] button[type=submit]").click()
    expect(admin_page).to_have_url(f"{site}{prefix}/organisation/users/")
    expect(admin_page.locator(".govuk-tag--grey")).to_have_count(1)

    leaver_page.reload()
    expect(leaver_page).to_have_url(re.compile(r"/sign-in/\?next="))
    assert not User.objects.get(pk=leaver.pk).is_active
