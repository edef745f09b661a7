"""Single sign-on against a real OpenID Connect provider and the quarterly access review,
in a real browser, in English and French, scanned with axe-core."""

from collections.abc import Callable, Iterator

import pytest
from playwright.sync_api import BrowserContext, expect

from lantern.accounts.models import AccessReview, IdentityProvider
from lantern.accounts.services import access_review, providers
from lantern.core.models import AuditEvent
from lantern.core.roles import Role
from tests.accounts import oidc_provider
from tests.e2e.test_accounts import LANGUAGES, _axe_clean

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture(scope="module")
def local_provider() -> Iterator[oidc_provider.LocalProvider]:
    provider = oidc_provider.start()
    yield provider
    oidc_provider.stop(provider)


@pytest.mark.parametrize(("prefix", "lang"), LANGUAGES)
def test_a_partner_signs_in_through_their_organisation(
    new_context: Callable[..., BrowserContext],
    make_user: Callable,
    make_organisation: Callable,
    local_provider: oidc_provider.LocalProvider,
    site: str,
    prefix: str,
    lang: str,
) -> None:
    local_provider.reset()
    police = make_organisation(name="Leicestershire Police")
    officer = make_user(Role.PARTNER_CONTRIBUTOR, organisation=police, full_name="Dee Officer")
    officer.email = "dee.officer@leics.police.test"
    officer.save()
    provider = IdentityProvider(
        organisation=police,
        issuer=local_provider.issuer,
        client_id=oidc_provider.CLIENT_ID,
        client_secret=oidc_provider.CLIENT_SECRET,
        email_domains="leics.police.test",
        trust_provider_mfa=True,
    )
    providers.discover(provider)
    provider.save()
    local_provider.claims = {
        "email": "Dee.Officer@leics.police.test",
        "email_verified": True,
        "amr": ["pwd", "mfa"],
    }
    page = new_context(bypass_csp=True).new_page()

    page.goto(f"{prefix}/sign-in/", timeout=30_000)  # the first page of a cold server
    expect(page.locator("html")).to_have_attribute("lang", lang)
    page.locator(f"main a[href^='{prefix}/sign-in/organisation/']").click()
    _axe_clean(page)
    form = page.locator("main form[method=post]")
    form.locator("[name=email]").fill("nobody@elsewhere.test")
    form.locator("button[type=submit]").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    _axe_clean(page)
    form.locator("[name=email]").fill("dee.officer@leics.police.test")
    form.locator("button[type=submit]").click()
    start = page.locator("main a.govuk-button--start")
    expect(start).to_contain_text("Leicestershire Police")
    _axe_clean(page)
    start.click()

    # Through the provider and back: signed in, its second factor accepted.
    expect(page).to_have_url(f"{site}{prefix}/")
    expect(page.get_by_role("main")).to_be_visible()
    assert AuditEvent.objects.filter(action="auth.sso_login", actor_id=officer.pk).exists()


@pytest.mark.parametrize(("prefix", "lang"), LANGUAGES)
def test_the_quarterly_review_is_flagged_then_confirmed(
    new_context: Callable[..., BrowserContext],
    open_session: Callable,
    make_user: Callable,
    make_organisation: Callable,
    site: str,
    prefix: str,
    lang: str,
) -> None:
    council = make_organisation(name="Charnwood Borough Council")
    administrator = make_user(
        Role.ORGANISATION_ADMINISTRATOR, organisation=council, full_name="Olu Admin"
    )
    make_user(Role.PARTNER_CONTRIBUTOR, organisation=council, full_name="Asha Stays")
    leaver = make_user(Role.PARTNER_CONTRIBUTOR, organisation=council, full_name="Ben Leaves")
    access_review.run_access_reviews()
    review = AccessReview.objects.get(organisation=council)
    page = new_context(bypass_csp=True).new_page()
    open_session(page.context, administrator)

    page.goto(f"{prefix}/organisation/users/", timeout=30_000)
    expect(page.locator("html")).to_have_attribute("lang", lang)
    banner = page.locator(".govuk-notification-banner")
    expect(banner).to_be_visible()
    banner.locator("a").click()
    expect(page).to_have_url(f"{site}{prefix}/organisation/access-reviews/{review.pk}/")
    _axe_clean(page)
    page.locator(f"main a[href*='/users/{leaver.pk}/deactivate/']").click()
    expect(page).to_have_url(
        f"{site}{prefix}/organisation/users/{leaver.pk}/deactivate/?review={review.pk}"
    )
    page.locator("main form[method=post] button[type=submit]").click()
    expect(page).to_have_url(f"{site}{prefix}/organisation/access-reviews/{review.pk}/")
    expect(page.locator("main table")).not_to_contain_text("Ben Leaves")
    page.locator("main form[method=post] button[type=submit]").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    _axe_clean(page)
    page.locator("main input[name=checked]").check()
    page.locator("main form[method=post] button[type=submit]").click()

    expect(page).to_have_url(f"{site}{prefix}/organisation/access-reviews/")
    expect(page.locator("main .govuk-tag--green")).to_be_visible()
    _axe_clean(page)
    review.refresh_from_db()
    assert review.confirmed_by == administrator
    leaver.refresh_from_db()
    assert not leaver.is_active
