"""KPIs in a real browser: the coordinator reads a KPI, opens its chart as a table and
downloads a board pack; the board viewer's home page shows only controlled figures, in
English and in French. Every page is scanned with axe-core."""

import datetime
from collections.abc import Callable

import pytest
from playwright.sync_api import BrowserContext, expect

from lantern.core.models import User
from lantern.core.roles import Role
from lantern.evaluation import periods
from tests.e2e.test_entities import check_accessibility
from tests.e2e.test_intelligence import signed_in_page
from tests.evaluation.kpis.factories import KpiFactory, day_in, victims

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def figures(site: str) -> None:
    year = periods.last_complete_year().start_year
    KpiFactory(
        code="people-found",
        name="People found",
        name_fr="Personnes trouvées",
        measure="victims_identified",
        is_headline=True,
        baseline_year=year - 1,
    )
    victims(3, on=day_in(year, 1), area="Leicester")
    victims(12, on=day_in(year, 2), area="Leicester")
    victims(7, on=day_in(year, 3), area="Charnwood")
    victims(9, on=day_in(year, 4, day=20), area="Charnwood")
    victims(10, on=day_in(year - 1, 2), area="Leicester")


def test_the_coordinator_reads_a_kpi_and_downloads_a_board_pack(
    new_context: Callable[..., BrowserContext],
    open_session: Callable[..., None],
    make_user: Callable[..., User],
    figures: None,
) -> None:
    errors: list[str] = []
    coordinator = make_user(Role.HUB_COORDINATOR)
    page = signed_in_page(new_context, open_session, coordinator, errors)
    page.goto("/evaluation/kpis/")
    page.get_by_role("link", name="People found").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("People found")
    expect(page.get_by_test_id("kpi-value")).to_have_text("31")
    table = page.locator("figure").first.locator("table")
    expect(table).to_be_hidden()
    page.locator("figure").first.get_by_text("Show the chart as a table").click()
    expect(table).to_be_visible()
    expect(table.locator("tbody tr")).to_have_count(4)
    expect(table.locator("tbody tr").first.locator("td")).to_have_text("3")
    check_accessibility(page)

    page.get_by_label("Break down by").select_option(label="Local authority area")
    page.get_by_role("button", name="Show figures").click()
    expect(page.locator("figure")).to_have_count(2)
    check_accessibility(page)

    page.goto("/evaluation/board-pack/")
    page.locator("label", has_text="Excel workbook").click()
    expect(page.get_by_label("Excel workbook")).to_be_checked()
    with page.expect_download() as download:
        page.get_by_role("button", name="Download the board pack").click()
    assert download.value.suggested_filename.endswith("-en-gb.xlsx")
    assert errors == []


def test_the_board_viewers_home_in_english_and_french(
    new_context: Callable[..., BrowserContext],
    open_session: Callable[..., None],
    make_user: Callable[..., User],
    figures: None,
) -> None:
    errors: list[str] = []
    board = make_user(Role.BOARD_VIEWER)
    page = signed_in_page(new_context, open_session, board, errors)
    page.goto("/")
    panel = page.locator("section[aria-labelledby=kpi-panel-heading]")
    expect(panel).to_contain_text("People found")
    expect(panel).to_contain_text("published through disclosure control")
    card = panel.locator(".govuk-summary-card").filter(
        has=page.get_by_role("heading", name="People found", exact=True)
    )
    card.get_by_text("Show the chart as a table").click()
    expect(card.locator("tbody tr").first.locator("td")).to_have_text("withheld")
    expect(panel.locator("a[href*='/safeguarding/']")).to_have_count(0)
    check_accessibility(page)

    page.goto("/fr/")
    panel = page.locator("section[aria-labelledby=kpi-panel-heading]")
    expect(panel).to_contain_text("Personnes trouvées")
    expect(panel).to_contain_text("Chiffres clés")
    check_accessibility(page)
    assert errors == []


def test_the_coordinator_reads_a_campaigns_effect_in_english_and_french(
    new_context: Callable[..., BrowserContext],
    open_session: Callable[..., None],
    make_user: Callable[..., User],
    site: str,
) -> None:
    from lantern.core.models import LocalAuthorityArea
    from tests.evaluation.campaigns.test_effect import START, weekly
    from tests.outreach.campaigns.factories import CampaignFactory

    errors: list[str] = []
    coordinator = make_user(Role.HUB_COORDINATOR)
    leicester = LocalAuthorityArea.objects.get(name="Leicester")
    campaign = CampaignFactory(
        code="EFFECT",
        name="Anti-Slavery Day",
        created_by=coordinator,
        starts_on=START,
        ends_on=START + datetime.timedelta(days=27),
    )
    campaign.areas.add(leicester)
    pattern = [4, 6, 5, 7, 5, 6]
    weekly(leicester, before=(pattern * 9)[:52], after=[2 * count for count in (pattern * 3)[:16]])
    page = signed_in_page(new_context, open_session, coordinator, errors)

    page.goto("/campaigns/EFFECT/")
    page.get_by_test_id("campaign-effect-link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("What the campaign changed")
    expect(page.get_by_test_id("effect-estimate")).to_contain_text("Weekly reports rose by about")
    expect(page.get_by_test_id("effect-interval")).to_contain_text("to")
    table = page.get_by_test_id("effect-table")
    expect(table).to_be_hidden()
    page.get_by_text("Show the chart as a table").click()
    expect(table.locator("tbody tr")).to_have_count(68)
    check_accessibility(page)

    page.goto("/fr/evaluation/campaigns/EFFECT/effect/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Ce que la campagne a changé")
    check_accessibility(page)
    assert errors == []
