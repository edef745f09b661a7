"""What the intelligence pages share: the analyst's report, a form page, a form saved
through a service."""

from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from lantern.core import access
from lantern.core.audit import AuditContext
from lantern.intelligence import selectors
from lantern.intelligence.models import IntelligenceReport

LIST_LIMIT = 200


def saved(form: Any, write: Callable[[dict[str, Any]], object]) -> bool:
    """Validate the form and run the service; a refusal lands on the fields it names."""
    if not form.is_valid():
        return False
    try:
        write(form.cleaned_data)
    except ValidationError as error:
        form.add_error(None, error)
        return False
    return True


def analyst_report(request: HttpRequest, reference: str) -> IntelligenceReport:
    """The report for an analyst's page: 404 if unreadable, 403 if readable but not theirs."""
    auditing = AuditContext.from_request(request)
    report = selectors.report_for_reading(request.user, reference, context=auditing)
    if not access.can_triage_intelligence(request.user):
        raise PermissionDenied
    return report


def form_page(request: HttpRequest, template: str, form: Any, **context: Any) -> HttpResponse:
    return render(request, template, {"form": form, **context}, status=400 if form.errors else 200)
