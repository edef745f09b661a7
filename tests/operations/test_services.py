"""Every write of an operation: who may, what is refused, nothing half-saved, all audited."""

import datetime
import uuid

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from lantern.core import audit
from lantern.core.models import AuditEvent
from lantern.core.roles import Role
from lantern.operations import selectors, services
from lantern.operations.models import Operation, Participant, StatusChange, Target
from tests.factories import IntelligenceReportFactory, OrganisationFactory
from tests.operations.factories import go_live, mentioned, plan

EARLY = "Brought forward: the workers are to be moved tonight"


def audited(action: str, operation: Operation) -> int:
    return AuditEvent.objects.filter(action=action, object_id=str(operation.pk)).count()


def field_errors(refusal: pytest.ExceptionInfo) -> dict:
    return refusal.value.message_dict


def test_a_command_or_the_worker_plans_and_reads_with_no_request(lead):
    """A task or the CLI passes a system context: the actor is audited, with no address."""
    context = audit.AuditContext.system("operations moved from the old planner", actor=lead)

    operation = plan(lead, context=context)
    selectors.operation_for_reading(lead, operation.reference, context=context)

    planned = AuditEvent.objects.get(action="operations.planned")
    read = AuditEvent.objects.get(action="record.read", object_id=str(operation.pk))
    assert (planned.actor_id, planned.ip_address, planned.purpose) == (
        lead.pk,
        None,
        "operations moved from the old planner",
    )
    assert (read.actor_id, read.ip_address, read.purpose) == (lead.pk, None, selectors.READ_PURPOSE)


