"""Pages of joint operations: list, plan, read, run (participants, targets, status), debrief
and the printable operation order. Thin: each parses a form, calls a service or selector,
and renders."""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from lantern.core import access
from lantern.core.audit import AuditContext
from lantern.core.forms import add_refusal
from lantern.core.presenters import paginate
from lantern.entities import hits as entity_hits
from lantern.entities.models import HitContext
from lantern.operations import presenters, selectors, services
from lantern.operations.forms import (
    DebriefNotesForm,
    HandOverForm,
    IntelligenceLinkForm,
    MoveForm,
    ParticipantForm,
    PlanForm,
    TargetDebriefForm,
    TargetForm,
)
from lantern.operations.models import Operation
from lantern.safeguarding import selectors as safeguarding_selectors
from lantern.safeguarding import services as safeguarding_services
from lantern.safeguarding.models import PotentialVictim


@login_required
@never_cache
def operation_list(request: HttpRequest) -> HttpResponse:
    """Every operation the user may see, a page at a time: none is silently left off."""
    if not access.can_read_operations(request.user):
        raise PermissionDenied
    pages = paginate(request, selectors.operations_for_listing(request.user))
    return render(
        request,
        "operations/operation_list.html",
        {
            "operations": pages["page"].object_list,
            **pages,
            "can_plan": access.can_plan_operations(request.user),
        },
    )


