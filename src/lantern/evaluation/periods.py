"""Reporting periods: financial years (April to March), their quarters and months.

Figures are published for whole financial years with a trend by quarter or month. Fixed,
non-overlapping periods are part of disclosure control: if anyone could choose any range
of months, the difference between two overlapping totals would reveal a small month
(docs/adr/0022-disclosure-control.md).
"""

import datetime
from dataclasses import dataclass

from django.utils import formats, timezone
from django.utils.translation import gettext as _

FIRST_YEAR = 2000
MONTH = "month"
QUARTER = "quarter"


def month_key(day: datetime.date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def add_months(day: datetime.date, months: int) -> datetime.date:
    index = day.year * 12 + day.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, 1)


@dataclass(frozen=True)
class Bucket:
    """A month or a quarter of a year: ``key`` is its first month, ``YYYY-MM``."""

    start: datetime.date
    end: datetime.date

    @property
    def key(self) -> str:
        return month_key(self.start)

    @property
    def label(self) -> str:
        if self.start.month == self.end.month:
            return formats.date_format(self.start, "M Y")
        return f"{formats.date_format(self.start, 'M')}–{formats.date_format(self.end, 'M Y')}"


@dataclass(frozen=True)
class FinancialYear:
    """1 April ``start_year`` to 31 March the year after."""

    start_year: int

    @property
    def start(self) -> datetime.date:
        return datetime.date(self.start_year, 4, 1)

    @property
    def end(self) -> datetime.date:
        return datetime.date(self.start_year + 1, 3, 31)

    @property
    def key(self) -> str:
        return f"FY{self.start_year}"

    @property
    def label(self) -> str:
        return f"{self.start_year}/{(self.start_year + 1) % 100:02d}"

    @property
    def long_label(self) -> str:
        return _("April %(first)s to March %(second)s") % {
            "first": self.start_year,
            "second": self.start_year + 1,
        }

    def is_current(self, today: datetime.date | None = None) -> bool:
        today = today or timezone.localdate()
        return self.start <= today <= self.end

    def buckets(self, by: str) -> list[Bucket]:
        step = 3 if by == QUARTER else 1
        return [
            Bucket(add_months(self.start, offset), add_months(self.start, offset + step) - ONE_DAY)
            for offset in range(0, 12, step)
        ]


ONE_DAY = datetime.timedelta(days=1)


def year_of(day: datetime.date) -> FinancialYear:
    return FinancialYear(day.year if day.month >= 4 else day.year - 1)


def current_year(today: datetime.date | None = None) -> FinancialYear:
    return year_of(today or timezone.localdate())


def last_complete_year(today: datetime.date | None = None) -> FinancialYear:
    return FinancialYear(current_year(today).start_year - 1)


def selectable_years(today: datetime.date | None = None) -> list[FinancialYear]:
    """Years the pages offer, newest first: from ``FIRST_YEAR`` to the current one."""
    last = current_year(today).start_year
    return [FinancialYear(year) for year in range(last, FIRST_YEAR - 1, -1)]


def bucket_of(day: datetime.date, by: str) -> str:
    """The key of the month or financial quarter ``day`` falls in."""
    if by == QUARTER:
        offset = (day.month - 4) % 3
        return month_key(add_months(datetime.date(day.year, day.month, 1), -offset))
    return month_key(day)
