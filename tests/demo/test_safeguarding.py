"""The demo's potential victims and operations: drawn from its intelligence, every record
one the service's rules would have accepted, operations' totals coming from their records."""

import datetime

import pytest
from django.db.models import Count

from lantern.core import access
from lantern.core.models import OrganisationType
from lantern.demo import intelligence, operations, partnership, safeguarding
from lantern.entities import correlation
from lantern.entities.models import Mention, MentionRole
from lantern.intelligence.models import HandlingCode
from lantern.operations.models import Operation, OperationStatus, Target
from lantern.operations.selectors import debrief_totals
from lantern.safeguarding import rules
from lantern.safeguarding.models import (
    DutyToNotify,
    NRMReferral,
    Outcome,
    PotentialVictim,
)

UNTIL = datetime.datetime(2026, 11, 20, 15, 30, tzinfo=datetime.UTC)
TODAY = UNTIL.date()


@pytest.fixture(scope="module")
def loaded(module_transaction):
    """Loaded once for the module (tests/demo/conftest.py)."""
    partnership.generate()
    intelligence.generate(600, until=UNTIL)
    correlation.correlate_unresolved()
    victims = safeguarding.generate(seed=partnership.DEFAULT_SEED, today=TODAY)
    joint = operations.generate(seed=partnership.DEFAULT_SEED, today=TODAY)
    return victims, joint


@pytest.fixture
def demo(loaded, db):
    return loaded


def test_victims_come_from_the_intelligence_that_names_them(demo):
    victims, _joint = demo

    assert victims > 50
    for victim in PotentialVictim.objects.select_related("intelligence", "entity"):
        named = victim.intelligence.mentions.filter(role=MentionRole.POTENTIAL_VICTIM)
        assert named.filter(value=victim.name).exists()
        assert victim.area_id == victim.intelligence.area_id
        assert victim.entity_id is not None


def test_every_victim_passes_the_rules_the_service_enforces(demo):
    for victim in PotentialVictim.objects.all():
        rules.check_victim(
            identified_on=victim.identified_on,
            date_of_birth=victim.date_of_birth,
            estimated_age=victim.age_at_identification,
        )
        if victim.date_of_birth is not None:
            assert victim.age_at_identification == rules.age_at_identification(
                date_of_birth=victim.date_of_birth,
                identified_on=victim.identified_on,
                estimated_age=None,
            )
        if victim.outcome == Outcome.SAFEGUARDED:
            assert rules.is_safeguarded(victim)
    for referral in NRMReferral.objects.select_related("victim", "referring_organisation"):
        rules.check_first_responder(referral.referring_organisation)
        rules.check_consent(
            referral.victim,
            consent_given_on=referral.consent_given_on,
            referred_on=referral.referred_on,
        )
        rules.check_decisions(
            referral,
            reasonable_grounds=referral.reasonable_grounds,
            reasonable_grounds_on=referral.reasonable_grounds_on,
            conclusive_grounds=referral.conclusive_grounds,
            conclusive_grounds_on=referral.conclusive_grounds_on,
            reconsideration_requested_on=referral.reconsideration_requested_on,
            reconsideration=referral.reconsideration,
            reconsideration_on=referral.reconsideration_on,
        )
    for notification in DutyToNotify.objects.select_related("victim", "notifying_organisation"):
        assert not notification.victim.is_child
        assert not notification.identified_with_consent
        assert notification.notifying_organisation.organisation_type in {
            OrganisationType.POLICE,
            OrganisationType.LAW_ENFORCEMENT,
            OrganisationType.LOCAL_AUTHORITY,
        }
    both = PotentialVictim.objects.filter(nrm_referral__isnull=False, duty_to_notify__isnull=False)
    assert not both.exists()


def test_proportions_follow_the_national_statistics(demo):
    victims = PotentialVictim.objects.all()
    total = victims.count()
    children = sum(victim.is_child for victim in victims)
    male = victims.filter(gender="male").count()
    decided = NRMReferral.objects.exclude(reasonable_grounds="")
    positive = decided.filter(reasonable_grounds="positive").count()

    assert 0.35 < children / total < 0.55
    assert 0.6 < male / total < 0.85
    assert 0.45 < positive / decided.count() < 0.7
    assert DutyToNotify.objects.exists()
    top = victims.values("nationality").annotate(n=Count("pk")).order_by("-n").first()
    assert top["nationality"] == "GB"


def test_a_dozen_operations_with_outcomes_across_the_three_areas(demo):
    _victims, joint = demo

    assert joint == 12
    areas = set(Operation.objects.values_list("area__name", flat=True))
    assert {"Leicester", "Rutland"} <= areas and len(areas) >= 4
    closed = Operation.objects.filter(status=OperationStatus.CLOSED)
    assert closed.count() >= 8
    assert Operation.objects.filter(status=OperationStatus.CANCELLED).exists()
    assert Operation.objects.filter(status=OperationStatus.PLANNED).exists()
    lead = closed.first().created_by
    totals = [debrief_totals(lead, operation) for operation in closed]
    assert all(total.targets_visited == total.targets > 0 for total in totals)
    assert sum(total.victims_identified for total in totals) > 0
    for operation in Operation.objects.exclude(status=OperationStatus.CLOSED):
        assert not operation.victims.exists()


def test_operations_keep_the_rules_the_service_enforces(demo):
    """Targets justified by intelligence their planner may read, and only by P-coded
    reports (every participant reads a target's description); victims identified by an
    agency taking part."""
    assert Target.objects.exists()
    for operation in Operation.objects.select_related("created_by"):
        readable = access.readable_intelligence(operation.created_by)
        assert access.can_run_operation(operation.created_by, operation)
        for target in operation.targets.all():
            justification = target.justification.all()
            assert justification.exists()
            assert not justification.exclude(pk__in=readable.values("pk")).exists()
            assert set(justification.values_list("handling_code", flat=True)) == {HandlingCode.P}
            # Participants read the description: it is how a P report wrote the place.
            assert Mention.objects.filter(
                entity=target.entity, value=target.description, report__handling_code=HandlingCode.P
            ).exists()
        participants = set(operation.participants.values_list("organisation", flat=True))
        for victim in operation.victims.all():
            assert victim.identified_by_id in participants


def test_the_generators_run_once_per_seed(demo):
    assert safeguarding.generate(seed=partnership.DEFAULT_SEED, today=TODAY) == 0
    assert operations.generate(seed=partnership.DEFAULT_SEED, today=TODAY) == 0
