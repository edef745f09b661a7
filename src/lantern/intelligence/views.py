"""Pages of the intelligence hub: submit, list and read intelligence; triage and timeline."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from lantern.core import access
from lantern.core import selectors as core_selectors
from lantern.intelligence import selectors, services
from lantern.intelligence.forms import IntelligenceForm, StatusChangeForm
from lantern.intelligence.models import HandlingCode, IntelligenceReport, Status

LIST_LIMIT = 200


@login_required
@never_cache
def report_list(request: HttpRequest) -> HttpResponse:
    if not access.can_read_intelligence(request.user):
        raise PermissionDenied
    return render(
        request,
        "intelligence/report_list.html",
        {
            "reports": selectors.readable_reports(request.user)[:LIST_LIMIT],
            "can_submit": access.can_submit_intelligence(request.user),
            "can_triage": access.can_triage_intelligence(request.user),
        },
    )


@login_required
@never_cache
def submit(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not access.can_submit_intelligence(user):
        raise PermissionDenied
    if request.method == "POST":
        form = IntelligenceForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            already = selectors.submitted_report(user, data["submission_key"])
            if already is not None:
                return redirect("intelligence:report_detail", reference=already.reference)
            try:
                report = services.submit_intelligence(actor=user, request=request, **data)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(
                    request,
                    _("Intelligence %(reference)s submitted") % {"reference": report.reference},
                )
                return redirect("intelligence:report_detail", reference=report.reference)
    else:
        form = IntelligenceForm()
    return render(
        request,
        "intelligence/submit.html",
        {"form": form},
        status=400 if form.errors else 200,
    )


@login_required
@never_cache
def report_detail(request: HttpRequest, reference: str) -> HttpResponse:
    report = selectors.report_for_reading(request.user, reference, request=request)
    return _render_detail(request, report)


@login_required
@never_cache
def triage(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not access.can_triage_intelligence(user):
        raise PermissionDenied
    filters = selectors.TriageFilters.from_query(request.GET)
    reports = selectors.triage_queue(user, filters)
    return render(
        request,
        "intelligence/triage.html",
        {
            "reports": reports[:LIST_LIMIT],
            "count": reports.count(),
            "limit": LIST_LIMIT,
            "filters": filters,
            "statuses": [(status, Status(status).label) for status in selectors.OPEN_STATUSES],
            "area_choices": core_selectors.area_choices(),
            "exploitation_type_choices": selectors.exploitation_type_choices(),
            "handling_codes": HandlingCode.choices,
            "organisation_choices": selectors.triage_organisation_choices(user),
        },
    )


@login_required
@never_cache
@require_POST
def change_status(request: HttpRequest, reference: str) -> HttpResponse:
    user = request.user
    report = selectors.report_for_reading(user, reference, request=request)
    if not access.can_triage_intelligence(user):
        raise PermissionDenied
    form = StatusChangeForm(request.POST, next_statuses=selectors.next_statuses(user, report))
    if form.is_valid():
        try:
            services.change_status(report=report, user=user, request=request, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("Status changed to %(status)s") % {"status": report.get_status_display()},
            )
            return redirect("intelligence:report_detail", reference=report.reference)
    return _render_detail(request, report, form=form, status=400)


def _render_detail(
    request: HttpRequest,
    report: IntelligenceReport,
    *,
    form: StatusChangeForm | None = None,
    status: int = 200,
) -> HttpResponse:
    next_statuses = selectors.next_statuses(request.user, report)
    if form is None and next_statuses:
        form = StatusChangeForm(next_statuses=next_statuses)
    return render(
        request,
        "intelligence/report_detail.html",
        {
            "report": report,
            "form": form,
            "can_change_status": bool(next_statuses),
            "timeline": selectors.timeline(request.user, report),
        },
        status=status,
    )
