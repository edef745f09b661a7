"""A partner contributor's home page, and adding an update to their own report, in a real
browser, axe-clean in English and French."""

from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import BrowserContext, expect

from lantern.core.models import Organisation, User
from lantern.core.roles import Role
from tests.e2e.test_entities import check_accessibility
from tests.e2e.test_intelligence import expect_success, press, signed_in_page
from tests.factories import IntelligenceReportFactory, TaskingFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_a_contributor_sees_their_work_and_updates_their_own_report(
    new_context: Callable[..., BrowserContext],
    open_session: Callable[..., None],
    make_user: Callable[..., User],
    make_organisation: Callable[..., Organisation],
    artifacts: Path,
) -> None:
    errors: list[str] = []
    fire = make_organisation(name="Leicestershire Fire and Rescue")
    contributor = make_user(Role.PARTNER_CONTRIBUTOR, organisation=fire, full_name="Sam Okafor")
    report = IntelligenceReportFactory(
        originating_organisation=fire, summary="Mattresses in the loft above the takeaway"
    )
    TaskingFactory(organisation=fire, report=IntelligenceReportFactory(status="tasked"))

    page = signed_in_page(new_context, open_session, contributor, errors)
    page.goto("/")
    main = page.get_by_role("main")
    expect(main).to_contain_text("Your organisation’s intelligence")
    expect(main).to_contain_text("Mattresses in the loft above the takeaway")
    expect(main).to_contain_text("Open taskings")
    check_accessibility(page)
    page.screenshot(path=artifacts / "contributor-home.png", full_page=True)
    page.goto("/fr/")
    expect(page.get_by_role("main")).to_contain_text("Le renseignement de votre organisation")
    check_accessibility(page)

    page.goto(f"/intelligence/{report.reference}/")
    page.get_by_role("link", name="Add an update to this report").click()
    page.get_by_label("Update").fill("Revisited on Friday: the loft is empty now.")
    check_accessibility(page)
    press(page, "Add the update")
    expect_success(page, f"Update added to {report.reference}")
    expect(page.get_by_role("main")).to_contain_text("Revisited on Friday: the loft is empty now.")
    check_accessibility(page)
    assert errors == []
