"""True values of a measure: counts, sums and durations over a period, by bucket or group.

Nothing here decides who may see what: ``selectors.kpis`` asks the access policy and
sends anything shown to people who may not read the records through disclosure control.
Records are read as (key, date, value) tuples only — never a field that identifies
anyone.
"""

import datetime
import math
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from lantern.evaluation import measures, periods
from lantern.evaluation.measures import Measure


def date_bounds(measure: Measure, start: datetime.date, end: datetime.date) -> dict[str, Any]:
    if measure.date_is_datetime:
        first = timezone.make_aware(datetime.datetime.combine(start, datetime.time.min))
        after = timezone.make_aware(
            datetime.datetime.combine(end + periods.ONE_DAY, datetime.time.min)
        )
        return {f"{measure.date_field}__gte": first, f"{measure.date_field}__lt": after}
    return {f"{measure.date_field}__gte": start, f"{measure.date_field}__lte": end}


def _as_date(value: datetime.date | datetime.datetime) -> datetime.date:
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value


def records(
    measure: Measure, filters: dict[str, Any], start: datetime.date, end: datetime.date
) -> QuerySet:
    """The measure's records in the period, with the KPI's filters applied."""
    return (
        measure.queryset()
        .filter(measures.filter_condition(measure, filters))
        .filter(**date_bounds(measure, start, end))
    )


def _rows(
    measure: Measure,
    filters: dict[str, Any],
    start: datetime.date,
    end: datetime.date,
    *extra: str,
) -> dict[Any, tuple]:
    """One row per record (joins through breakdowns and filters can repeat a record)."""
    fields = ["pk", measure.date_field, *extra]
    return {row[0]: row for row in records(measure, filters, start, end).values_list(*fields)}


def _weight(measure: Measure, row: tuple) -> float:
    return float(row[2] or 0) if measure.kind == measures.SUM else 1.0


def bucket_values(
    measure: Measure,
    filters: dict[str, Any],
    start: datetime.date,
    end: datetime.date,
    by: str,
) -> dict[str, float]:
    """Count (or sum) by month or quarter: the trend."""
    extra = [measure.sum_field] if measure.kind == measures.SUM else []
    totals: dict[str, float] = defaultdict(float)
    for row in _rows(measure, filters, start, end, *extra).values():
        totals[periods.bucket_of(_as_date(row[1]), by)] += _weight(measure, row)
    return dict(totals)


def total(
    measure: Measure, filters: dict[str, Any], start: datetime.date, end: datetime.date
) -> float:
    if measure.kind == measures.SUM:
        return sum(bucket_values(measure, filters, start, end, periods.MONTH).values())
    return float(records(measure, filters, start, end).values("pk").distinct().count())


def group_values(
    measure: Measure,
    filters: dict[str, Any],
    breakdown: str,
    start: datetime.date,
    end: datetime.date,
) -> dict[str, float]:
    """Count (or sum) by breakdown value; a record with several values counts in each."""
    path = measure.breakdowns[breakdown]
    seen: set[tuple[Any, Any]] = set()
    totals: dict[str, float] = defaultdict(float)
    extra = [measure.sum_field] if measure.kind == measures.SUM else []
    fields = ["pk", measure.date_field, *extra, path]
    for row in records(measure, filters, start, end).values_list(*fields):
        key = (row[0], row[-1])
        if key in seen:
            continue
        seen.add(key)
        group = "" if row[-1] is None else str(row[-1])
        totals[group] += _weight(measure, row)
    return dict(totals)


def durations(
    measure: Measure, filters: dict[str, Any], start: datetime.date, end: datetime.date
) -> list[tuple[datetime.date, float]]:
    """(end date, duration in the measure's unit) for each record in the period."""
    found = []
    for row in _rows(measure, filters, start, end, measure.start_field).values():
        finished, began = row[1], row[2]
        if finished is None or began is None:
            continue
        if measure.unit == "hours":
            hours = (finished - began).total_seconds() / 3600
            found.append((_as_date(finished), max(hours, 0.0)))
        else:
            found.append((_as_date(finished), float((_as_date(finished) - _as_date(began)).days)))
    return found


def quantile(values: Iterable[float], share: float) -> float | None:
    """The ``share`` quantile (0.5 the median), interpolated as statistics bulletins do."""
    ordered = sorted(values)
    if not ordered:
        return None
    position = (len(ordered) - 1) * share
    low, high = math.floor(position), math.ceil(position)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)
