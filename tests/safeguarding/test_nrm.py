"""The NRM timeline from fixed dates: stages, days, recovery period and overdue flags."""

import datetime

from lantern.safeguarding import nrm
from lantern.safeguarding.models import NRMReferral
from lantern.safeguarding.nrm import Stage

FRIDAY = datetime.date(2024, 3, 1)


def day(month: int, number: int, year: int = 2024) -> datetime.date:
    return datetime.date(year, month, number)


def referral(**fields) -> NRMReferral:
    return NRMReferral(referred_on=fields.pop("referred_on", FRIDAY), **fields)


def test_five_working_days_skip_the_weekend():
    assert nrm.add_working_days(FRIDAY, 5) == day(3, 8)
    assert nrm.add_working_days(day(3, 4), 5) == day(3, 11)


def test_on_the_day_of_referral_the_stage_is_referred():
    timeline = nrm.timeline(referral(), today=FRIDAY)
    assert timeline.stage == Stage.REFERRED
    assert timeline.days_in_stage == 0


def test_awaiting_reasonable_grounds_becomes_overdue_after_five_working_days():
    on_time = nrm.timeline(referral(), today=day(3, 8))
    assert on_time.stage == Stage.AWAITING_RG
    assert on_time.days_in_stage == 7
    assert not on_time.rg_overdue
    late = nrm.timeline(referral(), today=day(3, 9))
    assert late.rg_overdue
    assert late.rg_due_on == day(3, 8)


def test_positive_rg_starts_a_30_day_recovery_period():
    decided = referral(reasonable_grounds="positive", reasonable_grounds_on=day(3, 12))
    timeline = nrm.timeline(decided, today=day(3, 20))
    assert timeline.stage == Stage.RECOVERY_PERIOD
    assert timeline.days_in_stage == 8
    assert timeline.recovery_period_ends_on == day(4, 11)
    assert timeline.rg_late  # decided after 8 March
    assert not timeline.rg_overdue
    assert [(period.stage, period.days) for period in timeline.periods] == [
        (Stage.AWAITING_RG, 11),
        (Stage.RECOVERY_PERIOD, 8),
    ]


def test_recovery_period_was_45_days_before_13_december_2022():
    decided = referral(
        referred_on=day(12, 1, 2022),
        reasonable_grounds="positive",
        reasonable_grounds_on=day(12, 12, 2022),
    )
    assert nrm.timeline(decided, today=day(1, 1, 2023)).recovery_period_ends_on == day(1, 26, 2023)
    after = referral(
        referred_on=day(12, 1, 2022),
        reasonable_grounds="positive",
        reasonable_grounds_on=day(12, 13, 2022),
    )
    assert nrm.timeline(after, today=day(1, 1, 2023)).recovery_period_ends_on == day(1, 12, 2023)


def test_awaiting_conclusive_grounds_is_overdue_90_days_after_the_recovery_period():
    decided = referral(reasonable_grounds="positive", reasonable_grounds_on=day(3, 5))
    waiting = nrm.timeline(decided, today=day(5, 1))
    assert waiting.stage == Stage.AWAITING_CG
    assert waiting.recovery_period_ends_on == day(4, 4)
    assert waiting.days_in_stage == 27
    assert not waiting.cg_overdue
    assert waiting.cg_due_on == day(7, 3)
    assert nrm.timeline(decided, today=day(7, 4)).cg_overdue


def test_conclusive_grounds_concludes_with_days_at_each_stage():
    decided = referral(
        reasonable_grounds="positive",
        reasonable_grounds_on=day(3, 5),
        conclusive_grounds="positive",
        conclusive_grounds_on=day(9, 2),
    )
    timeline = nrm.timeline(decided, today=day(10, 1))
    assert timeline.stage == Stage.CONCLUDED
    assert timeline.days_in_stage == 29
    assert [(period.stage, period.days) for period in timeline.periods] == [
        (Stage.AWAITING_RG, 4),
        (Stage.RECOVERY_PERIOD, 30),
        (Stage.AWAITING_CG, 151),
        (Stage.CONCLUDED, 29),
    ]
    assert not timeline.cg_overdue


def test_withdrawn_and_reconsideration_stages():
    withdrawn = referral(reasonable_grounds="withdrawn", reasonable_grounds_on=day(3, 4))
    assert nrm.timeline(withdrawn, today=day(3, 10)).stage == Stage.WITHDRAWN
    reconsidering = referral(
        reasonable_grounds="negative",
        reasonable_grounds_on=day(3, 4),
        reconsideration_requested_on=day(3, 11),
    )
    timeline = nrm.timeline(reconsidering, today=day(3, 15))
    assert timeline.stage == Stage.RECONSIDERATION
    assert timeline.days_in_stage == 4
    reconsidered = referral(
        reasonable_grounds="negative",
        reasonable_grounds_on=day(3, 4),
        reconsideration_requested_on=day(3, 11),
        reconsideration="positive",
        reconsideration_on=day(3, 25),
    )
    timeline = nrm.timeline(reconsidered, today=day(4, 1))
    assert timeline.stage == Stage.RECOVERY_PERIOD
    assert timeline.recovery_period_ends_on == day(4, 24)
