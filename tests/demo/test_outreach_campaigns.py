"""The demo's campaigns: five years of them, loaded once, with reach and attribution."""

import datetime

import pytest

from lantern.demo import outreach_campaigns, partnership
from lantern.outreach.models import Activity, Campaign, ReachFigure
from lantern.public.models import PublicReport

TODAY = datetime.date(2026, 12, 7)


@pytest.fixture(scope="module")
def loaded(module_transaction):
    """Loaded once for the module (tests/demo/conftest.py)."""
    partnership.generate()
    return outreach_campaigns.generate(today=TODAY)


@pytest.fixture
def demo(loaded, db):
    return loaded


def test_five_years_of_campaigns_around_anti_slavery_day_and_the_seasons(demo):
    assert demo == Campaign.objects.count() == 20
    october = Campaign.objects.filter(starts_on__month=10)
    assert sorted(october.values_list("starts_on__year", flat=True)) == list(range(2022, 2027))
    for campaign in october:
        assert campaign.activities.filter(happened_on__month=10, happened_on__day=18).exists()
    running = Campaign.objects.get(status="running")
    assert running.starts_on <= TODAY <= running.ends_on
    assert running.channel_list == ["local_radio"]
    assert not Campaign.objects.filter(ends_on__lt=TODAY).exclude(status="finished").exists()


def test_reach_is_plausible_and_every_activity_is_inside_its_campaign(demo):
    assert ReachFigure.objects.filter(kind="listeners").exists()
    assert ReachFigure.objects.filter(kind="stall_visitors", value__gt=0).exists()
    assert not ReachFigure.objects.filter(value__gt=1_000_000).exists()
    for activity in Activity.objects.select_related("campaign"):
        campaign = activity.campaign
        assert campaign.starts_on <= activity.happened_on <= campaign.ends_on, activity


def test_some_public_reports_came_through_a_campaign_and_say_how_they_heard(demo):
    coded = PublicReport.objects.exclude(campaign_code="")
    assert PublicReport.objects.exclude(heard_from="").exists()
    codes = set(Campaign.objects.values_list("code", flat=True))
    assert all(report.campaign_code in codes for report in coded)
    # A report came through the link of a campaign that had started when it was sent.
    starts = dict(Campaign.objects.values_list("code", "starts_on"))
    for report in coded:
        assert starts[report.campaign_code] <= report.submitted_at.date(), report.reference


def test_loading_again_adds_and_changes_nothing(demo):
    before = (
        Campaign.objects.count(),
        Activity.objects.count(),
        list(PublicReport.objects.order_by("pk").values_list("campaign_code", "heard_from")),
    )

    outreach_campaigns.generate(today=TODAY)

    assert before == (
        Campaign.objects.count(),
        Activity.objects.count(),
        list(PublicReport.objects.order_by("pk").values_list("campaign_code", "heard_from")),
    )