class TestPlanning:
    def test_the_planners_organisation_leads_and_takes_part_from_the_start(self, lead, police):
        operation = plan(lead)

        assert operation.lead_organisation == police
        assert operation.status == "planned"
        assert list(operation.participants.values_list("organisation", "role")) == [
            (police.pk, "Lead agency")
        ]
        assert list(operation.status_changes.values_list("from_status", "to_status")) == [
            ("", "planned")
        ]
        assert audited("operations.planned", operation) == 1

    def test_the_same_form_sent_twice_plans_one_operation(self, lead):
        key = uuid.uuid4()

        first = plan(lead, submission_key=key)
        second = plan(lead, submission_key=key)

        assert first == second
        assert Operation.objects.count() == 1
        assert Participant.objects.count() == 1
        assert audited("operations.planned", first) == 1

    def test_someone_elses_submission_key_returns_nothing_of_theirs(self, lead, make_user, police):
        key = uuid.uuid4()
        plan(lead, submission_key=key)
        colleague = make_user(Role.OPERATIONS_LEAD, organisation=police)

        with pytest.raises(PermissionDenied):
            plan(colleague, submission_key=key)

    def test_a_hub_coordinator_plans_on_behalf_of_another_agency(self, make_user, police):
        coordinator = make_user(Role.HUB_COORDINATOR)

        operation = plan(coordinator, lead_organisation=police)

        assert operation.lead_organisation == police
        assert operation.participants.get().organisation == police

    def test_an_operations_lead_cannot_put_another_agency_in_the_lead(self, lead, council):
        with pytest.raises(ValidationError) as refusal:
            plan(lead, lead_organisation=council)
        assert "lead_organisation" in field_errors(refusal)
        assert not Operation.objects.exists()

    def test_an_agency_without_a_signed_agreement_cannot_lead(self, make_user):
        coordinator = make_user(Role.HUB_COORDINATOR)
        unsigned = OrganisationFactory(name="Unsigned", isa_signed_on=None)

        with pytest.raises(ValidationError) as refusal:
            plan(coordinator, lead_organisation=unsigned)
        assert "lead_organisation" in field_errors(refusal)

    @pytest.mark.parametrize(
        "role", [Role.PARTNER_CONTRIBUTOR, Role.HUB_ANALYST, Role.SAFEGUARDING_LEAD]
    )
    def test_only_operations_leads_and_coordinators_plan(self, make_user, role):
        with pytest.raises(PermissionDenied):
            plan(make_user(role))
        assert not Operation.objects.exists()

    def test_a_window_that_ends_before_it_starts_saves_nothing(self, lead):
        operation_start = plan(lead).starts_at
        with pytest.raises(ValidationError) as refusal:
            plan(lead, starts_at=operation_start, ends_at=operation_start)
        assert field_errors(refusal) == {"ends_at": ["The end must be after the start"]}
        assert Operation.objects.count() == 1

    def test_a_start_before_the_modern_slavery_act_saves_nothing(self, lead):
        starts_at = services.EARLIEST_START - datetime.timedelta(minutes=1)
        with pytest.raises(ValidationError) as refusal:
            plan(lead, starts_at=starts_at, ends_at=starts_at + datetime.timedelta(hours=6))
        assert field_errors(refusal) == {
            "starts_at": ["The start must be on or after 1 January 2015"]
        }
        assert not Operation.objects.exists()

    def test_a_start_on_the_first_day_of_2015_is_planned(self, lead):
        starts_at = services.EARLIEST_START
        operation = plan(lead, starts_at=starts_at, ends_at=starts_at + datetime.timedelta(hours=6))
        assert operation.starts_at == starts_at

    def test_a_start_more_than_two_years_ahead_saves_nothing(self, lead):
        today = timezone.localdate()
        day = today.replace(year=today.year + 2, day=28 if today.day == 29 else today.day)
        starts_at = timezone.make_aware(
            datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time(6))
        )
        with pytest.raises(ValidationError) as refusal:
            plan(lead, starts_at=starts_at, ends_at=starts_at + datetime.timedelta(hours=6))
        assert list(field_errors(refusal)) == ["starts_at"]
        assert "2 years from today" in field_errors(refusal)["starts_at"][0]
        assert not Operation.objects.exists()

    def test_a_start_two_years_ahead_is_planned(self, lead):
        today = timezone.localdate()
        day = today.replace(year=today.year + 2, day=28 if today.day == 29 else today.day)
        starts_at = timezone.make_aware(datetime.datetime.combine(day, datetime.time(23, 0)))
        plan(lead, starts_at=starts_at, ends_at=starts_at + datetime.timedelta(hours=6))
        assert Operation.objects.count() == 1

    def test_a_window_longer_than_31_days_saves_nothing(self, lead):
        starts_at = timezone.now() + datetime.timedelta(days=2)
        with pytest.raises(ValidationError) as refusal:
            plan(
                lead,
                starts_at=starts_at,
                ends_at=starts_at + datetime.timedelta(days=31, minutes=1),
            )
        assert field_errors(refusal) == {
            "ends_at": [
                "An operation lasts at most 31 days: plan a longer one as several operations"
            ]
        }
        assert not Operation.objects.exists()

    def test_a_window_of_exactly_31_days_is_planned(self, lead):
        starts_at = timezone.now() + datetime.timedelta(days=2)
        operation = plan(lead, starts_at=starts_at, ends_at=starts_at + datetime.timedelta(days=31))
        assert operation.ends_at - operation.starts_at == datetime.timedelta(days=31)

    def test_the_extreme_dates_a_form_accepts_are_refused_not_crashed_on(self, lead):
        earliest = datetime.datetime(1, 1, 1, tzinfo=datetime.UTC)
        latest = datetime.datetime(9999, 12, 31, 23, 59, tzinfo=datetime.UTC)
        with pytest.raises(ValidationError) as refusal:
            plan(lead, starts_at=earliest, ends_at=latest)
        assert list(field_errors(refusal)) == ["starts_at"]
        with pytest.raises(ValidationError) as refusal:
            plan(lead, starts_at=latest - datetime.timedelta(hours=6), ends_at=latest)
        assert list(field_errors(refusal)) == ["starts_at"]
        assert not Operation.objects.exists()

    @pytest.mark.parametrize("field", ["name", "objective", "risk_assessment", "lead_role"])
    def test_required_text_is_refused_by_field_when_blank(self, lead, field):
        with pytest.raises(ValidationError) as refusal:
            plan(lead, **{field: "   "})
        assert list(field_errors(refusal)) == [field]
        assert not Operation.objects.exists()


