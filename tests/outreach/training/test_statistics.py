"""The statistics module against figures worked out by hand (in the comments)."""

import math

import pytest

from lantern.outreach import statistics


def test_relative_change_is_the_seeds_plus_140_percent():
    # 35% answering correctly before, 84% after: (84 - 35) / 35 = 1.4.
    assert statistics.relative_change(35, 84) == pytest.approx(1.4)
    assert statistics.relative_change(50, 25) == pytest.approx(-0.5)


def test_relative_change_has_no_base_at_zero():
    assert statistics.relative_change(0, 60) is None
    assert statistics.relative_change(None, 60) is None


def test_hakes_normalised_gain():
    # (84 - 35) / (100 - 35) = 49 / 65.
    assert statistics.normalised_gain(35, 84) == pytest.approx(49 / 65)
    assert statistics.normalised_gain(20, 100) == pytest.approx(1.0)
    assert statistics.normalised_gain(100, 100) is None


def test_paired_t_test_by_hand():
    # Differences 20, 20, 30: mean 23.33, sd 5.7735, se 3.3333, t = 7.0 on 2 df.
    # t(0.975, 2) = 4.302653, so the interval is 23.33 +/- 14.342; for 2 df the
    # two-sided p is 1 - t / sqrt(2 + t^2) = 1 - 7 / sqrt(51) = 0.019804.
    result = statistics.paired([40, 50, 60], [60, 70, 90])
    assert result.n == 3
    assert result.mean_pre == pytest.approx(50)
    assert result.mean_post == pytest.approx(220 / 3)
    assert result.mean_difference == pytest.approx(70 / 3)
    assert result.t == pytest.approx(7.0)
    assert result.p == pytest.approx(1 - 7 / math.sqrt(51))
    assert result.ci_low == pytest.approx(70 / 3 - 4.302653 * 10 / 3, abs=1e-4)
    assert result.ci_high == pytest.approx(70 / 3 + 4.302653 * 10 / 3, abs=1e-4)
    assert result.relative_change == pytest.approx((220 / 3 - 50) / 50)
    assert result.normalised_gain == pytest.approx((220 / 3 - 50) / 50)


def test_paired_edge_cases():
    assert statistics.paired([], []) is None
    one = statistics.paired([40], [60])
    assert one.n == 1 and one.t is None and one.ci_low is None
    same = statistics.paired([40, 50], [60, 70])
    assert same.t is None and same.ci_low == same.ci_high == pytest.approx(20)
    with pytest.raises(ValueError):
        statistics.paired([1, 2], [1])


FIVE_ATTEMPTS = [
    {"q1": 1, "q2": 1, "q3": 1},
    {"q1": 1, "q2": 1, "q3": 0},
    {"q1": 1, "q2": 0, "q3": 0},
    {"q1": 0, "q2": 0, "q3": 0},
    {"q1": 1, "q2": 1, "q3": 1},
]


def test_facility_and_discrimination_by_hand():
    figures = {item.key: item for item in statistics.item_statistics(FIVE_ATTEMPTS)}
    # q1: 4 of 5 right. Item [1,1,1,0,1] against the rest [2,1,0,0,2]:
    # sxy = 1.0, sxx = 0.8, syy = 4, r = 1 / sqrt(3.2) = 0.559017.
    assert figures["q1"].facility == pytest.approx(80)
    assert figures["q1"].discrimination == pytest.approx(55.9017, abs=1e-4)
    # q3: 2 of 5. Item [1,0,0,0,1] against [2,2,1,0,2]: sxy 1.2, sxx 1.2, syy 3.2,
    # r = 1.2 / sqrt(3.84) = 0.612372.
    assert figures["q3"].facility == pytest.approx(40)
    assert figures["q3"].discrimination == pytest.approx(61.2372, abs=1e-4)
    assert figures["q1"].attempts == 5


def test_item_figures_are_hidden_under_five_attempts():
    figures = statistics.item_statistics(FIVE_ATTEMPTS[:4])
    assert all(item.facility is None and item.discrimination is None for item in figures)
    assert {item.attempts for item in figures} == {4}


def test_an_item_everybody_gets_right_does_not_discriminate():
    attempts = [{"easy": 1, "hard": value} for value in (0, 1, 0, 1, 1)]
    figures = {item.key: item for item in statistics.item_statistics(attempts)}
    assert figures["easy"].facility == pytest.approx(100)
    assert figures["easy"].discrimination is None
