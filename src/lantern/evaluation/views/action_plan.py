"""Pages of the action plan: the plan with its filters, an action and its timeline, the
coordinator's forms, the owner's progress and evidence forms, and the XLSX export.
Thin: each parses a form, calls a service or selector, and renders. Whoever may not see a
page gets the same 404 as for a page that does not exist."""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache

from lantern.core import access
from lantern.core.audit import AuditContext
from lantern.core.forms import add_refusal
from lantern.evaluation import evidence as evidence_rules
from lantern.evaluation.forms.action_plan import (
    ActionForm,
    EvidenceForm,
    ObjectiveForm,
    PlanFilterForm,
    ProgressForm,
)
from lantern.evaluation.models.action_plan import Pillar, Rag
from lantern.evaluation.presenters import action_plan as presenters
from lantern.evaluation.selectors import action_plan as selectors
from lantern.evaluation.selectors.action_plan import PlanFilters
from lantern.evaluation.services import action_plan as services

_FILTER_PROBLEMS = {
    "pillar": gettext_lazy("There is no such strand: showing every strand."),
    "owner": gettext_lazy("No action you can see has that owner: showing every owner."),
    "rag": gettext_lazy("There is no such RAG status: showing every RAG status."),
    "overdue": gettext_lazy("Overdue is on or off: showing every action."),
}


