"""KPI figures shaped for pages, packs and workbooks: formatted numbers, findings, charts."""

from dataclasses import dataclass

from django.utils.formats import number_format
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from lantern.evaluation import charts, disclosure
from lantern.evaluation.models import Statistic
from lantern.evaluation.selectors.kpis import KpiResult, Point


def withheld_label() -> str:
    return _("withheld")


def number(value: float | None, statistic: str, *, withheld: bool = False) -> str:
    """A figure as people read it; a withheld one says so."""
    if value is None:
        return withheld_label() if withheld else "–"
    if statistic == Statistic.COUNT:
        return number_format(round(value), force_grouping=True)
    return number_format(round(value, 1), decimal_pos=1, force_grouping=True)


def with_unit(result: KpiResult, value: float | None, *, withheld: bool = False) -> str:
    text = number(value, result.kpi.statistic, withheld=withheld)
    if value is None or not result.unit:
        return text
    if result.unit == "%":
        return f"{text}%"
    return f"{text} {result.unit}"


def change_text(result: KpiResult) -> str:
    """The change against the baseline, as a number and a percentage (the "+340%" style)."""
    change = result.change
    if change is None:
        return ""
    sign = "+" if change > 0 else ""
    if result.kpi.statistic == Statistic.PERCENT:
        return _("%(change)s percentage points") % {
            "change": sign + number(change, Statistic.PERCENT)
        }
    text = sign + number(change, result.kpi.statistic)
    percent = result.change_percent
    if percent is None:
        return text
    return f"{text} ({'+' if percent > 0 else ''}{number(percent, Statistic.PERCENT)}%)"


def finding(result: KpiResult) -> str:
    """A chart title that states the finding, not just the subject."""
    name = result.kpi.label
    if not result.available:
        return _("%(name)s: not yet available") % {"name": name}
    if result.value is None:
        return _("%(name)s in %(year)s: withheld or not enough records") % {
            "name": name,
            "year": result.year.label,
        }
    if result.baseline is None or result.change is None:
        return _("%(name)s in %(year)s: %(value)s") % {
            "name": name,
            "year": result.year.label,
            "value": with_unit(result, result.value),
        }
    values = {
        "name": name,
        "change": change_text(result).lstrip("+-"),
        "year": result.year.label,
        "baseline": result.baseline_year.label if result.baseline_year else "",
    }
    if result.change > 0:
        return _("%(name)s rose by %(change)s in %(year)s against %(baseline)s") % values
    if result.change < 0:
        return _("%(name)s fell by %(change)s in %(year)s against %(baseline)s") % values
    return _("%(name)s in %(year)s was the same as in %(baseline)s") % values


@dataclass(frozen=True)
class Row:
    label: str
    value: str
    url: str | None = None


def rows(result: KpiResult, points: list[Point]) -> list[Row]:
    return [
        Row(point.label, with_unit(result, point.value, withheld=point.withheld), point.url)
        for point in points
    ]


def trend_chart(result: KpiResult) -> SafeString:
    """The trend as SVG; withheld periods draw no bar (the table beside it says why)."""
    if not result.available or not result.trend:
        return mark_safe("")
    by = _("by quarter") if result.by == "quarter" else _("by month")
    subtitle = f"{result.year.long_label}, {by}"
    if any(point.withheld for point in result.trend):
        subtitle += ". " + _("No bar: figure withheld.")
    svg = charts.bar_chart(
        [{"label": point.label, "value": point.value} for point in result.trend],
        title=finding(result),
        subtitle=subtitle,
        axis_title=result.unit or _("number"),
    )
    return mark_safe(svg)  # noqa: S308 - vl-convert SVG of our own data


