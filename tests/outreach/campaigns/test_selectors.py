"""The aggregates the evaluation app builds its KPIs from: reach by month and kind, visits
and reports by month; nothing for anyone who may not see campaigns."""

import datetime

import pytest
from django.utils import timezone

from lantern.core.roles import Role
from lantern.outreach.selectors import campaigns as selectors
from lantern.outreach.services import campaigns as services
from lantern.public.models import PublicReport
from tests.outreach.campaigns.factories import activity, report_through


def test_reach_totals_by_month_and_kind(campaign, officer):
    activity(campaign, officer)
    activity(campaign, officer, happened_on=datetime.date(2026, 10, 30), reach={"impressions": 1})
    activity(
        campaign,
        officer,
        channel="local_radio",
        happened_on=datetime.date(2026, 11, 2),
        reach={"listeners": 9000},
    )

    assert selectors.reach_totals(officer) == {
        (datetime.date(2026, 10, 1), "impressions"): 5401,
        (datetime.date(2026, 10, 1), "link_clicks"): 120,
        (datetime.date(2026, 11, 1), "listeners"): 9000,
    }


def test_attribution_totals_count_visits_codes_and_answers_by_month(campaign, officer):
    services.count_visit(code=campaign.code, on=datetime.date(2026, 10, 18))
    services.count_visit(code=campaign.code, on=datetime.date(2026, 10, 19))
    report_through(code=campaign.code, heard_from="social_media")
    report_through(heard_from="social_media")
    report_through()
    month = timezone.localdate().replace(day=1)

    totals = selectors.attribution_totals(officer)

    assert totals["visits"] == {datetime.date(2026, 10, 1): 2}
    assert totals["reports_through_links"] == {month: 1}
    assert totals["heard_from:social_media"] == {month: 2}
    assert set(totals) == {"visits", "reports_through_links", "heard_from:social_media"}
    assert PublicReport.objects.count() == 3


def test_board_viewers_get_the_totals_but_no_campaign(make_user, campaign, officer, client):
    activity(campaign, officer)
    board = make_user(Role.BOARD_VIEWER)
    client.force_login(board)

    assert selectors.reach_totals(board) == selectors.reach_totals(officer) != {}
    assert client.get(f"/campaigns/{campaign.code}/").status_code == 404


@pytest.mark.parametrize(
    "role", [Role.HUB_ANALYST, Role.PARTNER_CONTRIBUTOR, Role.SYSTEM_ADMINISTRATOR]
)
def test_no_aggregates_for_anyone_who_may_not_see_campaigns(make_user, campaign, officer, role):
    activity(campaign, officer)
    user = make_user(role)

    assert selectors.reach_totals(user) == {}
    assert selectors.attribution_totals(user) == {}
