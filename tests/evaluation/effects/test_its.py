"""Interrupted time series on simulated weekly counts whose effect is known."""

import datetime
import math

import numpy as np
import pytest

from lantern.evaluation.effects.its import Refused, WeeklySeries, estimate

FIRST_MONDAY = datetime.date(2023, 1, 2)


def simulate(
    seed: int,
    *,
    weeks: int = 156,
    start: int = 104,
    rate_ratio: float = 1.5,
    base: float = 20.0,
    dispersion: float = 0.05,
    seasonal: float = 0.2,
) -> WeeklySeries:
    """Negative binomial counts: a gentle trend, an October peak, and a level change."""
    generator = np.random.default_rng(seed)
    time = np.arange(weeks)
    log_mean = (
        math.log(base)
        + 0.1 * time / 52.18
        + seasonal * np.cos(2 * math.pi * (time - 41) / 52.18)
        + math.log(rate_ratio) * (time >= start)
    )
    mean = np.exp(log_mean)
    # Gamma-Poisson mixture: variance mean + dispersion * mean².
    counts = generator.poisson(generator.gamma(1 / dispersion, mean * dispersion))
    return WeeklySeries(
        weeks=tuple(FIRST_MONDAY + datetime.timedelta(weeks=int(number)) for number in time),
        counts=tuple(int(count) for count in counts),
    )


def week(number: int) -> datetime.date:
    return FIRST_MONDAY + datetime.timedelta(weeks=number)


def test_a_known_effect_is_recovered():
    result = estimate(simulate(seed=14), week(104), week(110))

    assert result.level_change.includes(1.5)
    assert result.level_change.lower > 1
    assert result.harmonics == 2
    assert len(result.weeks) == 156
    before = result.weeks[:104]
    # Before the campaign the counterfactual is the fitted line.
    assert all(math.isclose(row.fitted, row.counterfactual) for row in before)
    assert result.extra_reports > 0
    assert result.caveats


def test_a_null_series_gives_an_interval_that_includes_one():
    result = estimate(simulate(seed=7, rate_ratio=1.0), week(104), week(110))
    assert result.level_change.includes(1.0)


def test_the_interval_covers_the_true_effect_in_most_simulations():
    covered = sum(
        estimate(simulate(seed=seed, rate_ratio=1.3), week(104), week(110)).level_change.includes(
            1.3
        )
        for seed in range(30)
    )
    # A 95% interval should miss rarely; allow for HAC intervals being a little narrow.
    assert covered >= 25


def test_a_year_long_series_uses_one_harmonic_and_a_short_one_none():
    year = simulate(seed=3, weeks=60, start=40)
    short = simulate(seed=3, weeks=30, start=20)
    assert estimate(year, week(40), week(44)).harmonics == 1
    result = estimate(short, week(20), week(22))
    assert result.harmonics == 0
    assert any("shorter than a year" in str(caveat) for caveat in result.caveats)


@pytest.mark.parametrize(
    ("weeks", "start", "why"),
    [(20, 10, "too short"), (60, 4, "too short"), (60, 55, "too short")],
)
def test_short_series_are_refused(weeks, start, why):
    with pytest.raises(Refused) as refusal:
        estimate(simulate(seed=1, weeks=weeks, start=start), week(start), week(start + 1))
    assert why in str(refusal.value.reason)


def test_sparse_series_are_refused():
    sparse = simulate(seed=2, base=0.3, dispersion=0.5)
    with pytest.raises(Refused) as refusal:
        estimate(sparse, week(104), week(110))
    assert "too sparse" in str(refusal.value.reason)


@pytest.mark.parametrize(
    ("series", "start", "end"),
    [
        (WeeklySeries(weeks=(), counts=()), week(0), week(1)),
        (WeeklySeries(weeks=(week(0), week(2)), counts=(1, 2)), week(0), week(1)),
        (WeeklySeries(weeks=(week(0), week(1)), counts=(1, -2)), week(0), week(1)),
        (simulate(seed=1), week(50), week(40)),
        (simulate(seed=1), week(400), week(401)),
    ],
)
def test_malformed_input_is_refused_with_a_reason(series, start, end):
    with pytest.raises(Refused) as refusal:
        estimate(series, start, end)
    assert str(refusal.value.reason)