class TestParticipants:
    def test_an_agency_added_is_audited(self, operation, lead, council):
        participant = services.add_participant(
            operation=operation, actor=lead, organisation=council, role="Licensing checks"
        )

        assert participant.role == "Licensing checks"
        assert audited("operations.participant_added", operation) == 1

    def test_an_agency_already_taking_part_is_refused(self, operation, lead, police):
        with pytest.raises(ValidationError) as refusal:
            services.add_participant(
                operation=operation, actor=lead, organisation=police, role="Again"
            )
        assert "organisation" in field_errors(refusal)

    def test_an_agency_outside_the_sharing_is_refused(self, operation, lead):
        inactive = OrganisationFactory(name="Closed charity", is_active=False)
        with pytest.raises(ValidationError):
            services.add_participant(
                operation=operation, actor=lead, organisation=inactive, role="Support"
            )
        assert operation.participants.count() == 1

    def test_a_participant_cannot_change_the_plan(self, operation, lead, council, make_user):
        services.add_participant(operation=operation, actor=lead, organisation=council, role="X")
        their_lead = make_user(Role.OPERATIONS_LEAD, organisation=council)
        with pytest.raises(PermissionDenied):
            services.add_participant(
                operation=operation,
                actor=their_lead,
                organisation=OrganisationFactory(),
                role="Y",
            )

    def test_a_cancelled_operations_plan_no_longer_changes(self, operation, lead, council):
        services.move(operation=operation, actor=lead, to_status="cancelled", reason="Leak")
        with pytest.raises(ValidationError):
            services.add_participant(
                operation=operation, actor=lead, organisation=council, role="Late"
            )


class TestTargets:
    def test_a_target_is_justified_by_intelligence_the_planner_reads(
        self, operation, lead, restricted_entity, restricted_report
    ):
        target = services.add_target(
            operation=operation,
            actor=lead,
            entity_id=restricted_entity.pk,
            description="Nail bar",
            justification=[restricted_report.reference.lower()],
        )

        assert target.entity == restricted_entity
        assert list(target.justification.all()) == [restricted_report]
        assert audited("operations.target_added", operation) == 1

    def test_an_entity_the_planner_may_not_read_is_refused_like_a_missing_one(
        self, police, make_user, restricted_entity, shared_report
    ):
        council_lead = make_user(Role.OPERATIONS_LEAD, organisation=OrganisationFactory())
        operation = plan(council_lead)
        messages = []
        for entity_id in (restricted_entity.pk, 999_999):
            with pytest.raises(ValidationError) as refusal:
                services.add_target(
                    operation=operation,
                    actor=council_lead,
                    entity_id=entity_id,
                    description="Nail bar",
                    justification=[shared_report.reference],
                )
            messages.append(field_errors(refusal))
        assert (
            messages[0]
            == messages[1]
            == {"entity": ["Enter the number of a hub entity you may read"]}
        )
        assert not Target.objects.exists()

    def test_intelligence_the_planner_may_not_read_is_refused_like_a_missing_report(
        self, make_user, shared_entity, restricted_report
    ):
        council_lead = make_user(Role.OPERATIONS_LEAD, organisation=OrganisationFactory())
        operation = plan(council_lead)
        with pytest.raises(ValidationError) as refusal:
            services.add_target(
                operation=operation,
                actor=council_lead,
                entity_id=shared_entity.pk,
                description="Car wash",
                justification=[restricted_report.reference, "ZZZZ-ZZZZ"],
            )
        message = field_errors(refusal)["justification"][0]
        assert restricted_report.reference in message and "ZZZZ-ZZZZ" in message
        assert "Police only" not in message
        assert not Target.objects.exists()

    def test_a_reference_that_cannot_exist_is_refused_without_reaching_the_database(
        self, operation, lead, shared_entity
    ):
        with pytest.raises(ValidationError) as refusal:
            services.add_target(
                operation=operation,
                actor=lead,
                entity_id=shared_entity.pk,
                description="Car wash",
                justification=["AB\x00CD"],
            )
        assert "justification" in field_errors(refusal)

    def test_a_target_needs_intelligence_behind_it(self, operation, lead, shared_entity):
        with pytest.raises(ValidationError) as refusal:
            services.add_target(
                operation=operation,
                actor=lead,
                entity_id=shared_entity.pk,
                description="Car wash",
                justification=[],
            )
        assert "justification" in field_errors(refusal)
        assert not Target.objects.exists()

    def test_the_same_entity_is_a_target_once(self, targeted, lead, shared_entity, shared_report):
        with pytest.raises(ValidationError) as refusal:
            services.add_target(
                operation=targeted,
                actor=lead,
                entity_id=shared_entity.pk,
                description="Again",
                justification=[shared_report.reference],
            )
        assert "entity" in field_errors(refusal)
        assert Target.objects.count() == 1


