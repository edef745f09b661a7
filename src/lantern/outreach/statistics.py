"""The statistics of training results, as pure functions of numbers (no database, no Django).

Definitions (docs/adr/0020-training-assessments.md, DOMAIN.md §"Training evaluation"):

- **Relative change**: (post - pre) / pre, on the mean share answering correctly (or
  confident). The partnership's "+140% rise in NRM awareness" is this figure: 35% before
  and 84% after is +140%.
- **Hake's normalised gain**: g = (post - pre) / (100 - pre), on the class means in
  percent: the share of the possible improvement that was achieved.
- **Paired test**: Student's paired t-test (``scipy.stats.ttest_rel``) on each attendee's
  post - pre score, with the 95% confidence interval of the mean difference.
- **Item statistics**, as Moodle's quiz report, on first attempts: the *facility* index is
  the mean score on the item, in percent (the share answering it correctly); the
  *discrimination* index is the correlation, in percent, between the item's score and the
  score on the rest of the test, so an item that the better-scoring attendees get right
  scores high, and one answered at random scores near zero.
"""

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from scipy import stats

# Per-question figures on fewer attempts than this say more about the people than the item.
MIN_ATTEMPTS_FOR_ITEMS = 5


def mean(values: Sequence[float]) -> float | None:
    return sum(values) / len(values) if values else None


def relative_change(pre: float | None, post: float | None) -> float | None:
    """(post - pre) / pre, as a fraction (1.4 is +140%); ``None`` without a base."""
    if pre is None or post is None or pre == 0:
        return None
    return (post - pre) / pre


def normalised_gain(pre: float | None, post: float | None) -> float | None:
    """Hake's g = (post - pre) / (100 - pre) on percentages; ``None`` when pre is 100."""
    if pre is None or post is None or pre >= 100:
        return None
    return (post - pre) / (100 - pre)


@dataclass(frozen=True)
class PairedResult:
    n: int
    mean_pre: float
    mean_post: float
    mean_difference: float
    ci_low: float | None
    ci_high: float | None
    t: float | None
    p: float | None

    @property
    def relative_change(self) -> float | None:
        return relative_change(self.mean_pre, self.mean_post)

    @property
    def normalised_gain(self) -> float | None:
        return normalised_gain(self.mean_pre, self.mean_post)


def paired(pre: Sequence[float], post: Sequence[float]) -> PairedResult | None:
    """Summary and paired t-test of matched scores (``pre[i]`` and ``post[i]`` are one person).

    ``None`` with no pair; the test and interval need two pairs, and are ``None`` when every
    difference is the same (no variance: the interval is that difference, the test undefined).
    """
    if len(pre) != len(post):
        raise ValueError("pre and post must be paired")
    n = len(pre)
    if n == 0:
        return None
    mean_pre, mean_post = sum(pre) / n, sum(post) / n
    difference = mean_post - mean_pre
    ci_low = ci_high = t = p = None
    differences = [after - before for before, after in zip(pre, post, strict=True)]
    if n >= 2 and len(set(differences)) > 1:
        result = stats.ttest_rel(post, pre)
        interval = result.confidence_interval(confidence_level=0.95)
        t, p = float(result.statistic), float(result.pvalue)
        ci_low, ci_high = float(interval.low), float(interval.high)
    elif n >= 2:
        ci_low = ci_high = difference
    return PairedResult(
        n=n,
        mean_pre=mean_pre,
        mean_post=mean_post,
        mean_difference=difference,
        ci_low=ci_low,
        ci_high=ci_high,
        t=t,
        p=p,
    )


@dataclass(frozen=True)
class ItemStatistics:
    key: str
    attempts: int
    facility: float | None
    discrimination: float | None


def _correlation(xs: Sequence[float], ys: Sequence[float]) -> float | None:
    n = len(xs)
    mean_x, mean_y = sum(xs) / n, sum(ys) / n
    sxy = sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True))
    sxx = sum((x - mean_x) ** 2 for x in xs)
    syy = sum((y - mean_y) ** 2 for y in ys)
    if sxx == 0 or syy == 0:
        return None
    return sxy / math.sqrt(sxx * syy)


def item_statistics(
    attempts: Sequence[Mapping[str, float]], *, minimum: int = MIN_ATTEMPTS_FOR_ITEMS
) -> list[ItemStatistics]:
    """Facility and discrimination per item, from each attempt's item scores (0 to 1).

    ``attempts`` holds one mapping per attempt, from item key to its score. Items answered
    in fewer than ``minimum`` attempts get their count and no figures. Discrimination is
    ``None`` when the item or the rest of the test does not vary.
    """
    keys = sorted({key for attempt in attempts for key in attempt})
    totals = [sum(attempt.values()) for attempt in attempts]
    results = []
    for key in keys:
        item, rest = [], []
        for attempt, total in zip(attempts, totals, strict=True):
            if key in attempt:
                item.append(attempt[key])
                rest.append(total - attempt[key])
        if len(item) < minimum:
            results.append(ItemStatistics(key, len(item), None, None))
            continue
        correlation = _correlation(item, rest)
        results.append(
            ItemStatistics(
                key,
                len(item),
                facility=100 * sum(item) / len(item),
                discrimination=None if correlation is None else 100 * correlation,
            )
        )
    return results
