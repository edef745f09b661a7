"""The weekly series of reports in given areas that a campaign's ITS starts from."""

import datetime

import pytest
from django.utils import timezone

from lantern.core.models import LocalAuthorityArea
from lantern.evaluation.selectors.effects import weekly_reports
from lantern.intelligence.models import IntelligenceReport
from tests.factories import IntelligenceReportFactory
from tests.public.factories import PublicReportFactory


def at(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12, 0)))


def public_report(area, day):
    PublicReportFactory(area=area, submitted_on=day)


def intelligence(area, day, **fields):
    report = IntelligenceReportFactory(area=area, **fields)
    IntelligenceReport.objects.filter(pk=report.pk).update(created_at=at(day))


@pytest.fixture
def leicester(db):
    return LocalAuthorityArea.objects.get(gss_code="E06000016")


@pytest.fixture
def rutland(db):
    return LocalAuthorityArea.objects.get(gss_code="E06000017")


def test_counts_per_week_with_empty_weeks_as_zero(leicester, rutland):
    monday = datetime.date(2025, 10, 6)
    public_report(leicester, monday)
    public_report(leicester, monday + datetime.timedelta(days=6))  # Sunday, same week
    intelligence(leicester, monday + datetime.timedelta(days=14))
    intelligence(leicester, monday + datetime.timedelta(days=15), restricted=True)
    public_report(rutland, monday)  # another area
    public_report(leicester, monday - datetime.timedelta(days=1))  # the week before

    series = weekly_reports(
        areas=[leicester],
        start=monday + datetime.timedelta(days=2),
        end=monday + datetime.timedelta(days=20),
    )

    assert series.weeks == (
        monday,
        monday + datetime.timedelta(weeks=1),
        monday + datetime.timedelta(weeks=2),
    )
    assert series.counts == (2, 0, 2)


def test_public_reports_or_intelligence_alone(leicester):
    monday = datetime.date(2025, 10, 6)
    public_report(leicester, monday)
    intelligence(leicester, monday)
    only_public = weekly_reports(areas=[leicester], start=monday, end=monday, intelligence=False)
    only_intelligence = weekly_reports(areas=[leicester], start=monday, end=monday, public=False)
    assert only_public.counts == only_intelligence.counts == (1,)


@pytest.mark.parametrize(
    ("start", "end"),
    [
        (datetime.date(2025, 1, 10), datetime.date(2025, 1, 1)),
        (datetime.date(2000, 1, 1), datetime.date(2025, 1, 1)),
    ],
)
def test_periods_backwards_or_too_long_are_refused(leicester, start, end):
    with pytest.raises(ValueError):
        weekly_reports(areas=[leicester], start=start, end=end)
