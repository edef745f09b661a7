"""The NRM timeline, worked out from a referral's dates and never stored.

Stages follow the referral: referred (the day it was made), awaiting the reasonable
grounds (RG) decision, the recovery period after a positive RG, awaiting the conclusive
grounds (CG) decision, and concluded; a withdrawn case or a reconsideration of a
negative decision are stages of their own. Targets are module constants, not settings:
DOMAIN.md marks them *check*, and they change only with statutory guidance.
"""

import datetime
from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _

from lantern.safeguarding.models import Decision, NRMReferral

# *check*: the RG decision is due within 5 working days of referral (statutory guidance).
RG_TARGET_WORKING_DAYS = 5
# *check*: the recovery period lasts at least 30 days after a positive RG decision;
# 45 days for RG decisions made before 13 December 2022.
RECOVERY_PERIOD_DAYS = 30
RECOVERY_PERIOD_DAYS_BEFORE_CHANGE = 45
RECOVERY_PERIOD_CHANGED_ON = datetime.date(2022, 12, 13)
# *check*: a local target, not a statutory one — a CG decision not made this many days
# after the recovery period ends is flagged for the safeguarding lead to chase.
CG_TARGET_DAYS_AFTER_RECOVERY = 90


class Stage(models.TextChoices):
    REFERRED = "referred", _("Referred")
    AWAITING_RG = "awaiting_rg", _("Awaiting reasonable grounds decision")
    RECOVERY_PERIOD = "recovery_period", _("Recovery period")
    AWAITING_CG = "awaiting_cg", _("Awaiting conclusive grounds decision")
    RECONSIDERATION = "reconsideration", _("Reconsideration")
    CONCLUDED = "concluded", _("Concluded")
    WITHDRAWN = "withdrawn", _("Withdrawn")


def add_working_days(start: datetime.date, days: int) -> datetime.date:
    """The date ``days`` weekdays after ``start``.

    A documented simplification: bank holidays are not counted as non-working days, so a
    target over a bank holiday falls one day early (stricter, never later, than the rule).
    """
    day = start
    while days > 0:
        day += datetime.timedelta(days=1)
        if day.weekday() < 5:
            days -= 1
    return day


def recovery_period_days(rg_on: datetime.date) -> int:
    return (
        RECOVERY_PERIOD_DAYS_BEFORE_CHANGE
        if rg_on < RECOVERY_PERIOD_CHANGED_ON
        else RECOVERY_PERIOD_DAYS
    )


@dataclass(frozen=True)
class Period:
    """A stage the referral went through, and how many days it lasted (or has lasted)."""

    stage: Stage
    started_on: datetime.date
    ended_on: datetime.date | None
    days: int

    @property
    def label(self) -> str:
        return str(self.stage.label)


@dataclass(frozen=True)
class Timeline:
    stage: Stage
    days_in_stage: int
    days_since_referral: int
    periods: list[Period]
    rg_due_on: datetime.date
    rg_overdue: bool
    rg_late: bool
    recovery_period_ends_on: datetime.date | None
    cg_due_on: datetime.date | None
    cg_overdue: bool

    @property
    def stage_label(self) -> str:
        return str(self.stage.label)


def _positive_rg_on(referral: NRMReferral) -> datetime.date | None:
    """When the person was found to have reasonable grounds: first time or on reconsideration."""
    if referral.reasonable_grounds == Decision.POSITIVE:
        return referral.reasonable_grounds_on
    if referral.reasonable_grounds == Decision.NEGATIVE and (
        referral.reconsideration == Decision.POSITIVE
    ):
        return referral.reconsideration_on
    return None


def timeline(referral: NRMReferral, *, today: datetime.date) -> Timeline:
    """Where the referral stands on ``today``, how long each stage took, what is overdue."""
    marks: list[tuple[Stage, datetime.date]] = [(Stage.AWAITING_RG, referral.referred_on)]
    rg_on = referral.reasonable_grounds_on
    positive_on = _positive_rg_on(referral)
    recovery_ends = cg_due = None
    if referral.reasonable_grounds == Decision.WITHDRAWN:
        marks.append((Stage.WITHDRAWN, rg_on))
    elif referral.reasonable_grounds == Decision.NEGATIVE:
        marks.append((Stage.CONCLUDED, rg_on))
    if referral.reasonable_grounds == Decision.NEGATIVE and referral.reconsideration_requested_on:
        marks.append((Stage.RECONSIDERATION, referral.reconsideration_requested_on))
        if referral.reconsideration and referral.reconsideration != Decision.POSITIVE:
            marks.append((Stage.CONCLUDED, referral.reconsideration_on))
    if positive_on is not None:
        recovery_ends = positive_on + datetime.timedelta(days=recovery_period_days(positive_on))
        cg_due = recovery_ends + datetime.timedelta(days=CG_TARGET_DAYS_AFTER_RECOVERY)
        marks.append((Stage.RECOVERY_PERIOD, positive_on))
        cg_on = referral.conclusive_grounds_on
        if cg_on is None or cg_on > recovery_ends:
            marks.append((Stage.AWAITING_CG, recovery_ends))
        if referral.conclusive_grounds == Decision.WITHDRAWN:
            marks.append((Stage.WITHDRAWN, cg_on))
        elif referral.conclusive_grounds:
            marks.append((Stage.CONCLUDED, cg_on))
        if referral.conclusive_grounds == Decision.NEGATIVE and (
            referral.reconsideration_requested_on
        ):
            marks.append((Stage.RECONSIDERATION, referral.reconsideration_requested_on))
            if referral.reconsideration:
                marks.append((Stage.CONCLUDED, referral.reconsideration_on))
    # In date order (a stable sort keeps same-day stages in the order they happen).
    marks = sorted(((stage, on) for stage, on in marks if on <= today), key=lambda mark: mark[1])
    periods = [
        Period(
            stage=stage,
            started_on=on,
            ended_on=following,
            days=((following or today) - on).days,
        )
        for (stage, on), following in zip(
            marks, [on for _stage, on in marks[1:]] + [None], strict=True
        )
    ]
    current = periods[-1]
    stage = current.stage
    if stage == Stage.AWAITING_RG and current.days == 0:
        stage = Stage.REFERRED
    rg_due = add_working_days(referral.referred_on, RG_TARGET_WORKING_DAYS)
    return Timeline(
        stage=stage,
        days_in_stage=current.days,
        days_since_referral=(today - referral.referred_on).days,
        periods=periods,
        rg_due_on=rg_due,
        rg_overdue=not referral.reasonable_grounds and today > rg_due,
        rg_late=rg_on is not None and rg_on > rg_due,
        recovery_period_ends_on=recovery_ends,
        cg_due_on=cg_due,
        cg_overdue=(cg_due is not None and not referral.conclusive_grounds and today > cg_due),
    )
