"""A campaign's effect on weekly reports, by interrupted time series (ITS).

Segmented regression as Lopez Bernal, Cummins and Gasparrini describe it (IJE 2017): the
weekly count is modelled with an underlying trend, a change in level and a change in slope
from the week the campaign starts, seasonality (Fourier terms over the year, when the series
is long enough to tell a season from a trend: campaigns gather around Anti-Slavery Day,
18 October), overdispersion (negative binomial, its dispersion estimated from the data) and
autocorrelation (Newey-West HAC standard errors). What it returns is what a campaign page
needs: the level change as a rate ratio with its 95% confidence interval, the slope change,
the fitted line and the counterfactual week by week, and the caveats in words.

A series too short or too sparse to estimate is refused with the reason (``Refused``):
a number the data cannot support is worse than none.
"""

import datetime
import itertools
import math
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import statsmodels.api as sm
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

# Below these the level change is not estimable with any confidence worth showing.
MIN_WEEKS_BEFORE = 8
MIN_WEEKS_AFTER = 8
MIN_WEEKS = 26
# A series mostly of empty weeks carries too little information for a rate.
MAX_ZERO_SHARE = 0.5
MIN_EVENTS_BEFORE = 20
# A year of weeks: one harmonic of the annual cycle from a year of data, two from two years.
WEEKS_PER_YEAR = 365.25 / 7
ONE_HARMONIC_FROM = 52
TWO_HARMONICS_FROM = 104
_Z = 1.959963984540054


class Refused(ValueError):
    """The series cannot support an estimate; ``reason`` says why, in the reader's language."""

    def __init__(self, reason: str | Promise) -> None:
        super().__init__(str(reason))
        self.reason = reason


@dataclass(frozen=True)
class WeeklySeries:
    """Counts per week: ``weeks[i]`` is the first day (a Monday) of the week counted."""

    weeks: tuple[datetime.date, ...]
    counts: tuple[int, ...]

    def __post_init__(self) -> None:
        if len(self.weeks) != len(self.counts):
            raise ValueError("weeks and counts differ in length")


@dataclass(frozen=True)
class Interval:
    estimate: float
    lower: float
    upper: float

    def includes(self, value: float) -> bool:
        return self.lower <= value <= self.upper


@dataclass(frozen=True)
class WeekEstimate:
    week: datetime.date
    observed: int
    fitted: float
    counterfactual: float


@dataclass(frozen=True)
class ItsResult:
    """The campaign's estimated effect.

    ``level_change`` is the rate ratio at the start of the campaign (1.5: half as many
    reports again as the trend predicted); ``slope_change`` the ratio per week after it.
    ``extra_reports`` is observed minus counterfactual, summed from the start.
    """

    level_change: Interval
    slope_change: Interval
    weeks: list[WeekEstimate]
    extra_reports: float
    dispersion: float
    harmonics: int
    caveats: list[str | Promise] = field(default_factory=list)


