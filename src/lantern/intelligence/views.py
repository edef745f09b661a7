"""Pages of the intelligence hub: submit, list and read intelligence; triage, assessment,
grading and taskings; the timeline."""

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from lantern.core import access
from lantern.core import selectors as core_selectors
from lantern.entities import selectors as entity_selectors
from lantern.entities import services as entity_services
from lantern.entities.mentions import MentionData
from lantern.entities.models import HitContext, RestrictedHit
from lantern.entities.selectors import MentionLinks
from lantern.intelligence import csv_formats, imports, selectors, services
from lantern.intelligence.forms import (
    AssessmentForm,
    ImportForm,
    IntelligenceForm,
    MentionForm,
    MentionFormSet,
    RegradingForm,
    ReportUpdateForm,
    SanitisedVersionForm,
    StatusChangeForm,
    TaskingAnswerForm,
    TaskingForm,
    initial_from_public_report,
)
from lantern.intelligence.models import (
    HandlingCode,
    IntelligenceAssessment,
    IntelligenceReport,
    Sector,
    SourceEvaluation,
    Status,
    TaskingStatus,
)
from lantern.public import selectors as public_selectors
from lantern.public.models import PublicReport

LIST_LIMIT = 200
PAGE_SIZE = 50


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

    def store(data: dict[str, Any], mentions: list[MentionData]) -> IntelligenceReport:
        return services.submit_intelligence(actor=user, request=request, mentions=mentions, **data)

    return _submission_page(request, store=store)


