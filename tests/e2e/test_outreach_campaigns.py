"""An awareness campaign in a real browser: the outreach officer creates it and downloads
its QR code, a visitor arrives through the short link and sends a report, and the
campaign page counts it. Every new page passes axe, in English and in French."""

from collections.abc import Callable
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import BrowserContext, expect

from lantern.core.models import Organisation, User
from lantern.core.roles import Role
from lantern.outreach.models import Campaign, LinkVisit
from lantern.public.models import PublicReport
from tests.e2e.test_entities import check_accessibility
from tests.e2e.test_intelligence import expect_success, press, signed_in_page
from tests.e2e.test_public_report import Reporter

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def as_day(day) -> str:
    return f"{day.day}/{day.month}/{day.year}"


def test_a_campaign_link_brings_a_report_that_the_campaign_counts(
    new_context: Callable[..., BrowserContext],
    open_session: Callable[..., None],
    make_user: Callable[..., User],
    make_organisation: Callable[..., Organisation],
    site: str,
    tmp_path: Path,
    artifacts: Path,
) -> None:
    errors: list[str] = []
    charity = make_organisation(name="Hope Against Trafficking Leicester")
    officer = make_user(Role.OUTREACH_OFFICER, organisation=charity, full_name="Sofia Haddad")
    today = timezone.localdate()

    # The officer creates a campaign whose link goes to the report form.
    page = signed_in_page(new_context, open_session, officer, errors)
    page.goto("/")
    expect(page.get_by_role("heading", name="Your campaigns")).to_be_visible()
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Campaigns").click()
    check_accessibility(page)
    page.get_by_role("button", name="Create a campaign").click()
    check_accessibility(page)
    page.get_by_label("Name", exact=True).fill("Know the signs this season")
    page.get_by_label("Purpose").fill("Posts and stalls telling people where to report.")
    channels = page.get_by_role("group", name="Channels")
    channels.get_by_label("Social media").check()
    channels.get_by_label("Pop-up event or stall").check()
    page.get_by_label("Starts").fill(today.isoformat())
    page.get_by_label("Ends").fill(today.isoformat())
    page.get_by_role("group", name="Local authority areas covered (optional)").get_by_label(
        "Leicester", exact=True
    ).check()
    page.get_by_role("group", name="Where the short link and QR code go").get_by_label(
        "The report form"
    ).check()
    press(page, "Create the campaign")
    expect_success(page, "Campaign created")
    campaign = Campaign.objects.get()
    check_accessibility(page)

    # It records a stall with its reach, and downloads the QR code for its posters.
    page.get_by_role("link", name="Record an activity").click()
    check_accessibility(page)
    page.get_by_label("What it was").fill("Stall at Leicester Market")
    page.get_by_label("Channel").select_option(label="Pop-up event or stall")
    page.get_by_label("Date", exact=True).fill(today.isoformat())
    page.get_by_label("Visitors to a stall").fill("240")
    press(page, "Record the activity")
    expect_success(page, "Activity recorded")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the QR code for print (PNG)").click()
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    assert saved.read_bytes().startswith(b"\x89PNG")
    short_link = page.locator("code", has_text="/c/").first.inner_text()
    assert short_link == f"{site}/c/{campaign.code}/"

    # The calendar and the import page are accessible too, in both languages.
    for prefix in ("", "/fr"):
        for path in (
            "/campaigns/calendar/",
            f"/campaigns/{campaign.code}/import/",
            f"/campaigns/{campaign.code}/materials/new/",
            f"/campaigns/{campaign.code}/change/",
            f"/campaigns/{campaign.code}/activities/1/reach/",
            f"/campaigns/{campaign.code}/",
            "/campaigns/",
        ):
            page.goto(prefix + path)
            check_accessibility(page)
            name = path.strip("/").replace(campaign.code, "code").replace("/", "-")
            page.screenshot(
                path=artifacts / f"campaigns{prefix.replace('/', '-')}-{name}.png", full_page=True
            )
    expect(page.get_by_role("heading", level=1)).to_have_text("Campagnes")

    # A visitor scans the code: the link lands on the report form; they report a concern.
    visitor = new_context().new_page()
    visitor.goto(short_link)
    expect(visitor).to_have_url(f"{site}/report/")
    reporter = Reporter(visitor, site)
    reporter.reaches_the_check_page(heard_from="A pop-up event or stall")
    reporter.sends()
    report = PublicReport.objects.get()
    assert (report.campaign_code, report.heard_from) == (campaign.code, "pop_up")
    assert LinkVisit.objects.get().count == 1
    assert {cookie["name"] for cookie in visitor.context.cookies()} <= {
        "sessionid",
        "csrftoken",
    }

    # An unknown link still helps, in French too.
    unknown = new_context().new_page()
    unknown.goto("/fr/c/ZZZZZZ/")
    expect(unknown.get_by_role("heading", level=1)).to_have_text("Ce lien n’est pas utilisé")
    check_accessibility(unknown)

    # The campaign page counts the visit and the report.
    page.goto(f"/campaigns/{campaign.code}/")
    expect(page.get_by_test_id("visits")).to_have_text("1")
    expect(page.get_by_test_id("reports-through-links")).to_have_text("1")
    page.screenshot(path=artifacts / "campaigns-counted.png", full_page=True)
    assert errors == []
