"""Reads of joint operations. Every query starts from ``core.access.readable_operations``.

What an operation links to keeps its own access rules: a viewer sees a target's hub
entity and the intelligence that justifies it only if they may read them
(``entities.selectors.entity_for_reading``, ``access.readable_intelligence``), and
potential victims only by their pseudonymous reference.
"""

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.http import Http404, HttpRequest
from django.utils import timezone

from lantern.core import access, audit
from lantern.core.access import NotFoundOrNotAllowed
from lantern.core.models import Organisation, User
from lantern.core.roles import Role
from lantern.entities.models import Entity
from lantern.entities.selectors import entity_for_reading, readable_mentions, text_entities
from lantern.intelligence.models import IntelligenceReport
from lantern.operations.models import (
    PLAN_OPEN_STATUSES,
    TRANSITIONS,
    Disruption,
    EnforcementKind,
    Operation,
    OperationStatus,
    StatusChange,
    Target,
)
from lantern.safeguarding.models import Outcome, PotentialVictim

READ_PURPOSE = "reading an operation"
PRINT_PURPOSE = "printing an operation order"


def operations_for_listing(user: User) -> QuerySet[Operation]:
    """The operations the user may read, latest start first, with what a list shows."""
    return access.readable_operations(user).select_related("lead_organisation", "area")


# The stages an operations lead still works on; closed and cancelled ones are records.
_OPEN_STAGES = (
    OperationStatus.PLANNED,
    OperationStatus.BRIEFED,
    OperationStatus.LIVE,
    OperationStatus.DEBRIEFED,
)
HOME_PANEL_LIMIT = 10


def operations_by_stage(user: User) -> list[tuple[str, list[Operation]]]:
    """The operations the user runs that are not finished, by stage, soonest start first
    (at most ``HOME_PANEL_LIMIT`` a stage: the list page has the rest)."""
    runnable = access.runnable_operations(user).order_by("starts_at", "pk")
    stages = []
    for status in _OPEN_STAGES:
        operations = list(runnable.filter(status=status)[:HOME_PANEL_LIMIT])
        if operations:
            stages.append((OperationStatus(status).label, operations))
    return stages


def operations_taking_targets(user: User) -> QuerySet[Operation]:
    """Operations the user runs whose plan is still open: where an entity page offers to
    add that entity as a target."""
    return (
        access.runnable_operations(user)
        .filter(status__in=PLAN_OPEN_STATUSES)
        .order_by("starts_at", "pk")
    )


def operation_for_reading(
    user: User, reference: str, *, request: HttpRequest, purpose: str = READ_PURPOSE
) -> Operation:
    """One operation, its read audited; ``Http404`` alike for missing and not allowed."""
    operation = (
        operations_for_listing(user).select_related("created_by").filter(reference=reference)
    ).first()
    if operation is None:
        raise Http404
    audit.record_read(actor=user, target=operation, purpose=purpose, request=request)
    return operation


def operation_for_running(user: User, reference: str, *, request: HttpRequest) -> Operation:
    """The operation for a change: 404 if unreadable, 403 if readable but not the user's to run."""
    operation = operation_for_reading(user, reference, request=request)
    if not access.can_run_operation(user, operation):
        raise PermissionDenied
    return operation


def target_for_running(operation: Operation, pk: int) -> Target:
    """One of this operation's targets (the caller has checked the user runs it)."""
    target = operation.targets.filter(pk=pk).first()
    if target is None:
        raise Http404
    return target


def submitted_operation(user: User, submission_key: object) -> Operation | None:
    """The operation this user already planned with this form, if any (a double submission)."""
    return (
        access.readable_operations(user)
        .filter(submission_key=submission_key, created_by=user)
        .first()
    )


def lead_choices(user: User) -> QuerySet[Organisation] | None:
    """The agencies a hub coordinator may put in the lead; ``None`` for anyone else."""
    if not access.has_role(user, Role.HUB_COORDINATOR):
        return None
    return Organisation.objects.with_shared_data_access()


def participant_choices(operation: Operation) -> QuerySet[Organisation]:
    """Active partners not yet taking part."""
    return Organisation.objects.with_shared_data_access().exclude(
        operation_participations__operation=operation
    )


def targets_of(operation: Operation) -> QuerySet[Target]:
    """The operation's targets by their description (shown to every participant)."""
    return operation.targets.order_by("pk")


def participants(operation: Operation) -> QuerySet:
    return operation.participants.select_related("organisation")


def timeline(operation: Operation) -> QuerySet[StatusChange]:
    return operation.status_changes.select_related("changed_by")


def next_statuses(user: User, operation: Operation) -> list[tuple[str, str]]:
    """The moves the user may make now, as choices; none for those who only read."""
    if not access.can_run_operation(user, operation):
        return []
    allowed = TRANSITIONS.get(operation.status, frozenset())
    return [(status, label) for status, label in OperationStatus.choices if status in allowed]


def before_start(operation: Operation) -> bool:
    """Whether the planned start is still ahead: going live now brings it forward."""
    return timezone.now() < operation.starts_at


@dataclass
class TargetView:
    """A target as this viewer may see it: the entity and intelligence only if readable."""

    target: Target
    entity: Entity | None
    justification: list[IntelligenceReport]
    disruptions: list[Disruption] = field(default_factory=list)


