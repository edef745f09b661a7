"""A campaign's effect shaped for its page: the finding in words, the interval, the chart
and the table of the same numbers."""

from dataclasses import dataclass

from django.utils import formats
from django.utils.formats import number_format
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from lantern.evaluation import charts
from lantern.evaluation.effects.its import Interval
from lantern.evaluation.selectors.campaign_effect import CampaignEffect


@dataclass(frozen=True)
class WeekLine:
    week: str
    observed: str
    fitted: str
    counterfactual: str
    after_start: bool


@dataclass(frozen=True)
class EffectPage:
    effect: CampaignEffect
    areas: str
    finding: str
    change: str
    interval_label: str
    interval: str
    slope: str
    extra_reports: str
    clear: bool
    caveats: list[str]
    chart: SafeString
    rows: list[WeekLine]


def percent_change(ratio: float) -> str:
    """A rate ratio as the change people read: 1.45 is "+45%", 0.8 is "-20%"."""
    change = 100.0 * (ratio - 1.0)
    sign = "+" if change > 0 else ""
    return f"{sign}{number_format(round(change), force_grouping=True)}%"


def interval_text(interval: Interval) -> str:
    return _("%(lower)s to %(upper)s") % {
        "lower": percent_change(interval.lower),
        "upper": percent_change(interval.upper),
    }


def _one_decimal(value: float | None) -> str:
    return "–" if value is None else number_format(round(value, 1), decimal_pos=1)


def _finding(effect: CampaignEffect) -> tuple[str, bool]:
    name = effect.campaign.name
    if effect.result is None:
        return _("The effect of %(name)s cannot be estimated") % {"name": name}, False
    level = effect.result.level_change
    if level.includes(1.0):
        return (
            _(
                "No clear change in weekly reports when %(name)s started: the interval "
                "includes no change"
            )
            % {"name": name},
            False,
        )
    if level.estimate > 1:
        text = _("Weekly reports rose by about %(change)s when %(name)s started")
    else:
        text = _("Weekly reports fell by about %(change)s when %(name)s started")
    size = number_format(round(abs(100.0 * (level.estimate - 1.0))), force_grouping=True)
    return text % {"change": f"{size}%", "name": name}, True


def _observed(value: int | None) -> str:
    return _("fewer than 5") if value is None else number_format(value, force_grouping=True)


def page(effect: CampaignEffect) -> EffectPage:
    """Everything the campaign effect page shows."""
    finding, clear = _finding(effect)
    result = effect.result
    areas = (
        _("every area of the partnership")
        if effect.all_areas
        else ", ".join(area.name for area in effect.areas)
    )
    rows = [
        WeekLine(
            week=formats.date_format(row.week, "j M Y"),
            observed=_observed(row.observed),
            fitted=_one_decimal(row.fitted),
            counterfactual=_one_decimal(row.counterfactual),
            after_start=row.after_start,
        )
        for row in effect.weeks
    ]
    chart = mark_safe("")
    if effect.weeks:
        chart = mark_safe(  # noqa: S308 - vl-convert SVG of our own data
            charts.effect_chart(
                [
                    {
                        "week": row.week.isoformat(),
                        "observed": row.observed,
                        "fitted": row.fitted,
                        "counterfactual": row.counterfactual,
                    }
                    for row in effect.weeks
                ],
                start=effect.campaign.starts_on.isoformat(),
                title=finding,
                subtitle=_("Public reports and intelligence about %(areas)s, by week")
                % {"areas": areas},
                labels={
                    "observed": _("Reports in the week"),
                    "fitted": _("Fitted trend"),
                    "counterfactual": _("Without the campaign (estimated)"),
                },
                axis_title=_("Reports a week"),
            )
        )
    caveats = [str(caveat) for caveat in result.caveats] if result else []
    if result and effect.others:
        caveats.append(
            _(
                "Other campaigns ran in the same areas during this period (%(names)s): their "
                "effect is mixed in with this one’s."
            )
            % {"names": ", ".join(f"{other.name} ({other.code})" for other in effect.others)}
        )
    if result and effect.total_reports < 5 * len(effect.weeks):
        caveats.append(
            _(
                "The numbers are small (fewer than 5 reports a week on average): a few "
                "reports more or less move the estimate a lot."
            )
        )
    return EffectPage(
        effect=effect,
        areas=areas,
        finding=finding,
        change=percent_change(result.level_change.estimate) if result else "",
        interval_label=_("%(level)s%% confidence interval") % {"level": 95},
        interval=interval_text(result.level_change) if result else "",
        slope=(
            _("%(change)s a week (95%% confidence interval %(interval)s)")
            % {
                "change": percent_change(result.slope_change.estimate),
                "interval": interval_text(result.slope_change),
            }
            if result
            else ""
        ),
        extra_reports=(
            number_format(round(result.extra_reports), force_grouping=True) if result else ""
        ),
        clear=clear,
        caveats=caveats,
        chart=chart,
        rows=rows,
    )
