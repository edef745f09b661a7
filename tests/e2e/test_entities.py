"""Entities in a real browser: a partner's submission touches restricted intelligence and
gets hit / no-hit; the hub's analyst sees the links, confirms a match, follows the network
and the hotspot map, and sees who touched the restricted intelligence.
"""

import re
from collections.abc import Callable

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from lantern.core.models import Organisation, User
from lantern.core.roles import Role
from lantern.entities.mentions import MentionData
from lantern.entities.models import Entity, Match, MatchStatus, RestrictedHit
from lantern.intelligence.models import IntelligenceReport
from lantern.intelligence.services import mentions as mention_services
from tests.e2e.conftest import AXE_SCRIPT
from tests.e2e.test_intelligence import expect_success, press, signed_in_page
from tests.factories import IntelligenceReportFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

SECRET_SUMMARY = "Operation Nightjar: premises under covert observation"


def check_accessibility(page: Page) -> None:
    # Evaluated through the DevTools protocol, which the site's CSP (rightly) does not allow
    # for a script tag.
    page.evaluate(AXE_SCRIPT.read_text())
    violations = page.evaluate(
        """async () => (await axe.run(document, {runOnly: {type: "tag",
        values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]}})).violations
        .filter((violation) => ["serious", "critical"].includes(violation.impact))
        .map((violation) => violation.id)"""
    )
    assert violations == []


def test_hit_no_hit_then_the_analyst_links_and_follows_the_network(
    new_context: Callable[..., BrowserContext],
    open_session: Callable[..., None],
    make_user: Callable[..., User],
    make_organisation: Callable[..., Organisation],
    site: str,
) -> None:
    errors: list[str] = []
    police = make_organisation(name="Leicestershire Police")
    council = make_organisation(name="Charnwood Borough Council")
    secret = IntelligenceReportFactory(
        originating_organisation=police,
        handling_code="C",
        handling_conditions="Police only: live operation.",
        summary=SECRET_SUMMARY,
    )
    mention_services.add_mentions(
        secret,
        [
            MentionData(kind="phone", role="contact", value="+44 7700 900461"),
            MentionData(kind="person", role="suspected_exploiter", value="RUSU, Ion"),
        ],
    )
    contributor = make_user(Role.PARTNER_CONTRIBUTOR, organisation=council)
    analyst = make_user(Role.HUB_ANALYST, full_name="Asha Analyst")

    # The partner submits a report naming the same phone and the same man.
    partner = signed_in_page(new_context, open_session, contributor, errors)
    partner.goto("/intelligence/new/")
    partner.get_by_label("Summary", exact=True).fill("Men collected from the hostel at dawn")
    partner.get_by_label("What do you know?").fill("A man calls the workers from one number.")
    partner.get_by_label("Sector").select_option(label="Hand car wash")
    partner.get_by_role("group", name="Source evaluation").get_by_label("2 – Untested").check()
    partner.get_by_role("group", name="Intelligence assessment").get_by_label(
        "B – Known indirectly to the source but corroborated"
    ).check()
    partner.get_by_role("group", name="Handling code").get_by_label(
        "P – Lawful sharing permitted"
    ).check()
    first_row = partner.get_by_role("group", name="Mention 1")
    first_row.get_by_label("What it is").select_option("phone")
    first_row.get_by_label("Role").select_option("contact")
    first_row.get_by_label("Name, number or address").fill("07700 900461")
    second_row = partner.get_by_role("group", name="Mention 2")
    second_row.get_by_label("What it is").select_option("person")
    second_row.get_by_label("Role").select_option("suspected_exploiter")
    second_row.get_by_label("Name, number or address").fill("Ion Rusu")
    press(partner, "Submit intelligence")
    expect_success(partner, "submitted")

    # They learn only that restricted intelligence exists, with a reference to quote.
    hit = RestrictedHit.objects.get()
    notice = partner.locator(".govuk-notification-banner", has_text="Restricted intelligence")
    expect(notice).to_contain_text(hit.reference)
    main = partner.get_by_role("main")
    for secret_word in (secret.reference, SECRET_SUMMARY, "Leicestershire Police", "RUSU"):
        expect(main).not_to_contain_text(secret_word)
    check_accessibility(partner)
    reference = partner.locator("h1").inner_text().strip()
    report = IntelligenceReport.objects.get(reference=reference)

    # The analyst sees the report's matches in the triage queue and on the report.
    hub = signed_in_page(new_context, open_session, analyst, errors)
    hub.goto("/intelligence/triage/")
    hub.get_by_role("row", name=reference).get_by_role("link", name="existing").click()
    expect(hub.locator("#links")).to_be_visible()
    expect(hub.get_by_role("main")).to_contain_text("Matches 2 existing entities")
    expect(hub.get_by_role("main")).to_contain_text(secret.reference)

    # ... confirms that the man is the one the police know ...
    press(hub, "Confirm that Ion Rusu is RUSU, Ion")
    expect_success(hub, "Match confirmed")
    match = Match.objects.get()
    assert match.status == MatchStatus.CONFIRMED
    person = Entity.objects.get(pk=match.candidate_id)
    hub.goto(f"/entities/{person.pk}/")
    expect(hub.get_by_role("main")).to_contain_text("Corroborated by 2 agencies")
    expect(hub.get_by_role("main")).to_contain_text(reference)

    # ... follows the network from the phone: the list, and the link chart drawn.
    phone = Entity.objects.get(kind="phone")
    hub.goto(f"/entities/{phone.pk}/")
    expect(hub.locator("#network")).to_be_visible()
    expect(
        hub.locator("#network ~ ul").get_by_role("link", name=re.compile("rusu", re.I))
    ).to_be_visible()
    check_accessibility(hub)
    hub.get_by_role("button", name="Open the link chart").click()
    expect(hub.locator("#chart-graph canvas").first).to_be_attached()

    # ... and sees who touched the restricted intelligence, and the hotspot map.
    hub.goto("/entities/hits/")
    expect(hub.get_by_role("main")).to_contain_text(hit.reference)
    expect(hub.get_by_role("main")).to_contain_text(contributor.email)
    hub.goto("/hotspots/")
    expect(hub.locator(".leaflet-container")).to_be_visible()
    check_accessibility(hub)
    assert report.mentions.count() == 2
    assert errors == [], errors
