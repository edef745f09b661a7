"""The demo's action plan: plausible, across the four Ps, and loaded once."""

import datetime

import pytest
from django.utils import timezone

from lantern.demo import evaluation_plan, partnership
from lantern.evaluation.models import Action, ActionUpdate, Evidence, Objective
from tests.operations.factories import OperationFactory


@pytest.fixture(scope="module")
def loaded(module_transaction):
    """Loaded once for the module (tests/demo/conftest.py)."""
    partnership.generate()
    OperationFactory(name="Operation Aidant")
    return evaluation_plan.generate(seed=partnership.DEFAULT_SEED)


@pytest.fixture
def demo(loaded, db):
    return loaded


def test_a_plan_of_about_twenty_actions_across_the_four_ps(demo):
    today = timezone.localdate()
    assert 18 <= demo == Action.objects.count() <= 24
    assert set(Objective.objects.values_list("pillar", flat=True)) == {
        "pursue",
        "prevent",
        "protect",
        "prepare",
    }
    assert Action.objects.values("owner").distinct().count() >= 10
    overdue = [action for action in Action.objects.all() if action.is_overdue(today)]
    assert 3 <= len(overdue) < demo
    assert Action.objects.filter(rag__in=["amber", "red"]).exclude(rag_reason="").exists()
    assert not Action.objects.filter(rag__in=["amber", "red"], rag_reason="").exists()
    oldest = ActionUpdate.objects.order_by("recorded_at").first().recorded_at.date()
    assert today - oldest > datetime.timedelta(days=365)


def test_the_demo_log_ins_organisations_own_actions(demo):
    for name in (
        "Leicestershire Fire and Rescue Service",
        "Leicester City Council",
        "Hope Against Trafficking Leicester",
        "Leicestershire Police",
    ):
        assert Action.objects.filter(owner__name=name).exists()


def test_evidence_links_a_demo_operation(demo):
    evidence = Evidence.objects.get(kind="operation")
    assert evidence.reference.startswith("OPS-")
    assert ActionUpdate.objects.filter(kind="evidence", evidence=evidence).exists()


def test_running_it_again_changes_nothing(demo):
    assert evaluation_plan.generate(seed=partnership.DEFAULT_SEED) == 0
    assert Action.objects.count() == demo
