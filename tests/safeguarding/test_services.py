"""Writes: each checked, audited, in one transaction; refusals leave nothing behind."""

import datetime
import uuid

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from lantern.core import access, audit
from lantern.core.models import AuditEvent
from lantern.core.roles import Role
from lantern.entities.mentions import MentionData
from lantern.entities.models import Entity
from lantern.intelligence.services.mentions import add_mentions
from lantern.safeguarding import selectors, services
from lantern.safeguarding.models import (
    DutyToNotify,
    NRMReferral,
    PotentialVictim,
    SafeguardingAction,
    SupportReferral,
    age_on,
)
from lantern.safeguarding.nrm import Stage
from lantern.safeguarding.selectors import nrm_timeline
from tests.factories import IntelligenceReportFactory
from tests.operations.factories import LiveOperationFactory as OperationFactory
from tests.safeguarding.factories import FirstResponderFactory

TODAY = timezone.localdate


@pytest.fixture
def lead(make_user, police):
    return make_user(Role.SAFEGUARDING_LEAD, organisation=police)


def record(actor, **fields):
    values = {
        "submission_key": uuid.uuid4(),
        "identified_on": TODAY() - datetime.timedelta(days=3),
        "name": "Zdenka Novakova",
    } | fields
    return services.record_victim(actor=actor, **values)


def actions_logged(action: str) -> int:
    return AuditEvent.objects.filter(action=action).count()


def test_recording_gives_a_reference_works_out_the_age_and_audits(lead):
    identified = datetime.date(2025, 6, 1)
    victim = record(lead, identified_on=identified, date_of_birth=datetime.date(2008, 6, 2))
    assert len(victim.reference) == 9
    assert victim.age_at_identification == 16
    assert victim.is_child
    assert victim.identified_by == lead.organisation
    event = AuditEvent.objects.get(action="safeguarding.victim_recorded")
    assert event.object_repr == victim.reference
    assert "Zdenka" not in str(event.detail)


def test_sending_the_form_twice_records_one_person(lead):
    key = uuid.uuid4()
    first = record(lead, submission_key=key)
    again = record(lead, submission_key=key)
    assert first.pk == again.pk
    assert PotentialVictim.objects.count() == 1
    assert actions_logged("safeguarding.victim_recorded") == 1


def test_a_refused_record_leaves_nothing(lead):
    with pytest.raises(ValidationError) as raised:
        record(lead, date_of_birth=TODAY() + datetime.timedelta(days=2))
    assert "date_of_birth" in raised.value.message_dict
    assert PotentialVictim.objects.count() == 0
    assert actions_logged("safeguarding.victim_recorded") == 0


def test_only_those_who_record_victims_may(make_user, police):
    with pytest.raises(PermissionDenied):
        record(make_user(Role.PARTNER_CONTRIBUTOR, organisation=police))


def test_links_to_a_live_operation_the_recorder_takes_part_in(lead, operation, target, report):
    victim = record(
        lead,
        operation=operation,
        target=target,
        intelligence=report,
        entity=target.entity,
    )
    assert (victim.operation, victim.target, victim.intelligence) == (operation, target, report)


def test_an_operation_not_yet_live_is_refused(lead, police):
    planned = OperationFactory(lead_organisation=police, went_live_at=None, status="planned")
    with pytest.raises(ValidationError) as raised:
        record(lead, operation=planned)
    assert "has not gone live" in raised.value.message_dict["operation"][0]


def test_an_operation_the_recorder_does_not_take_part_in_is_refused(lead, council):
    elsewhere = OperationFactory(lead_organisation=council)
    with pytest.raises(ValidationError) as raised:
        record(lead, operation=elsewhere)
    assert "operation" in raised.value.message_dict
    assert PotentialVictim.objects.count() == 0


