"""Hotspots: where intelligence is growing, in what, and which places keep coming back.

Every figure starts from ``access.readable_intelligence(user)``: a report the viewer may
not read changes no count, no change, no rank and no score, so that hotspots never reveal
restricted intelligence (hit / no-hit, DESIGN.md). Reports count by the date they were
submitted, the one date every report has.

Counts are by local authority area, exploitation type and sector for a period of whole
months ending on a chosen day, beside the same number of months before it. A report of
several exploitation types counts once under each type, and once in every total.

Risk score of a location or business
------------------------------------
Each location or business entity (merged entities count as the one they were merged into;
those an analyst excluded from linking are left out) mentioned in readable reports of the
period scores::

    score = graded reports * agency factor * recency factor

- graded reports: each report mentioning it counts 1 when graded B/2 or better (source
  evaluation 1 or 2 and intelligence assessment A or B), 0.1 when the source is not
  reliable (3) or the intelligence is suspected to be false (E), and 0.5 otherwise;
- agency factor: 1, plus 0.5 for each further organisation that reported it, because
  independent agencies reporting the same place corroborate each other;
- recency factor: 0.5 to the power (days from its last report to the end of the period
  / 90), so a score halves for every 90 days without a new report.

The page explains the same formula to its readers ("How the score works").
"""

import calendar
import datetime
from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass

from django.db.models import Count, Max, Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from lantern.core import access
from lantern.core.models import ExploitationType, LocalAuthorityArea, User
from lantern.entities.models import Entity, EntityKind, Mention
from lantern.entities.selectors import in_cluster
from lantern.intelligence.models import (
    IntelligenceAssessment,
    IntelligenceReport,
    Sector,
    SourceEvaluation,
)

PERIOD_MONTHS = (1, 3, 6, 12)
DEFAULT_MONTHS = 12
EARLIEST_YEAR = 1900
RANKED_KINDS = (EntityKind.LOCATION, EntityKind.BUSINESS)
RANKED_LIMIT = 20

STRONG_WEIGHT = 1.0
MIDDLE_WEIGHT = 0.5
WEAK_WEIGHT = 0.1
AGENCY_BONUS = 0.5
HALF_LIFE_DAYS = 90

# Gradings are read through the mention's report: B/2 or better, and the weakest ones.
_STRONG = Q(
    report__source_evaluation__in=[SourceEvaluation.RELIABLE, SourceEvaluation.UNTESTED],
    report__intelligence_assessment__in=[
        IntelligenceAssessment.KNOWN_DIRECTLY,
        IntelligenceAssessment.CORROBORATED,
    ],
)
_WEAK = Q(report__source_evaluation=SourceEvaluation.NOT_RELIABLE) | Q(
    report__intelligence_assessment=IntelligenceAssessment.SUSPECTED_FALSE
)

NOT_RECORDED = gettext_lazy("Not recorded")


def months_before(day: datetime.date, months: int) -> datetime.date:
    """The same day ``months`` earlier, or the last day of that month if it is shorter."""
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    month += 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@dataclass(frozen=True)
class Period:
    """Whole days from ``start`` to ``end``, both included."""

    start: datetime.date
    end: datetime.date
    months: int

    @classmethod
    def ending(cls, end: datetime.date, months: int) -> "Period":
        """Counted back from the day after ``end``, so that 6 months ending 30 June start
        on 1 January."""
        return cls(
            start=months_before(end + datetime.timedelta(days=1), months), end=end, months=months
        )

    def previous(self) -> "Period":
        """The same number of months just before this period."""
        return Period.ending(self.start - datetime.timedelta(days=1), self.months)

    @property
    def starts_at(self) -> datetime.datetime:
        return _midnight(self.start)

    @property
    def ends_before(self) -> datetime.datetime:
        return _midnight(self.end + datetime.timedelta(days=1))


