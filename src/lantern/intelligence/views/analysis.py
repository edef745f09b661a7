"""The analyst's work on a report: the assessment and the grading."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from lantern.core.audit import AuditContext
from lantern.core.forms import saved
from lantern.intelligence import presenters
from lantern.intelligence.forms import AssessmentForm, RegradingForm
from lantern.intelligence.services import triage as triage_services
from lantern.intelligence.views.common import analyst_report, form_page


@login_required
@never_cache
def assessment(request: HttpRequest, reference: str) -> HttpResponse:
    auditing = AuditContext.from_request(request)
    user = request.user
    report = analyst_report(request, reference)
    if request.method == "POST":
        form = AssessmentForm(request.POST)
        if saved(
            form,
            lambda data: triage_services.record_assessment(
                report=report, user=user, context=auditing, **data
            ),
        ):
            messages.success(request, _("Assessment saved"))
            return redirect("intelligence:report_detail", reference=report.reference)
    else:
        form = AssessmentForm(initial={"assessment": report.assessment})
    return form_page(request, "intelligence/assessment.html", form, report=report)


@login_required
@never_cache
def regrade(request: HttpRequest, reference: str) -> HttpResponse:
    auditing = AuditContext.from_request(request)
    user = request.user
    report = analyst_report(request, reference)
    if request.method == "POST":
        form = RegradingForm(request.POST)
        if saved(
            form,
            lambda data: triage_services.regrade(
                report=report, user=user, context=auditing, **data
            ),
        ):
            messages.success(
                request, _("Grading changed to %(grading)s") % {"grading": report.grading}
            )
            return redirect("intelligence:report_detail", reference=report.reference)
    else:
        form = RegradingForm(initial=presenters.grading_initial(report))
    return form_page(request, "intelligence/regrade.html", form, report=report)