@login_required
@never_cache
def from_public(request: HttpRequest, reference: str) -> HttpResponse:
    """An analyst turns a report from the public into intelligence."""
    user = request.user
    public_report = public_selectors.report_for_reading(user, reference, request=request)
    if not access.can_triage_intelligence(user):
        raise PermissionDenied
    converted = public_selectors.intelligence_from_public_report(user, public_report)
    if converted is not None and request.method != "POST":
        return redirect("intelligence:report_detail", reference=converted.reference)

    def store(data: dict[str, Any], mentions: list[MentionData]) -> IntelligenceReport:
        return services.convert_public_report(
            actor=user, public_report=public_report, request=request, mentions=mentions, **data
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
    store: Callable[[dict[str, Any], list[MentionData]], IntelligenceReport],
    initial: dict[str, Any] | None = None,
    mention_rows: list[dict[str, str]] | None = None,
    public_report: PublicReport | None = None,
) -> HttpResponse:
    """The intelligence form: stored once by ``store``, or shown again with its errors."""
    if request.method == "POST":
        form = IntelligenceForm(request.POST)
        rows = MentionFormSet(request.POST, prefix="mentions")
        if form.is_valid() and rows.is_valid():
            data = form.cleaned_data
            already = selectors.submitted_report(request.user, data["submission_key"])
            if already is not None:
                return redirect("intelligence:report_detail", reference=already.reference)
            try:
                report = store(data, rows.mentions())
            except ValidationError as error:
                form.add_error(None, error.messages)
            else:
                messages.success(
                    request,
                    _("Intelligence %(reference)s submitted") % {"reference": report.reference},
                )
                # The report's page shows the notices; the hub learns it was a submission.
                entity_services.record_hits(
                    user=request.user,
                    entities=entity_selectors.restricted_entities(request.user, [report]),
                    context=HitContext.SUBMISSION,
                    request=request,
                )
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
    user = request.user
    original = selectors.report_for_reading(user, reference, request=request)
    if not selectors.provenance(user, original).can_publish_sanitised:
        raise Http404
    if request.method == "POST":
        form = SanitisedVersionForm(request.POST)
        if form.is_valid():
            try:
                version = services.publish_sanitised_version(
                    actor=user, original=original, request=request, **form.cleaned_data
                )
            except ValidationError as error:
                form.add_error(None, error.messages)
            else:
                messages.success(
                    request,
                    _("Sanitised version %(reference)s published")
                    % {"reference": version.reference},
                )
                return redirect("intelligence:report_detail", reference=version.reference)
    else:
        form = SanitisedVersionForm(
            initial={
                "summary": original.summary,
                "narrative": original.narrative,
                "location": original.location,
                "source_evaluation": original.source_evaluation,
                "intelligence_assessment": original.intelligence_assessment,
            }
        )
    return render(
        request,
        "intelligence/sanitise.html",
        {"form": form, "original": original},
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
    filters = selectors.ReportFilters.from_query(request.GET)
    paged = _paged(request, selectors.triage_queue(user, filters))
    counts = entity_selectors.match_counts(user, [report.pk for report in paged["reports"]])
    for report in paged["reports"]:
        report.match_count = counts.get(report.pk, 0)
    public_reports = public_selectors.awaiting_triage(user)
    waiting = list(public_reports[:5])
    public_counts = entity_selectors.public_match_counts(user, waiting)
    for public_report in waiting:
        public_report.match_count = public_counts.get(public_report.pk, 0)
    return render(
        request,
        "intelligence/triage.html",
        {
            **paged,
            "filters": filters,
            "sorting": selectors.triage_sorting(filters),
            "statuses": [(status, Status(status).label) for status in selectors.OPEN_STATUSES],
            "area_choices": core_selectors.area_choices(),
            "exploitation_type_choices": selectors.exploitation_type_choices(),
            "sectors": Sector.choices,
            "source_evaluations": SourceEvaluation.choices,
            "intelligence_assessments": IntelligenceAssessment.choices,
            "handling_codes": HandlingCode.choices,
            "organisation_choices": selectors.triage_organisation_choices(user),
            "ages": selectors.Age.choices,
            "public_reports": public_reports,
            "public_reports_shown": waiting,
        },
    )


@login_required
@never_cache
def search(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not access.can_read_intelligence(user):
        raise PermissionDenied
    filters = selectors.ReportFilters.from_query(request.GET)
    facets = selectors.search_facets(user, filters)
    touched = entity_selectors.text_entities(user, filters.text)
    groups = [
        _filter_group("status", _("Status"), _("Any status"), facets, filters.status),
        _filter_group("area", _("Area"), _("Any area"), facets, filters.area_code),
        _filter_group(
            "type", _("Type of exploitation"), _("Any type"), facets, filters.exploitation_type
        ),
        _filter_group("sector", _("Sector"), _("Any sector"), facets, filters.sector),
        _filter_group(
            "source_evaluation",
            _("Source evaluation"),
            _("Any source evaluation"),
            SourceEvaluation.choices,
            filters.source_evaluation,
        ),
        _filter_group(
            "intelligence_assessment",
            _("Intelligence assessment"),
            _("Any intelligence assessment"),
            IntelligenceAssessment.choices,
            filters.intelligence_assessment,
        ),
        _filter_group(
            "handling_code",
            _("Handling code"),
            _("Any handling code"),
            facets,
            filters.handling_code,
        ),
        _filter_group(
            "organisation",
            _("Originating organisation"),
            _("Any organisation"),
            facets,
            filters.organisation_id,
        ),
        _filter_group("age", _("Submitted"), _("At any time"), selectors.Age.choices, filters.age),
    ]
    return render(
        request,
        "intelligence/search.html",
        {
            **_paged(
                request,
                selectors.search_reports(user, filters),
                count=selectors.matching_count(facets, filters),
            ),
            "filters": filters,
            "groups": groups,
            "selected": [group for group in groups if group["selected_label"]],
            "clear": {**{group["name"]: None for group in groups}, "page": None},
            "sorting": selectors.search_sorting(filters),
            "entities": touched.readable,
            # One notice and one reference however many restricted entities the words
            # match: their number is itself restricted.
            "hits": entity_services.record_hits(
                user=user,
                entities=touched.restricted[:1],
                context=HitContext.SEARCH,
                request=request,
            ).values(),
        },
    )


def _paged(
    request: HttpRequest, reports: QuerySet[IntelligenceReport], *, count: int | None = None
) -> dict[str, Any]:
    """The page of ``reports`` the query asks for (the first or last if out of range), as
    includes/pagination.html and report_table.html take it. A ``count`` already known
    spares the paginator its count query."""
    paginator = Paginator(reports, PAGE_SIZE)
    if count is not None:
        paginator.count = count  # Paginator.count is a cached property: this is its value.
    page = paginator.get_page(request.GET.get("page"))
    return {
        "page": page,
        "page_range": page.paginator.get_elided_page_range(page.number, on_each_side=1),
        "reports": page.object_list,
        "count": page.paginator.count,
    }


def _filter_group(
    name: str,
    label: str,
    any_label: str,
    options: dict[str, list[selectors.Facet]] | list[tuple[str, str]],
    selected: str | int | None,
) -> dict[str, Any]:
    """One search filter: its select's options (with counts when faceted) and its choice."""
    if isinstance(options, dict):
        choices = [(facet.value, f"{facet.label} ({facet.count})") for facet in options[name]]
        labels = {facet.value: facet.label for facet in options[name]}
    else:
        choices = [(value, str(text)) for value, text in options]
        labels = dict(choices)
    chosen = "" if selected is None else str(selected)
    return {
        "name": name,
        "label": label,
        "any": any_label,
        "options": choices,
        "selected": chosen,
        "selected_label": labels.get(chosen, ""),
        "remove": {name: None, "page": None},
    }


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


@login_required
@never_cache
@require_POST
def add_mention(request: HttpRequest, reference: str) -> HttpResponse:
    user = request.user
    report = selectors.report_for_reading(user, reference, request=request)
    if not selectors.can_add_mentions(user):
        raise PermissionDenied
    form = MentionForm(request.POST, prefix="mention")
    if form.is_valid() and (mention := form.mention()) is not None:
        try:
            services.add_mention(report=report, actor=user, mention=mention, request=request)
        except ValidationError as error:
            form.add_error("value", error.messages[0])
        else:
            messages.success(request, _("Mention added"))
            return redirect("intelligence:report_detail", reference=report.reference)
    if not form.errors:
        form.add_error("value", _("Enter the name, number or address"))
    return _render_detail(request, report, mention_form=form, status=400)


def _render_detail(
    request: HttpRequest,
    report: IntelligenceReport,
    *,
    form: StatusChangeForm | None = None,
    mention_form: MentionForm | None = None,
    status: int = 200,
) -> HttpResponse:
    next_statuses = selectors.next_statuses(request.user, report)
    links = entity_selectors.report_links(
        request.user, report, common_limit=settings.ENTITY_COMMON_VALUE_LIMIT
    )
    hits = entity_services.record_hits(
        user=request.user,
        entities=[link.mention.entity for link in links if link.restricted],
        context=HitContext.REPORT,
        request=request,
    )
    if mention_form is None and selectors.can_add_mentions(request.user):
        mention_form = MentionForm(prefix="mention")
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
            "provenance": selectors.provenance(request.user, report),
            "mention_form": mention_form,
            "can_triage": access.can_triage_intelligence(request.user),
            "taskings": selectors.report_taskings(request.user, report),
            "has_overdue_tasking": selectors.has_overdue_tasking(request.user, report),
            "can_task": selectors.can_task(request.user, report),
            "answerable_taskings": selectors.answerable_taskings(request.user, report),
            "links": links,
            "notices": _restricted_notices(links, hits),
            "match_count": sum(link.match_count for link in links),
            "can_add_update": access.can_add_report_update(request.user, report),
        },
        status=status,
    )


