"""KPI pages: the list of KPIs for a year, and one KPI with its trend, baseline and breakdown.

Thin: parse the query with a form, ask the selector for figures (true ones for the hub
coordinator, disclosure-controlled ones for everyone else), render.
"""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from lantern.core import access
from lantern.evaluation import periods
from lantern.evaluation.forms.kpis import KpiPeriodForm, YearForm
from lantern.evaluation.presenters import kpis as presenters
from lantern.evaluation.selectors import kpis as selectors
from lantern.evaluation.selectors import outcome_chain as selectors_chain


@login_required
@never_cache
def kpi_list(request: HttpRequest) -> HttpResponse:
    """Every KPI the user may see for one year, against each KPI's baseline."""
    user = request.user
    if not access.can_view_kpis(user):
        raise Http404
    form = KpiPeriodForm(request.GET or None, monthly=False)
    valid = form.is_valid() if form.is_bound else True
    year = periods.FinancialYear(
        form.cleaned_data["year"]
        if form.is_bound and valid
        else periods.last_complete_year().start_year
    )
    results = []
    if valid:
        for kpi in selectors.visible_kpis(user):
            result = selectors.kpi_result(
                user,
                kpi,
                year=year,
                baseline_year=_baseline(form),
                release="kpi list",
            )
            results.append(presenters.summary(result))
    return render(
        request,
        "evaluation/kpis/kpi_list.html",
        {
            "form": form,
            "year": year,
            "results": results,
            "controlled": access.sees_controlled_figures(user),
            "controlled_notice": presenters.controlled_notice(),
            "can_board_pack": access.can_generate_board_pack(user),
            "can_manage": access.can_manage_kpis(user),
        },
        status=200 if valid else 400,
    )


@login_required
@never_cache
def kpi_detail(request: HttpRequest, code: str) -> HttpResponse:
    """One KPI: its value, baseline, change, trend (chart and table) and a breakdown."""
    user = request.user
    kpi = selectors.kpi_for_reading(user, code)
    controlled = access.sees_controlled_figures(user)
    form = KpiPeriodForm(
        request.GET or None,
        breakdowns=selectors.breakdowns_for(kpi, controlled=controlled),
        monthly=not controlled,
    )
    valid = form.is_valid() if form.is_bound else True
    context = {
        "kpi": kpi,
        "form": form,
        "controlled": controlled,
        "controlled_notice": presenters.controlled_notice(),
        "can_manage": access.can_manage_kpis(user),
    }
    if valid:
        data = form.cleaned_data if form.is_bound else {}
        year = periods.FinancialYear(data.get("year") or periods.last_complete_year().start_year)
        result = selectors.kpi_result(
            user,
            kpi,
            year=year,
            baseline_year=_baseline(form),
            by=data.get("by") or periods.QUARTER,
            breakdown=data.get("breakdown", ""),
            release="kpi page",
        )
        context["result"] = presenters.detail(result)
    return render(request, "evaluation/kpis/kpi_detail.html", context, status=200 if valid else 400)


def _baseline(form: KpiPeriodForm) -> periods.FinancialYear | None:
    if form.is_bound and form.is_valid() and form.cleaned_data.get("baseline") is not None:
        return periods.FinancialYear(form.cleaned_data["baseline"])
    return None


@login_required
@never_cache
def outcome_chain(request: HttpRequest) -> HttpResponse:
    """Of the public's reports in a year, how many became intelligence, led to an
    operation, identified a potential victim and got a positive decision."""
    user = request.user
    if not access.can_view_kpis(user):
        raise Http404
    form = YearForm(request.GET or None)
    valid = form.is_valid() if form.is_bound else True
    context = {
        "form": form,
        "controlled": access.sees_controlled_figures(user),
        "controlled_notice": presenters.controlled_notice(),
    }
    if valid:
        data = form.cleaned_data if form.is_bound else {}
        year = periods.FinancialYear(data.get("year") or periods.last_complete_year().start_year)
        context["year"] = year
        context["chain"] = presenters.chain(selectors_chain.outcome_chain(user, year))
    return render(
        request, "evaluation/kpis/outcome_chain.html", context, status=200 if valid else 400
    )
