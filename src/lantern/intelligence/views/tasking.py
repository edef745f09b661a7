"""Taskings: the hub tasks agencies and withdraws taskings; an agency reads and answers
its own."""

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
from lantern.core.forms import saved
from lantern.intelligence import selectors
from lantern.intelligence.forms import TaskingAnswerForm, TaskingForm
from lantern.intelligence.models import TaskingStatus
from lantern.intelligence.services import tasking as tasking_services
from lantern.intelligence.views.common import LIST_LIMIT, analyst_report, form_page


@login_required
@never_cache
def task(request: HttpRequest, reference: str) -> HttpResponse:
    auditing = AuditContext.from_request(request)
    user = request.user
    report = analyst_report(request, reference)
    organisations = selectors.taskable_organisations(user)
    if request.method == "POST":
        form = TaskingForm(request.POST, organisations=organisations)
        if saved(
            form,
            lambda data: tasking_services.task_agencies(
                report=report, user=user, context=auditing, **data
            ),
        ):
            names = ", ".join(
                str(organisation) for organisation in form.cleaned_data["organisations"]
            )
            messages.success(request, _("Tasked: %(names)s") % {"names": names})
            return redirect("intelligence:report_detail", reference=report.reference)
    else:
        form = TaskingForm(organisations=organisations)
    return form_page(request, "intelligence/task.html", form, report=report)


@login_required
@never_cache
@require_POST
def withdraw_tasking(request: HttpRequest, reference: str, pk: int) -> HttpResponse:
    auditing = AuditContext.from_request(request)
    user = request.user
    report = selectors.report_for_reading(user, reference, context=auditing)
    tasking = selectors.tasking_for_withdrawal(user, report, pk)
    try:
        tasking_services.withdraw_tasking(tasking=tasking, user=user, context=auditing)
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
def answer_tasking(request: HttpRequest, pk: int) -> HttpResponse:
    auditing = AuditContext.from_request(request)
    user = request.user
    tasking = selectors.tasking_for_answering(user, pk, context=auditing)
    form = None
    if request.method == "POST":
        form = TaskingAnswerForm(request.POST)
        if saved(
            form,
            lambda data: tasking_services.answer_tasking(
                tasking=tasking, user=user, context=auditing, **data
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
