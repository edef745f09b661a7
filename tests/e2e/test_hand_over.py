"""The hand-off from an operation to safeguarding, in a real browser.

A police officer taking part in a live operation (not a safeguarding lead) hands a child
found at the target to the council; the council's safeguarding lead finds the child on
their home page and in their worklist, takes them on, and the debrief counts them.
"""

from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import BrowserContext, expect

from lantern.core.models import Organisation, OrganisationType, User
from lantern.core.roles import Role
from lantern.entities.mentions import MentionData
from lantern.intelligence.services.mentions import add_mentions
from lantern.safeguarding.models import PotentialVictim
from tests.e2e.test_entities import check_accessibility
from tests.e2e.test_intelligence import expect_success, press, signed_in_page
from tests.e2e.test_operations import total
from tests.factories import IntelligenceReportFactory
from tests.operations.factories import LiveOperationFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_an_officer_hands_a_child_to_the_councils_safeguarding_lead(
    new_context: Callable[..., BrowserContext],
    open_session: Callable[..., None],
    make_user: Callable[..., User],
    make_organisation: Callable[..., Organisation],
    artifacts: Path,
) -> None:
    errors: list[str] = []
    police = make_organisation(
        name="Leicestershire Police", organisation_type=OrganisationType.POLICE
    )
    council = make_organisation(
        name="Leicester City Council",
        organisation_type=OrganisationType.LOCAL_AUTHORITY,
        is_first_responder=True,
    )
    officer = make_user(Role.PARTNER_CONTRIBUTOR, organisation=police, full_name="PC Dan Moss")
    carer = make_user(Role.SAFEGUARDING_LEAD, organisation=council, full_name="Helen Kowalski")
    report = IntelligenceReportFactory(originating_organisation=police)
    [mention] = add_mentions(
        report, [MentionData(kind="business", role="premises", value="Sparkle Hand Car Wash")]
    )
    mention.refresh_from_db()
    operation = LiveOperationFactory(
        lead_organisation=police, participants=[council], name="Kestrel"
    )
    operation.targets.create(entity=mention.entity, description="Car wash, rear unit")

    # The officer at the door hands the child found to the council.
    finder = signed_in_page(new_context, open_session, officer, errors)
    finder.goto(f"/operations/{operation.reference}/")
    expect(finder.locator("h1")).to_have_text("Kestrel")
    finder.get_by_role("link", name="Hand over a person found to safeguarding").click()
    finder.get_by_label("Handed to").select_option(label="Leicester City Council")
    finder.get_by_label("Where they were found (optional)").select_option(
        label="Car wash, rear unit"
    )
    finder.get_by_label("Estimated age (optional)").fill("15")
    finder.get_by_label("Gender").select_option(label="Male")
    check_accessibility(finder)
    press(finder, "Hand over")
    expect_success(finder, "handed over to Leicester City Council")
    victim = PotentialVictim.objects.get()
    expect(finder.get_by_role("main")).to_contain_text("Handed over, not yet taken on")
    expect(total(finder, "Potential victims identified")).to_have_text("1")
    check_accessibility(finder)

    # The council's lead finds the child on their home page, then in the worklist.
    lead = signed_in_page(new_context, open_session, carer, errors)
    lead.goto("/")
    expect(lead.get_by_role("main")).to_contain_text("Handed over by an operation: 1")
    check_accessibility(lead)
    lead.get_by_role("link", name="Open your worklist").click()
    expect(lead.locator("#handed-over")).to_contain_text("(1)")
    expect(lead.get_by_role("main")).to_contain_text(victim.reference)
    check_accessibility(lead)
    lead.screenshot(path=artifacts / "safeguarding-worklist.png", full_page=True)
    lead.goto("/fr/safeguarding/worklist/")
    expect(lead.locator("html")).to_have_attribute("lang", "fr")
    check_accessibility(lead)
    lead.goto("/safeguarding/worklist/")
    lead.get_by_role("button", name=f"Take on {victim.reference}").click()
    expect_success(lead, "taken on")
    expect(lead.get_by_role("main")).to_contain_text("Found by Leicestershire Police")
    lead.goto("/safeguarding/worklist/")
    expect(lead.locator("#handed-over")).to_contain_text("(0)")
    assert errors == []
