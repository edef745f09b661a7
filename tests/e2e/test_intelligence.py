"""The intelligence hub's journey in a real browser, under the site's real CSP.

A partner submits C-coded intelligence through the form; a second partner can neither open
it by its address nor find it in the list; a hub analyst takes it from the triage queue
into assessment, writes an assessment and tasks the first partner's organisation; the
partner answers from its Taskings page; the analyst closes the report with a reason; the
report's timeline shows every step.
"""

import datetime
import re
from collections.abc import Callable

import pytest
from django.utils import timezone
from playwright.sync_api import BrowserContext, Page, expect

from lantern.core.models import Organisation, User
from lantern.core.roles import Role
from lantern.intelligence.models import IntelligenceReport, Tasking

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

SUMMARY = "Workers sleeping above the hand car wash on Narborough Road"
ASSESSMENT = "Credible: the address matches two earlier reports of labour exploitation."
REQUEST = "Visit the car wash with a translator and speak to the workers."
RESPONSE = "Visited on Tuesday with a translator; six workers, two referred to the NRM."


def signed_in_page(
    new_context: Callable[..., BrowserContext],
    open_session: Callable[..., None],
    user: User,
    errors: list[str],
) -> Page:
    """A page signed in as ``user`` that records console errors and uncaught exceptions."""
    context = new_context()
    open_session(context, user)
    page = context.new_page()
    page.on(
        "console",
        lambda message: errors.append(message.text) if message.type == "error" else None,
    )
    page.on("pageerror", lambda error: errors.append(str(error)))
    return page


def press(page: Page, name: str) -> None:
    page.get_by_role("button", name=name, exact=True).click()


def expect_success(page: Page, text: str) -> None:
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(text)