@login_required
@never_cache
def plan(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not access.can_read_action_plan(user):
        raise Http404
    owners = selectors.owner_filter_choices(user)
    form = PlanFilterForm(request.GET, owners=owners)
    form.is_valid()
    problems = [str(_FILTER_PROBLEMS[name]) for name in form.errors if name in _FILTER_PROBLEMS]
    data = form.cleaned_data
    filters = PlanFilters(
        pillar=data.get("pillar") or "",
        owner=data.get("owner"),
        rag=data.get("rag") or "",
        overdue=bool(data.get("overdue")),
    )
    return render(
        request,
        "evaluation/action_plan/plan.html",
        {
            "sections": selectors.plan(user, filters),
            "summary": selectors.rag_summary(user),
            "filters": filters,
            "problems": problems,
            "owners": owners,
            "pillars": Pillar.choices,
            "rags": Rag.choices,
            "today": timezone.localdate(),
            "can_manage": access.can_manage_action_plan(user),
            "whole_plan": access.can_read_whole_action_plan(user),
        },
    )


@login_required
@never_cache
def export(request: HttpRequest) -> HttpResponse:
    """The plan the user reads, as an XLSX workbook (audited as an export)."""
    if not access.can_read_action_plan(request.user):
        raise Http404
    actions = selectors.actions_for_export(request.user, context=AuditContext.from_request(request))
    response = HttpResponse(presenters.workbook(actions), content_type=presenters.XLSX_CONTENT_TYPE)
    filename = f"action-plan-{timezone.localdate().isoformat()}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
@never_cache
def action_page(request: HttpRequest, reference: str) -> HttpResponse:
    user = request.user
    action = selectors.action_for_reading(user, reference)
    return render(
        request,
        "evaluation/action_plan/action.html",
        {
            "action": action,
            "overdue": action.is_overdue(),
            "evidence": presenters.evidence_rows(user, action),
            "timeline": [
                (update, presenters.changed_field_labels(update.changed_fields))
                for update in selectors.timeline(action)
            ],
            "can_update": access.can_update_action(user, action.owner_id),
            "can_manage": access.can_manage_action_plan(user),
        },
    )


@login_required
@never_cache
def objective_create(request: HttpRequest) -> HttpResponse:
    if not access.can_manage_action_plan(request.user):
        raise Http404
    form = ObjectiveForm(_posted(request))
    return _form_page(
        request,
        form,
        save=lambda data: services.create_objective(
            actor=request.user, context=AuditContext.from_request(request), **data
        ),
        done=lambda objective: _("Objective added: %(title)s") % {"title": objective.title},
        after=lambda objective: "evaluation:action_plan",
        title=_("Add an objective"),
        button=_("Add the objective"),
    )


@login_required
@never_cache
def objective_edit(request: HttpRequest, pk: int) -> HttpResponse:
    objective = selectors.objective_for_managing(request.user, pk)
    initial = {
        "pillar": objective.pillar,
        "title": objective.title,
        "description": objective.description,
    }
    form = ObjectiveForm(_posted(request), initial=initial)
    return _form_page(
        request,
        form,
        save=lambda data: services.change_objective(
            objective=objective,
            actor=request.user,
            context=AuditContext.from_request(request),
            **{name: value for name, value in data.items() if name != "submission_key"},
        ),
        done=lambda changed: _("Objective saved"),
        after=lambda changed: "evaluation:action_plan",
        title=_("Change the objective"),
        button=_("Save the objective"),
    )


def _action_form(request: HttpRequest, **kwargs: Any) -> ActionForm:
    user = request.user
    return ActionForm(
        _posted(request),
        objectives=selectors.objective_choices(user),
        owners=selectors.owner_choices(user),
        leads=selectors.lead_user_choices(user),
        **kwargs,
    )


@login_required
@never_cache
def action_create(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not access.can_manage_action_plan(user):
        raise Http404
    form = _action_form(request, initial={"objective": request.GET.get("objective")})
    if request.method == "POST" and form.is_valid():
        already = selectors.submitted_action(user, form.cleaned_data["submission_key"])
        if already is not None:
            return redirect("evaluation:action", reference=already.reference)
    return _form_page(
        request,
        form,
        save=lambda data: services.create_action(
            actor=user, context=AuditContext.from_request(request), **data
        ),
        done=lambda action: _("Action %(reference)s added") % {"reference": action.reference},
        after=lambda action: ("evaluation:action", action.reference),
        title=_("Add an action"),
        button=_("Add the action"),
    )


@login_required
@never_cache
def action_edit(request: HttpRequest, reference: str) -> HttpResponse:
    action = selectors.action_for_managing(request.user, reference)
    initial = {
        "objective": action.objective_id,
        "title": action.title,
        "description": action.description,
        "owner": action.owner_id,
        "lead_name": action.lead_name,
        "lead_user": action.lead_user_id,
        "due_on": action.due_on,
    }
    form = _action_form(request, initial=initial)
    return _form_page(
        request,
        form,
        save=lambda data: services.change_action(
            action=action,
            actor=request.user,
            context=AuditContext.from_request(request),
            **{name: value for name, value in data.items() if name != "submission_key"},
        ),
        done=lambda changed: _("Action saved"),
        after=lambda changed: ("evaluation:action", changed.reference),
        title=_("Change the action"),
        button=_("Save the action"),
        action=action,
    )


@login_required
@never_cache
def progress(request: HttpRequest, reference: str) -> HttpResponse:
    action = selectors.action_for_updating(request.user, reference)
    initial = {"status": action.status, "rag": action.rag, "rag_reason": action.rag_reason}
    form = ProgressForm(_posted(request), initial=initial)
    return _form_page(
        request,
        form,
        save=lambda data: services.update_progress(
            action=action, actor=request.user, context=AuditContext.from_request(request), **data
        ),
        done=lambda update: _("Progress recorded"),
        after=lambda update: ("evaluation:action", action.reference),
        title=_("Update progress"),
        button=_("Save the update"),
        action=action,
    )


@login_required
@never_cache
def evidence(request: HttpRequest, reference: str) -> HttpResponse:
    action = selectors.action_for_updating(request.user, reference)
    form = EvidenceForm(_posted(request), kinds=evidence_rules.available_kinds())
    return _form_page(
        request,
        form,
        save=lambda data: services.link_evidence(
            action=action, actor=request.user, context=AuditContext.from_request(request), **data
        ),
        done=lambda linked: _("Evidence linked"),
        after=lambda linked: ("evaluation:action", action.reference),
        title=_("Link evidence"),
        button=_("Link the evidence"),
        action=action,
    )


def _form_page(
    request: HttpRequest,
    form: Any,
    *,
    save: Callable[[dict[str, Any]], Any],
    done: Callable[[Any], str],
    after: Callable[[Any], str | tuple[str, str]],
    title: str,
    button: str,
    action: Any = None,
) -> HttpResponse:
    """One form: saved by ``save`` then on to ``after``, or shown again with every problem
    named (a refusal from the service lands on its field)."""
    if request.method == "POST" and form.is_valid():
        try:
            saved = save(form.cleaned_data)
        except ValidationError as error:
            add_refusal(form, error)
        else:
            messages.success(request, done(saved))
            destination = after(saved)
            if isinstance(destination, tuple):
                return redirect(destination[0], reference=destination[1])
            return redirect(destination)
    return render(
        request,
        "evaluation/action_plan/form.html",
        {"form": form, "title": title, "button": button, "action": action},
        status=400 if form.errors else 200,
    )


def _posted(request: HttpRequest) -> Any:
    return request.POST if request.method == "POST" else None