def estimate(series: WeeklySeries, start: datetime.date, end: datetime.date) -> ItsResult:
    """The effect of a campaign run from ``start`` to ``end`` on ``series``.

    The interruption is the week containing ``start``; every week from then on is "after"
    (a campaign's effect does not stop on its last day). Raises ``Refused`` with a reason
    when the series cannot support an estimate.
    """
    weeks, counts = _checked(series, start, end)
    n = len(weeks)
    after = np.array([week + datetime.timedelta(days=6) >= start for week in weeks])
    before_count = int((~after).sum())
    after_count = n - before_count
    if before_count < MIN_WEEKS_BEFORE or after_count < MIN_WEEKS_AFTER or n < MIN_WEEKS:
        raise Refused(
            _(
                "The series is too short: at least %(before)s weeks before the campaign, "
                "%(after)s from its start and %(total)s in all are needed (there are "
                "%(have_before)s before, %(have_after)s from its start)."
            )
            % {
                "before": MIN_WEEKS_BEFORE,
                "after": MIN_WEEKS_AFTER,
                "total": MIN_WEEKS,
                "have_before": before_count,
                "have_after": after_count,
            }
        )
    y = np.asarray(counts, dtype=float)
    if (y == 0).mean() > MAX_ZERO_SHARE or y[~after].sum() < MIN_EVENTS_BEFORE:
        raise Refused(
            _(
                "The series is too sparse: more than half its weeks are empty, or fewer than "
                "%(events)s reports came before the campaign. Widen the area or the period."
            )
            % {"events": MIN_EVENTS_BEFORE}
        )

    harmonics = 2 if n >= TWO_HARMONICS_FROM else 1 if n >= ONE_HARMONIC_FROM else 0
    time = np.arange(n, dtype=float)
    first_after = int(np.argmax(after))
    level = after.astype(float)
    slope = np.where(after, time - first_after, 0.0)
    design = _design(time, level, slope, harmonics)
    results, dispersion = _fit(y, design, n)

    params = results.params
    bounds = results.conf_int(alpha=0.05)
    level_change = Interval(*(math.exp(value) for value in (params[2], *bounds[2])))
    slope_change = Interval(*(math.exp(value) for value in (params[3], *bounds[3])))
    fitted = results.predict(design)
    without = design.copy()
    without[:, 2] = 0.0
    without[:, 3] = 0.0
    counterfactual = results.predict(without)

    caveats: list[str | Promise] = [
        _(
            "More reports after a campaign most likely mean more people recognise and report "
            "exploitation, not that there is more of it."
        ),
        _(
            "Anything else that changed when the campaign started (a new reporting line, an "
            "operation, news coverage) is counted as the campaign’s effect."
        ),
    ]
    if harmonics == 0:
        caveats.append(
            _(
                "The series is shorter than a year, so the season (reports rise around "
                "Anti-Slavery Day in October) is not allowed for."
            )
        )
    if after_count < 2 * MIN_WEEKS_AFTER:
        caveats.append(
            _("Few weeks have passed since the start: the change in trend is uncertain.")
        )
    if _weeks_after_end(weeks, end) < MIN_WEEKS_AFTER:
        caveats.append(
            _("The series ends soon after the campaign: whether its effect lasted is not known.")
        )
    return ItsResult(
        level_change=level_change,
        slope_change=slope_change,
        weeks=[
            WeekEstimate(week, int(count), float(fit), float(base))
            for week, count, fit, base in zip(weeks, counts, fitted, counterfactual, strict=True)
        ],
        extra_reports=float((y[after] - counterfactual[after]).sum()),
        dispersion=dispersion,
        harmonics=harmonics,
        caveats=caveats,
    )


def _checked(
    series: WeeklySeries, start: datetime.date, end: datetime.date
) -> tuple[list[datetime.date], list[int]]:
    weeks, counts = list(series.weeks), list(series.counts)
    if end < start:
        raise Refused(_("The campaign’s end is before its start."))
    if not weeks:
        raise Refused(_("There are no weeks to analyse."))
    if any(
        later - earlier != datetime.timedelta(days=7)
        for earlier, later in itertools.pairwise(weeks)
    ):
        raise Refused(_("The weeks must follow one another with none missing."))
    if any(
        isinstance(count, bool) or not isinstance(count, (int, np.integer)) or count < 0
        for count in counts
    ):
        raise Refused(_("Each week’s count must be a whole number, 0 or more."))
    if not weeks[0] <= start <= weeks[-1] + datetime.timedelta(days=6):
        raise Refused(_("The campaign must start within the series."))
    return weeks, counts


def _design(time: np.ndarray, level: np.ndarray, slope: np.ndarray, harmonics: int) -> np.ndarray:
    # Time is scaled to years so that the coefficients stay of similar size.
    columns = [np.ones_like(time), time / WEEKS_PER_YEAR, level, slope]
    for harmonic in range(1, harmonics + 1):
        angle = 2 * math.pi * harmonic * time / WEEKS_PER_YEAR
        columns += [np.sin(angle), np.cos(angle)]
    return np.column_stack(columns)


def _fit(y: np.ndarray, design: np.ndarray, n: int) -> tuple[object, float]:
    """Negative binomial with its dispersion estimated by maximum likelihood, then refitted
    as a GLM with that dispersion for Newey-West (HAC) standard errors."""
    dispersion = _dispersion(y, design)
    maxlags = max(1, math.floor(4 * (n / 100) ** (2 / 9)))
    family = sm.families.NegativeBinomial(alpha=dispersion)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        results = sm.GLM(y, design, family=family).fit(
            cov_type="HAC", cov_kwds={"maxlags": maxlags}
        )
    if not np.all(np.isfinite(results.bse)):
        raise Refused(_("The model could not be estimated from this series."))
    return results, dispersion


def _dispersion(y: np.ndarray, design: np.ndarray) -> float:
    """The negative binomial's alpha; close to 0 when the counts are Poisson-like."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            fitted = sm.NegativeBinomial(y, design).fit(disp=0, maxiter=200)
            alpha = float(fitted.params[-1])
        except (np.linalg.LinAlgError, ValueError):
            alpha = float("nan")
    if not math.isfinite(alpha) or alpha <= 0:
        return 1e-6
    return min(alpha, 10.0)


def _weeks_after_end(weeks: Sequence[datetime.date], end: datetime.date) -> int:
    return sum(week > end for week in weeks)
