"""Reads of intelligence. Every query starts from ``core.access.readable_intelligence``."""

import dataclasses
import datetime
import re
import uuid
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.db import models
from django.db.models import Case, Count, F, IntegerField, QuerySet, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lantern.core import access, audit
from lantern.core import selectors as core_selectors
from lantern.core.access import NotFoundOrNotAllowed
from lantern.core.audit import AuditContext
from lantern.core.models import ExploitationType, Indicator, Organisation, User
from lantern.entities import hits
from lantern.entities.models import HitContext
from lantern.intelligence import search
from lantern.intelligence.models import (
    HandlingCode,
    IntelligenceAssessment,
    IntelligenceReport,
    Regrading,
    ReportUpdate,
    Sector,
    SourceEvaluation,
    Status,
    StatusChange,
    Tasking,
    TaskingStatus,
)
from lantern.public import selectors as public_selectors

READ_PURPOSE = "reading intelligence"
API_READ_PURPOSE = "API"


def readable_reports(user: User) -> QuerySet[IntelligenceReport]:
    """What the user may read, newest first, with what a list shows."""
    return access.readable_intelligence(user).select_related("originating_organisation", "area")


def report_for_reading(
    user: User, reference: str, *, context: AuditContext, purpose: str = READ_PURPOSE
) -> IntelligenceReport:
    """One report, its read audited; ``NotFoundOrNotAllowed`` alike for missing and not
    allowed.

    Reading a report that mentions something appearing in intelligence the reader may not
    read records the hit here (``entities.hits``), so that the page, the API and any
    other reader of a report record it once without remembering to."""
    report = (
        readable_reports(user)
        .select_related("created_by")
        .prefetch_related("exploitation_types", "indicators", "shared_with", "mentions")
        .filter(reference=reference)
        .first()
    )
    if report is None:
        raise NotFoundOrNotAllowed
    audit.record_read(actor=user, target=report, purpose=purpose, context=context)
    hits.report_hits(user, [report], where=HitContext.REPORT, context=context)
    return report


def submitted_report(user: User, submission_key: uuid.UUID) -> IntelligenceReport | None:
    """The report this user already sent with this form, if any (a double submission)."""
    return IntelligenceReport.objects.filter(submission_key=submission_key, created_by=user).first()


_GSS_CODE = re.compile(r"[ENSW]\d{8}")
_SLUG = re.compile(r"[-a-z0-9_]+")
OPEN_STATUSES = tuple(status for status in Status.values if status != Status.CLOSED)
TEXT_MAX_LENGTH = 200


class Age(models.TextChoices):
    """How long ago a report was submitted: recent work, or work left waiting."""

    LAST_7_DAYS = "7", _("In the last 7 days")
    LAST_30_DAYS = "30", _("In the last 30 days")
    LAST_90_DAYS = "90", _("In the last 90 days")
    OVER_7_DAYS = "over-7", _("More than 7 days ago")
    OVER_30_DAYS = "over-30", _("More than 30 days ago")


class Direction(models.TextChoices):
    """A sort direction, named as ``aria-sort`` names it."""

    ASCENDING = "ascending"
    DESCENDING = "descending"


# The columns a list of reports can be sorted by, and the fields each one orders on.
_STATUS_ORDER = Case(
    *(When(status=status, then=Value(place)) for place, status in enumerate(Status.values)),
    output_field=IntegerField(),
)
SORTS: dict[str, tuple[F | Case, ...]] = {
    "reference": (F("reference"),),
    "submitted": (F("created_at"),),
    "organisation": (F("originating_organisation__name"),),
    "area": (F("area__name"),),
    "grading": (F("source_evaluation"), F("intelligence_assessment"), F("handling_code")),
    "status": (_STATUS_ORDER,),
}
RELEVANCE = "relevance"


