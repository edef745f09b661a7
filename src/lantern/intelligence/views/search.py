"""Finding reports: the triage queue, the search with its filters, and its CSV export."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache

from lantern.core import access
from lantern.core.audit import AuditContext
from lantern.entities import hits
from lantern.entities import selectors as entity_selectors
from lantern.intelligence import csv_formats, presenters, selectors
from lantern.public import selectors as public_selectors


@login_required
@never_cache
def triage(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not access.can_triage_intelligence(user):
        raise PermissionDenied
    filters = selectors.ReportFilters.from_query(request.GET)
    paged = presenters.paged(selectors.triage_queue(user, filters), request.GET.get("page"))
    counts = entity_selectors.match_counts(user, [report.pk for report in paged["reports"]])
    for report in paged["reports"]:
        report.match_count = counts.get(report.pk, 0)
    public_reports = public_selectors.awaiting_triage(user)
    waiting = list(public_reports[:5])
    public_counts = entity_selectors.public_match_counts(user, waiting)
    for public_report in waiting:
        public_report.match_count = public_counts.get(public_report.pk, 0)
    return render(
        request,
        "intelligence/triage.html",
        {
            **paged,
            "filters": filters,
            "sorting": selectors.triage_sorting(filters),
            **presenters.triage_choices(user),
            "public_reports": public_reports,
            "public_reports_shown": waiting,
        },
    )


@login_required
@never_cache
def search(request: HttpRequest) -> HttpResponse:
    auditing = AuditContext.from_request(request)
    user = request.user
    if not access.can_read_intelligence(user):
        raise PermissionDenied
    filters = selectors.ReportFilters.from_query(request.GET)
    facets = selectors.search_facets(user, filters)
    touched = hits.searched_entities(user, filters.text, context=auditing)
    groups = presenters.search_groups(facets, filters)
    return render(
        request,
        "intelligence/search.html",
        {
            **presenters.paged(
                selectors.search_reports(user, filters),
                request.GET.get("page"),
                count=selectors.matching_count(facets, filters),
            ),
            "filters": filters,
            "groups": groups,
            "selected": [group for group in groups if group["selected_label"]],
            "clear": {**{group["name"]: None for group in groups}, "page": None},
            "sorting": selectors.search_sorting(filters),
            "entities": touched.readable,
            "hits": touched.hits,
        },
    )


@login_required
@never_cache
def export(request: HttpRequest) -> HttpResponse:
    """The reports a search finds (same query string), as CSV streamed row by row."""
    auditing = AuditContext.from_request(request)
    if not access.can_read_intelligence(request.user):
        raise PermissionDenied
    filters = selectors.ReportFilters.from_query(request.GET)
    reports = selectors.reports_for_export(request.user, filters, context=auditing)
    response = StreamingHttpResponse(
        csv_formats.export_lines(reports), content_type="text/csv; charset=utf-8"
    )
    name = f"intelligence-{timezone.localdate().isoformat()}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