class TestStatus:
    def test_the_full_path_is_recorded_step_by_step(self, targeted, lead):
        for status in ("briefed", "live", "debriefed", "closed"):
            services.move(operation=targeted, actor=lead, to_status=status, reason=EARLY)

        targeted.refresh_from_db()
        assert targeted.status == "closed"
        assert targeted.went_live_at is not None
        assert list(targeted.status_changes.values_list("from_status", "to_status")) == [
            ("", "planned"),
            ("planned", "briefed"),
            ("briefed", "live"),
            ("live", "debriefed"),
            ("debriefed", "closed"),
        ]
        assert audited("operations.status_changed", targeted) == 4

    def test_going_live_records_when(self, targeted, lead):
        services.move(operation=targeted, actor=lead, to_status="briefed")
        before = timezone.now()
        services.move(operation=targeted, actor=lead, to_status="live", reason=EARLY)
        targeted.refresh_from_db()
        assert before <= targeted.went_live_at <= timezone.now()

    def test_going_live_before_the_planned_start_without_a_reason_is_refused(self, targeted, lead):
        services.move(operation=targeted, actor=lead, to_status="briefed")

        with pytest.raises(ValidationError) as refusal:
            services.move(operation=targeted, actor=lead, to_status="live")

        assert "reason for bringing it forward" in field_errors(refusal)["reason"][0]
        targeted.refresh_from_db()
        assert targeted.status == "briefed"
        assert targeted.went_live_at is None
        assert audited("operations.status_changed", targeted) == 1

    def test_bringing_the_start_forward_keeps_the_reason_on_the_timeline_and_in_the_audit(
        self, targeted, lead
    ):
        services.move(operation=targeted, actor=lead, to_status="briefed")

        change = services.move(operation=targeted, actor=lead, to_status="live", reason=EARLY)

        assert change.reason == EARLY
        event = AuditEvent.objects.filter(
            action="operations.status_changed", object_id=str(targeted.pk)
        ).latest("pk")
        assert event.detail["brought_forward"] is True
        assert event.detail["reason"] == EARLY

    def test_going_live_once_the_start_has_come_needs_no_reason(self, targeted, lead):
        services.move(operation=targeted, actor=lead, to_status="briefed")
        Operation.objects.filter(pk=targeted.pk).update(
            starts_at=timezone.now() - datetime.timedelta(minutes=5)
        )

        change = services.move(operation=targeted, actor=lead, to_status="live", reason="Noise")

        assert change.reason == ""
        targeted.refresh_from_db()
        assert targeted.status == "live"

    @pytest.mark.parametrize("to_status", ["live", "debriefed", "closed", "planned", "nonsense"])
    def test_any_other_move_is_refused_with_a_clear_message(self, targeted, lead, to_status):
        with pytest.raises(ValidationError) as refusal:
            services.move(operation=targeted, actor=lead, to_status=to_status)
        [message] = field_errors(refusal)["to_status"]
        assert message.startswith("An operation that is planned cannot move to")
        assert StatusChange.objects.filter(operation=targeted).count() == 1

    def test_cancelling_needs_a_reason(self, operation, lead):
        with pytest.raises(ValidationError) as refusal:
            services.move(operation=operation, actor=lead, to_status="cancelled")
        assert "reason" in field_errors(refusal)

        services.move(operation=operation, actor=lead, to_status="cancelled", reason="Tip-off")
        assert operation.status_changes.last().reason == "Tip-off"

    def test_a_live_operation_cannot_be_cancelled(self, live, lead):
        with pytest.raises(ValidationError):
            services.move(operation=live, actor=lead, to_status="cancelled", reason="Too late")
        live.refresh_from_db()
        assert live.status == "live"

    def test_briefing_needs_a_target(self, operation, lead):
        with pytest.raises(ValidationError) as refusal:
            services.move(operation=operation, actor=lead, to_status="briefed")
        assert field_errors(refusal) == {"to_status": ["Add a target before the briefing"]}

    def test_only_those_who_run_it_move_it(self, targeted, lead, council, make_user):
        services.add_participant(operation=targeted, actor=lead, organisation=council, role="X")
        for user in (
            make_user(Role.PARTNER_CONTRIBUTOR, organisation=council),
            make_user(Role.OPERATIONS_LEAD, organisation=council),
            make_user(Role.HUB_ANALYST),
        ):
            with pytest.raises(PermissionDenied):
                services.move(operation=targeted, actor=user, to_status="briefed")
        services.move(
            operation=targeted, actor=make_user(Role.HUB_COORDINATOR), to_status="briefed"
        )


