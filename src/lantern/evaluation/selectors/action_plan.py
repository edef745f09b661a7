"""Reads of the action plan. Every query starts from ``readable_actions``, which asks the
access policy: the coordinator and the board viewer read the whole plan, a partner user the
actions its own organisation owns. What is missing and what is not allowed are the same 404.
"""

import datetime
import uuid
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from lantern.core import access, audit
from lantern.core.access import NotFoundOrNotAllowed
from lantern.core.audit import AuditContext
from lantern.core.models import Organisation, User
from lantern.evaluation.models.action_plan import (
    Action,
    ActionStatus,
    ActionUpdate,
    Evidence,
    Objective,
    Pillar,
    Rag,
)
from lantern.operations.models import Operation
from lantern.outreach.selectors import campaigns as campaign_selectors
from lantern.outreach.selectors import training as training_selectors

EXPORT_PURPOSE = "exporting the action plan"


def readable_actions(user: User) -> QuerySet[Action]:
    """Every action the user may read, as one query."""
    actions = Action.objects.select_related("objective", "owner", "lead_user")
    if access.can_read_whole_action_plan(user):
        return actions
    if access.can_update_owned_actions(user):
        return actions.filter(owner_id=user.organisation_id)
    return actions.none()


def readable_objectives(user: User) -> QuerySet[Objective]:
    """Objectives the user may read: all for the whole plan's readers, else those under
    which the user's organisation owns an action."""
    if access.can_read_whole_action_plan(user):
        return Objective.objects.all()
    return Objective.objects.filter(pk__in=readable_actions(user).values("objective_id"))


def overdue(actions: QuerySet[Action], today: datetime.date | None = None) -> QuerySet[Action]:
    """Actions past their due date and not complete."""
    today = today or timezone.localdate()
    return actions.filter(due_on__lt=today).exclude(status=ActionStatus.COMPLETE)


@dataclass(frozen=True)
class PlanFilters:
    pillar: str = ""
    owner: int | None = None
    rag: str = ""
    overdue: bool = False

    @property
    def active(self) -> bool:
        return bool(self.pillar or self.owner or self.rag or self.overdue)


@dataclass
class ObjectiveSection:
    objective: Objective
    actions: list[Action] = field(default_factory=list)


@dataclass
class PillarSection:
    pillar: str
    label: str
    objectives: list[ObjectiveSection] = field(default_factory=list)


def filtered_actions(user: User, filters: PlanFilters) -> QuerySet[Action]:
    actions = readable_actions(user)
    if filters.pillar:
        actions = actions.filter(objective__pillar=filters.pillar)
    if filters.owner:
        actions = actions.filter(owner_id=filters.owner)
    if filters.rag:
        actions = actions.filter(rag=filters.rag)
    if filters.overdue:
        actions = overdue(actions)
    return actions.order_by("objective_id", "due_on", "pk")


def plan(user: User, filters: PlanFilters) -> list[PillarSection]:
    """The plan grouped by P then objective, in the strategy's order.

    Without filters, the whole plan's readers also see objectives that have no action yet.
    """
    sections = {pillar: PillarSection(pillar, label) for pillar, label in Pillar.choices}
    by_objective: dict[int, ObjectiveSection] = {}
    if not filters.active:
        for objective in readable_objectives(user).order_by("pk"):
            by_objective[objective.pk] = ObjectiveSection(objective)
    for action in filtered_actions(user, filters):
        section = by_objective.setdefault(action.objective_id, ObjectiveSection(action.objective))
        section.actions.append(action)
    for section in sorted(by_objective.values(), key=lambda found: found.objective.pk):
        sections[section.objective.pillar].objectives.append(section)
    return [section for section in sections.values() if section.objectives]


@dataclass(frozen=True)
class RagSummary:
    green: int
    amber: int
    red: int
    complete: int
    overdue: int
    total: int


def rag_summary(user: User) -> RagSummary:
    """How many of the actions the user reads are green, amber or red (open ones), complete,
    and overdue."""
    actions = readable_actions(user)
    open_actions = Q(~Q(status=ActionStatus.COMPLETE))
    counts = actions.aggregate(
        green=Count("pk", filter=open_actions & Q(rag=Rag.GREEN)),
        amber=Count("pk", filter=open_actions & Q(rag=Rag.AMBER)),
        red=Count("pk", filter=open_actions & Q(rag=Rag.RED)),
        complete=Count("pk", filter=Q(status=ActionStatus.COMPLETE)),
        total=Count("pk"),
    )
    return RagSummary(overdue=overdue(actions).count(), **counts)