@dataclass(frozen=True)
class ReportFilters:
    """What a list of reports is narrowed to and sorted by, read from a query string.

    Only well-formed values are kept, anything else is ignored as if absent: the values
    reach the database (PostgreSQL refuses a NUL byte) and a bad link must not fail.
    Query names: ``q`` (the search words), ``status``, ``area``, ``type``, ``sector``,
    ``source_evaluation``, ``intelligence_assessment``, ``handling_code``, ``organisation``,
    ``age``, ``sort`` and ``direction``.
    """

    text: str = ""
    status: str = ""
    area_code: str = ""
    exploitation_type: str = ""
    sector: str = ""
    source_evaluation: str = ""
    intelligence_assessment: str = ""
    handling_code: str = ""
    organisation_id: int | None = None
    age: str = ""
    sort: str = ""
    direction: str = ""

    @classmethod
    def from_query(cls, query: Mapping[str, str]) -> "ReportFilters":
        def value(name: str, length: int) -> str:
            given = query.get(name, "")
            return given[:length] if isinstance(given, str) else ""

        def chosen(name: str, values: Iterable[str]) -> str:
            given = value(name, 30)
            return given if given in values else ""

        area_code = value("area", 9)
        exploitation_type = value("type", 50)
        organisation = value("organisation", 12)
        return cls(
            text=" ".join(_CONTROL.sub(" ", value("q", TEXT_MAX_LENGTH)).split()),
            status=chosen("status", Status.values),
            area_code=area_code if _GSS_CODE.fullmatch(area_code) else "",
            exploitation_type=exploitation_type if _SLUG.fullmatch(exploitation_type) else "",
            sector=chosen("sector", Sector.values),
            source_evaluation=chosen("source_evaluation", SourceEvaluation.values),
            intelligence_assessment=chosen(
                "intelligence_assessment", IntelligenceAssessment.values
            ),
            handling_code=chosen("handling_code", HandlingCode.values),
            organisation_id=int(organisation) if organisation.isdecimal() else None,
            age=chosen("age", Age.values),
            sort=chosen("sort", [*SORTS, RELEVANCE]),
            direction=chosen("direction", Direction.values),
        )

    def sorting(self, default: tuple[str, str]) -> tuple[str, str]:
        """The column and direction asked for, else ``default`` (relevance needs words)."""
        if not self.sort or (self.sort == RELEVANCE and not self.terms):
            return default
        return self.sort, self.direction or Direction.ASCENDING

    @property
    def terms(self) -> list[str]:
        """The search words, letters and digits only, so no input can break the query."""
        return [term.lower() for term in _TERM.findall(self.text)[:_MAX_TERMS]]


_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_TERM = re.compile(r"[^\W_]{1,50}")
_MAX_TERMS = 12


@dataclass(frozen=True)
class Facet:
    """One value a filter can take, with how many of the user's readable reports have it."""

    value: str
    label: str
    count: int
    selected: bool


def _narrowed(
    reports: QuerySet[IntelligenceReport], filters: ReportFilters
) -> QuerySet[IntelligenceReport]:
    """``reports`` narrowed by every filter that is set, the search words included."""
    if filters.terms:
        reports = reports.filter(search.Matches(filters.terms))
    exact = {
        "status": filters.status,
        "area__gss_code": filters.area_code,
        "exploitation_types__code": filters.exploitation_type,
        "sector": filters.sector,
        "source_evaluation": filters.source_evaluation,
        "intelligence_assessment": filters.intelligence_assessment,
        "handling_code": filters.handling_code,
    }
    reports = reports.filter(**{field: value for field, value in exact.items() if value})
    if filters.organisation_id is not None:
        reports = reports.filter(originating_organisation_id=filters.organisation_id)
    if filters.age:
        cutoff = timezone.now() - datetime.timedelta(days=int(filters.age.removeprefix("over-")))
        older = filters.age.startswith("over-")
        reports = (
            reports.filter(created_at__lt=cutoff)
            if older
            else reports.filter(created_at__gte=cutoff)
        )
    return reports