def debrief(target, actor, **changes):
    values = {
        "visited": True,
        "people_spoken_to": 6,
        "arrests": 2,
        "charges": 1,
        "warrants_executed": 1,
        "closure_orders": 0,
        "items_seized": 4,
        "disruptions": ["licensing", "immigration"],
        "outcome_notes": "Six workers found living in the rear unit.",
        **changes,
    }
    return services.debrief_target(target=target, actor=actor, **values)


class TestDebrief:
    def test_a_debrief_before_the_operation_went_live_is_refused(self, targeted, lead):
        target = targeted.targets.get()
        with pytest.raises(ValidationError) as refusal:
            debrief(target, lead)
        assert refusal.value.messages == ["Only an operation that went live can be debriefed"]
        target.refresh_from_db()
        assert (target.visited, target.arrests, target.disruptions.count()) == (False, 0, 0)

    def test_a_cancelled_operation_is_never_debriefed(self, targeted, lead):
        services.move(operation=targeted, actor=lead, to_status="cancelled", reason="Leak")
        with pytest.raises(ValidationError):
            debrief(targeted.targets.get(), lead)

    def test_outcomes_sent_again_replace_the_first(self, live, lead):
        target = live.targets.get()
        debrief(target, lead)

        debrief(target, lead, arrests=3, disruptions=["tax"])

        target.refresh_from_db()
        assert target.arrests == 3
        assert list(target.disruptions.values_list("kind", flat=True)) == ["tax"]
        assert audited("operations.debriefed", live) == 2

    def test_an_unknown_enforcement_kind_saves_nothing(self, live, lead):
        target = live.targets.get()
        with pytest.raises(ValidationError):
            debrief(target, lead, disruptions=["licensing", "astrology"])
        target.refresh_from_db()
        assert (target.visited, target.disruptions.count()) == (False, 0)

    def test_a_closed_operations_debrief_no_longer_changes(self, live, lead):
        for status in ("debriefed", "closed"):
            services.move(operation=live, actor=lead, to_status=status)
        with pytest.raises(ValidationError):
            debrief(live.targets.get(), lead)
        with pytest.raises(ValidationError):
            services.record_debrief_notes(operation=live, actor=lead, notes="Late")

    def test_new_intelligence_is_linked_by_reference_once(self, live, lead, police):
        report = IntelligenceReportFactory(originating_organisation=police)

        services.link_intelligence(operation=live, actor=lead, references=[report.reference])
        services.link_intelligence(operation=live, actor=lead, references=[report.reference])

        assert list(live.intelligence_generated.all()) == [report]

    def test_intelligence_the_user_may_not_read_is_not_linked(self, make_user, police):
        council = OrganisationFactory()
        council_lead = make_user(Role.OPERATIONS_LEAD, organisation=council)
        report = IntelligenceReportFactory(originating_organisation=council)
        operation = plan(council_lead)
        services.add_target(
            operation=operation,
            actor=council_lead,
            entity_id=mentioned(report, "Shiny Nails").pk,
            description="Nail bar",
            justification=[report.reference],
        )
        go_live(operation, council_lead)
        hidden = IntelligenceReportFactory(
            originating_organisation=police, handling_code="C", handling_conditions="Police"
        )
        with pytest.raises(ValidationError) as refusal:
            services.link_intelligence(
                operation=operation, actor=council_lead, references=[hidden.reference]
            )
        assert "references" in field_errors(refusal)
        assert not operation.intelligence_generated.exists()

    def test_intelligence_is_linked_only_once_the_operation_went_live(self, targeted, lead, police):
        report = IntelligenceReportFactory(originating_organisation=police)
        with pytest.raises(ValidationError):
            services.link_intelligence(
                operation=targeted, actor=lead, references=[report.reference]
            )
