"""Submitting intelligence: the form, from a report from the public, and a sanitised
version of a restricted report."""

import uuid
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from lantern.core import access
from lantern.core.audit import AuditContext
from lantern.core.forms import add_refusal
from lantern.intelligence import presenters, selectors
from lantern.intelligence.forms import (
    IntelligenceForm,
    MentionFormSet,
    SanitisedVersionForm,
    initial_from_public_report,
)
from lantern.intelligence.models import IntelligenceReport
from lantern.intelligence.services import submission as submission_services
from lantern.intelligence.submitted import ReportFields
from lantern.public import selectors as public_selectors
from lantern.public.models import PublicReport


@login_required
@never_cache
def submit(request: HttpRequest) -> HttpResponse:
    auditing = AuditContext.from_request(request)
    user = request.user
    if not access.can_submit_intelligence(user):
        raise PermissionDenied

    def store(key: uuid.UUID, fields: ReportFields) -> IntelligenceReport:
        return submission_services.submit_intelligence(
            actor=user, submission_key=key, fields=fields, context=auditing
        )

    return _submission_page(request, store=store)


@login_required
@never_cache
def from_public(request: HttpRequest, reference: str) -> HttpResponse:
    """An analyst turns a report from the public into intelligence."""
    auditing = AuditContext.from_request(request)
    user = request.user
    public_report = public_selectors.report_for_reading(
        user, reference, context=AuditContext.from_request(request)
    )
    if not access.can_triage_intelligence(user):
        raise PermissionDenied
    converted = public_selectors.intelligence_from_public_report(user, public_report)
    if converted is not None and request.method != "POST":
        return redirect("intelligence:report_detail", reference=converted.reference)

    def store(key: uuid.UUID, fields: ReportFields) -> IntelligenceReport:
        return submission_services.convert_public_report(
            actor=user,
            public_report=public_report,
            submission_key=key,
            fields=fields,
            context=auditing,
        )

    initial, mention_rows = initial_from_public_report(public_report)
    return _submission_page(
        request,
        store=store,
        initial=initial,
        mention_rows=mention_rows,
        public_report=public_report,
    )


def _submission_page(
    request: HttpRequest,
    *,
    store: Callable[[uuid.UUID, ReportFields], IntelligenceReport],
    initial: dict[str, Any] | None = None,
    mention_rows: list[dict[str, str]] | None = None,
    public_report: PublicReport | None = None,
) -> HttpResponse:
    """The intelligence form: stored once by ``store``, or shown again with its errors."""
    if request.method == "POST":
        form = IntelligenceForm(request.POST)
        rows = MentionFormSet(request.POST, prefix="mentions")
        if form.is_valid() and rows.is_valid():
            key = form.cleaned_data["submission_key"]
            already = selectors.submitted_report(request.user, key)
            if already is not None:
                return redirect("intelligence:report_detail", reference=already.reference)
            try:
                report = store(key, form.report_fields(rows.mentions()))
            except ValidationError as error:
                add_refusal(form, error)
            else:
                messages.success(
                    request,
                    _("Intelligence %(reference)s submitted") % {"reference": report.reference},
                )
                # The service recorded any hit; the report's page shows the notices.
                return redirect("intelligence:report_detail", reference=report.reference)
    else:
        form = IntelligenceForm(initial=initial)
        rows = MentionFormSet(prefix="mentions", initial=mention_rows)
    failed = bool(form.errors) or rows.total_error_count() > 0
    return render(
        request,
        "intelligence/submit.html",
        {"form": form, "formset": rows, "public_report": public_report},
        status=400 if failed else 200,
    )


@login_required
@never_cache
def sanitise(request: HttpRequest, reference: str) -> HttpResponse:
    """An analyst publishes a sanitised, P-coded version of a C-coded report."""
    auditing = AuditContext.from_request(request)
    user = request.user
    original = selectors.report_for_reading(user, reference, context=auditing)
    if not selectors.provenance(user, original).can_publish_sanitised:
        raise Http404
    if request.method == "POST":
        form = SanitisedVersionForm(request.POST)
        if form.is_valid():
            try:
                version = submission_services.publish_sanitised_version(
                    actor=user, original=original, context=auditing, **form.cleaned_data
                )
            except ValidationError as error:
                add_refusal(form, error)
            else:
                messages.success(
                    request,
                    _("Sanitised version %(reference)s published")
                    % {"reference": version.reference},
                )
                return redirect("intelligence:report_detail", reference=version.reference)
    else:
        form = SanitisedVersionForm(initial=presenters.sanitised_initial(original))
    return render(
        request,
        "intelligence/sanitise.html",
        {"form": form, "original": original},
        status=400 if form.errors else 200,
    )