def test_a_target_of_another_operation_is_refused(lead, police, target):
    other = OperationFactory(lead_organisation=police)
    with pytest.raises(ValidationError) as raised:
        record(lead, operation=other, target=target)
    assert "target" in raised.value.message_dict


@pytest.fixture
def victim(lead):
    return record(lead, age_at_identification=34)


def test_an_adult_referred_with_consent_awaits_reasonable_grounds(lead, victim):
    referral, created = services.refer_to_nrm(
        actor=lead,
        victim=victim,
        referred_on=TODAY(),
        consent_given_on=TODAY(),
        competent_authority="sca",
    )
    assert created
    assert referral.referring_organisation == lead.organisation
    assert nrm_timeline(victim).stage == Stage.REFERRED
    assert actions_logged("safeguarding.nrm_referred") == 1


def test_a_refused_referral_writes_nothing(lead, victim):
    with pytest.raises(ValidationError):
        services.refer_to_nrm(
            actor=lead,
            victim=victim,
            referred_on=TODAY(),
            consent_given_on=None,
            competent_authority="sca",
        )
    assert not NRMReferral.objects.exists()
    assert actions_logged("safeguarding.nrm_referred") == 0


def test_after_a_duty_to_notify_no_referral(lead, victim):
    services.notify_duty(actor=lead, victim=victim, notified_on=TODAY())
    with pytest.raises(ValidationError) as raised:
        services.refer_to_nrm(
            actor=lead,
            victim=victim,
            referred_on=TODAY(),
            consent_given_on=TODAY(),
            competent_authority="sca",
        )
    assert "Duty to Notify report was already made" in raised.value.message_dict["referred_on"][0]
    assert DutyToNotify.objects.get().identified_with_consent is False


def test_decisions_are_saved_checked_and_audited(lead, victim):
    referral, _created = services.refer_to_nrm(
        actor=lead,
        victim=victim,
        referred_on=TODAY() - datetime.timedelta(days=2),
        consent_given_on=TODAY() - datetime.timedelta(days=2),
        competent_authority="sca",
    )
    with pytest.raises(ValidationError):
        services.record_nrm_decision(
            actor=lead,
            referral=referral,
            conclusive_grounds="positive",
            conclusive_grounds_on=TODAY(),
        )
    referral.refresh_from_db()
    assert referral.conclusive_grounds == ""
    services.record_nrm_decision(
        actor=lead, referral=referral, reasonable_grounds="positive", reasonable_grounds_on=TODAY()
    )
    referral.refresh_from_db()
    assert referral.reasonable_grounds == "positive"
    assert actions_logged("safeguarding.nrm_decision_recorded") == 1


def test_an_action_sent_twice_is_recorded_once(lead, victim):
    key = uuid.uuid4()
    for _attempt in range(2):
        services.record_action(
            actor=lead, victim=victim, submission_key=key, kind="medical", done_on=TODAY()
        )
    assert SafeguardingAction.objects.count() == 1
    assert actions_logged("safeguarding.action_recorded") == 1


def test_an_action_or_referral_key_sent_again_by_someone_else_is_refused(
    lead, victim, council, make_user
):
    colleague = make_user(Role.SAFEGUARDING_LEAD, organisation=lead.organisation)
    action_key, referral_key = uuid.uuid4(), uuid.uuid4()
    services.record_action(
        actor=lead, victim=victim, submission_key=action_key, kind="medical", done_on=TODAY()
    )
    referral = {
        "victim": victim,
        "submission_key": referral_key,
        "to_organisation": council,
        "service": "housing",
        "request_text": "Emergency housing tonight",
        "shared_details": [],
        "consented": True,
    }
    services.refer_for_support(actor=lead, **referral)

    with pytest.raises(PermissionDenied):
        services.record_action(
            actor=colleague,
            victim=victim,
            submission_key=action_key,
            kind="medical",
            done_on=TODAY(),
        )
    with pytest.raises(PermissionDenied):
        services.refer_for_support(actor=colleague, **referral)