def _sorted(
    reports: QuerySet[IntelligenceReport], filters: ReportFilters, sorting: tuple[str, str]
) -> QuerySet[IntelligenceReport]:
    """``reports`` in the order ``sorting`` names, ties broken by id the same way."""
    sort, direction = sorting
    descending = direction == Direction.DESCENDING
    if sort == RELEVANCE:
        reports = reports.annotate(relevance=search.Relevance(filters.terms))
        return reports.order_by("-relevance", "-created_at", "-id")
    # Reports without an area come last either way, on SQLite as on PostgreSQL. Only there:
    # NULLS LAST on a column that holds none would keep SQLite from ordering by its index.
    nulls_last = True if sort == "area" else None
    return reports.order_by(
        *(
            field.desc(nulls_last=nulls_last) if descending else field.asc(nulls_last=nulls_last)
            for field in (*SORTS[sort], F("id"))
        )
    )


def triage_sorting(filters: ReportFilters) -> tuple[str, str]:
    """How the triage queue is sorted: as asked, else oldest first (longest waiting)."""
    return filters.sorting(default=("submitted", Direction.ASCENDING))


def search_sorting(filters: ReportFilters) -> tuple[str, str]:
    """How search results are sorted: as asked, else best match first, else newest first."""
    default = RELEVANCE if filters.terms else "submitted"
    return filters.sorting(default=(default, Direction.DESCENDING))


def triage_queue(user: User, filters: ReportFilters) -> QuerySet[IntelligenceReport]:
    """Open reports the analyst may read, oldest first; empty for anyone who may not triage.

    Sanitised versions are left out: the analyst works their originals.
    """
    if not access.can_triage_intelligence(user):
        return IntelligenceReport.objects.none()
    # A sanitised version is a copy for sharing, not a report to work: its original is.
    # Spelt "not (… is not null)": SQLite reads "is null" on the unique column as picking
    # one row and walks that index instead of the open-queue index (bench/intelligence.py).
    queue = (
        readable_reports(user).exclude(status=Status.CLOSED).exclude(sanitised_from__isnull=False)
    )
    reports = _narrowed(queue, filters)
    reports = reports.annotate(
        overdue_tasking=models.Exists(overdue_taskings(report=models.OuterRef("pk")))
    )
    return _sorted(reports, filters, triage_sorting(filters))


def search_reports(user: User, filters: ReportFilters) -> QuerySet[IntelligenceReport]:
    """Reports the user may read matching the filters: best match first, else newest first.

    Anything the user may not read is never matched, counted or ranked.
    """
    reports = _narrowed(readable_reports(user), filters)
    return _sorted(reports, filters, search_sorting(filters))


EXPORT_PURPOSE = "exporting intelligence to CSV"


def reports_for_export(
    user: User, filters: ReportFilters, *, context: AuditContext
) -> QuerySet[IntelligenceReport]:
    """The search's reports with all a CSV row shows; the export is audited, with its
    number of rows and its filters, before a row leaves."""
    reports = search_reports(user, filters).prefetch_related(
        "exploitation_types", "indicators", "shared_with", "mentions"
    )
    chosen = {name: value for name, value in dataclasses.asdict(filters).items() if value}
    audit.record(
        action=audit.Action.EXPORT,
        actor=user,
        context=context,
        purpose=EXPORT_PURPOSE,
        detail={
            "description": "intelligence reports (CSV)",
            "rows": reports.count(),
            "filters": chosen,
        },
    )
    return reports


# Facets counted from one grouped query over the report's own columns: the query name,
# the ReportFilters field, and the column. The exploitation type, held in a table of its
# own, is counted by a second query.
_COLUMN_FACETS: tuple[tuple[str, str, str], ...] = (
    ("status", "status", "status"),
    ("area", "area_code", "area__gss_code"),
    ("sector", "sector", "sector"),
    ("handling_code", "handling_code", "handling_code"),
    ("organisation", "organisation_id", "originating_organisation_id"),
)
_FACET_ORDER = ("status", "area", "type", "sector", "handling_code", "organisation")


def _chosen(filters: ReportFilters, field: str) -> str:
    value = getattr(filters, field)
    return "" if value is None else str(value)


