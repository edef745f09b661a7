"""Reading KPIs: which a user may see, and their figures for a year.

The hub coordinator sees true figures and links to the records they may read; everyone
else who may see KPIs (board viewers) sees figures released through disclosure control
(``services.disclosure``), by quarter, with no link to any record.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from django.db.models import QuerySet
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from lantern.core import access
from lantern.core.access import NotFoundOrNotAllowed
from lantern.core.models import (
    ExploitationType,
    LocalAuthorityArea,
    OrganisationType,
    User,
)
from lantern.evaluation import figures, measures, periods
from lantern.evaluation.measures import Measure
from lantern.evaluation.models import Kpi, PopulationEstimate, Statistic
from lantern.evaluation.services import disclosure as released
from lantern.outreach.selectors import training as training_selectors

PER_POPULATION = 100_000
# A knowledge uplift of fewer pairs is not shown (docs/training.md).
MIN_PAIRS = 5


def visible_kpis(user: User) -> QuerySet[Kpi]:
    """The KPIs a user may see: every shown KPI for those who may see KPIs at all."""
    if not access.can_view_kpis(user):
        return Kpi.objects.none()
    return Kpi.objects.filter(is_active=True)


def headline_kpis(user: User) -> QuerySet[Kpi]:
    return visible_kpis(user).filter(is_headline=True)


def kpi_for_reading(user: User, code: object) -> Kpi:
    """A KPI by code; missing and not allowed are the same 404."""
    if not isinstance(code, str) or len(code) > 60:
        raise NotFoundOrNotAllowed
    kpi = visible_kpis(user).filter(code=code).first()
    if kpi is None:
        raise NotFoundOrNotAllowed
    return kpi


@dataclass(frozen=True)
class Point:
    """One figure of a trend or a breakdown: ``value`` is None when withheld."""

    key: str
    label: str
    value: float | None
    withheld: bool = False
    url: str | None = None


@dataclass
class KpiResult:
    kpi: Kpi
    year: periods.FinancialYear
    baseline_year: periods.FinancialYear | None
    by: str
    controlled: bool
    measure: Measure | None = None
    value: float | None = None
    value_withheld: bool = False
    baseline: float | None = None
    baseline_withheld: bool = False
    records: int | None = None
    trend: list[Point] = field(default_factory=list)
    breakdown: str = ""
    groups: list[Point] = field(default_factory=list)
    groups_add_up: bool = True
    unit: str = ""
    records_url: str | None = None

    @property
    def available(self) -> bool:
        return self.measure is not None

    @property
    def change(self) -> float | None:
        if self.value is None or self.baseline is None:
            return None
        return self.value - self.baseline

    @property
    def change_percent(self) -> float | None:
        """Relative change, the seed's "+340%"; not for a share (its change is in points)."""
        if self.change is None or not self.baseline or self.kpi.statistic == Statistic.PERCENT:
            return None
        return 100.0 * self.change / self.baseline

    @property
    def target(self) -> float | None:
        return float(self.kpi.target) if self.kpi.target is not None else None

    @property
    def better(self) -> bool | None:
        """Whether the change went the way that counts as better (None: no direction)."""
        if self.change is None or not self.change or self.kpi.direction == "neither":
            return None
        return (self.change > 0) == (self.kpi.direction == "up")


def sees_true_figures(user: User) -> bool:
    return access.can_view_kpis(user) and not access.sees_controlled_figures(user)


def _unit(kpi: Kpi, measure: Measure) -> str:
    if kpi.statistic == Statistic.PERCENT or measure.kind == measures.PAIRED:
        return "%"
    if kpi.statistic == Statistic.RATE:
        return _("per 100,000 people")
    if kpi.statistic in (Statistic.MEDIAN, Statistic.P90):
        return _("hours") if measure.unit == "hours" else _("days")
    return ""