def _restricted_notices(
    links: list[MentionLinks], hits: dict[int, RestrictedHit]
) -> list[tuple[str, RestrictedHit]]:
    """One notice per restricted entity, named as the report's first mention of it is
    written (two mentions of one phone give one notice, one reference)."""
    notices: dict[str, tuple[str, RestrictedHit]] = {}
    for link in links:
        if link.root_id in hits:
            hit = hits[link.root_id]
            notices.setdefault(hit.reference, (link.mention.value, hit))
    return list(notices.values())


def _saved(form: Any, write: Callable[[dict[str, Any]], object]) -> bool:
    """Validate the form and run the service; a refusal lands on the fields it names."""
    if not form.is_valid():
        return False
    try:
        write(form.cleaned_data)
    except ValidationError as error:
        form.add_error(None, error)
        return False
    return True


def _analyst_report(request: HttpRequest, reference: str) -> IntelligenceReport:
    """The report for an analyst's page: 404 if unreadable, 403 if readable but not theirs."""
    report = selectors.report_for_reading(request.user, reference, request=request)
    if not access.can_triage_intelligence(request.user):
        raise PermissionDenied
    return report


def _form_page(request: HttpRequest, template: str, form: Any, **context: Any) -> HttpResponse:
    return render(request, template, {"form": form, **context}, status=400 if form.errors else 200)


