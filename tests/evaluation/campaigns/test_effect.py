"""The campaign effect page: the estimate with its interval, the refusal with its reason,
and nobody but the campaign's readers sees it."""

import datetime
import re
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from lantern.core.roles import Role
from lantern.evaluation.selectors import campaign_effect as selectors
from lantern.evaluation.selectors.effects import monday
from lantern.public.models import PublicReport
from tests.outreach.campaigns.factories import CampaignFactory

TODAY = timezone.localdate()
# The campaign started 16 weeks ago and ran for four weeks.
START = monday(TODAY) - datetime.timedelta(weeks=16)


def reports(area, week: datetime.date, count: int) -> None:
    """``count`` public reports about ``area`` sent on the Wednesday of ``week``."""
    made = PublicReport.objects.bulk_create(
        PublicReport(
            reference=f"P{uuid.uuid4().hex[:9].upper()}",
            submission_key=uuid.uuid4(),
            follow_up_token_hash=uuid.uuid4().hex,
            language="en-gb",
            immediate_danger=False,
            what_happened="Workers sleeping at the car wash",
            children_involved="no",
            location="Somewhere",
            area=area,
        )
        for _ in range(count)
    )
    moment = timezone.make_aware(
        datetime.datetime.combine(week + datetime.timedelta(days=2), datetime.time(12))
    )
    PublicReport.objects.filter(pk__in=[report.pk for report in made]).update(submitted_at=moment)


def weekly(area, before: list[int], after: list[int]) -> None:
    """Counts for the weeks before START (ending the week before it), then from START on."""
    for number, count in enumerate(reversed(before), start=1):
        reports(area, START - datetime.timedelta(weeks=number), count)
    for number, count in enumerate(after):
        reports(area, START + datetime.timedelta(weeks=number), count)


@pytest.fixture
def campaign(officer, leicester):
    campaign = CampaignFactory(
        code="OCTXYZ",
        name="Anti-Slavery Day",
        created_by=officer,
        starts_on=START,
        ends_on=START + datetime.timedelta(days=27),
        status="finished",
    )
    campaign.areas.add(leicester)
    return campaign


@pytest.fixture
def a_clear_rise(leicester):
    """A year of 4 to 7 reports a week, then 16 weeks of twice as many."""
    pattern = [4, 6, 5, 7, 5, 6]
    weekly(leicester, before=(pattern * 9)[:52], after=[2 * count for count in (pattern * 3)[:16]])


def same_page(text: str, code: str) -> str:
    return re.sub(r'(?:nonce|value)="[^"]*"', "", text).replace(code, "CODE")


def address(code: str) -> str:
    return reverse("evaluation:campaign_effect", args=[code])


def test_the_estimate_finds_the_rise_with_its_interval(coordinator, campaign, a_clear_rise):
    effect = selectors.campaign_effect(coordinator, "OCTXYZ")
    assert effect.refusal == ""
    level = effect.result.level_change
    assert level.lower > 1.3 and level.upper < 3.0
    assert level.includes(2.0)
    # Fitted line and counterfactual for every week, starting a year before the campaign.
    assert len(effect.weeks) == 52 + 16
    after = [row for row in effect.weeks if row.after_start]
    assert all(row.counterfactual < row.fitted for row in after)
    assert not effect.controlled


def test_the_page_shows_change_interval_chart_table_and_caveats(
    client, coordinator, campaign, a_clear_rise
):
    client.force_login(coordinator)
    response = client.get(address("OCTXYZ"))
    text = response.text
    assert response.status_code == 200
    assert "Weekly reports rose by about" in text
    assert "95% confidence interval" in text
    assert "<svg" in text and 'role="img"' in text
    assert 'data-testid="effect-table"' in text
    assert "not that there is more of it" in text
    assert reverse("outreach:campaign", args=["OCTXYZ"]) in text


def test_a_series_too_sparse_is_refused_with_its_reason(client, coordinator, campaign, leicester):
    weekly(leicester, before=[0, 1, 0, 0, 2, 0] * 5, after=[1] * 16)
    client.force_login(coordinator)
    text = client.get(address("OCTXYZ")).text
    assert 'data-testid="effect-refusal"' in text
    assert "too sparse" in text
    assert 'data-testid="effect-estimate"' not in text


def test_a_campaign_not_yet_started_is_refused(coordinator, officer, leicester):
    CampaignFactory(
        code="NEXTYR",
        created_by=officer,
        starts_on=TODAY + datetime.timedelta(days=30),
        ends_on=TODAY + datetime.timedelta(days=40),
    )
    effect = selectors.campaign_effect(coordinator, "NEXTYR")
    assert effect.result is None and "not started" in effect.refusal


def test_other_campaigns_in_the_same_areas_are_named_as_a_caveat(
    client, coordinator, officer, campaign, leicester, a_clear_rise
):
    other = CampaignFactory(
        code="RADIO1",
        name="Radio week",
        created_by=officer,
        starts_on=START + datetime.timedelta(days=7),
        ends_on=START + datetime.timedelta(days=14),
    )
    other.areas.add(leicester)
    client.force_login(coordinator)
    assert "Radio week (RADIO1)" in client.get(address("OCTXYZ")).text


def test_an_outreach_officer_sees_small_weekly_counts_withheld(
    client, officer, campaign, leicester
):
    pattern = [3, 9, 8, 7, 12, 6]
    weekly(leicester, before=(pattern * 9)[:52], after=pattern * 2 + [9, 9, 9, 9])
    effect = selectors.campaign_effect(officer, "OCTXYZ")
    assert effect.controlled
    observed = {row.observed for row in effect.weeks}
    assert not observed & {1, 2, 3, 4}
    assert None in observed  # the weeks of 3
    client.force_login(officer)
    assert "fewer than 5" in client.get(address("OCTXYZ")).text


@pytest.mark.parametrize(
    "role", [Role.BOARD_VIEWER, Role.HUB_ANALYST, Role.PARTNER_CONTRIBUTOR, Role.SAFEGUARDING_LEAD]
)
def test_anyone_else_gets_the_same_404_as_for_a_missing_campaign(
    client, make_user, campaign, role, coordinator
):
    client.force_login(make_user(role))
    forbidden = client.get(address("OCTXYZ"))
    missing = client.get(address("NOSUCH"))
    assert forbidden.status_code == missing.status_code == 404
    # The same page but for the per-request nonce and the address asked for.
    assert same_page(forbidden.text, "OCTXYZ") == same_page(missing.text, "NOSUCH")
    client.force_login(coordinator)
    assert client.get(address("OCTXYZ")).status_code == 200


def test_signed_out_visitors_are_sent_to_sign_in(client, campaign):
    response = client.get(address("OCTXYZ"))
    assert response.status_code == 302
    assert response.headers["Location"].startswith(reverse("core:login"))


def test_the_campaign_page_links_to_its_effect(client, officer, campaign):
    client.force_login(officer)
    text = client.get(reverse("outreach:campaign", args=["OCTXYZ"])).text
    assert f'href="{address("OCTXYZ")}"' in text


def test_the_page_in_french(client, coordinator, campaign, a_clear_rise):
    client.force_login(coordinator)
    response = client.get("/fr" + address("OCTXYZ"))
    assert response.status_code == 200
    assert "Ce que la campagne a changé" in response.text


@hypothesis_settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(code=st.text(min_size=1, max_size=40).filter(lambda text: "/" not in text))
def test_no_code_causes_a_server_error(client, coordinator, campaign, code):
    client.force_login(coordinator)
    assert client.get(address(code)).status_code in (200, 404)