def population(year: periods.FinancialYear) -> dict[str, int]:
    """People per area (GSS code): the latest estimate for the year or before, else the
    earliest we hold, else the area's own figure."""
    chosen: dict[str, tuple[int, int]] = {}
    for code, estimate_year, people in PopulationEstimate.objects.values_list(
        "area__gss_code", "year", "population"
    ):
        current = chosen.get(code)
        fits = estimate_year <= year.start_year
        if (
            current is None
            or (fits and (current[0] > year.start_year or estimate_year > current[0]))
            or (not fits and current[0] > year.start_year and estimate_year < current[0])
        ):
            chosen[code] = (estimate_year, people)
    people = {code: count for code, (_, count) in chosen.items()}
    for code, count in LocalAuthorityArea.objects.values_list("gss_code", "population"):
        if code not in people and count:
            people[code] = count
    return people


def _group_label(breakdown: str) -> Callable[[str], str]:
    if breakdown == "area":
        names = dict(LocalAuthorityArea.objects.values_list("gss_code", "name"))
        return lambda key: names.get(key, key or _("Area not recorded"))
    if breakdown == "exploitation_type":
        labels = {kind.code: kind.label for kind in ExploitationType.objects.all()}
        return lambda key: labels.get(key, key or _("Type not recorded"))
    if breakdown == "sector":
        from lantern.intelligence.models import Sector

        return lambda key: str(dict(Sector.choices).get(key, key))
    if breakdown == "age_group":
        from lantern.safeguarding.models import AgeGroup

        return lambda key: str(dict(AgeGroup.choices).get(key, key))
    if breakdown == "organisation_type":
        return lambda key: str(dict(OrganisationType.choices).get(key, key))
    if breakdown in ("reach_kind", "channel", "campaign"):
        return _campaign_group_label(breakdown)
    if breakdown == "frontline_role":
        from lantern.outreach.models.training import FrontlineRole

        names = {role.code: role.label for role in FrontlineRole.objects.all()}
        return lambda key: names.get(key, key or _("Role not recorded"))
    if breakdown == "heard_from":
        from lantern.public.models import HeardFrom

        return lambda key: str(dict(HeardFrom.choices).get(key, key))
    return lambda key: key


def _campaign_group_label(breakdown: str) -> Callable[[str], str]:
    """Labels of the outreach app's values: kinds of reach, channels, campaigns by name.

    A campaign is named with its code, which is printed on its posters: not a secret.
    """
    from lantern.outreach.models import Campaign, Channel, ReachKind

    if breakdown == "reach_kind":
        return lambda key: str(dict(ReachKind.choices).get(key, key))
    if breakdown == "channel":
        return lambda key: str(dict(Channel.choices).get(key, key))
    names = dict(Campaign.objects.values_list("code", "name"))
    return lambda key: f"{names[key]} ({key})" if key in names else key


def _url(name: str, query: dict[str, str] | None = None) -> str | None:
    try:
        url = reverse(name)
    except NoReverseMatch:
        return None
    return f"{url}?{urlencode(query)}" if query else url


_READERS: dict[str, Callable[[User], bool]] = {
    "public:report_list": access.can_view_public_reports,
    "intelligence:report_list": access.can_read_intelligence,
    "safeguarding:victim_list": access.can_work_with_victims,
    "operations:operation_list": access.can_read_operations,
}


def records_url(user: User, measure: Measure, filters: dict[str, Any]) -> str | None:
    """Where a user who may read the records behind a figure finds them."""
    if not measure.records_url or not _READERS[measure.records_url](user):
        return None
    if measure.records_url == "intelligence:report_list":
        query = {}
        if "sector" in filters:
            query["sector"] = str(filters["sector"])
        if "exploitation_type" in filters:
            query["type"] = str(filters["exploitation_type"])
        return _url("intelligence:search", query)
    return _url(measure.records_url)


def _group_url(user: User, measure: Measure, breakdown: str, key: str) -> str | None:
    if measure.records_url != "intelligence:report_list" or not key:
        return None
    if not access.can_read_intelligence(user):
        return None
    name = {"area": "area", "exploitation_type": "type", "sector": "sector"}.get(breakdown)
    return _url("intelligence:search", {name: key}) if name else None


