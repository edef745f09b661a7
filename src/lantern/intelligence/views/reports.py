"""A report's page and what is done on it in place: the list, the page, a status change,
a mention, an update from its originating organisation."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from lantern.core import access
from lantern.core.audit import AuditContext
from lantern.core.forms import add_refusal, saved
from lantern.entities import selectors as entity_selectors
from lantern.intelligence import presenters, rules, selectors
from lantern.intelligence.forms import MentionForm, ReportUpdateForm, StatusChangeForm
from lantern.intelligence.models import IntelligenceReport
from lantern.intelligence.services import mentions as mention_services
from lantern.intelligence.services import triage as triage_services
from lantern.intelligence.services import updates as update_services
from lantern.intelligence.views.common import LIST_LIMIT


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
def report_detail(request: HttpRequest, reference: str) -> HttpResponse:
    auditing = AuditContext.from_request(request)
    report = selectors.report_for_reading(request.user, reference, context=auditing)
    return render_detail(request, report)


@login_required
@never_cache
@require_POST
def change_status(request: HttpRequest, reference: str) -> HttpResponse:
    auditing = AuditContext.from_request(request)
    user = request.user
    report = selectors.report_for_reading(user, reference, context=auditing)
    if not access.can_triage_intelligence(user):
        raise PermissionDenied
    form = StatusChangeForm(request.POST, next_statuses=rules.next_statuses(user, report))
    if form.is_valid():
        try:
            triage_services.change_status(
                report=report, user=user, context=auditing, **form.cleaned_data
            )
        except ValidationError as error:
            add_refusal(form, error)
        else:
            messages.success(
                request,
                _("Status changed to %(status)s") % {"status": report.get_status_display()},
            )
            return redirect("intelligence:report_detail", reference=report.reference)
    return render_detail(request, report, form=form, status=400)


@login_required
@never_cache
@require_POST
def add_mention(request: HttpRequest, reference: str) -> HttpResponse:
    auditing = AuditContext.from_request(request)
    user = request.user
    report = selectors.report_for_reading(user, reference, context=auditing)
    if not rules.can_add_mentions(user):
        raise PermissionDenied
    form = MentionForm(request.POST, prefix="mention")
    if form.is_valid() and (mention := form.mention()) is not None:
        try:
            mention_services.add_mention(
                report=report, actor=user, mention=mention, context=auditing
            )
        except ValidationError as error:
            form.add_error("value", error.messages[0])
        else:
            messages.success(request, _("Mention added"))
            return redirect("intelligence:report_detail", reference=report.reference)
    if not form.errors:
        form.add_error("value", _("Enter the name, number or address"))
    return render_detail(request, report, mention_form=form, status=400)


def render_detail(
    request: HttpRequest,
    report: IntelligenceReport,
    *,
    form: StatusChangeForm | None = None,
    mention_form: MentionForm | None = None,
    status: int = 200,
) -> HttpResponse:
    next_statuses = rules.next_statuses(request.user, report)
    links = entity_selectors.report_links(
        request.user, report, common_limit=settings.ENTITY_COMMON_VALUE_LIMIT
    )
    # Recorded when the report was read (``selectors.report_for_reading``): shown here.
    hits = entity_selectors.todays_hits(
        request.user, [link.root_id for link in links if link.restricted]
    )
    if mention_form is None and rules.can_add_mentions(request.user):
        mention_form = MentionForm(prefix="mention")
    if form is None and next_statuses:
        form = StatusChangeForm(next_statuses=next_statuses)
    return render(
        request,
        "intelligence/report_detail.html",
        {
            **presenters.report_page(request.user, report, links=links, hits=hits),
            "form": form,
            "mention_form": mention_form,
        },
        status=status,
    )


@login_required
@never_cache
def add_update(request: HttpRequest, reference: str) -> HttpResponse:
    """The originating organisation adds an update to a report it sent (an addendum)."""
    auditing = AuditContext.from_request(request)
    user = request.user
    report = selectors.report_for_reading(user, reference, context=auditing)
    if not access.can_add_report_update(user, report):
        raise PermissionDenied
    form = ReportUpdateForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and saved(
        form,
        lambda data: update_services.add_update(report=report, user=user, context=auditing, **data),
    ):
        messages.success(
            request, _("Update added to %(reference)s") % {"reference": report.reference}
        )
        return redirect("intelligence:report_detail", reference=report.reference)
    return render(
        request,
        "intelligence/update.html",
        {"report": report, "form": form},
        status=400 if form.errors else 200,
    )