def breakdown_chart(result: KpiResult) -> SafeString:
    if not result.groups:
        return mark_safe("")
    svg = charts.bar_chart(
        [{"label": point.label, "value": point.value} for point in result.groups],
        title=_("%(name)s by %(breakdown)s, %(year)s")
        % {
            "name": result.kpi.label,
            "breakdown": breakdown_label(result.breakdown).lower(),
            "year": result.year.label,
        },
        axis_title=result.unit or _("number"),
        height=200,
    )
    return mark_safe(svg)  # noqa: S308 - vl-convert SVG of our own data


def breakdown_label(code: str) -> str:
    from lantern.evaluation.measures import BREAKDOWNS

    breakdown = BREAKDOWNS.get(code)
    return str(breakdown.label) if breakdown else ""


def counted_note(result: KpiResult) -> str:
    """How the figure is counted, in words."""
    if result.measure is None:
        return ""
    parts = [str(result.measure.counted)]
    if result.kpi.statistic == Statistic.PERCENT:
        from lantern.evaluation import measures

        denominator = measures.get(result.kpi.denominator)
        if denominator is not None:
            parts.append(_("The share is taken of: %(records)s") % {"records": denominator.counted})
    elif result.kpi.statistic == Statistic.RATE:
        parts.append(
            _("Per 100,000 people, from the population estimates for the areas (%(source)s).")
            % {"source": _("ONS")}
        )
    elif result.kpi.statistic == Statistic.MEDIAN:
        parts.append(_("The median: half took less time, half took more."))
    elif result.kpi.statistic == Statistic.P90:
        parts.append(_("The 90th percentile: nine in ten took less time."))
    if result.kpi.filters:
        parts.append(
            _("Only records where %(filters)s.")
            % {
                "filters": ", ".join(
                    f"{key} = {value}" for key, value in result.kpi.filters.items()
                )
            }
        )
    if result.controlled:
        parts.append(controlled_notice())
    return " ".join(parts)


def controlled_notice() -> str:
    """What disclosure control does, in words, with the threshold in force."""
    return _(
        "Counts from 1 to %(largest)s are withheld, and so is any figure from which one could "
        "be worked out; percentages are withheld when their count is."
    ) % {"largest": disclosure.threshold() - 1}


@dataclass(frozen=True)
class Summary:
    """One KPI's line in a list, a home panel or a board pack."""

    result: KpiResult
    name: str
    value: str
    baseline: str
    change: str
    target: str
    finding: str
    note: str
    better: bool | None
    available: bool


def summary(result: KpiResult) -> Summary:
    return Summary(
        result=result,
        name=result.kpi.label,
        value=with_unit(result, result.value, withheld=result.value_withheld)
        if result.available
        else _("not yet available"),
        baseline=with_unit(result, result.baseline, withheld=result.baseline_withheld)
        if result.baseline_year
        else "",
        change=change_text(result),
        target=with_unit(result, result.target) if result.target is not None else "",
        finding=finding(result),
        note=result.kpi.note_text,
        better=result.better,
        available=result.available,
    )


@dataclass(frozen=True)
class Detail:
    summary: Summary
    chart: SafeString
    trend_rows: list[Row]
    breakdown_name: str
    breakdown_chart: SafeString
    breakdown_rows: list[Row]
    counted: str


def detail(result: KpiResult) -> Detail:
    return Detail(
        summary=summary(result),
        chart=trend_chart(result),
        trend_rows=rows(result, result.trend),
        breakdown_name=breakdown_label(result.breakdown),
        breakdown_chart=breakdown_chart(result),
        breakdown_rows=rows(result, result.groups),
        counted=counted_note(result),
    )


@dataclass(frozen=True)
class ChainRow:
    label: str
    value: str
    share: str


def chain(stages: list) -> list[ChainRow]:
    """The outcome chain's stages, each with its share of the public's reports."""
    return [
        ChainRow(
            label=stage.label,
            value=number(stage.value, Statistic.COUNT, withheld=stage.withheld),
            share=""
            if stage.share_of_reports is None
            else f"{number(stage.share_of_reports, Statistic.PERCENT)}%",
        )
        for stage in stages
    ]