def test_c_coded_intelligence_is_triaged_tasked_answered_and_closed(
    new_context: Callable[..., BrowserContext],
    open_session: Callable[..., None],
    make_user: Callable[..., User],
    make_organisation: Callable[..., Organisation],
    site: str,
) -> None:
    errors: list[str] = []
    charnwood = make_organisation(name="Charnwood Borough Council")
    blaby = make_organisation(name="Blaby District Council")
    contributor = make_user(
        Role.PARTNER_CONTRIBUTOR, organisation=charnwood, full_name="Chris Charnwood"
    )
    stranger = make_user(Role.PARTNER_CONTRIBUTOR, organisation=blaby, full_name="Bo Blaby")
    analyst = make_user(Role.HUB_ANALYST, full_name="Asha Analyst")

    # Partner A submits C-coded intelligence through the form.
    partner = signed_in_page(new_context, open_session, contributor, errors)
    partner.goto("/intelligence/new/")
    partner.get_by_label("Summary", exact=True).fill(SUMMARY)
    partner.get_by_label("What do you know?").fill(
        "Six men sleep in the unit behind the car wash and are driven away at 6am."
    )
    partner.get_by_role("group", name="Source evaluation").get_by_label("2 – Untested").check()
    partner.get_by_role("group", name="Intelligence assessment").get_by_label(
        "B – Known indirectly to the source but corroborated"
    ).check()
    partner.get_by_role("group", name="Handling code").get_by_label(
        "C – Lawful sharing permitted with conditions"
    ).check()
    partner.get_by_label("Handling conditions (required for C)").fill(
        "Hub only until the council has visited."
    )
    press(partner, "Submit intelligence")
    expect_success(partner, "submitted")
    reference = partner.locator("h1").inner_text().strip()
    report = IntelligenceReport.objects.get(reference=reference)
    assert (report.handling_code, report.originating_organisation) == ("C", charnwood)
    report_path = f"/intelligence/{reference}/"
    expect(partner).to_have_url(f"{site}{report_path}")

    # Partner B can neither open it by its address nor see it in the list.
    other = signed_in_page(new_context, open_session, stranger, errors)
    response = other.goto(report_path)
    assert response is not None and response.status == 404
    other.goto("/intelligence/")
    expect(other.get_by_role("main")).not_to_contain_text(reference)
    expect(other.get_by_role("main")).not_to_contain_text(SUMMARY)

    # The analyst opens it from the triage queue and takes it into assessment.
    hub = signed_in_page(new_context, open_session, analyst, errors)
    hub.goto("/intelligence/triage/")
    hub.get_by_role("link", name=reference).click()
    expect(hub).to_have_url(f"{site}{report_path}")
    hub.get_by_label("New status").select_option(label="Under assessment")
    press(hub, "Change status")
    expect_success(hub, "Status changed to Under assessment")

    # ... writes an assessment ...
    hub.get_by_role("button", name="Write the assessment").click()
    hub.get_by_label("Analyst's assessment").fill(ASSESSMENT)
    press(hub, "Save the assessment")
    expect_success(hub, "Assessment saved")
    expect(hub.locator("#assessment")).to_have_text(ASSESSMENT)

    # ... and tasks partner A's organisation, with a deadline in a week.
    hub.get_by_role("button", name="Task an agency").click()
    hub.get_by_role("group", name="Organisations to task").get_by_label(
        "Charnwood Borough Council"
    ).check()
    hub.get_by_label("What do you ask them to do?").fill(REQUEST)
    deadline = timezone.localdate() + datetime.timedelta(days=7)
    hub.get_by_label("Deadline").fill(deadline.strftime("%d/%m/%Y"))
    press(hub, "Send the tasking")
    expect_success(hub, "Tasked: Charnwood Borough Council")
    expect(hub.locator("#taskings")).to_contain_text(REQUEST)
    expect(hub.locator(".govuk-summary-list").first).to_contain_text("Tasked")

    # Partner A answers from its Taskings page.
    partner.goto("/")
    partner.get_by_role("link", name="Taskings", exact=True).click()
    expect(partner.get_by_role("heading", level=1)).to_have_text("Taskings")
    partner.get_by_role("link", name=re.compile(re.escape(reference))).click()
    expect(partner.get_by_role("main")).to_contain_text(REQUEST)
    partner.get_by_role("group", name="Result").get_by_label("Action taken").check()
    partner.get_by_label("What did your organisation do?").fill(RESPONSE)
    press(partner, "Send the answer")
    expect_success(partner, f"Your answer on {reference} was sent to the hub")
    assert Tasking.objects.get().status == "answered"
    expect(partner.get_by_role("main")).to_contain_text("Nothing awaits an answer.")

    # The analyst sees it actioned and closes it with a reason.
    hub.goto(report_path)
    expect(hub.locator(".govuk-summary-list").first).to_contain_text("Actioned")
    expect(hub.locator("#taskings")).to_contain_text(RESPONSE)
    hub.get_by_label("New status").select_option(label="Closed")
    hub.get_by_label("Reason for closing").select_option(label="Referred for safeguarding")
    press(hub, "Change status")
    expect_success(hub, "Status changed to Closed")

    # The timeline shows each step, newest first.
    titles = hub.locator(".moj-timeline__title")
    expect(titles).to_have_text(
        [
            "Closed",
            "Actioned",
            "Tasking answered: Charnwood Borough Council",
            "Tasked",
            "Tasked: Charnwood Borough Council",
            "Under assessment",
            "New",
        ]
    )
    timeline = hub.locator(".moj-timeline")
    expect(timeline).to_contain_text("Reason: Referred for safeguarding")
    expect(timeline).to_contain_text(RESPONSE)
    expect(timeline).to_contain_text("by Chris Charnwood, Charnwood Borough Council")
    expect(timeline).to_contain_text("by Asha Analyst")

    # Partner B still cannot open the report or the tasking.
    response = other.goto(report_path)
    assert response is not None and response.status == 404
    response = other.goto(f"/intelligence/taskings/{Tasking.objects.get().pk}/")
    assert response is not None and response.status == 404

    # The 404 pages log their status in the console; nothing else may.
    assert [error for error in errors if "404" not in error] == []