def _midnight(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


@dataclass(frozen=True)
class HotspotFilters:
    """The page's GET form: period length, end date (typed as day, month and year), and an
    optional sector and exploitation type. Anything unreadable falls back to the default,
    with an error message for the end date the user typed."""

    months: int = DEFAULT_MONTHS
    end: datetime.date | None = None
    sector: str = ""
    exploitation_type: str = ""
    end_day: str = ""
    end_month: str = ""
    end_year: str = ""
    error: str = ""

    @classmethod
    def from_query(cls, query: Mapping[str, str]) -> "HotspotFilters":
        months = {str(choice): choice for choice in PERIOD_MONTHS}
        sector = query.get("sector", "")
        typed = {
            part: query.get(f"end_{part}", "").strip()[:4] for part in ("day", "month", "year")
        }
        end, error = _end_date(typed)
        return cls(
            months=months.get(query.get("months", ""), DEFAULT_MONTHS),
            end=end,
            sector=sector if sector in Sector.values else "",
            exploitation_type=query.get("type", "")[:50],
            end_day=typed["day"],
            end_month=typed["month"],
            end_year=typed["year"],
            error=error,
        )

    @property
    def period(self) -> Period:
        return Period.ending(self.end or timezone.localdate(), self.months)


def _end_date(typed: dict[str, str]) -> tuple[datetime.date | None, str]:
    """The end date typed as day, month and year; none (today) when left empty."""
    if not any(typed.values()):
        return None, ""
    try:
        end = datetime.date(int(typed["year"]), int(typed["month"]), int(typed["day"]))
    except ValueError:
        return None, _("The end date must be a real date, like 31 3 2026")
    if end.year < EARLIEST_YEAR:
        return None, _("The end date must be a real date, like 31 3 2026")
    if end > timezone.localdate():
        return None, _("The end date must be today or in the past")
    return end, ""


@dataclass(frozen=True)
class Change:
    """A count in the period beside the count in the period before."""

    current: int
    previous: int

    @property
    def difference(self) -> int:
        return self.current - self.previous

    @property
    def percent(self) -> int | None:
        """The change as a percentage of the previous count; none when that was 0."""
        if not self.previous:
            return None
        return round(100 * self.difference / self.previous)

    @property
    def is_new(self) -> bool:
        return self.previous == 0 and self.current > 0

    def describe(self) -> str:
        """In words, for the tables and the map: "Up 4 (25%)", "New", "No change"."""
        if self.is_new:
            return _("New")
        if self.difference > 0:
            return _("Up %(difference)s (%(percent)s%%)") % {
                "difference": self.difference,
                "percent": self.percent,
            }
        if self.difference < 0:
            return _("Down %(difference)s (%(percent)s%%)") % {
                "difference": -self.difference,
                "percent": -(self.percent or 0),
            }
        return _("No change")


@dataclass(frozen=True)
class HotspotRow:
    """One line of a hotspot table: what it counts (area, type or sector) and the counts."""

    change: Change
    area: LocalAuthorityArea | None = None
    area_name: str = ""
    exploitation_type: str = ""
    sector: str = ""


@dataclass(frozen=True)
class RankedEntity:
    """A location or business in the ranked list, with what its score is made of."""

    entity: Entity
    label: str
    reports: int
    agencies: int
    strong_reports: int
    last_reported: datetime.date
    days_since: int
    score: float


@dataclass
class Hotspots:
    """Everything the hotspot page shows, for one viewer and one choice of filters."""

    period: Period
    previous: Period
    total: Change
    by_area: list[HotspotRow]
    by_area_and_type: list[HotspotRow]
    by_sector: list[HotspotRow]
    ranked: list[RankedEntity]

    def map_data(self, *, tile_url: str, attribution: str) -> dict[str, object]:
        """The areas as points for the map script (json_script), with the tile server."""
        return {
            "tiles": {"url": tile_url, "attribution": attribution},
            "areas": [
                {
                    "name": row.area_name,
                    "lat": float(row.area.latitude),
                    "lon": float(row.area.longitude),
                    "count": row.change.current,
                    "previous": row.change.previous,
                    "label": f"{row.area_name}: {row.change.current}",
                    "text": _("%(area)s: %(count)s. %(change)s on the period before.")
                    % {
                        "area": row.area_name,
                        "count": ngettext(
                            "%(count)s report", "%(count)s reports", row.change.current
                        )
                        % {"count": row.change.current},
                        "change": row.change.describe(),
                    },
                }
                for row in self.by_area
                if row.area is not None
                and row.area.latitude is not None
                and row.area.longitude is not None
            ],
        }


def hotspots(user: User, filters: HotspotFilters) -> Hotspots:
    """Counts, changes and the ranked list, from the reports ``user`` may read only."""
    period = filters.period
    previous = period.previous()
    reports = _filtered(access.readable_intelligence(user), filters)
    window = reports.filter(created_at__gte=previous.starts_at, created_at__lt=period.ends_before)
    counts = {
        "current": Count("pk", distinct=True, filter=Q(created_at__gte=period.starts_at)),
        "previous": Count("pk", distinct=True, filter=Q(created_at__lt=period.starts_at)),
    }
    areas = {area.pk: area for area in LocalAuthorityArea.objects.all()}
    by_area_and_sector = list(window.values("area_id", "sector").annotate(**counts).order_by())
    by_area_and_type = list(
        window.values("area_id", "exploitation_types").annotate(**counts).order_by()
    )
    return Hotspots(
        period=period,
        previous=previous,
        total=_sum(by_area_and_sector),
        by_area=_area_rows(areas, by_area_and_sector),
        by_area_and_type=_area_and_type_rows(areas, by_area_and_type),
        by_sector=_sector_rows(by_area_and_sector),
        ranked=_ranked_entities(
            reports.filter(created_at__gte=period.starts_at, created_at__lt=period.ends_before),
            period,
        ),
    )


def _filtered(
    reports: QuerySet[IntelligenceReport], filters: HotspotFilters
) -> QuerySet[IntelligenceReport]:
    if filters.sector:
        reports = reports.filter(sector=filters.sector)
    if filters.exploitation_type:
        reports = reports.filter(exploitation_types__code=filters.exploitation_type)
    return reports


def _sum(rows: list[dict[str, object]]) -> Change:
    return Change(
        current=sum(row["current"] for row in rows), previous=sum(row["previous"] for row in rows)
    )


def _by(rows: list[dict[str, object]], key: str) -> dict[object, Change]:
    """Counts added up by one column: exact, since a report has one area and one sector."""
    grouped: dict[object, list[dict[str, object]]] = defaultdict(list)
    for row in rows:
        grouped[row[key]].append(row)
    return {value: _sum(members) for value, members in grouped.items()}


def _ranked_rows(rows: list[HotspotRow]) -> list[HotspotRow]:
    """Most reports in the period first, then the biggest rise."""
    return sorted(rows, key=lambda row: (-row.change.current, -row.change.difference))


def _area_rows(
    areas: dict[int, LocalAuthorityArea], rows: list[dict[str, object]]
) -> list[HotspotRow]:
    """Every area, even with no report (a quiet area is worth seeing), and reports with
    no area when there are any."""
    counts = _by(rows, "area_id")
    lines = [
        HotspotRow(change=counts.get(pk, Change(0, 0)), area=area, area_name=area.name)
        for pk, area in areas.items()
    ]
    if None in counts:
        lines.append(HotspotRow(change=counts[None], area_name=str(NOT_RECORDED)))
    return _ranked_rows(lines)


def _area_and_type_rows(
    areas: dict[int, LocalAuthorityArea], rows: list[dict[str, object]]
) -> list[HotspotRow]:
    types = {kind.pk: kind.label for kind in ExploitationType.objects.all()}
    return _ranked_rows(
        [
            HotspotRow(
                change=Change(row["current"], row["previous"]),
                area=areas.get(row["area_id"]),
                area_name=areas[row["area_id"]].name if row["area_id"] else str(NOT_RECORDED),
                exploitation_type=types.get(row["exploitation_types"], str(NOT_RECORDED)),
            )
            for row in rows
        ]
    )


def _sector_rows(rows: list[dict[str, object]]) -> list[HotspotRow]:
    return _ranked_rows(
        [
            HotspotRow(change=change, sector=str(Sector(sector).label))
            for sector, change in _by(rows, "sector").items()
        ]
    )


def risk_score(*, strong: int, middle: int, weak: int, agencies: int, days_since: int) -> float:
    """The documented score (module docstring): graded reports * agencies * recency."""
    graded = strong * STRONG_WEIGHT + middle * MIDDLE_WEIGHT + weak * WEAK_WEIGHT
    agency_factor = 1 + AGENCY_BONUS * max(agencies - 1, 0)
    recency = 0.5 ** (max(days_since, 0) / HALF_LIFE_DAYS)
    return graded * agency_factor * recency


def _ranked_entities(reports: QuerySet[IntelligenceReport], period: Period) -> list[RankedEntity]:
    """Locations and businesses mentioned in ``reports``, which must already be only those
    the viewer may read: highest risk score first, then most reports."""
    mentions = Mention.objects.filter(
        report__in=reports.values("pk"), entity__kind__in=RANKED_KINDS
    ).filter(
        Q(entity__merged_into__isnull=True, entity__excluded_at__isnull=True)
        | Q(entity__merged_into__isnull=False, entity__merged_into__excluded_at__isnull=True)
    )
    rows = (
        mentions.annotate(root=Coalesce("entity__merged_into_id", "entity_id"))
        .values("root")
        .annotate(
            reports=Count("report_id", distinct=True),
            agencies=Count("report__originating_organisation_id", distinct=True),
            last=Max("report__created_at"),
            strong=Count("report_id", distinct=True, filter=_STRONG),
            weak=Count("report_id", distinct=True, filter=_WEAK),
        )
        .order_by()
    )
    scored = []
    for row in rows:
        last = timezone.localdate(row["last"])
        days_since = (period.end - last).days
        score = risk_score(
            strong=row["strong"],
            middle=row["reports"] - row["strong"] - row["weak"],
            weak=row["weak"],
            agencies=row["agencies"],
            days_since=days_since,
        )
        scored.append((score, row, last, days_since))
    scored.sort(key=lambda item: (-item[0], -item[1]["reports"], item[1]["root"]))
    top = scored[:RANKED_LIMIT]
    roots = [row["root"] for _score, row, _last, _days in top]
    entities = Entity.objects.in_bulk(roots)
    labels = _labels(mentions, roots)
    return [
        RankedEntity(
            entity=entities[row["root"]],
            label=labels[row["root"]],
            reports=row["reports"],
            agencies=row["agencies"],
            strong_reports=row["strong"],
            last_reported=last,
            days_since=days_since,
            score=round(score, 2),
        )
        for score, row, last, days_since in top
    ]


def _labels(mentions: QuerySet[Mention], roots: list[int]) -> dict[int, str]:
    """Each entity named as the readable reports most often write it: the entity's own
    label may come from a report the viewer may not read."""
    written: dict[int, Counter[str]] = defaultdict(Counter)
    for root, value in (
        mentions.filter(in_cluster(roots))
        .annotate(root=Coalesce("entity__merged_into_id", "entity_id"))
        .values_list("root", "value")
    ):
        written[root][value] += 1
    return {
        root: min(values.items(), key=lambda item: (-item[1], item[0]))[0]
        for root, values in written.items()
    }