@login_required
@never_cache
def assessment(request: HttpRequest, reference: str) -> HttpResponse:
    user = request.user
    report = _analyst_report(request, reference)
    if request.method == "POST":
        form = AssessmentForm(request.POST)
        if _saved(
            form,
            lambda data: services.record_assessment(
                report=report, user=user, request=request, **data
            ),
        ):
            messages.success(request, _("Assessment saved"))
            return redirect("intelligence:report_detail", reference=report.reference)
    else:
        form = AssessmentForm(initial={"assessment": report.assessment})
    return _form_page(request, "intelligence/assessment.html", form, report=report)


@login_required
@never_cache
def regrade(request: HttpRequest, reference: str) -> HttpResponse:
    user = request.user
    report = _analyst_report(request, reference)
    if request.method == "POST":
        form = RegradingForm(request.POST)
        if _saved(
            form,
            lambda data: services.regrade(report=report, user=user, request=request, **data),
        ):
            messages.success(
                request, _("Grading changed to %(grading)s") % {"grading": report.grading}
            )
            return redirect("intelligence:report_detail", reference=report.reference)
    else:
        form = RegradingForm(
            initial={
                "source_evaluation": report.source_evaluation,
                "intelligence_assessment": report.intelligence_assessment,
                "handling_code": report.handling_code,
                "handling_conditions": report.handling_conditions,
                "shared_with": [organisation.pk for organisation in report.shared_with.all()],
            }
        )
    return _form_page(request, "intelligence/regrade.html", form, report=report)


@login_required
@never_cache
def task(request: HttpRequest, reference: str) -> HttpResponse:
    user = request.user
    report = _analyst_report(request, reference)
    organisations = selectors.taskable_organisations(user)
    if request.method == "POST":
        form = TaskingForm(request.POST, organisations=organisations)
        if _saved(
            form,
            lambda data: services.task_agencies(report=report, user=user, request=request, **data),
        ):
            names = ", ".join(
                str(organisation) for organisation in form.cleaned_data["organisations"]
            )
            messages.success(request, _("Tasked: %(names)s") % {"names": names})
            return redirect("intelligence:report_detail", reference=report.reference)
    else:
        form = TaskingForm(organisations=organisations)
    return _form_page(request, "intelligence/task.html", form, report=report)


@login_required
@never_cache
@require_POST
def withdraw_tasking(request: HttpRequest, reference: str, pk: int) -> HttpResponse:
    user = request.user
    report = selectors.report_for_reading(user, reference, request=request)
    tasking = selectors.tasking_for_withdrawal(user, report, pk)
    try:
        services.withdraw_tasking(tasking=tasking, user=user, request=request)
    except ValidationError as error:
        messages.warning(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("Tasking of %(organisation)s withdrawn") % {"organisation": tasking.organisation},
        )
    return redirect("intelligence:report_detail", reference=report.reference)


@login_required
@never_cache
def taskings(request: HttpRequest) -> HttpResponse:
    if not access.can_answer_taskings(request.user):
        raise PermissionDenied
    return render(
        request,
        "intelligence/taskings.html",
        {
            "open_taskings": selectors.organisation_taskings(
                request.user, status=TaskingStatus.OPEN
            )[:LIST_LIMIT],
            "answered_taskings": selectors.organisation_taskings(
                request.user, status=TaskingStatus.ANSWERED
            )[:LIST_LIMIT],
        },
    )


