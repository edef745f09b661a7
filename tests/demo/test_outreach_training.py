"""The demo's training: five years of sessions, 220+ staff, NRM awareness up about 140%."""

import datetime

import pytest

from lantern.core.roles import Role
from lantern.demo import outreach_training, partnership
from lantern.outreach.models.training import Attempt, Stage, TrainingSession, TrainingTopic
from lantern.outreach.selectors import training as selectors

TODAY = datetime.date(2026, 11, 20)


@pytest.fixture(scope="module")
def loaded(module_transaction):
    """Loaded once for the module (tests/demo/conftest.py)."""
    partnership.generate()
    return outreach_training.generate(seed=partnership.DEFAULT_SEED, today=TODAY)


@pytest.fixture
def demo(loaded, db):
    return loaded


def test_five_years_of_sessions_train_over_two_hundred_frontline_staff(demo, make_user):
    assert demo == outreach_training.SESSIONS + outreach_training.UPCOMING
    past = TrainingSession.objects.filter(starts_at__date__lt=TODAY)
    assert past.count() >= 38
    first = past.order_by("starts_at").first().starts_at.date()
    assert (TODAY - first).days > 4 * 365
    officer = make_user(Role.OUTREACH_OFFICER)
    reach = selectors.reach_totals(officer)
    assert reach["total"] >= 220
    assert {"police", "health", "fire_and_rescue", "local_authority", "charity"} <= {
        sector for sector, _count in reach["by_sector"]
    }


def test_nrm_awareness_rises_about_140_percent_and_other_topics_less(demo, make_user):
    officer = make_user(Role.OUTREACH_OFFICER)
    nrm = selectors.results(officer, topic=TrainingTopic.objects.get(code="nrm")).knowledge
    signs = selectors.results(officer, topic=TrainingTopic.objects.get(code="signs")).knowledge
    assert 1.1 < nrm.relative_change < 1.8
    assert signs.relative_change < nrm.relative_change / 2
    assert nrm.p < 0.001


def test_some_attendees_miss_the_post_test(demo):
    pre = Attempt.objects.filter(stage=Stage.PRE).count()
    post = Attempt.objects.filter(stage=Stage.POST).count()
    assert 0.8 * pre < post < pre


def test_running_it_again_adds_nothing(demo):
    sessions = TrainingSession.objects.count()
    assert outreach_training.generate(seed=partnership.DEFAULT_SEED, today=TODAY) == 0
    assert TrainingSession.objects.count() == sessions
