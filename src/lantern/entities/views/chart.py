"""The link chart: the page (with its list of links for readers without JavaScript), the
JSON of a node's expansion and of a path, and the exports, each audited.

Every entity named in a request is read through ``selectors.entity_for_reading``: one the
viewer may not read is answered as a missing one (404), whichever endpoint is asked.
"""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.utils.text import slugify
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from lantern.core import audit
from lantern.core.models import User
from lantern.entities import chart, chart_exports, selectors
from lantern.entities.forms import ChartFilterForm
from lantern.entities.models import EntityKind

READ_PURPOSE = "link chart"
# Entities one chart may start from (an operation's targets, a search's results).
MOST_ROOTS = 100
EXPORT_TYPES = {
    "graphml": ("application/graphml+xml", chart_exports.graphml),
    "csv": ("text/csv; charset=utf-8", chart_exports.i2_csv),
}
DRAWN_EXPORTS = {"png", "svg"}


def _ids(values: list[str]) -> list[int]:
    """Entity ids as given; anything else is a missing entity."""
    if not values or len(values) > MOST_ROOTS or not all(value.isdigit() for value in values):
        raise Http404
    return list(dict.fromkeys(int(value) for value in values))


def _roots(user: User, values: list[str]) -> list[int]:
    return list(
        dict.fromkeys(selectors.entity_for_reading(user, pk).root_id for pk in _ids(values))
    )


def _hidden(request: HttpRequest) -> list[int]:
    return [int(value) for value in request.GET.getlist("hide") if value.isdigit()]


def _audit_reads(request: HttpRequest, roots: list[int]) -> None:
    for entity in chart.entities(roots):
        audit.record_read(actor=request.user, target=entity, purpose=READ_PURPOSE, request=request)


@login_required
@never_cache
def chart_page(request: HttpRequest) -> HttpResponse:
    roots = _roots(request.user, request.GET.getlist("entity"))
    form = ChartFilterForm(request.GET, user=request.user)
    filters = form.chart_filters()
    drawn = chart.hide(chart.neighbourhood(request.user, roots, filters), _hidden(request))
    path = None
    ends = [request.GET.get("from", ""), request.GET.get("to", "")]
    if all(ends):
        source, target = (_roots(request.user, [end])[0] for end in ends)
        path = chart.shortest_path(request.user, source, target, filters)
    _audit_reads(request, roots)
    icons = {kind: static(f"lantern/images/chart/{kind}.svg") for kind in EntityKind.values}
    elements = drawn.elements()
    if path is not None and path.found:
        present = {element["data"]["id"] for element in elements}
        elements += [e for e in path.chart.elements() if e["data"]["id"] not in present]
    return render(
        request,
        "entities/chart.html",
        {
            "chart": drawn,
            "roots": [drawn.nodes[pk] for pk in drawn.roots],
            "form": form,
            "elements": elements,
            "path": path,
            "path_from": ends[0],
            "path_to": ends[1],
            "icons": icons,
            "legend": [(kind, label, icons[kind]) for kind, label in EntityKind.choices],
            "query": request.GET.urlencode(),
        },
        status=400 if form.errors else 200,
    )


@login_required
@never_cache
def expand(request: HttpRequest) -> JsonResponse:
    """One node's neighbours, on demand, under the chart's filters."""
    roots = _roots(request.user, request.GET.getlist("entity"))
    filters = ChartFilterForm(request.GET, user=request.user).chart_filters()
    found = chart.neighbourhood(request.user, roots, filters)
    _audit_reads(request, roots)
    return JsonResponse({"elements": found.elements(), "truncated": found.truncated})


@login_required
@never_cache
def path_json(request: HttpRequest) -> JsonResponse:
    source, target = (_roots(request.user, [request.GET.get(end, "")])[0] for end in ("from", "to"))
    filters = ChartFilterForm(request.GET, user=request.user).chart_filters()
    path = chart.shortest_path(request.user, source, target, filters)
    _audit_reads(request, path.steps)
    return JsonResponse(
        {
            "found": path.found,
            "steps": [f"e{pk}" for pk in path.steps],
            "elements": path.chart.elements(),
        }
    )


@login_required
@never_cache
def export(request: HttpRequest, file_type: str) -> HttpResponse:
    """The chart's links as GraphML or as i2's CSV: the chart's entities (those it started
    from and those expanded since) less the hidden ones, under its filters."""
    if file_type not in EXPORT_TYPES:
        raise Http404
    content_type, write = EXPORT_TYPES[file_type]
    roots = _roots(request.user, request.GET.getlist("entity"))
    filters = ChartFilterForm(request.GET, user=request.user).chart_filters()
    drawn = chart.hide(chart.neighbourhood(request.user, roots, filters), _hidden(request))
    audit.record_export(
        actor=request.user,
        description=f"link chart ({file_type}) of entities {', '.join(map(str, roots))}",
        row_count=len(drawn.links),
        purpose=READ_PURPOSE,
        request=request,
    )
    response = HttpResponse(write(drawn), content_type=content_type)
    name = slugify(drawn.nodes[roots[0]].label)[:40] or "entities"
    response["Content-Disposition"] = f'attachment; filename="link-chart-{name}.{file_type}"'
    return response


@login_required
@require_POST
def drawn_export(request: HttpRequest) -> HttpResponse:
    """The browser drew the chart as a PNG or SVG of what it shows: record it as an export
    before it saves the file."""
    file_type = request.POST.get("type", "")
    if file_type not in DRAWN_EXPORTS:
        return HttpResponse(status=400)
    roots = _roots(request.user, request.POST.getlist("entity"))
    nodes = request.POST.get("nodes", "0")
    audit.record_export(
        actor=request.user,
        description=f"link chart ({file_type}) of entities {', '.join(map(str, roots))}",
        row_count=int(nodes) if nodes.isdigit() else 0,
        purpose=READ_PURPOSE,
        request=request,
    )
    return HttpResponse(status=204)
