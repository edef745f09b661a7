"""Reads of the action plan: the RAG summary, overdue actions and what each user reads."""

import datetime

from django.utils import timezone

from lantern.evaluation.models import Action
from lantern.evaluation.selectors import action_plan as selectors
from lantern.evaluation.selectors.action_plan import PlanFilters
from tests.evaluation.action_plan.factories import ActionFactory, ObjectiveFactory

YESTERDAY = timezone.localdate() - datetime.timedelta(days=1)


def test_the_summary_counts_open_actions_by_rag_and_the_overdue(
    coordinator, objective, council, charity
):
    ActionFactory(objective=objective, owner=council)
    ActionFactory(objective=objective, owner=council, rag="amber", rag_reason="Late start")
    ActionFactory(
        objective=objective, owner=charity, rag="red", rag_reason="No funding", due_on=YESTERDAY
    )
    ActionFactory(objective=objective, owner=charity, status="complete", due_on=YESTERDAY)

    summary = selectors.rag_summary(coordinator)

    assert (summary.green, summary.amber, summary.red) == (1, 1, 1)
    assert (summary.complete, summary.overdue, summary.total) == (1, 1, 4)
    assert [action.rag for action in selectors.overdue_actions(coordinator)] == ["red"]


def test_a_partner_counts_only_its_own_organisations_actions(council_user, action, other_action):
    summary = selectors.rag_summary(council_user)
    assert summary.total == 1
    assert list(selectors.readable_actions(council_user)) == [action]
    assert selectors.own_actions(council_user) == [action]


def test_the_plan_groups_actions_under_their_objectives_in_the_strategys_order(coordinator):
    prepare = ObjectiveFactory(pillar="prepare", title="Train staff")
    pursue = ObjectiveFactory(pillar="pursue", title="Disrupt networks")
    empty = ObjectiveFactory(pillar="protect", title="Support victims")
    ActionFactory(objective=prepare)
    ActionFactory(objective=pursue)

    sections = selectors.plan(coordinator, PlanFilters())

    assert [section.pillar for section in sections] == ["pursue", "protect", "prepare"]
    assert [part.objective for part in sections[1].objectives] == [empty]
    # Filtering leaves out objectives without a matching action.
    filtered = selectors.plan(coordinator, PlanFilters(pillar="pursue"))
    assert [part.objective for section in filtered for part in section.objectives] == [pursue]


def test_nobody_else_reads_any_action(make_user, action):
    assert not selectors.readable_actions(make_user()).exists()
    assert Action.objects.count() == 1