def overdue_actions(user: User, *, limit: int = 10) -> list[Action]:
    return list(overdue(readable_actions(user)).order_by("due_on", "pk")[:limit])


def own_actions(user: User, *, limit: int = 20) -> list[Action]:
    """The actions the user's organisation owns, open ones first, soonest due first."""
    if not access.can_update_owned_actions(user):
        return []
    return list(
        readable_actions(user)
        .filter(owner_id=user.organisation_id)
        .order_by("completed_on", "due_on", "pk")[:limit]
    )


def action_for_reading(user: User, reference: str) -> Action:
    action = readable_actions(user).filter(reference=reference).first()
    if action is None:
        raise NotFoundOrNotAllowed
    return action


def action_for_updating(user: User, reference: str) -> Action:
    """An action whose progress the user reports (its owner, or the coordinator), else 404."""
    action = action_for_reading(user, reference)
    if not access.can_update_action(user, action.owner_id):
        raise NotFoundOrNotAllowed
    return action


def action_for_managing(user: User, reference: str) -> Action:
    if not access.can_manage_action_plan(user):
        raise NotFoundOrNotAllowed
    return action_for_reading(user, reference)


def objective_for_managing(user: User, pk: int) -> Objective:
    if not access.can_manage_action_plan(user):
        raise NotFoundOrNotAllowed
    objective = Objective.objects.filter(pk=pk).first() if pk < 2**63 else None
    if objective is None:
        raise NotFoundOrNotAllowed
    return objective


def objective_choices(user: User) -> QuerySet[Objective]:
    if not access.can_manage_action_plan(user):
        return Objective.objects.none()
    return Objective.objects.order_by("pillar", "pk")


def owner_choices(user: User) -> QuerySet[Organisation]:
    """Active partners with a signed agreement: who may own an action."""
    if not access.can_manage_action_plan(user):
        return Organisation.objects.none()
    return Organisation.objects.with_shared_data_access().order_by("name")


def owner_filter_choices(user: User) -> list[tuple[int, str]]:
    """The organisations that own an action the user reads, for the plan's filter."""
    owners = readable_actions(user).order_by().values_list("owner_id", "owner__name").distinct()
    return sorted(owners, key=lambda owner: owner[1])


def lead_user_choices(user: User) -> QuerySet[User]:
    """Active users of active partners, one of whom may lead an action of their organisation."""
    if not access.can_manage_action_plan(user):
        return User.objects.none()
    return (
        User.objects.filter(
            is_active=True,
            organisation__in=Organisation.objects.with_shared_data_access(),
        )
        .select_related("organisation")
        .order_by("organisation__name", "full_name")
    )


def submitted_action(user: User, submission_key: uuid.UUID) -> Action | None:
    """The action this user already added with this form, if any (a double submission)."""
    return readable_actions(user).filter(submission_key=submission_key, created_by=user).first()


def timeline(action: Action) -> QuerySet[ActionUpdate]:
    return action.updates.select_related("recorded_by__organisation", "evidence")


def evidence(action: Action) -> QuerySet[Evidence]:
    return action.evidence.all()


def readable_operation_references(user: User, references: list[str]) -> set[str]:
    """Which of these operations the user may read (evidence links only those)."""
    return set(
        access.readable_operations(user)
        .filter(reference__in=references)
        .values_list("reference", flat=True)
    )


def operation_names(references: set[str]) -> dict[str, str]:
    """Names of operations the caller has checked the user may read."""
    return dict(Operation.objects.filter(reference__in=references).values_list("reference", "name"))


def readable_campaign_names(user: User, codes: list[str]) -> dict[str, str]:
    """Names of the campaigns among ``codes`` that the user may read (others: code only)."""
    return dict(
        campaign_selectors.campaigns(user).filter(code__in=codes).values_list("code", "name")
    )


def readable_course_titles(user: User, references: list[str]) -> dict[str, str]:
    """Titles of the courses among ``references`` (their numbers) that the user may read."""
    numbers = [int(reference) for reference in references if reference.isdigit()]
    return {
        str(pk): title
        for pk, title in training_selectors.courses(user)
        .filter(pk__in=numbers)
        .values_list("pk", "title")
    }


def actions_for_export(user: User, *, context: AuditContext | None = None) -> list[Action]:
    """Every action the user reads, in plan order, the export audited."""
    order = {pillar: index for index, pillar in enumerate(Pillar.values)}
    actions = sorted(
        readable_actions(user),
        key=lambda action: (order[action.objective.pillar], action.objective_id, action.due_on),
    )
    audit.record_export(
        actor=user,
        description="action plan (XLSX)",
        row_count=len(actions),
        purpose=EXPORT_PURPOSE,
        context=context,
    )
    return actions
