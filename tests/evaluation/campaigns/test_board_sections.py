"""The board pack's action plan and campaign sections, in the PDF's HTML and the workbook,
with counts of public reports through disclosure control."""

import datetime
import io

import openpyxl
import pytest
from django.utils import timezone, translation

from lantern.evaluation import pack_sections, periods
from lantern.evaluation.presenters import board_sections as presenters
from lantern.evaluation.services import board_pack
from lantern.public.models import PublicReport
from tests.evaluation.action_plan.factories import ActionFactory
from tests.outreach.campaigns.factories import CampaignFactory, activity, report_through

YEAR = periods.FinancialYear(2024)
OCTOBER = datetime.date(2024, 10, 18)


def sent_on(report: PublicReport, day: datetime.date) -> None:
    moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))
    PublicReport.objects.filter(pk=report.pk).update(submitted_at=moment)


@pytest.fixture
def campaigns(officer, leicester):
    """Two October campaigns: 12 reports through one's links, 2 through the other's."""
    made = []
    for code, name, reports in [("BIGONE", "Radio week", 12), ("SMALL1", "Pop-up stalls", 2)]:
        campaign = CampaignFactory(
            code=code,
            name=name,
            created_by=officer,
            starts_on=datetime.date(2024, 10, 1),
            ends_on=datetime.date(2024, 10, 31),
        )
        campaign.areas.add(leicester)
        for _ in range(reports):
            sent_on(report_through(code=code), OCTOBER)
        made.append(campaign)
    activity(made[0], officer, happened_on=OCTOBER, reach={"listeners": 25000})
    # Outside the year: neither listed nor counted.
    CampaignFactory(
        code="OLDONE",
        name="Last year",
        created_by=officer,
        starts_on=datetime.date(2023, 10, 1),
        ends_on=datetime.date(2023, 10, 31),
    )
    return made


@pytest.fixture
def overdue_action(db):
    return ActionFactory(
        title="Train taxi drivers in the signs",
        due_on=timezone.localdate() - datetime.timedelta(days=3),
        rag="red",
        rag_reason="The trainer left",
    )


def test_both_sections_are_registered_in_order():
    codes = [section.code for section in pack_sections.sections()]
    assert codes.index("action_plan") < codes.index("campaigns")


def test_the_action_plan_section_shows_the_rag_summary_and_overdue_actions(
    coordinator, overdue_action
):
    html = presenters.action_plan_html(coordinator, YEAR)
    assert "The action plan’s status" in html
    assert "Train taxi drivers in the signs" in html
    table = presenters.action_plan_table(coordinator, YEAR)
    rows = dict(table.rows)
    assert rows["Red: will not be met without help"] == 1
    assert rows["Overdue"] == 1
    assert any("Train taxi drivers in the signs" in note for note in table.notes)


def test_the_coordinator_sees_the_campaigns_with_small_counts_withheld(coordinator, campaigns):
    table = presenters.campaigns_table(coordinator, YEAR)
    by_code = {row[1]: row for row in table.rows}
    assert set(by_code) == {"BIGONE", "SMALL1"}
    assert by_code["BIGONE"][5] == 25000  # reach
    # 2 is withheld; so is 12, or the total (14) would give the 2 away.
    assert by_code["SMALL1"][7] == "withheld"
    assert by_code["BIGONE"][7] == "withheld"
    assert all(2 not in row[5:] for row in table.rows)
    assert "Public reports through campaign links: 14" in table.notes


def test_a_board_viewer_gets_totals_and_never_a_campaign(board_viewer, campaigns):
    table = presenters.campaigns_table(board_viewer, YEAR)
    assert table.headings == ["Kind of reach", "Total"]
    assert table.rows == [["Estimated listeners", 25000]]
    html = presenters.campaigns_html(board_viewer, YEAR)
    assert "Radio week" not in html and "BIGONE" not in html
    assert "25,000" in html


def test_someone_who_may_not_see_the_sections_gets_none(make_user, campaigns, overdue_action):
    from lantern.core.roles import Role

    analyst = make_user(Role.HUB_ANALYST)
    assert presenters.campaigns_table(analyst, YEAR) is None
    assert presenters.campaigns_html(analyst, YEAR) == ""
    assert presenters.action_plan_table(analyst, YEAR) is None


def test_the_sections_in_french(coordinator, campaigns, overdue_action):
    with translation.override("fr"):
        assert "Campagnes de sensibilisation" in presenters.campaigns_html(coordinator, YEAR)
        assert "État du plan d’action" in presenters.action_plan_html(coordinator, YEAR)


def test_the_workbook_carries_both_sheets(coordinator, campaigns, overdue_action):
    pack = board_pack.generate_board_pack(
        actor=coordinator, year=YEAR, format=board_pack.XLSX, language="en-gb"
    )
    workbook = openpyxl.load_workbook(io.BytesIO(pack.content))
    assert "Action plan status" in workbook.sheetnames
    campaigns_sheet = workbook["Campaigns"]
    names = [row[0] for row in campaigns_sheet.iter_rows(min_row=2, values_only=True)]
    assert "Radio week" in names and "Pop-up stalls" in names
