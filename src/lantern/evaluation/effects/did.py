"""Training's effect on practice, by difference in differences (DiD).

Organisations whose staff were trained are compared with organisations not yet trained, on
what they do: NRM referrals and Duty to Notify reports per organisation per period. The
estimate is how much more the trained organisations changed than the others did between the
periods before and after the training (Kirkpatrick's levels 3 and 4, which an LMS never
reaches). It is a two-way fixed-effects regression — one effect per organisation, one per
period — by ordinary least squares, with standard errors clustered by organisation, since an
organisation's periods are not independent of one another.

It rests on parallel trends: without training, both groups would have moved alike. The
caveats say so; too few organisations in either group is refused (``Refused``).
"""

from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field

import numpy as np
import statsmodels.api as sm
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from lantern.evaluation.effects.its import Interval, Refused

# Clustered errors with fewer clusters than this are badly biased.
MIN_ORGANISATIONS_PER_GROUP = 5


@dataclass(frozen=True)
class Observation:
    """One organisation's count in one period.

    ``trained``: the organisation is in the trained group (whenever it was trained);
    ``after``: the period is after the training date the comparison is about.
    """

    organisation: Hashable
    period: Hashable
    count: float
    trained: bool
    after: bool


@dataclass(frozen=True)
class DidResult:
    """``effect``: extra referrals per organisation per period attributable to training."""

    effect: Interval
    trained_organisations: int
    comparison_organisations: int
    periods_before: int
    periods_after: int
    caveats: list[str | Promise] = field(default_factory=list)


def estimate(observations: Iterable[Observation]) -> DidResult:
    """The difference in differences, its 95% CI clustered by organisation."""
    rows = list(observations)
    trained_of: dict[Hashable, bool] = {}
    for row in rows:
        if trained_of.setdefault(row.organisation, row.trained) != row.trained:
            raise Refused(_("An organisation is in both the trained and the comparison group."))
    trained = sum(trained_of.values())
    comparison = len(trained_of) - trained
    if min(trained, comparison) < MIN_ORGANISATIONS_PER_GROUP:
        raise Refused(
            _(
                "Too few organisations to compare: at least %(minimum)s trained and %(minimum)s "
                "not yet trained are needed (there are %(trained)s and %(comparison)s)."
            )
            % {"minimum": MIN_ORGANISATIONS_PER_GROUP, "trained": trained, "comparison": comparison}
        )
    periods_before = {row.period for row in rows if not row.after}
    periods_after = {row.period for row in rows if row.after}
    if not periods_before or not periods_after or periods_before & periods_after:
        raise Refused(
            _("Periods before and after the training are both needed, each one or the other.")
        )
    counts = np.array([row.count for row in rows], dtype=float)
    if not np.all(np.isfinite(counts)) or np.any(counts < 0):
        raise Refused(_("Each count must be a number, 0 or more."))

    organisations = sorted(trained_of, key=str)
    periods = sorted(periods_before | periods_after, key=str)
    organisation_index = {name: index for index, name in enumerate(organisations)}
    period_index = {name: index for index, name in enumerate(periods)}
    treated_after = np.array([float(row.trained and row.after) for row in rows])
    # One column per organisation and per period but the first (the intercept takes it).
    design = np.zeros((len(rows), 2 + len(organisations) - 1 + len(periods) - 1))
    design[:, 0] = 1.0
    design[:, 1] = treated_after
    for number, row in enumerate(rows):
        if (index := organisation_index[row.organisation]) > 0:
            design[number, 1 + index] = 1.0
        if (index := period_index[row.period]) > 0:
            design[number, len(organisations) + index] = 1.0
    groups = np.array([organisation_index[row.organisation] for row in rows])
    results = sm.OLS(counts, design).fit(
        cov_type="cluster", cov_kwds={"groups": groups, "use_correction": True}, use_t=True
    )
    lower, upper = results.conf_int(alpha=0.05)[1]
    if not np.isfinite([lower, upper]).all():
        raise Refused(_("The model could not be estimated from these counts."))
    caveats: list[str | Promise] = [
        _(
            "The estimate assumes the trained and comparison organisations would have moved "
            "alike without the training; organisations that chose to train may differ."
        ),
        _(
            "More referrals can mean staff recognise exploitation better; it does not show "
            "that more people were exploited."
        ),
    ]
    if len(periods_before) < 2:
        caveats.append(
            _(
                "With one period before the training, the parallel-trends assumption cannot "
                "be checked."
            )
        )
    return DidResult(
        effect=Interval(float(results.params[1]), float(lower), float(upper)),
        trained_organisations=trained,
        comparison_organisations=comparison,
        periods_before=len(periods_before),
        periods_after=len(periods_after),
        caveats=caveats,
    )
