"""Difference in differences on simulated referral counts whose effect is known."""

import numpy as np
import pytest

from lantern.evaluation.effects.did import Observation, estimate
from lantern.evaluation.effects.its import Refused


def simulate(seed: int, *, effect: float, trained: int = 20, untrained: int = 20, periods: int = 8):
    """Quarterly referrals: each organisation its own level, a shared trend, training after
    period 4 adding ``effect`` referrals a quarter to the trained organisations."""
    generator = np.random.default_rng(seed)
    rows = []
    for organisation in range(trained + untrained):
        is_trained = organisation < trained
        level = generator.normal(5, 2)
        for period in range(periods):
            after = period >= periods // 2
            mean = level + 0.3 * period + (effect if is_trained and after else 0.0)
            rows.append(
                Observation(
                    organisation=f"org-{organisation}",
                    period=period,
                    count=max(0.0, mean + generator.normal(0, 1)),
                    trained=is_trained,
                    after=after,
                )
            )
    return rows


def test_a_known_effect_is_recovered():
    result = estimate(simulate(seed=14, effect=2.0))
    assert result.effect.includes(2.0)
    assert result.effect.lower > 0
    assert (result.trained_organisations, result.comparison_organisations) == (20, 20)
    assert (result.periods_before, result.periods_after) == (4, 4)


def test_no_effect_gives_an_interval_that_includes_zero():
    assert estimate(simulate(seed=5, effect=0.0)).effect.includes(0.0)


def test_the_interval_covers_the_true_effect_in_most_simulations():
    covered = sum(
        estimate(simulate(seed=seed, effect=1.0)).effect.includes(1.0) for seed in range(30)
    )
    assert covered >= 25


def test_too_few_organisations_are_refused():
    with pytest.raises(Refused) as refusal:
        estimate(simulate(seed=1, effect=1.0, trained=3))
    assert "Too few organisations" in str(refusal.value.reason)


def test_an_organisation_in_both_groups_is_refused():
    rows = simulate(seed=1, effect=1.0)
    rows.append(Observation("org-0", 99, 1.0, trained=False, after=True))
    with pytest.raises(Refused):
        estimate(rows)


def test_periods_only_after_training_are_refused():
    rows = [row for row in simulate(seed=1, effect=1.0) if row.after]
    with pytest.raises(Refused):
        estimate(rows)
