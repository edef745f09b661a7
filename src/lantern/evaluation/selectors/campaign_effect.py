"""A campaign's effect on weekly reports in its areas: the series, the estimate or the
refusal, and what else was running at the time.

Only campaign managers (hub coordinators and outreach officers) may read a campaign
(``outreach.selectors.campaigns.campaign_for_reading``); anyone else gets the same 404 as
for a campaign that does not exist. The series counts every public report and every
intelligence report about the campaign's areas, as the partnership's totals do: a viewer
who may not read both kinds of record sees weekly counts from 1 to 4 withheld (primary
suppression, ``disclosure.protect_count``), never a record.
"""

import datetime
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _

from lantern.core import access
from lantern.core.models import LocalAuthorityArea, User
from lantern.evaluation import disclosure
from lantern.evaluation.effects import its
from lantern.evaluation.selectors import effects
from lantern.outreach.models import Campaign
from lantern.outreach.selectors import campaigns as campaign_selectors

# A year of weeks before the campaign lets the model allow for the season (reports rise
# around Anti-Slavery Day, 18 October, when campaigns gather).
WEEKS_BEFORE = 52
# How long after its end a campaign's effect is followed.
WEEKS_AFTER_END = 12


@dataclass(frozen=True)
class WeekRow:
    week: datetime.date
    observed: int | None
    fitted: float | None
    counterfactual: float | None
    after_start: bool


@dataclass
class CampaignEffect:
    campaign: Campaign
    areas: list[LocalAuthorityArea]
    all_areas: bool
    first_week: datetime.date
    last_week: datetime.date
    weeks: list[WeekRow]
    result: its.ItsResult | None = None
    refusal: str = ""
    others: list[Campaign] = field(default_factory=list)
    controlled: bool = False

    @property
    def total_reports(self) -> int:
        return sum(row.observed or 0 for row in self.weeks)


def _last_complete_week(today: datetime.date) -> datetime.date:
    """The Monday of the last week that has ended (the current week is still arriving)."""
    return effects.monday(today) - datetime.timedelta(weeks=1)


def campaign_effect(user: User, code: str, *, today: datetime.date | None = None) -> CampaignEffect:
    """The interrupted time series estimate for the campaign with ``code``, or the reason
    there is none; 404 if the user may not read the campaign."""
    campaign = campaign_selectors.campaign_for_reading(user, code)
    today = today or timezone.localdate()
    areas = list(campaign.areas.all())
    all_areas = not areas
    if all_areas:
        areas = list(LocalAuthorityArea.objects.all())
    first = effects.monday(campaign.starts_on) - datetime.timedelta(weeks=WEEKS_BEFORE)
    last = min(
        _last_complete_week(today),
        effects.monday(campaign.ends_on) + datetime.timedelta(weeks=WEEKS_AFTER_END),
    )
    controlled = access.sees_controlled_figures(user)
    effect = CampaignEffect(
        campaign=campaign,
        areas=areas,
        all_areas=all_areas,
        first_week=first,
        last_week=max(first, last),
        weeks=[],
        others=_other_campaigns(user, campaign, areas, all_areas, first, last),
        controlled=controlled,
    )
    if last < effects.monday(campaign.starts_on):
        effect.refusal = _(
            "The campaign has not started yet, or its first week is not over: there is "
            "nothing after it to compare yet."
        )
        return effect
    series = effects.weekly_reports(areas=areas, start=first, end=last)
    try:
        effect.result = its.estimate(series, campaign.starts_on, campaign.ends_on)
    except its.Refused as refused:
        effect.refusal = str(refused.reason)
    estimates = {row.week: row for row in effect.result.weeks} if effect.result else {}
    for week, count in zip(series.weeks, series.counts, strict=True):
        shown = disclosure.protect_count(count).shown if controlled else count
        estimate = estimates.get(week)
        effect.weeks.append(
            WeekRow(
                week=week,
                observed=shown,
                fitted=estimate.fitted if estimate else None,
                counterfactual=estimate.counterfactual if estimate else None,
                after_start=week + datetime.timedelta(days=6) >= campaign.starts_on,
            )
        )
    return effect


def _other_campaigns(
    user: User,
    campaign: Campaign,
    areas: list[LocalAuthorityArea],
    all_areas: bool,
    first: datetime.date,
    last: datetime.date,
) -> list[Campaign]:
    """Other campaigns running in the window in the same areas: their effect is mixed in."""
    others = (
        campaign_selectors.campaigns(user)
        .exclude(pk=campaign.pk)
        .exclude(status="cancelled")
        .filter(starts_on__lte=last + datetime.timedelta(days=6), ends_on__gte=first)
    )
    if not all_areas:
        # A campaign without areas covers the whole partnership, so it overlaps too.
        overlapping = others.filter(areas__in=areas).values_list("pk", flat=True)
        without_areas = others.filter(areas__isnull=True).values_list("pk", flat=True)
        others = others.filter(pk__in=[*overlapping, *without_areas])
    return list(others.distinct().order_by("starts_on", "pk"))
