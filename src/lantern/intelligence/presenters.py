"""What the intelligence pages show, shaped here so that views stay thin and templates
free of logic: the report page, the search's filters, the triage queue's choices, pages
of results and the forms' starting values."""

from typing import Any

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from lantern.core import access
from lantern.core import selectors as core_selectors
from lantern.core.models import User
from lantern.entities.models import RestrictedHit
from lantern.entities.selectors import MentionLinks
from lantern.intelligence import rules, selectors
from lantern.intelligence.models import (
    HandlingCode,
    IntelligenceAssessment,
    IntelligenceReport,
    Sector,
    SourceEvaluation,
    Status,
)

PAGE_SIZE = 50


def report_page(
    user: User,
    report: IntelligenceReport,
    *,
    links: list[MentionLinks],
    hits: dict[int, RestrictedHit],
) -> dict[str, Any]:
    """The report page's content for this reader, forms apart: its timeline, provenance,
    taskings, the links of what it mentions and a notice per restricted entity."""
    return {
        "report": report,
        "can_change_status": bool(rules.next_statuses(user, report)),
        "timeline": selectors.timeline(user, report),
        "provenance": selectors.provenance(user, report),
        "can_triage": access.can_triage_intelligence(user),
        "taskings": selectors.report_taskings(user, report),
        "has_overdue_tasking": selectors.has_overdue_tasking(user, report),
        "can_task": rules.can_task(user, report),
        "answerable_taskings": selectors.answerable_taskings(user, report),
        "links": links,
        "notices": restricted_notices(links, hits),
        "match_count": sum(link.match_count for link in links),
        "can_add_update": access.can_add_report_update(user, report),
    }


def restricted_notices(
    links: list[MentionLinks], hits: dict[int, RestrictedHit]
) -> list[tuple[str, RestrictedHit]]:
    """One notice per restricted entity, named as the report's first mention of it is
    written (two mentions of one phone give one notice, one reference)."""
    notices: dict[str, tuple[str, RestrictedHit]] = {}
    for link in links:
        if link.root_id in hits:
            hit = hits[link.root_id]
            notices.setdefault(hit.reference, (link.mention.value, hit))
    return list(notices.values())


def filter_group(
    name: str,
    label: str,
    any_label: str,
    options: dict[str, list[selectors.Facet]] | list[tuple[str, str]],
    selected: str | int | None,
) -> dict[str, Any]:
    """One search filter: its select's options (with counts when faceted) and its choice."""
    if isinstance(options, dict):
        choices = [(facet.value, f"{facet.label} ({facet.count})") for facet in options[name]]
        labels = {facet.value: facet.label for facet in options[name]}
    else:
        choices = [(value, str(text)) for value, text in options]
        labels = dict(choices)
    chosen = "" if selected is None else str(selected)
    return {
        "name": name,
        "label": label,
        "any": any_label,
        "options": choices,
        "selected": chosen,
        "selected_label": labels.get(chosen, ""),
        "remove": {name: None, "page": None},
    }


def search_groups(
    facets: dict[str, list[selectors.Facet]], filters: selectors.ReportFilters
) -> list[dict[str, Any]]:
    """The search's filters, in the order the page shows them, faceted where counted."""
    return [
        filter_group("status", _("Status"), _("Any status"), facets, filters.status),
        filter_group("area", _("Area"), _("Any area"), facets, filters.area_code),
        filter_group(
            "type", _("Type of exploitation"), _("Any type"), facets, filters.exploitation_type
        ),
        filter_group("sector", _("Sector"), _("Any sector"), facets, filters.sector),
        filter_group(
            "source_evaluation",
            _("Source evaluation"),
            _("Any source evaluation"),
            SourceEvaluation.choices,
            filters.source_evaluation,
        ),
        filter_group(
            "intelligence_assessment",
            _("Intelligence assessment"),
            _("Any intelligence assessment"),
            IntelligenceAssessment.choices,
            filters.intelligence_assessment,
        ),
        filter_group(
            "handling_code",
            _("Handling code"),
            _("Any handling code"),
            facets,
            filters.handling_code,
        ),
        filter_group(
            "organisation",
            _("Originating organisation"),
            _("Any organisation"),
            facets,
            filters.organisation_id,
        ),
        filter_group("age", _("Submitted"), _("At any time"), selectors.Age.choices, filters.age),
    ]


def triage_choices(user: User) -> dict[str, Any]:
    """The options of the triage queue's filters."""
    return {
        "statuses": [(status, Status(status).label) for status in selectors.OPEN_STATUSES],
        "area_choices": core_selectors.area_choices(),
        "exploitation_type_choices": selectors.exploitation_type_choices(),
        "sectors": Sector.choices,
        "source_evaluations": SourceEvaluation.choices,
        "intelligence_assessments": IntelligenceAssessment.choices,
        "handling_codes": HandlingCode.choices,
        "organisation_choices": selectors.triage_organisation_choices(user),
        "ages": selectors.Age.choices,
    }


def paged(
    reports: QuerySet[IntelligenceReport], page_number: str | None, *, count: int | None = None
) -> dict[str, Any]:
    """The page of ``reports`` asked for (the first or last if out of range), as
    includes/pagination.html and report_table.html take it. A ``count`` already known
    spares the paginator its count query."""
    paginator = Paginator(reports, PAGE_SIZE)
    if count is not None:
        paginator.count = count  # Paginator.count is a cached property: this is its value.
    page = paginator.get_page(page_number)
    return {
        "page": page,
        "page_range": page.paginator.get_elided_page_range(page.number, on_each_side=1),
        "reports": page.object_list,
        "count": page.paginator.count,
    }


def sanitised_initial(original: IntelligenceReport) -> dict[str, str]:
    """A sanitised version starts from the original's text and grading, to be edited."""
    return {
        "summary": original.summary,
        "narrative": original.narrative,
        "location": original.location,
        "source_evaluation": original.source_evaluation,
        "intelligence_assessment": original.intelligence_assessment,
    }


def grading_initial(report: IntelligenceReport) -> dict[str, Any]:
    """The regrading form starts from the report's grading and who it is shared with."""
    return {
        "source_evaluation": report.source_evaluation,
        "intelligence_assessment": report.intelligence_assessment,
        "handling_code": report.handling_code,
        "handling_conditions": report.handling_conditions,
        "shared_with": [organisation.pk for organisation in report.shared_with.all()],
    }