def targets(user: User, operation: Operation) -> list[TargetView]:
    readable = access.readable_intelligence(user)
    views = []
    for target in operation.targets.prefetch_related("disruptions"):
        views.append(
            TargetView(
                target=target,
                entity=_readable_entity(user, target.entity_id),
                justification=list(readable.filter(operation_targets=target).order_by("reference")),
                disruptions=list(target.disruptions.all()),
            )
        )
    return views


# What a target search may hold: the words of a name, a phone number, a registration.
SEARCH_MAX_LENGTH = 200
_LARGEST_ID = 2**63 - 1


def search_text(raw: str) -> str:
    """The search as typed, without the characters no one types (a NUL would stop
    PostgreSQL) and at most ``SEARCH_MAX_LENGTH`` long."""
    printable = "".join(character if character.isprintable() else " " for character in raw)
    return " ".join(printable.split())[:SEARCH_MAX_LENGTH]


def entity_choices(
    user: User, *, text: str, chosen: str | None
) -> tuple[list[tuple[int, str]], list[Entity]]:
    """The hub entities a planner may pick as a target: the one chosen (linked from its
    page, or sent with the form) and those the search ``text`` finds, each named as the
    planner's own readable intelligence names it; and the restricted entities the search
    touched, for the hit / no-hit notice. An entity the planner may not read is never a
    choice, so the form refuses it like a missing one."""
    choices: dict[int, str] = {}
    if chosen and chosen.isascii() and chosen.isdecimal() and int(chosen) <= _LARGEST_ID:
        entity = _readable_entity(user, int(chosen))
        if entity is not None:
            label = (
                readable_mentions(user, [entity.root_id]).values_list("value", flat=True).first()
            )
            choices[entity.pk] = f"{entity.get_kind_display()}: {label or entity.pk}"
    restricted: list[Entity] = []
    if text:
        found = text_entities(user, text)
        for entity, label in found.readable:
            choices.setdefault(entity.pk, f"{entity.get_kind_display()}: {label}")
        restricted = found.restricted
    return list(choices.items()), restricted


def _readable_entity(user: User, pk: int) -> Entity | None:
    try:
        return entity_for_reading(user, pk)
    except NotFoundOrNotAllowed:
        return None


def generated_intelligence(user: User, operation: Operation) -> QuerySet[IntelligenceReport]:
    """The new intelligence linked to the operation that the user may read."""
    return (
        access.readable_intelligence(user)
        .filter(generated_by_operations=operation)
        .order_by("reference")
    )


def victims(user: User, operation: Operation) -> QuerySet[PotentialVictim]:
    """The potential victims identified in the operation the user may see; the page shows
    only their pseudonymous reference and non-identifying facts."""
    return (
        access.readable_victims(user)
        .filter(operation=operation)
        .select_related("target", "nrm_referral", "duty_to_notify", "identified_by")
        .order_by("reference")
    )


@dataclass(frozen=True)
class DebriefTotals:
    """An operation's results, added up from the records they come from, never typed."""

    targets: int
    targets_visited: int
    people_spoken_to: int
    arrests: int
    charges: int
    warrants_executed: int
    closure_orders: int
    items_seized: int
    businesses_disrupted: int
    disruptions_by_kind: list[tuple[str, int]]
    victims_identified: int
    victims_safeguarded: int
    nrm_referrals: int
    duty_to_notify_reports: int
    new_intelligence: int


_SUMMED = (
    "people_spoken_to",
    "arrests",
    "charges",
    "warrants_executed",
    "closure_orders",
    "items_seized",
)


def debrief_totals(user: User, operation: Operation) -> DebriefTotals:
    """Sums over the targets' outcomes; counts of the safeguarding records and intelligence
    linked to the operation. Figures only: nothing here names a person or a report.

    New intelligence is counted among what the viewer may read, so that the count never
    tells a participant that restricted intelligence came out of the operation.
    """
    sums = Target.objects.filter(operation=operation).aggregate(
        targets=Count("pk"),
        targets_visited=Count("pk", filter=Q(visited=True)),
        **{name: Coalesce(Sum(name), 0) for name in _SUMMED},
    )
    disrupted = Disruption.objects.filter(target__operation=operation)
    by_kind = dict(disrupted.order_by().values_list("kind").annotate(count=Count("pk")))
    people = PotentialVictim.objects.filter(operation=operation).aggregate(
        identified=Count("pk"),
        safeguarded=Count("pk", filter=Q(outcome=Outcome.SAFEGUARDED)),
        nrm=Count("nrm_referral"),
        duty_to_notify=Count("duty_to_notify"),
    )
    return DebriefTotals(
        **sums,
        businesses_disrupted=disrupted.order_by().values("target").distinct().count(),
        disruptions_by_kind=[
            (label, by_kind[kind]) for kind, label in EnforcementKind.choices if kind in by_kind
        ],
        victims_identified=people["identified"],
        victims_safeguarded=people["safeguarded"],
        nrm_referrals=people["nrm"],
        duty_to_notify_reports=people["duty_to_notify"],
        new_intelligence=generated_intelligence(user, operation).count(),
    )
