"""Open data: the public statistics page, its CSV and the CSV's metadata (CSV on the Web).

No account needed; every figure comes through disclosure control. Downloads are audited.
"""

import csv
import io

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from lantern.core import audit
from lantern.core.audit import AuditContext
from lantern.evaluation import periods
from lantern.evaluation.forms.kpis import YearForm
from lantern.evaluation.presenters import kpis as presenters
from lantern.evaluation.selectors import open_data as selectors

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _year(request: HttpRequest) -> tuple[YearForm, periods.FinancialYear | None]:
    form = YearForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        return form, None
    data = form.cleaned_data if form.is_bound else {}
    return form, periods.FinancialYear(data.get("year") or periods.last_complete_year().start_year)


def statistics(request: HttpRequest) -> HttpResponse:
    form, year = _year(request)
    context = {"form": form, "year": year, "controlled_notice": presenters.controlled_notice()}
    if year is not None:
        context["tables"] = selectors.tables(year)
    return render(request, "evaluation/kpis/open_data.html", context, status=200 if year else 400)


def _safe(value: str) -> str:
    """A cell a spreadsheet will not run as a formula."""
    return f"'{value}" if value.startswith(FORMULA_STARTS) else value


def statistics_csv(request: HttpRequest) -> HttpResponse:
    _form, year = _year(request)
    if year is None:
        return HttpResponse(
            _("Choose a year from the list."), status=400, content_type="text/plain"
        )
    rows = selectors.csv_rows(year, selectors.tables(year))
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    for row in rows:
        writer.writerow([_safe(cell) for cell in row])
    audit.record(
        action=audit.Action.EXPORT,
        actor=request.user,
        context=AuditContext.from_request(request),
        purpose="open data",
        detail={"year": year.key, "rows": len(rows) - 1},
    )
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="lantern-statistics-{year.start_year}.csv"'
    )
    response["Link"] = f'<{reverse("evaluation:statistics_metadata")}>; rel="describedby"'
    return response


def statistics_metadata(request: HttpRequest) -> JsonResponse:
    """The CSV's description in the W3C CSV on the Web vocabulary."""
    metadata = {
        "@context": "http://www.w3.org/ns/csvw",
        "url": request.build_absolute_uri(reverse("evaluation:statistics_csv")),
        "dc:title": _("Potential victims of modern slavery identified, by quarter"),
        "dc:description": _(
            "Potential victims identified by the partnership, by local authority area and by "
            "type of exploitation, for each quarter of a financial year (April to March)."
        ),
        "dc:publisher": "Lantern",
        "dc:license": {
            "@id": "http://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"
        },
        "rdfs:comment": presenters.controlled_notice(),
        "dialect": {"header": True, "encoding": "utf-8"},
        "tableSchema": {
            "columns": [
                {
                    "name": "year",
                    "titles": "year",
                    "datatype": "string",
                    "dc:description": _("Financial year, April to March."),
                },
                {
                    "name": "quarter_start",
                    "titles": "quarter_start",
                    "datatype": "date",
                    "dc:description": _("First day of the quarter."),
                },
                {
                    "name": "dimension",
                    "titles": "dimension",
                    "datatype": "string",
                    "dc:description": _(
                        "What the figure is broken down by: area or exploitation_type."
                    ),
                },
                {
                    "name": "code",
                    "titles": "code",
                    "datatype": "string",
                    "dc:description": _(
                        "GSS code of the area, or the code of the type of exploitation."
                    ),
                },
                {"name": "label", "titles": "label", "datatype": "string"},
                {
                    "name": "count",
                    "titles": "count",
                    "datatype": "nonNegativeInteger",
                    "null": "",
                    "dc:description": _("Potential victims identified; empty when withheld."),
                },
                {
                    "name": "status",
                    "titles": "status",
                    "datatype": "string",
                    "dc:description": _(
                        "'withheld' when the figure is withheld by disclosure control."
                    ),
                },
            ],
            "primaryKey": ["year", "quarter_start", "dimension", "code"],
        },
    }
    return JsonResponse(metadata, json_dumps_params={"ensure_ascii": False, "indent": 2})