def search_facets(user: User, filters: ReportFilters) -> dict[str, list[Facet]]:
    """How many readable reports each filter value would give, keyed by query name.

    Each facet is counted with every other filter applied but not its own, so that it shows
    the choices next to the one taken. Counts come from ``readable_reports`` only: a report
    the user may not read changes no count, and a value only it has is not listed.

    Two queries, not one per facet: the matching reports are grouped once by all the
    column facets together, and each facet sums the groups that agree with the other
    filters chosen.
    """
    readable = readable_reports(user)
    cleared = {
        field: None if field == "organisation_id" else "" for _n, field, _c in _COLUMN_FACETS
    }
    groups = [
        (tuple("" if value is None else str(value) for value in row[:-1]), row[-1])
        for row in _narrowed(readable, dataclasses.replace(filters, **cleared))
        .order_by()
        .values_list(*(column for _n, _f, column in _COLUMN_FACETS))
        .annotate(count=Count("pk"))
    ]
    chosen = [_chosen(filters, field) for _n, field, _c in _COLUMN_FACETS]
    found: dict[str, dict[str, int]] = {}
    for position, (name, _field, _column) in enumerate(_COLUMN_FACETS):
        counts: dict[str, int] = defaultdict(int)
        for values, count in groups:
            agrees = all(
                not wanted or values[other] == wanted
                for other, wanted in enumerate(chosen)
                if other != position
            )
            if agrees and values[position]:
                counts[values[position]] += count
        found[name] = counts
    by_type = (
        _narrowed(readable, dataclasses.replace(filters, exploitation_type=""))
        .order_by()
        .values_list("exploitation_types__code")
        .annotate(count=Count("pk"))
    )
    found["type"] = {code: count for code, count in by_type if code is not None}
    selected = {name: _chosen(filters, field) for name, field, _c in _COLUMN_FACETS}
    selected["type"] = filters.exploitation_type
    return {
        name: [
            Facet(
                value=value,
                label=label,
                count=found[name].get(value, 0),
                selected=value == selected[name],
            )
            for value, label in _facet_choices(name, {*found[name], selected[name]} - {""})
        ]
        for name in _FACET_ORDER
    }


def matching_count(facets: dict[str, list[Facet]], filters: ReportFilters) -> int:
    """How many reports match every filter, read off the facets ``search_facets`` counted.

    Every report has exactly one status, so the status facet's counts add up to the
    matches (or, with a status chosen, its count is), which spares a count query.
    """
    return sum(facet.count for facet in facets["status"] if facet.selected or not filters.status)


def _facet_choices(name: str, values: set[str]) -> list[tuple[str, str]]:
    """Those of ``values`` a facet can take, in the order its filter lists them, named."""
    if name == "organisation":
        organisations = Organisation.objects.filter(pk__in=[int(pk) for pk in values])
        return [
            (str(pk), label)
            for pk, label in organisations.order_by("name").values_list("pk", "name")
        ]
    choices = {
        "status": lambda: Status.choices,
        "area": core_selectors.area_choices,
        "type": exploitation_type_choices,
        "sector": lambda: Sector.choices,
        "handling_code": lambda: HandlingCode.choices,
    }[name]()
    return [(value, str(label)) for value, label in choices if value in values]


def triage_organisation_choices(user: User) -> list[tuple[int, str]]:
    """The organisations the queue can be filtered by (active partners), as (id, name)."""
    if not access.can_triage_intelligence(user):
        return []
    return list(
        access.visible_partner_organisations(user).order_by("name").values_list("pk", "name")
    )


def import_codes(user: User) -> dict[str, list[tuple[str, str]]]:
    """The codes and names the import template takes, as (code, name) pairs by column."""
    return {
        "exploitation_types": exploitation_type_choices(),
        "indicators": [(indicator.code, indicator.label) for indicator in Indicator.objects.all()],
        "sector": [(str(value), str(label)) for value, label in Sector.choices],
        "area": core_selectors.area_choices(),
        "shared_with": [
            (name, "")
            for name in access.visible_partner_organisations(user)
            .with_shared_data_access()
            .order_by("name")
            .values_list("name", flat=True)
        ],
    }


