"""Pages of the intelligence hub: submit intelligence, list and read what one may read."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from lantern.core import access
from lantern.intelligence import selectors, services
from lantern.intelligence.forms import IntelligenceForm

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
    return render(request, "intelligence/report_detail.html", {"report": report})
