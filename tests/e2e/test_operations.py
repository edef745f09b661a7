"""A joint operation in a real browser, from plan to the victims' outcomes.

The police's operations lead plans an operation on a hub entity, adds the council, runs
it live and debriefs it; the council's safeguarding lead records the two potential
victims found — a child, referred to the NRM without consent, and an adult who declines
the NRM, for whom the council makes an anonymous Duty to Notify report — and follows both
to their outcomes. A partner outside the operation reaches none of it.
"""

import datetime
import re
from collections.abc import Callable

import pytest
from django.utils import timezone
from playwright.sync_api import BrowserContext, Locator, Page, expect

from lantern.core.models import Organisation, OrganisationType, User
from lantern.core.roles import Role
from lantern.entities.mentions import MentionData
from lantern.intelligence.services import mentions as intelligence_mention_services
from lantern.operations.models import Operation, OperationStatus
from lantern.safeguarding.models import Outcome, PotentialVictim
from tests.e2e.test_entities import check_accessibility
from tests.e2e.test_intelligence import expect_success, press, signed_in_page
from tests.factories import IntelligenceReportFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

CHILD_NAME = "Arben Hoxha"
ADULT_NAME = "Mihai Popescu"
BAD_REQUEST = "the server responded with a status of 400 (Bad Request)"
NOT_FOUND = "the server responded with a status of 404 (Not Found)"


def as_day(day: datetime.date) -> str:
    return f"{day.day}/{day.month}/{day.year}"


def record_victim(page: Page, *, name: str, age: str, gender: str) -> PotentialVictim:
    """From the operation page's target: the form arrives with the operation filled in."""
    page.get_by_role("link", name="Record a potential victim").first.click()
    expect(
        page.get_by_label("Operation the person was identified in (optional)")
    ).not_to_have_value("")
    page.get_by_label("Name (optional)").fill(name)
    page.get_by_label("Date identified").fill(as_day(timezone.localdate()))
    page.get_by_label("Estimated age when identified (optional)").fill(age)
    page.get_by_label("Gender").select_option(label=gender)
    press(page, "Record the potential victim")
    expect_success(page, "recorded")
    victim = PotentialVictim.objects.latest("pk")
    assert victim.name == name
    return victim


def total(page: Page, key: str) -> Locator:
    """The value of one line of the debrief's totals."""
    term = page.locator("dt", has_text=re.compile(f"^{key}$"))
    return page.locator(".govuk-summary-list__row", has=term).locator("dd")


