"""The hub coordinator adds KPIs from the registered measures and sets baselines and
targets. Thin: parse the form, call the service, redirect."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from lantern.core import access
from lantern.core.audit import AuditContext
from lantern.evaluation.forms.kpis import KpiForm, KpiTargetForm
from lantern.evaluation.selectors import kpis as selectors
from lantern.evaluation.services import kpis as services


def _add_errors(form: KpiForm | KpiTargetForm, error: ValidationError) -> None:
    for field, problems in error.message_dict.items():
        form.add_error(field if field in form.fields else None, problems)


@login_required
@never_cache
def kpi_create(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not access.can_manage_kpis(user):
        raise Http404
    if request.method == "POST":
        form = KpiForm(request.POST)
        if form.is_valid():
            try:
                kpi = services.add_kpi(
                    actor=user, context=AuditContext.from_request(request), **form.cleaned_data
                )
            except ValidationError as error:
                _add_errors(form, error)
            else:
                messages.success(request, _("KPI %(name)s added") % {"name": kpi.label})
                return redirect("evaluation:kpi_detail", code=kpi.code)
    else:
        form = KpiForm()
    return render(
        request,
        "evaluation/kpis/kpi_form.html",
        {"form": form, "title": _("Add a KPI")},
        status=400 if form.errors else 200,
    )


@login_required
@never_cache
def kpi_edit(request: HttpRequest, code: str) -> HttpResponse:
    user = request.user
    if not access.can_manage_kpis(user):
        raise Http404
    kpi = selectors.kpi_for_reading(user, code)
    if request.method == "POST":
        form = KpiTargetForm(request.POST)
        if form.is_valid():
            services.set_baseline_and_target(
                actor=user, context=AuditContext.from_request(request), kpi=kpi, **form.cleaned_data
            )
            messages.success(request, _("Baseline and target saved"))
            return redirect("evaluation:kpi_detail", code=kpi.code)
    else:
        form = KpiTargetForm(
            initial={
                "baseline_year": kpi.baseline_year,
                "target": kpi.target,
                "is_headline": kpi.is_headline,
            }
        )
    return render(
        request,
        "evaluation/kpis/kpi_form.html",
        {
            "form": form,
            "kpi": kpi,
            "title": _("Baseline and target: %(name)s") % {"name": kpi.label},
        },
        status=400 if form.errors else 200,
    )