def test_support_referral_sent_twice_is_one_and_accepting_involves_the_receiver(
    lead, victim, council, make_user
):
    key = uuid.uuid4()
    arguments = {
        "actor": lead,
        "victim": victim,
        "submission_key": key,
        "to_organisation": council,
        "service": "housing",
        "request_text": "Emergency housing tonight",
        "shared_details": ["name"],
        "consented": True,
    }
    referral = services.refer_for_support(**arguments)
    assert services.refer_for_support(**arguments).pk == referral.pk
    assert SupportReferral.objects.count() == 1
    receiver = make_user(Role.SAFEGUARDING_LEAD, organisation=council)
    assert not access.readable_victims(receiver).filter(pk=victim.pk).exists()
    with pytest.raises(ValidationError) as raised:
        services.decide_support_referral(actor=receiver, referral=referral, accept=False)
    assert "decline_reason" in raised.value.message_dict
    services.decide_support_referral(actor=receiver, referral=referral, accept=True)
    assert access.can_change_victim(receiver, victim)
    assert access.shown_personal_details(receiver, victim) == ("name",)
    with pytest.raises(PermissionDenied):
        services.decide_support_referral(actor=lead, referral=referral, accept=True)


def test_safeguarded_outcome_only_after_a_protective_action(lead, victim):
    with pytest.raises(ValidationError):
        services.record_outcome(
            actor=lead, victim=victim, outcome="safeguarded", outcome_recorded_on=TODAY()
        )
    victim.refresh_from_db()
    assert victim.outcome == ""
    services.record_action(
        actor=lead,
        victim=victim,
        submission_key=uuid.uuid4(),
        kind="place_of_safety",
        done_on=TODAY(),
    )
    services.record_outcome(
        actor=lead, victim=victim, outcome="safeguarded", outcome_recorded_on=TODAY()
    )
    victim.refresh_from_db()
    assert victim.outcome == "safeguarded"


def test_a_command_or_the_worker_records_and_reads_with_no_request(lead):
    """A task or the CLI passes a system context: the actor is audited, with no address."""
    context = audit.AuditContext.system("records moved from the old case system", actor=lead)

    victim = record(lead, context=context)
    selectors.victim_for_reading(lead, victim.reference, context=context)

    recorded = AuditEvent.objects.get(action="safeguarding.victim_recorded")
    read = AuditEvent.objects.get(action="record.read", object_id=str(victim.pk))
    assert (recorded.actor_id, recorded.ip_address, recorded.purpose) == (
        lead.pk,
        None,
        "records moved from the old case system",
    )
    assert (read.actor_id, read.ip_address) == (lead.pk, None)
    assert read.purpose == selectors.READ_PURPOSE  # the selector's own purpose wins


def test_changing_details_audits_which_fields_not_their_values(lead, victim):
    services.change_personal_details(
        actor=lead,
        victim=victim,
        name="Zdenka Novak",
        date_of_birth=datetime.date(1990, 1, 1),
        contact="",
        address="12 Hidden Lane",
        immigration_status="",
    )
    event = AuditEvent.objects.get(action="safeguarding.victim_changed")
    assert event.detail == {"fields": ["address", "date_of_birth", "name"]}
    assert "Hidden" not in str(event.detail)
    victim.refresh_from_db()
    assert victim.age_at_identification == age_on(datetime.date(1990, 1, 1), victim.identified_on)


def test_an_unrelated_lead_cannot_change_the_record(make_user, council, victim):
    other = make_user(Role.SAFEGUARDING_LEAD, organisation=council)
    with pytest.raises(PermissionDenied):
        services.record_outcome(
            actor=other, victim=victim, outcome="unknown", outcome_recorded_on=TODAY()
        )


def test_no_recording_by_a_partner_without_isa(make_user):
    outsider = FirstResponderFactory(isa_signed_on=None)
    with pytest.raises(PermissionDenied):
        record(make_user(Role.SAFEGUARDING_LEAD, organisation=outsider))