def test_an_operation_from_plan_to_the_victims_outcomes(
    new_context: Callable[..., BrowserContext],
    open_session: Callable[..., None],
    make_user: Callable[..., User],
    make_organisation: Callable[..., Organisation],
    site: str,
) -> None:
    errors: list[str] = []
    police = make_organisation(
        name="Leicestershire Police",
        organisation_type=OrganisationType.POLICE,
        is_first_responder=True,
    )
    council = make_organisation(
        name="Leicester City Council",
        organisation_type=OrganisationType.LOCAL_AUTHORITY,
        is_first_responder=True,
    )
    outsider_organisation = make_organisation(name="Hope Against Trafficking Leicester")
    report = IntelligenceReportFactory(
        originating_organisation=police, summary="Workers sleep at the car wash"
    )
    intelligence_mention_services.add_mentions(
        report,
        [MentionData(kind="business", role="premises", value="Sparkle Hand Car Wash")],
    )
    entity = report.mentions.get().entity
    lead = make_user(Role.OPERATIONS_LEAD, organisation=police, full_name="Marcus Reid")
    safeguarding_lead = make_user(
        Role.SAFEGUARDING_LEAD, organisation=council, full_name="Helen Kowalski"
    )
    outsider = make_user(Role.SAFEGUARDING_LEAD, organisation=outsider_organisation)

    # The operations lead plans the operation ...
    planner = signed_in_page(new_context, open_session, lead, errors)
    planner.goto("/operations/new/")
    starts = timezone.localtime().replace(second=0, microsecond=0) + datetime.timedelta(hours=2)
    planner.get_by_label("Operational name").fill("Operation Kestrel")
    planner.get_by_label("Objective").fill("Visit the car wash and bring the workers to safety.")
    planner.get_by_label("Starts").fill(starts.strftime("%Y-%m-%dT%H:%M"))
    planner.get_by_label("Ends").fill(
        (starts + datetime.timedelta(hours=6)).strftime("%Y-%m-%dT%H:%M")
    )
    planner.get_by_label("Risk assessment").fill("Dogs on site; entry in pairs.")
    planner.get_by_label("Interpreters (optional)").fill("Albanian, Romanian")
    check_accessibility(planner)
    press(planner, "Save the plan")
    operation = Operation.objects.get()
    expect(planner.locator("h1")).to_contain_text("Operation Kestrel")

    # ... from the hub entity's page, targets the car wash, with the intelligence behind it ...
    planner.goto(f"/entities/{entity.pk}/")
    planner.get_by_role("link", name="Add as a target of Operation Kestrel").click()
    expect(planner.get_by_label("Business: Sparkle Hand Car Wash")).to_be_checked()
    planner.get_by_label("Description for participants").fill("Car wash, rear unit")
    planner.get_by_label("Intelligence that justifies it").fill(report.reference)
    press(planner, "Add the target")
    expect_success(planner, "Target added")

    # ... adds the council, and runs it: briefed, then live.
    planner.get_by_role("link", name="Add a participating agency").click()
    planner.get_by_label("Agency").select_option(label="Leicester City Council")
    planner.get_by_label("Role in the operation").fill("Safeguarding and children's services")
    press(planner, "Add the agency")
    expect_success(planner, "Agency added")
    for status in ("Briefed", "Live"):
        planner.get_by_role("link", name="Change the status").click()
        planner.get_by_label(status, exact=True).check()
        if status == "Live":  # two hours before the planned start: brought forward
            planner.get_by_label("Reason", exact=False).fill("The workers are moved tonight")
        press(planner, "Change the status")
        expect_success(planner, "Status changed")
    operation.refresh_from_db()
    assert operation.status == OperationStatus.LIVE

    # The council's safeguarding lead, a participant, records the two people found.
    carer = signed_in_page(new_context, open_session, safeguarding_lead, errors)
    carer.goto(f"/operations/{operation.reference}/")
    expect(carer.get_by_role("main")).to_contain_text("Car wash, rear unit")
    child = record_victim(carer, name=CHILD_NAME, age="16", gender="Male")
    check_accessibility(carer)

    # The child is referred without consent being asked.
    carer.get_by_role("link", name="Refer to the NRM").click()
    carer.get_by_label("Date referred").fill(as_day(timezone.localdate()))
    press(carer, "Make the referral")
    expect(carer.get_by_role("main")).to_contain_text("Referred as a child, without consent")

    carer.goto(f"/operations/{operation.reference}/")
    adult = record_victim(carer, name=ADULT_NAME, age="34", gender="Male")

    # The adult declines: the referral is refused without consent, and says why ...
    carer.get_by_role("link", name="Refer to the NRM").click()
    carer.get_by_label("Date referred").fill(as_day(timezone.localdate()))
    press(carer, "Make the referral")
    expect(carer.locator(".govuk-error-summary")).to_contain_text(
        "an adult must consent to an NRM referral"
    )
    check_accessibility(carer)
    # ... so the council notifies the Home Office, anonymously.
    carer.goto(f"/safeguarding/victims/{adult.reference}/")
    carer.get_by_role("link", name="Make a Duty to Notify report").click()
    carer.get_by_label("Date notified").fill(as_day(timezone.localdate()))
    press(carer, "Make the report")
    expect_success(carer, "Duty to Notify report made")
    expect(carer.get_by_role("main")).to_contain_text("It is anonymous.")

    # The child goes to a place of safety and is safeguarded; the adult declines support.
    carer.goto(f"/safeguarding/victims/{child.reference}/")
    carer.get_by_role("link", name="Record a safeguarding action").click()
    carer.get_by_label("Place of safety").check()
    carer.get_by_label("Date of the action").fill(as_day(timezone.localdate()))
    press(carer, "Record the action")
    expect_success(carer, "Safeguarding action recorded")
    for victim, outcome in ((child, "Safeguarded"), (adult, "Declined support")):
        carer.goto(f"/safeguarding/victims/{victim.reference}/")
        carer.get_by_role("link", name="Record the outcome").click()
        carer.get_by_label(outcome, exact=True).check()
        carer.get_by_label("Date of the outcome").fill(as_day(timezone.localdate()))
        press(carer, "Save the outcome")
        expect_success(carer, "Outcome saved")
    expect(carer.get_by_role("main")).to_contain_text(ADULT_NAME)
    check_accessibility(carer)
    child.refresh_from_db()
    adult.refresh_from_db()
    assert (child.outcome, adult.outcome) == (Outcome.SAFEGUARDED, Outcome.DECLINED_SUPPORT)

    # The operations lead debriefs: totals come from the records, names never shown.
    planner.goto(f"/operations/{operation.reference}/")
    planner.get_by_role("link", name="Record outcomes").click()
    planner.get_by_label("The target was visited").check()
    planner.get_by_label("People spoken to").fill("7")
    planner.get_by_label("Arrests").fill("2")
    press(planner, "Save the outcomes")
    expect_success(planner, "Outcomes recorded")
    planner.get_by_role("link", name="Change the status").click()
    planner.get_by_label("Debriefed", exact=True).check()
    press(planner, "Change the status")
    debrief = planner.get_by_role("main")
    for reference in (child.reference, adult.reference):
        expect(debrief).to_contain_text(reference)
    for name in (CHILD_NAME, ADULT_NAME):
        expect(debrief).not_to_contain_text(name)
    for key, count in (
        ("Potential victims identified", "2"),
        ("Safeguarded", "1"),
        ("NRM referrals", "1"),
        ("Duty to Notify reports", "1"),
        ("Arrests", "2"),
    ):
        expect(total(planner, key)).to_have_text(count)
    check_accessibility(planner)
    planner.goto(f"/operations/{operation.reference}/order/")
    expect(planner.get_by_role("main")).to_contain_text("Operation Kestrel")
    check_accessibility(planner)

    # A partner outside the operation reaches none of it: the same 404 as a missing page.
    refused: list[str] = []
    stranger = signed_in_page(new_context, open_session, outsider, refused)
    missing = stranger.goto("/operations/ZZZZ-ZZZZ/")
    assert missing is not None and missing.status == 404
    for path in (
        f"/operations/{operation.reference}/",
        f"/operations/{operation.reference}/order/",
        f"/safeguarding/victims/{child.reference}/",
        f"/safeguarding/victims/{adult.reference}/",
    ):
        response = stranger.goto(path)
        assert response is not None and response.status == 404
        expect(stranger.get_by_role("main")).not_to_contain_text("Kestrel")
    stranger.goto("/operations/")
    expect(stranger.get_by_role("main")).not_to_contain_text("Kestrel")
    # The only failed load is the refused referral's form, sent back with 400.
    assert errors == [f"Failed to load resource: {BAD_REQUEST}"]
    assert set(refused) == {f"Failed to load resource: {NOT_FOUND}"}