class _Compute:
    """A KPI's figures for one year, true or released through disclosure control."""

    def __init__(
        self,
        user: User,
        kpi: Kpi,
        measure: Measure,
        *,
        year: periods.FinancialYear,
        by: str,
        release: str,
        controlled: bool,
    ) -> None:
        self.user, self.kpi, self.measure = user, kpi, measure
        self.year, self.by, self.release = year, by, release
        self.controlled = controlled
        self.filters = kpi.filters or {}

    def _figure(self, measure: Measure) -> str:
        """The ledger's name for this KPI's count of ``measure``, shared with every other
        table that publishes the same count (another KPI, the public statistics)."""
        return released.figure_name(measure.code, self.filters)

    def _series(
        self, measure: Measure, year: periods.FinancialYear, part: str
    ) -> tuple[dict[str, float | None], float | None]:
        """Values by bucket and the year's total (None where withheld)."""
        buckets = year.buckets(self.by)
        true = figures.bucket_values(measure, self.filters, year.start, year.end, self.by)
        values = {bucket.key: true.get(bucket.key, 0.0) for bucket in buckets}
        if not self.controlled:
            return dict(values), sum(values.values())
        table = released.release_series(
            table_id=f"kpi:{self.kpi.code}:{part}",
            values={key: round(value) for key, value in values.items()},
            keys=list(values),
            periods={key: f"{self.by}:{key}" for key in values},
            total_period=year.key,
            release=self.release,
            actor=self.user,
            figure=self._figure(measure),
        )
        return (
            {key: table.shown("all", key) for key in values},
            table.grand_total.shown,
        )

    def _baseline_total(
        self, measure: Measure, year: periods.FinancialYear, part: str
    ) -> float | None:
        value = figures.total(measure, self.filters, year.start, year.end)
        if not self.controlled:
            return value
        return released.release_count(
            table_id=f"kpi:{self.kpi.code}:{part}",
            cell=self._figure(measure),
            period=year.key,
            value=round(value),
            release=self.release,
            actor=self.user,
        ).shown

    def headline(
        self, year: periods.FinancialYear, *, with_trend: bool
    ) -> tuple[float | None, dict[str, float | None], int | None]:
        """(the year's value, values by bucket, number of records behind it)."""
        if self.measure.kind == measures.PAIRED:
            return self._uplift(year, with_trend=with_trend)
        statistic = self.kpi.statistic
        if statistic in (Statistic.COUNT, Statistic.RATE):
            if with_trend:
                trend, total = self._series(self.measure, year, "count")
            else:
                trend, total = {}, self._baseline_total(self.measure, year, "count")
            if statistic == Statistic.RATE:
                people = self._people(year)
                scale = (PER_POPULATION / people) if people else None
                rate = lambda v: None if v is None or scale is None else v * scale  # noqa: E731
                return rate(total), {key: rate(v) for key, v in trend.items()}, None
            return total, trend, None
        if statistic == Statistic.PERCENT:
            denominator = measures.get(self.kpi.denominator)
            if denominator is None:
                return None, {}, None
            if with_trend:
                top, top_total = self._series(self.measure, year, "numerator")
                bottom, bottom_total = self._series(denominator, year, "denominator")
            else:
                top, bottom = {}, {}
                top_total = self._baseline_total(self.measure, year, "numerator")
                bottom_total = self._baseline_total(denominator, year, "denominator")
            share = lambda a, b: None if a is None or not b else 100.0 * a / b  # noqa: E731
            return (
                share(top_total, bottom_total),
                {key: share(top[key], bottom.get(key)) for key in top},
                None if bottom_total is None else round(bottom_total),
            )
        # A median or 90th percentile time.
        share = 0.5 if statistic == Statistic.MEDIAN else 0.9
        found = figures.durations(self.measure, self.filters, year.start, year.end)
        by_bucket: dict[str, list[float]] = {}
        for day, value in found:
            by_bucket.setdefault(periods.bucket_of(day, self.by), []).append(value)
        counts = {
            bucket.key: len(by_bucket.get(bucket.key, [])) for bucket in year.buckets(self.by)
        }
        if self.controlled:
            if with_trend:
                shown_counts, shown_total = self._counted(counts, year)
            else:
                shown_total = released.release_count(
                    table_id=f"kpi:{self.kpi.code}:records",
                    cell="total",
                    period=year.key,
                    value=len(found),
                    release=self.release,
                    actor=self.user,
                ).shown
                shown_counts = {}
        else:
            shown_counts, shown_total = counts, len(found)
        value = figures.quantile([v for _, v in found], share) if shown_total else None
        trend = {
            key: figures.quantile(by_bucket.get(key, []), share) if shown_counts.get(key) else None
            for key in shown_counts
        }
        return value, trend, shown_total

    def _uplift(
        self, year: periods.FinancialYear, *, with_trend: bool
    ) -> tuple[float | None, dict[str, float | None], int | None]:
        """The knowledge uplift (per cent) for the year and by bucket, and its pairs.

        A figure is shown only with ``MIN_PAIRS`` pairs behind it (the means of fewer
        people come close to telling each one's scores); for a controlled reader the
        number of pairs goes through disclosure control first, as a median's records do.
        """
        topic = self.filters.get("topic")

        def uplift(start: Any, end: Any) -> tuple[float | None, int]:
            paired = training_selectors.knowledge_uplift(
                self.user, since=start, until=end, topic_code=topic
            )
            if paired is None or paired.relative_change is None:
                return None, 0 if paired is None else paired.n
            return 100.0 * paired.relative_change, paired.n

        value, pairs = uplift(year.start, year.end)
        by_bucket = (
            {bucket.key: uplift(bucket.start, bucket.end) for bucket in year.buckets(self.by)}
            if with_trend
            else {}
        )
        counts = {key: n for key, (_value, n) in by_bucket.items()}
        if self.controlled and with_trend:
            shown_counts, shown_total = self._counted(counts, year)
        elif self.controlled:
            shown_counts, shown_total = (
                {},
                released.release_count(
                    table_id=f"kpi:{self.kpi.code}:records",
                    cell="total",
                    period=year.key,
                    value=pairs,
                    release=self.release,
                    actor=self.user,
                ).shown,
            )
        else:
            shown_counts, shown_total = counts, pairs

        def enough(count: int | None) -> bool:
            return count is not None and count >= MIN_PAIRS

        trend = {
            key: by_bucket[key][0] if enough(shown_counts.get(key)) else None
            for key in shown_counts
        }
        return (value if enough(shown_total) else None), trend, shown_total

    def _counted(
        self, counts: dict[str, int], year: periods.FinancialYear
    ) -> tuple[dict[str, int | None], int | None]:
        table = released.release_series(
            table_id=f"kpi:{self.kpi.code}:records",
            values=counts,
            keys=list(counts),
            periods={key: f"{self.by}:{key}" for key in counts},
            total_period=year.key,
            release=self.release,
            actor=self.user,
        )
        return {key: table.shown("all", key) for key in counts}, table.grand_total.shown

    def _people(self, year: periods.FinancialYear) -> int:
        people = population(year)
        area = self.filters.get("area")
        if area:
            return people.get(str(area), 0)
        return sum(people.values())

    def groups(self, breakdown: str) -> tuple[list[Point], bool]:
        """The year's figure by breakdown value; whether the parts add up to the total."""
        path = self.measure.breakdowns[breakdown]
        adds_up = "exploitation_types" not in path and "suspected_types" not in path
        true = figures.group_values(
            self.measure, self.filters, breakdown, self.year.start, self.year.end
        )
        keys = sorted(true)
        label = _group_label(breakdown)
        if self.controlled:
            table = released.release_series(
                table_id=f"kpi:{self.kpi.code}:by:{breakdown}",
                values={key: round(value) for key, value in true.items()},
                keys=keys,
                periods={key: self.year.key for key in keys},
                total_period=self.year.key,
                release=self.release,
                actor=self.user,
                figure=self._figure(self.measure),
                breakdown=breakdown,
            )
            shown = {key: table.shown("all", key) for key in keys}
        else:
            shown = dict(true)
        people = population(self.year) if self.kpi.statistic == Statistic.RATE else {}
        points = []
        for key in keys:
            value = shown[key]
            if self.kpi.statistic == Statistic.RATE and breakdown == "area":
                value = (
                    None
                    if value is None or not people.get(key)
                    else (value * PER_POPULATION / people[key])
                )
            points.append(
                Point(
                    key=key,
                    label=str(label(key)),
                    value=value,
                    withheld=shown[key] is None,
                    url=None
                    if self.controlled
                    else _group_url(self.user, self.measure, breakdown, key),
                )
            )
        return points, adds_up


