"""Counts the effect statistics start from (``effects.its``), read from the records.

Counts only: no record's content leaves this module. They cover every report, whoever may
read it, as the partnership's totals do; a page that shows them to anyone beyond the hub must
pass them through disclosure control first (small numbers suppressed).
"""

import datetime
from collections import Counter
from collections.abc import Iterable

from django.db.models import Count, QuerySet
from django.db.models.functions import TruncWeek

from lantern.core.models import LocalAuthorityArea
from lantern.evaluation.effects.its import WeeklySeries
from lantern.intelligence.models import IntelligenceReport
from lantern.public.models import PublicReport

# Longer than any campaign evaluation needs (ten years of weeks); refuses a mistyped year.
MAX_WEEKS = 520


def monday(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


def weekly_reports(
    *,
    areas: Iterable[LocalAuthorityArea],
    start: datetime.date,
    end: datetime.date,
    public: bool = True,
    intelligence: bool = True,
) -> WeeklySeries:
    """Reports from the public and partner intelligence about ``areas``, per week (Monday
    to Sunday), for every week from the one containing ``start`` to the one containing
    ``end``; weeks without a report count 0.

    The current week is whatever has arrived so far: leave it out of ``end`` for a
    complete series.
    """
    first, last = monday(start), monday(end)
    if last < first:
        raise ValueError("end is before start")
    count = (last - first).days // 7 + 1
    if count > MAX_WEEKS:
        raise ValueError("the period is longer than ten years")
    area_ids = [area.pk for area in areas]
    totals: Counter[datetime.date] = Counter()
    if public:
        totals.update(
            _weekly(PublicReport.objects.filter(area_id__in=area_ids), "submitted_at", first, last)
        )
    if intelligence:
        totals.update(
            _weekly(
                IntelligenceReport.objects.filter(area_id__in=area_ids), "created_at", first, last
            )
        )
    weeks = tuple(first + datetime.timedelta(weeks=number) for number in range(count))
    return WeeklySeries(weeks=weeks, counts=tuple(totals.get(week, 0) for week in weeks))


def _weekly(
    records: QuerySet, field: str, first: datetime.date, last: datetime.date
) -> dict[datetime.date, int]:
    rows = (
        records.filter(
            **{
                f"{field}__date__gte": first,
                f"{field}__date__lt": last + datetime.timedelta(days=7),
            }
        )
        .annotate(week=TruncWeek(field))
        .values("week")
        .annotate(total=Count("pk"))
        .order_by()
    )
    weekly: dict[datetime.date, int] = {}
    for row in rows:
        week = row["week"]
        day = week.date() if isinstance(week, datetime.datetime) else week
        weekly[day] = weekly.get(day, 0) + row["total"]
    return weekly