def exploitation_type_choices() -> list[tuple[str, str]]:
    """Exploitation types as (code, name in the current language) pairs."""
    return [(kind.code, kind.label) for kind in ExploitationType.objects.all()]


class TimelineKind(models.TextChoices):
    """What a timeline entry records; the template words each kind its own way."""

    STATUS_CHANGE = "status_change"
    REGRADING = "regrading"
    TASKING = "tasking"
    TASKING_ANSWER = "tasking_answer"
    UPDATE = "update"


@dataclass(frozen=True)
class TimelineItem:
    """One entry of a report's timeline: what happened, when, by whom, and its record."""

    kind: TimelineKind
    at: datetime.datetime
    by: User
    record: StatusChange | Regrading | Tasking | ReportUpdate


def timeline(user: User, report: IntelligenceReport) -> list[TimelineItem]:
    """Everything that happened to a report, newest first, as far as the user may know.

    Status changes and regradings are shown to anyone who may read the report; taskings
    and their answers only to those who may see the tasking (``access.readable_taskings``),
    so that one agency does not learn what another was asked or answered.
    """
    if not access.readable_intelligence(user).filter(pk=report.pk).exists():
        return []
    people = ("changed_by", "changed_by__organisation")
    items = [
        TimelineItem(TimelineKind.STATUS_CHANGE, change.changed_at, change.changed_by, change)
        for change in report.status_changes.select_related(*people)
    ]
    items += [
        TimelineItem(TimelineKind.REGRADING, regrading.changed_at, regrading.changed_by, regrading)
        for regrading in report.regradings.select_related(*people)
    ]
    items += [
        TimelineItem(TimelineKind.UPDATE, update.created_at, update.created_by, update)
        for update in report.updates.select_related(*("created_by", "created_by__organisation"))
    ]
    for tasking in report_taskings(user, report).select_related("created_by__organisation"):
        items.append(
            TimelineItem(TimelineKind.TASKING, tasking.created_at, tasking.created_by, tasking)
        )
        if tasking.responded_at is not None:
            items.append(
                TimelineItem(
                    TimelineKind.TASKING_ANSWER, tasking.responded_at, tasking.responded_by, tasking
                )
            )
    return sorted(items, key=lambda item: item.at, reverse=True)


@dataclass(frozen=True)
class Provenance:
    """Where a report came from and its other version, as far as the reader may know.

    The restricted original of a sanitised version is named only to those who may read
    it; everyone else learns only that the text they read was sanitised.
    """

    from_public: bool
    public_report_reference: str | None
    is_sanitised_version: bool
    original: IntelligenceReport | None
    sanitised_version: IntelligenceReport | None
    can_publish_sanitised: bool


def provenance(user: User, report: IntelligenceReport) -> Provenance:
    readable = readable_reports(user)
    public_reference = None
    if report.public_report_id is not None and access.can_view_public_reports(user):
        public_reference = (
            public_selectors.visible_reports(user)
            .filter(pk=report.public_report_id)
            .values_list("reference", flat=True)
            .first()
        )
    original = None
    if report.sanitised_from_id is not None:
        original = readable.filter(pk=report.sanitised_from_id).first()
    sanitised_version = readable.filter(sanitised_from=report).first()
    return Provenance(
        from_public=report.public_report_id is not None,
        public_report_reference=public_reference,
        is_sanitised_version=report.sanitised_from_id is not None,
        original=original,
        sanitised_version=sanitised_version,
        can_publish_sanitised=(
            access.can_triage_intelligence(user)
            and report.handling_code == HandlingCode.C
            and sanitised_version is None
        ),
    )


TASKING_PURPOSE = "answering a tasking"


def overdue_taskings(**filters: object) -> QuerySet[Tasking]:
    """Open taskings whose deadline has passed (the tasking's ``is_overdue`` as a query)."""
    return Tasking.objects.filter(
        status=TaskingStatus.OPEN, deadline__lt=timezone.localdate(), **filters
    )


