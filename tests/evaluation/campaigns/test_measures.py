"""Campaign KPIs: reach by kind, visits through campaign links, public reports by how the
reporter heard of the service and by campaign code — true for the coordinator, through
disclosure control for the board."""

import datetime

import pytest
from django.utils import timezone

from lantern.evaluation import measures, periods
from lantern.evaluation.builtin import CAMPAIGN_KPI_FILE, kpi_definitions
from lantern.evaluation.models import Kpi
from lantern.evaluation.selectors import kpis as selectors
from lantern.outreach.models import LinkVisit
from lantern.public.models import PublicReport
from tests.evaluation.kpis.factories import KpiFactory
from tests.outreach.campaigns.factories import CampaignFactory, activity, report_through

YEAR = periods.FinancialYear(2024)
OCTOBER = datetime.date(2024, 10, 18)  # quarter 3 of 2024-25


@pytest.fixture
def campaign(officer, leicester):
    campaign = CampaignFactory(
        code="OCT24A",
        name="Anti-Slavery Day 2024",
        created_by=officer,
        starts_on=datetime.date(2024, 10, 1),
        ends_on=datetime.date(2024, 10, 31),
    )
    campaign.areas.add(leicester)
    return campaign


def sent_on(report: PublicReport, day: datetime.date) -> None:
    moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))
    PublicReport.objects.filter(pk=report.pk).update(submitted_at=moment)


def test_the_campaign_kpis_are_loaded_and_counted(db):
    codes = {
        definition["code"]: definition["measure"]
        for definition in kpi_definitions(CAMPAIGN_KPI_FILE)
    }
    loaded = dict(Kpi.objects.filter(code__in=codes).values_list("code", "measure"))
    assert loaded == codes
    for measure in codes.values():
        assert measures.get(measure) is not None


def test_reach_is_summed_by_quarter_and_read_by_kind(coordinator, officer, campaign):
    activity(
        campaign, officer, happened_on=OCTOBER, reach={"impressions": 5400, "link_clicks": 120}
    )
    activity(campaign, officer, happened_on=OCTOBER, channel="pop_up", reach={"leaflets": 300})
    kpi = Kpi.objects.get(code="campaign-reach")

    result = selectors.kpi_result(coordinator, kpi, year=YEAR, breakdown="reach_kind")

    assert result.value == 5820
    assert [point.value for point in result.trend] == [0, 0, 5820, 0]
    assert {point.label: point.value for point in result.groups} == {
        "Impressions": 5400,
        "Link clicks": 120,
        "Leaflets given out": 300,
    }
    by_channel = selectors.kpi_result(coordinator, kpi, year=YEAR, breakdown="channel")
    assert {point.label: point.value for point in by_channel.groups} == {
        "Social media": 5520,
        "Pop-up event or stall": 300,
    }


def test_a_board_viewer_never_sees_a_small_reach(board_viewer, officer, campaign):
    activity(
        campaign, officer, happened_on=OCTOBER, reach={"impressions": 5400, "conversations": 3}
    )
    activity(campaign, officer, happened_on=OCTOBER, channel="pop_up", reach={"leaflets": 300})
    kpi = Kpi.objects.get(code="campaign-reach")

    result = selectors.kpi_result(board_viewer, kpi, year=YEAR, breakdown="reach_kind")

    shown = {point.label: point.value for point in result.groups}
    assert shown["Conversations held"] is None
    # The next smallest goes too, or the total would give the 3 away.
    assert shown["Leaflets given out"] is None
    assert result.value == 5703


def test_visits_through_campaign_links_by_campaign(coordinator, campaign):
    LinkVisit.objects.create(campaign=campaign, day=OCTOBER, count=40)
    LinkVisit.objects.create(campaign=campaign, day=OCTOBER + datetime.timedelta(days=1), count=2)
    LinkVisit.objects.create(campaign=campaign, day=datetime.date(2023, 10, 18), count=7)
    kpi = Kpi.objects.get(code="campaign-link-visits")

    result = selectors.kpi_result(
        coordinator, kpi, year=YEAR, baseline_year=periods.FinancialYear(2023), breakdown="campaign"
    )

    assert result.value == 42
    assert result.baseline == 7
    assert {point.label: point.value for point in result.groups} == {
        "Anti-Slavery Day 2024 (OCT24A)": 42
    }


def test_public_reports_by_how_the_reporter_heard(coordinator, db):
    for answer in ["local_radio", "local_radio", "friend_family", ""]:
        sent_on(report_through(heard_from=answer), OCTOBER)
    kpi = Kpi.objects.get(code="public-reports-heard-from")

    result = selectors.kpi_result(coordinator, kpi, year=YEAR, breakdown="heard_from")

    assert result.value == 3  # the report that did not answer is not counted
    assert {point.label: point.value for point in result.groups} == {
        "Local radio": 2,
        "A friend or family member": 1,
    }


def test_public_reports_through_links_count_a_campaign_and_its_activities(coordinator, campaign):
    for code in ["OCT24A", "OCT24A-1", "OCT24A-2", ""]:
        sent_on(report_through(code=code), OCTOBER)
    kpi = Kpi.objects.get(code="public-reports-through-campaigns")

    result = selectors.kpi_result(coordinator, kpi, year=YEAR, breakdown="campaign")

    assert result.value == 3
    assert {point.label: point.value for point in result.groups} == {
        "Anti-Slavery Day 2024 (OCT24A)": 3
    }


def test_a_kpi_of_reach_of_one_kind(coordinator, officer, campaign):
    activity(
        campaign, officer, happened_on=OCTOBER, reach={"impressions": 5400, "link_clicks": 120}
    )
    kpi = KpiFactory(measure="campaign_reach", filters={"reach_kind": "link_clicks"})
    assert selectors.kpi_result(coordinator, kpi, year=YEAR).value == 120


def test_board_viewers_read_campaign_kpis_by_kind_but_never_by_campaign(
    client, board_viewer, campaign, officer
):
    activity(campaign, officer, happened_on=OCTOBER, reach={"impressions": 5400})
    client.force_login(board_viewer)
    page = "/evaluation/kpis/campaign-reach/"
    by_kind = client.get(page, {"year": 2024, "breakdown": "reach_kind"})
    assert by_kind.status_code == 200
    assert "Impressions" in by_kind.text
    by_campaign = client.get(page, {"year": 2024, "breakdown": "campaign"})
    assert by_campaign.status_code == 400
    assert "OCT24A" not in by_campaign.text
    assert "Choose a breakdown from the list" in by_campaign.text
    # Asked for directly, the selector leaves the breakdown out too.
    kpi = Kpi.objects.get(code="campaign-reach")
    assert selectors.kpi_result(board_viewer, kpi, year=YEAR, breakdown="campaign").groups == []