def test_a_date_of_birth_that_undoes_the_route_is_refused_and_nothing_changes(lead):
    child = record(lead, age_at_identification=16)
    services.refer_to_nrm(
        actor=lead,
        victim=child,
        referred_on=TODAY(),
        consent_given_on=None,
        competent_authority="sca",
    )
    with pytest.raises(ValidationError) as raised:
        services.change_personal_details(
            actor=lead,
            victim=child,
            name="Zdenka Novakova",
            date_of_birth=datetime.date(1980, 1, 1),
            contact="",
            address="",
            immigration_status="",
        )
    assert "date_of_birth" in raised.value.message_dict
    child.refresh_from_db()
    assert (child.date_of_birth, child.age_at_identification) == (None, 16)
    assert actions_logged("safeguarding.victim_changed") == 0


def test_the_same_referral_sent_twice_is_one_and_another_date_is_refused(lead, victim):
    arguments = {
        "actor": lead,
        "victim": victim,
        "referred_on": TODAY(),
        "consent_given_on": TODAY(),
        "competent_authority": "sca",
    }
    first, created = services.refer_to_nrm(**arguments)
    again, created_again = services.refer_to_nrm(**arguments)
    assert (created, created_again, again.pk) == (True, False, first.pk)
    assert NRMReferral.objects.count() == 1
    assert actions_logged("safeguarding.nrm_referred") == 1
    with pytest.raises(ValidationError) as raised:
        services.refer_to_nrm(**arguments | {"referred_on": TODAY() - datetime.timedelta(days=1)})
    assert "already been referred" in raised.value.message_dict["referred_on"][0]


def test_the_same_duty_to_notify_report_sent_twice_is_one(lead, victim):
    first, created = services.notify_duty(actor=lead, victim=victim, notified_on=TODAY())
    again, created_again = services.notify_duty(actor=lead, victim=victim, notified_on=TODAY())
    assert (created, created_again, again.pk) == (True, False, first.pk)
    assert DutyToNotify.objects.count() == 1
    assert actions_logged("safeguarding.duty_to_notify_made") == 1
    yesterday = TODAY() - datetime.timedelta(days=1)
    with pytest.raises(ValidationError):
        services.notify_duty(actor=lead, victim=victim, notified_on=yesterday)


@pytest.fixture
def council_lead(make_user, council):
    return make_user(Role.SAFEGUARDING_LEAD, organisation=council)


def merged_into(survivor, report, value: str):
    """An entity first mentioned in ``report`` under ``value``, then merged into ``survivor``."""
    [mention] = add_mentions(report, [MentionData(kind="person", role="other", value=value)])
    mention.refresh_from_db()
    Entity.objects.filter(pk=mention.entity_id).update(merged_into=survivor)
    return Entity.objects.get(pk=mention.entity_id)


def test_a_merged_entity_known_only_from_restricted_intelligence_is_refused_like_a_missing_one(
    council_lead, police, person_entity
):
    secret = IntelligenceReportFactory(
        originating_organisation=police, handling_code="C", handling_conditions="Police only"
    )
    absorbed = merged_into(person_entity, secret, "Jan Kowalski")
    refusals = []
    for entity in (absorbed, Entity(pk=absorbed.pk + 1000)):
        with pytest.raises(ValidationError) as raised:
            record(council_lead, entity=entity)
        refusals.append(raised.value.message_dict)
    assert (
        refusals[0] == refusals[1] == {"entity": ["Enter the number of a hub entity you can read"]}
    )
    assert PotentialVictim.objects.count() == 0


def test_a_readable_merged_entity_links_the_survivor(council_lead, report, person_entity):
    absorbed = merged_into(person_entity, report, "Jan Kowalski")
    assert record(council_lead, entity=absorbed).entity == person_entity