def tasking_answerer_addresses(organisation_id: int) -> list[str]:
    """The addresses of the active people who answer an organisation's taskings: whom a
    tasking notice (new, or past its deadline) goes to."""
    users = User.objects.filter(organisation_id=organisation_id, is_active=True).exclude(email="")
    return sorted(user.email for user in users if access.can_answer_taskings(user))


def report_taskings(user: User, report: IntelligenceReport) -> QuerySet[Tasking]:
    """The taskings on a report that the user may see, by deadline (empty for most readers)."""
    # Narrowed by the report's own few taskings by id: joined to the organisation, SQLite
    # would otherwise walk every tasking of the reader's organisation (bench/intelligence.py).
    return (
        access.readable_taskings(user)
        .filter(pk__in=Tasking.objects.filter(report=report).values("pk"))
        .select_related("organisation", "created_by", "responded_by__organisation")
    )


def has_overdue_tasking(user: User, report: IntelligenceReport) -> bool:
    """Whether a tasking the user may see on this report is past its deadline, unanswered."""
    # Overdue among this report's taskings only: unnarrowed, the subquery would list every
    # overdue tasking in the partnership (bench/intelligence.py).
    overdue = overdue_taskings(report=report).values("pk")
    return report_taskings(user, report).filter(pk__in=overdue).exists()


def organisation_submissions(user: User) -> QuerySet[IntelligenceReport]:
    """What the user's organisation submitted, newest first, among what the user may read."""
    return (
        access.readable_intelligence(user)
        .filter(originating_organisation_id=user.organisation_id)
        .order_by("-created_at", "-pk")
    )


def organisation_taskings(user: User, *, status: str = "") -> QuerySet[Tasking]:
    """What the user's organisation was asked to do, open or answered (or either).

    Open ones come by deadline, the most pressing first; answered ones newest first.
    """
    if not access.can_answer_taskings(user):
        return Tasking.objects.none()
    taskings = (
        access.readable_taskings(user)
        .filter(organisation_id=user.organisation_id)
        .exclude(status=TaskingStatus.WITHDRAWN)
        .select_related("report", "created_by", "responded_by")
    )
    if status:
        taskings = taskings.filter(status=status)
    if status == TaskingStatus.ANSWERED:
        return taskings.order_by("-responded_at", "-id")
    return taskings


def answerable_taskings(user: User, report: IntelligenceReport) -> set[int]:
    """The ids of the report's taskings that this user answers, to link them from the report."""
    open_taskings = organisation_taskings(user, status=TaskingStatus.OPEN)
    return set(open_taskings.filter(report=report).values_list("pk", flat=True))


def tasking_for_answering(user: User, pk: int, *, context: AuditContext) -> Tasking:
    """One of the organisation's taskings, its read audited; ``NotFoundOrNotAllowed`` for
    anything else."""
    tasking = organisation_taskings(user).filter(pk=pk).first()
    if tasking is None:
        raise NotFoundOrNotAllowed
    audit.record_read(actor=user, target=tasking, purpose=TASKING_PURPOSE, context=context)
    return tasking


def tasking_for_withdrawal(user: User, report: IntelligenceReport, pk: int) -> Tasking:
    """An open tasking on the report, for an analyst; ``NotFoundOrNotAllowed`` for anything
    else."""
    if not access.can_triage_intelligence(user):
        raise NotFoundOrNotAllowed
    tasking = report_taskings(user, report).filter(pk=pk, status=TaskingStatus.OPEN).first()
    if tasking is None:
        raise NotFoundOrNotAllowed
    return tasking


def taskable_organisations(user: User) -> QuerySet[Organisation]:
    """The agencies an analyst may task: active partners with a signed ISA, by name."""
    if not access.can_triage_intelligence(user):
        return Organisation.objects.none()
    return Organisation.objects.with_shared_data_access().order_by("name")