# Breakdowns that name a single campaign: board viewers see campaign totals, never a
# campaign (ADR 0019), so controlled figures are not offered by campaign.
NOT_CONTROLLED_BREAKDOWNS = frozenset({"campaign"})


def breakdowns_for(kpi: Kpi, *, controlled: bool = False) -> list[measures.Breakdown]:
    """The breakdowns a KPI offers: its measure's, for counts and rates."""
    measure = measures.get(kpi.measure)
    if measure is None or kpi.statistic not in (Statistic.COUNT, Statistic.RATE):
        return []
    if kpi.statistic == Statistic.RATE:
        return [measures.BREAKDOWNS["area"]] if "area" in measure.breakdowns else []
    return [
        measures.BREAKDOWNS[code]
        for code in measure.breakdowns
        if code in measures.BREAKDOWNS and not (controlled and code in NOT_CONTROLLED_BREAKDOWNS)
    ]


def kpi_result(
    user: User,
    kpi: Kpi,
    *,
    year: periods.FinancialYear,
    baseline_year: periods.FinancialYear | None = None,
    by: str = periods.QUARTER,
    breakdown: str = "",
    release: str = "page",
    controlled: bool = False,
) -> KpiResult:
    """A KPI's figures for a financial year against its baseline, as ``user`` may see them.

    ``controlled`` forces disclosure control for a user who may see true figures (a board
    pack is for people who may not read the records).
    """
    if not access.can_view_kpis(user):
        raise NotFoundOrNotAllowed
    controlled = controlled or access.sees_controlled_figures(user)
    if controlled:
        by = periods.QUARTER  # board viewers: quarters only (ADR 0022)
    if baseline_year is None and kpi.baseline_year is not None:
        baseline_year = periods.FinancialYear(kpi.baseline_year)
    if baseline_year is not None and baseline_year.start_year >= year.start_year:
        baseline_year = None
    result = KpiResult(
        kpi=kpi, year=year, baseline_year=baseline_year, by=by, controlled=controlled
    )
    measure = measures.get(kpi.measure)
    if measure is None:
        return result
    result.measure = measure
    result.unit = _unit(kpi, measure)
    compute = _Compute(user, kpi, measure, year=year, by=by, release=release, controlled=controlled)
    value, trend, records = compute.headline(year, with_trend=True)
    result.value, result.records = value, records
    result.value_withheld = value is None
    buckets = year.buckets(by)
    result.trend = [
        Point(
            key=bucket.key,
            label=bucket.label,
            value=trend.get(bucket.key),
            withheld=trend.get(bucket.key) is None,
        )
        for bucket in buckets
        if bucket.start <= max(timezone.localdate(), year.start)
    ]
    if baseline_year is not None:
        baseline, _trend, _records = compute.headline(baseline_year, with_trend=False)
        result.baseline = baseline
        result.baseline_withheld = baseline is None
    if breakdown and breakdown in {b.code for b in breakdowns_for(kpi, controlled=controlled)}:
        result.breakdown = breakdown
        result.groups, result.groups_add_up = compute.groups(breakdown)
    if not controlled:
        result.records_url = records_url(user, measure, kpi.filters or {})
    return result
