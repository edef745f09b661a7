"""Factories and helpers for KPI tests: records placed in a given quarter of a year."""

import datetime

import factory

from lantern.core.models import LocalAuthorityArea
from lantern.evaluation.models import Kpi
from tests.public.factories import PublicReportFactory
from tests.safeguarding.factories import NRMReferralFactory, VictimFactory


class KpiFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Kpi
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda number: f"test-kpi-{number}")
    name = factory.Sequence(lambda number: f"Test indicator {number}")
    name_fr = factory.Sequence(lambda number: f"Indicateur de test {number}")
    measure = "victims_identified"
    statistic = "count"
    direction = "up"


def day_in(year: int, quarter: int, day: int = 15) -> datetime.date:
    """A day in financial quarter 1 to 4 of the year starting in April ``year``."""
    month = 4 + 3 * (quarter - 1)
    return datetime.date(year + (month - 1) // 12, (month - 1) % 12 + 1, day)


def victims(count: int, *, on: datetime.date, area: str | None = None, **fields) -> list:
    area_object = LocalAuthorityArea.objects.get(name=area) if area else None
    return [VictimFactory(identified_on=on, area=area_object, **fields) for _ in range(count)]


def referrals(count: int, *, on: datetime.date, decision: str = "", decided_after: int = 0):
    made = []
    for _ in range(count):
        referral = NRMReferralFactory(victim__identified_on=on, referred_on=on)
        if decision:
            referral.reasonable_grounds = decision
            referral.reasonable_grounds_on = on + datetime.timedelta(days=decided_after)
            referral.save()
        made.append(referral)
    return made


def public_report(on: datetime.date):
    return PublicReportFactory(submitted_on=on)
