"""What the intelligence pages share: the analyst's report and a form page."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from lantern.core import access
from lantern.core.audit import AuditContext
from lantern.intelligence import selectors
from lantern.intelligence.models import IntelligenceReport

LIST_LIMIT = 200


def analyst_report(request: HttpRequest, reference: str) -> IntelligenceReport:
    """The report for an analyst's page: 404 if unreadable, 403 if readable but not theirs."""
    auditing = AuditContext.from_request(request)
    report = selectors.report_for_reading(request.user, reference, context=auditing)
    if not access.can_triage_intelligence(request.user):
        raise PermissionDenied
    return report


def form_page(request: HttpRequest, template: str, form: Any, **context: Any) -> HttpResponse:
    return render(request, template, {"form": form, **context}, status=400 if form.errors else 200)