@login_required
@never_cache
def operation_create(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not access.can_plan_operations(user):
        raise PermissionDenied
    lead_choices = selectors.lead_choices(user)
    if request.method == "POST":
        form = PlanForm(request.POST, lead_choices=lead_choices)
        if form.is_valid():
            data = form.cleaned_data
            already = selectors.submitted_operation(user, data["submission_key"])
            if already is not None:
                return redirect("operations:operation", reference=already.reference)
            try:
                operation = services.plan_operation(
                    actor=user, context=AuditContext.from_request(request), **data
                )
            except ValidationError as error:
                add_refusal(form, error)
            else:
                messages.success(
                    request,
                    _("Operation %(reference)s planned") % {"reference": operation.reference},
                )
                return redirect("operations:operation", reference=operation.reference)
    else:
        form = PlanForm(
            lead_choices=lead_choices,
            initial={"lead_organisation": user.organisation_id},
        )
    return render(
        request, "operations/plan.html", {"form": form}, status=400 if form.errors else 200
    )


@login_required
@never_cache
def operation_page(request: HttpRequest, reference: str) -> HttpResponse:
    operation = selectors.operation_for_reading(
        request.user, reference, context=AuditContext.from_request(request)
    )
    return render(request, "operations/operation.html", _operation_context(request, operation))


@login_required
@never_cache
def operation_order(request: HttpRequest, reference: str) -> HttpResponse:
    """The operation order and debrief summary, laid out for printing."""
    operation = selectors.operation_for_reading(
        request.user,
        reference,
        context=AuditContext.from_request(request),
        purpose=selectors.PRINT_PURPOSE,
    )
    return render(request, "operations/order.html", _operation_context(request, operation))


def _operation_context(request: HttpRequest, operation: Operation) -> dict[str, Any]:
    user = request.user
    return {
        "operation": operation,
        "participants": selectors.participants(operation),
        "targets": [
            (view, presenters.record_victim_url(user, operation, view.target))
            for view in selectors.targets(user, operation)
        ],
        "victims": presenters.victim_rows(user, operation),
        "totals": selectors.debrief_totals(request.user, operation)
        if operation.went_live_at
        else None,
        "intelligence": selectors.generated_intelligence(user, operation),
        "timeline": selectors.timeline(operation),
        "can_run": access.can_run_operation(user, operation),
        "can_move": bool(selectors.next_statuses(user, operation)),
        "hand_over_url": presenters.hand_over_url(user, operation),
    }


@login_required
@never_cache
def add_participant(request: HttpRequest, reference: str) -> HttpResponse:
    auditing = AuditContext.from_request(request)
    operation = selectors.operation_for_running(request.user, reference, context=auditing)
    organisations = selectors.participant_choices(operation)
    form = ParticipantForm(_posted(request), organisations=organisations)
    return _form_page(
        request,
        operation,
        form,
        save=lambda data: services.add_participant(
            operation=operation, actor=request.user, context=auditing, **data
        ),
        done=_("Agency added: it can now read the plan"),
        title=_("Add a participating agency"),
        button=_("Add the agency"),
    )


@login_required
@never_cache
def add_target(request: HttpRequest, reference: str) -> HttpResponse:
    """A target found by searching the hub's entities (``?q=``), never typed as a number.

    The entity page's "add as a target" links name the entity (``?entity=``); the service
    checks again that the planner may read it. A search that touches restricted
    intelligence says only that it exists, as the intelligence search does (hit / no-hit).
    """
    user = request.user
    auditing = AuditContext.from_request(request)
    operation = selectors.operation_for_running(user, reference, context=auditing)
    text = selectors.search_text(request.GET.get("q", ""))
    chosen = (request.POST if request.method == "POST" else request.GET).get("entity")
    entities, restricted = selectors.entity_choices(user, text=text, chosen=chosen)
    hits = entity_hits.record_hits(
        user=user,
        entities=restricted[:1],
        where=HitContext.SEARCH,
        context=AuditContext.from_request(request),
    )
    initial = {"entity": entities[0][0]} if len(entities) == 1 else {}
    form = TargetForm(_posted(request), entities=entities, initial=initial)
    return _form_page(
        request,
        operation,
        form,
        save=lambda data: services.add_target(
            operation=operation,
            actor=user,
            context=auditing,
            entity_id=data["entity"],
            description=data["description"],
            justification=data["justification"],
        ),
        done=_("Target added"),
        title=_("Add a target"),
        button=_("Add the target"),
        template="operations/target_form.html",
        extra={"search": text, "searched": bool(text), "hits": list(hits.values())},
    )


@login_required
@never_cache
def move(request: HttpRequest, reference: str) -> HttpResponse:
    auditing = AuditContext.from_request(request)
    operation = selectors.operation_for_running(request.user, reference, context=auditing)
    form = MoveForm(
        _posted(request),
        next_statuses=selectors.next_statuses(request.user, operation),
        before_start=selectors.before_start(operation),
    )
    return _form_page(
        request,
        operation,
        form,
        save=lambda data: services.move(
            operation=operation, actor=request.user, context=auditing, **data
        ),
        done=_("Status changed"),
        title=_("Change the status"),
        button=_("Change the status"),
    )


@login_required
@never_cache
def debrief_target(request: HttpRequest, reference: str, pk: int) -> HttpResponse:
    auditing = AuditContext.from_request(request)
    operation = selectors.operation_for_running(request.user, reference, context=auditing)
    target = selectors.target_for_running(operation, pk)
    initial = {
        "visited": target.visited,
        "people_spoken_to": target.people_spoken_to,
        "arrests": target.arrests,
        "charges": target.charges,
        "warrants_executed": target.warrants_executed,
        "closure_orders": target.closure_orders,
        "items_seized": target.items_seized,
        "disruptions": [disruption.kind for disruption in target.disruptions.all()],
        "outcome_notes": target.outcome_notes,
    }
    form = TargetDebriefForm(_posted(request), initial=initial)
    return _form_page(
        request,
        operation,
        form,
        save=lambda data: services.debrief_target(
            target=target, actor=request.user, context=auditing, **data
        ),
        done=_("Outcomes recorded for %(target)s") % {"target": target.description},
        title=_("Debrief: %(target)s") % {"target": target.description},
        button=_("Save the outcomes"),
    )


@login_required
@never_cache
def debrief(request: HttpRequest, reference: str) -> HttpResponse:
    auditing = AuditContext.from_request(request)
    operation = selectors.operation_for_running(request.user, reference, context=auditing)
    form = DebriefNotesForm(_posted(request), initial={"notes": operation.debrief_notes})
    return _form_page(
        request,
        operation,
        form,
        save=lambda data: services.record_debrief_notes(
            operation=operation, actor=request.user, context=auditing, **data
        ),
        done=_("Debrief notes saved"),
        title=_("Debrief notes"),
        button=_("Save the notes"),
    )


@login_required
@never_cache
def link_intelligence(request: HttpRequest, reference: str) -> HttpResponse:
    auditing = AuditContext.from_request(request)
    operation = selectors.operation_for_running(request.user, reference, context=auditing)
    form = IntelligenceLinkForm(_posted(request))
    return _form_page(
        request,
        operation,
        form,
        save=lambda data: services.link_intelligence(
            operation=operation, actor=request.user, context=auditing, **data
        ),
        done=_("Intelligence linked"),
        title=_("Link new intelligence"),
        button=_("Link the intelligence"),
    )


@login_required
@never_cache
def hand_over(request: HttpRequest, reference: str) -> HttpResponse:
    """Someone found in the operation, handed to a participating safeguarding lead."""
    user = request.user
    auditing = AuditContext.from_request(request)
    operation = selectors.operation_for_reading(user, reference, context=auditing)
    if not access.can_hand_over_victims(user, operation):
        raise PermissionDenied
    form = HandOverForm(
        _posted(request),
        organisations=safeguarding_selectors.receiving_organisations(operation),
        targets=selectors.targets_of(operation),
        initial={"identified_on": timezone.localdate(), "target": request.GET.get("target")},
    )
    handed: list[PotentialVictim] = []

    def save(data: dict[str, Any]) -> None:
        handed.append(
            safeguarding_services.hand_over_from_operation(
                actor=user, operation=operation, context=auditing, **data
            )
        )

    response = _form_page(
        request,
        operation,
        form,
        save=save,
        done="",
        title=_("Hand over a person found"),
        button=_("Hand over"),
    )
    if handed:
        messages.success(
            request,
            _("Potential victim %(reference)s handed over to %(organisation)s")
            % {"reference": handed[0].reference, "organisation": handed[0].identified_by},
        )
    return response


def _form_page(
    request: HttpRequest,
    operation: Operation,
    form: Any,
    *,
    save: Callable[[dict[str, Any]], object],
    done: str,
    title: str,
    button: str,
    template: str = "operations/form.html",
    extra: dict[str, Any] | None = None,
) -> HttpResponse:
    """One small form about an operation: saved by ``save`` then back to the operation, or
    shown again with every problem named (a refusal from the service lands on its field)."""
    if request.method == "POST" and form.is_valid():
        try:
            save(form.cleaned_data)
        except ValidationError as error:
            add_refusal(form, error)
        else:
            if done:
                messages.success(request, done)
            return redirect("operations:operation", reference=operation.reference)
    return render(
        request,
        template,
        {"operation": operation, "form": form, "title": title, "button": button, **(extra or {})},
        status=400 if form.errors else 200,
    )


def _posted(request: HttpRequest) -> Any:
    """The form data of a POST (even an empty one, which must show its errors), else None."""
    return request.POST if request.method == "POST" else None