@login_required
@never_cache
def add_update(request: HttpRequest, reference: str) -> HttpResponse:
    """The originating organisation adds an update to a report it sent (an addendum)."""
    user = request.user
    report = selectors.report_for_reading(user, reference, request=request)
    if not access.can_add_report_update(user, report):
        raise PermissionDenied
    form = ReportUpdateForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and _saved(
        form,
        lambda data: services.add_update(report=report, user=user, request=request, **data),
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


@login_required
@never_cache
def answer_tasking(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    tasking = selectors.tasking_for_answering(user, pk, request=request)
    form = None
    if request.method == "POST":
        form = TaskingAnswerForm(request.POST)
        if _saved(
            form,
            lambda data: services.answer_tasking(
                tasking=tasking, user=user, request=request, **data
            ),
        ):
            messages.success(
                request,
                _("Your answer on %(reference)s was sent to the hub")
                % {"reference": tasking.report.reference},
            )
            return redirect("intelligence:taskings")
    elif access.can_answer_tasking(user, tasking):
        form = TaskingAnswerForm()
    return render(
        request,
        "intelligence/tasking.html",
        {"tasking": tasking, "form": form},
        status=400 if form is not None and form.errors else 200,
    )


@login_required
@never_cache
def export(request: HttpRequest) -> HttpResponse:
    """The reports a search finds (same query string), as CSV streamed row by row."""
    if not access.can_read_intelligence(request.user):
        raise PermissionDenied
    filters = selectors.ReportFilters.from_query(request.GET)
    reports = selectors.reports_for_export(request.user, filters, request=request)
    response = StreamingHttpResponse(
        csv_formats.export_lines(reports), content_type="text/csv; charset=utf-8"
    )
    name = f"intelligence-{timezone.localdate().isoformat()}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
def import_template(request: HttpRequest) -> HttpResponse:
    if not access.can_submit_intelligence(request.user):
        raise PermissionDenied
    response = HttpResponse(
        "".join(csv_formats.template_lines()), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="intelligence-template.csv"'
    return response


@login_required
@never_cache
def import_reports(request: HttpRequest) -> HttpResponse:
    """Upload a CSV file: "Check" shows every problem (a dry run); "Import" stores it all.

    Import checks the whole file again first and stores nothing unless every row passes.
    The file is not kept between the two: a checked file is chosen again to import it.
    """
    user = request.user
    if not access.can_submit_intelligence(user):
        raise PermissionDenied
    form = ImportForm(request.POST, request.FILES) if request.method == "POST" else ImportForm()
    if request.method == "POST" and form.is_valid():
        try:
            checked = imports.check_file(form.cleaned_data["file"])
        except csv_formats.FileRefused as refused:
            form.add_error("file", str(refused))
        else:
            key = form.cleaned_data["submission_key"]
            if checked.problems or request.POST.get("action") != "import":
                return render(
                    request,
                    "intelligence/import_dry_run.html",
                    {
                        "checked": checked,
                        "problems": checked.problems[: imports.PROBLEMS_SHOWN],
                        "form": ImportForm(initial={"submission_key": key}),
                    },
                    status=400 if checked.problems else 200,
                )
            result = imports.import_intelligence(
                actor=user, submission_key=key, rows=checked.rows, request=request
            )
            message = (
                _("%(count)s reports imported")
                if result.created
                else _("This file was already imported: %(count)s reports")
            )
            messages.success(request, message % {"count": result.count})
            # As for a single report: the hub and the owners are told; the user learns that
            # restricted intelligence exists, and finds the reference on each report's page.
            # (A repeated upload was told the first time.)
            touched = (
                entity_selectors.restricted_entities_imported(user, result.submission_keys)
                if result.created
                else []
            )
            if touched:
                entity_services.record_hits(
                    user=user, entities=touched, context=HitContext.SUBMISSION, request=request
                )
                messages.info(
                    request,
                    _(
                        "Some of what these reports mention appears in intelligence you "
                        "cannot read. Open each report to see the reference to quote to the "
                        "intelligence hub."
                    ),
                )
            if not result.linked:
                messages.info(
                    request,
                    _(
                        "What the imported reports mention will be linked to other "
                        "intelligence in the background, within a few minutes."
                    ),
                )
            return redirect("intelligence:report_list")
    return render(
        request,
        "intelligence/import.html",
        {
            "form": form,
            "columns": csv_formats.COLUMNS,
            "codes": selectors.import_codes(user),
            "max_rows": csv_formats.MAX_ROWS,
        },
        status=400 if form.errors else 200,
    )
