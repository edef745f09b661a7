"""People found in an operation, handed to a participating safeguarding lead: who may hand
over, who becomes responsible, who is told, and what the finder may then read."""

import datetime
import uuid

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from lantern.core import access
from lantern.core.models import AuditEvent
from lantern.core.roles import Role
from lantern.operations.selectors import debrief_totals
from lantern.safeguarding import selectors, services
from lantern.safeguarding.models import PotentialVictim
from tests.factories import IntelligenceReportFactory, OrganisationFactory
from tests.operations.factories import LiveOperationFactory, OperationFactory, mentioned
from tests.safeguarding.factories import (
    NRMReferralFactory,
    SupportReferralFactory,
    VictimFactory,
)


@pytest.fixture
def officer(make_user, police):
    """A police officer taking part: not a safeguarding lead, cannot record victims."""
    return make_user(Role.PARTNER_CONTRIBUTOR, organisation=police)


@pytest.fixture
def council_lead(make_user, council):
    return make_user(Role.SAFEGUARDING_LEAD, organisation=council, email="lead@council.test")


@pytest.fixture
def live(police, council, council_lead):
    """A live police operation the council takes part in (with a safeguarding lead)."""
    return LiveOperationFactory(lead_organisation=police, participants=[council])


def hand_over(actor, operation, organisation, **fields):
    values = {
        "submission_key": uuid.uuid4(),
        "identified_on": timezone.localdate(),
        "age_at_identification": 15,
        "gender": "male",
        "nationality": "VN",
    } | fields
    return services.hand_over_from_operation(
        actor=actor, operation=operation, receiving_organisation=organisation, **values
    )


class TestHandingOver:
    def test_a_participating_officer_hands_a_child_to_the_councils_lead(
        self, officer, live, council, police, council_lead, run_jobs
    ):
        victim = hand_over(officer, live, council)
        run_jobs()

        assert victim.identified_by == council
        assert victim.handed_over_by == police
        assert victim.operation == live
        assert victim.is_child
        assert victim.taken_on_at is None
        event = AuditEvent.objects.get(action="safeguarding.victim_recorded")
        assert event.detail["handed_over_from"] == live.reference
        [message] = mail.outbox
        assert message.to == ["lead@council.test"]
        assert victim.reference in message.body
        assert live.reference in message.body

    def test_the_email_is_queued_for_the_worker_and_carries_no_personal_detail(
        self, officer, live, council, run_jobs
    ):
        hand_over(officer, live, council, languages="Vietnamese only")
        assert mail.outbox == []  # queued with the record, sent by the worker

        assert run_jobs() == 1
        assert len(mail.outbox) == 1
        assert "Vietnamese" not in mail.outbox[0].body

    def test_the_receiving_organisation_alone_reads_every_detail(
        self, officer, live, council, council_lead
    ):
        victim = hand_over(officer, live, council)

        assert access.can_read_victim_personal_data(council_lead, victim)
        assert not access.can_read_victim_personal_data(officer, victim)
        # The finder keeps the pseudonymous record through the operation, no more.
        assert access.readable_victims(officer).filter(pk=victim.pk).exists()
        assert not access.can_change_victim(officer, victim)

    def test_the_same_form_sent_twice_hands_over_one_person(self, officer, live, council, run_jobs):
        key = uuid.uuid4()
        first = hand_over(officer, live, council, submission_key=key)
        second = hand_over(officer, live, council, submission_key=key)
        run_jobs()

        assert first == second
        assert PotentialVictim.objects.count() == 1
        assert len(mail.outbox) == 1

    def test_the_debrief_counts_the_people_handed_over(self, officer, live, council, make_user):
        hand_over(officer, live, council)
        hand_over(officer, live, council, age_at_identification=16)

        totals = debrief_totals(make_user(Role.HUB_ANALYST), live)

        assert totals.victims_identified == 2


class TestRefused:
    def test_a_planned_operation_hands_over_nobody(self, officer, police, council, council_lead):
        planned = OperationFactory(lead_organisation=police, participants=[council])

        with pytest.raises(ValidationError):
            hand_over(officer, planned, council)
        assert not PotentialVictim.objects.exists()

    def test_an_organisation_not_taking_part_is_refused(self, officer, live, make_user):
        outsider = OrganisationFactory(name="Elsewhere Council")
        make_user(Role.SAFEGUARDING_LEAD, organisation=outsider)

        with pytest.raises(ValidationError) as refusal:
            hand_over(officer, live, outsider)

        assert "receiving_organisation" in refusal.value.message_dict
        assert not PotentialVictim.objects.exists()

    def test_only_participants_with_a_safeguarding_lead_are_offered(self, live, council):
        # The police lead the operation but have no safeguarding lead to take anyone on.
        assert list(selectors.receiving_organisations(live)) == [council]

    def test_someone_outside_the_operation_may_not_hand_over(self, live, council, make_user):
        stranger = make_user(Role.SAFEGUARDING_LEAD)

        with pytest.raises(PermissionDenied):
            hand_over(stranger, live, council)

    def test_a_hub_analyst_reads_every_operation_but_hands_over_nobody(
        self, live, council, make_user
    ):
        with pytest.raises(PermissionDenied):
            hand_over(make_user(Role.HUB_ANALYST), live, council)

    def test_a_board_viewer_of_a_participating_agency_may_not_hand_over(
        self, live, council, make_user, police
    ):
        with pytest.raises(PermissionDenied):
            hand_over(make_user(Role.BOARD_VIEWER, organisation=police), live, council)

    def test_another_operations_target_is_refused(self, officer, live, council, police):
        other = LiveOperationFactory(lead_organisation=police)
        entity = mentioned(IntelligenceReportFactory(originating_organisation=police), "Unit 9")
        target = other.targets.create(entity=entity, description="Unit 9")

        with pytest.raises(ValidationError) as refusal:
            hand_over(officer, live, council, target=target)
        assert "target" in refusal.value.message_dict

    def test_a_date_before_the_operation_went_live_is_refused(self, officer, live, council):
        with pytest.raises(ValidationError) as refusal:
            hand_over(
                officer,
                live,
                council,
                identified_on=timezone.localdate(live.went_live_at) - datetime.timedelta(days=1),
            )
        assert "identified_on" in refusal.value.message_dict


class TestTakingOn:
    def test_the_receiving_lead_takes_them_on_once_audited(
        self, officer, live, council, council_lead
    ):
        victim = hand_over(officer, live, council)

        services.take_on(victim=victim, actor=council_lead)
        services.take_on(victim=victim, actor=council_lead)

        assert victim.taken_on_at is not None
        assert victim.taken_on_by == council_lead
        assert AuditEvent.objects.filter(action="safeguarding.victim_changed").count() == 1

    def test_the_finder_may_not_take_them_on(self, officer, live, council, make_user, police):
        victim = hand_over(officer, live, council)
        police_lead = make_user(Role.SAFEGUARDING_LEAD, organisation=police)

        with pytest.raises(PermissionDenied):
            services.take_on(victim=victim, actor=police_lead)
        victim.refresh_from_db()
        assert victim.taken_on_at is None


class TestWorklist:
    def test_a_person_handed_over_waits_in_the_receiving_leads_worklist_until_taken_on(
        self, officer, live, council, council_lead, make_user, police
    ):
        victim = hand_over(officer, live, council)
        police_lead = make_user(Role.SAFEGUARDING_LEAD, organisation=police)

        assert [item.reference for item in selectors.worklist(council_lead).handed_over] == [
            victim.reference
        ]
        assert selectors.worklist(police_lead).handed_over == []

        services.take_on(victim=victim, actor=council_lead)
        assert selectors.worklist(council_lead).handed_over == []

    def test_the_hub_coordinator_sees_every_person_waiting(self, officer, live, council, make_user):
        victim = hand_over(officer, live, council)
        coordinator = make_user(Role.HUB_COORDINATOR)

        assert [item.reference for item in selectors.worklist(coordinator).handed_over] == [
            victim.reference
        ]

    def test_nobody_else_has_a_worklist(self, officer, live, council, make_user):
        hand_over(officer, live, council)

        for user in (officer, make_user(Role.HUB_ANALYST), make_user(Role.OPERATIONS_LEAD)):
            assert not selectors.can_have_worklist(user)
            assert selectors.worklist(user).count == 0


class TestWorklistDates:
    """Each item comes from the record's dates and leaves once the record shows it done."""

    def test_a_reasonable_grounds_decision_past_its_target_is_overdue(self, council_lead):
        referral = NRMReferralFactory(
            victim=VictimFactory(identified_by=council_lead.organisation),
            referred_on=timezone.localdate() - datetime.timedelta(days=20),
        )

        [item] = selectors.worklist(council_lead).decisions_overdue
        assert item.reference == referral.victim.reference

        referral.reasonable_grounds = "positive"
        referral.reasonable_grounds_on = timezone.localdate() - datetime.timedelta(days=2)
        referral.save()
        assert selectors.worklist(council_lead).decisions_overdue == []

    def test_a_recovery_period_ending_this_week_is_flagged(self, council_lead):
        today = timezone.localdate()
        NRMReferralFactory(
            victim=VictimFactory(identified_by=council_lead.organisation),
            referred_on=today - datetime.timedelta(days=40),
            reasonable_grounds="positive",
            reasonable_grounds_on=today - datetime.timedelta(days=27),
        )

        [item] = selectors.worklist(council_lead).recovery_ending
        assert item.due_on == today + datetime.timedelta(days=3)

    def test_a_support_referral_waiting_for_an_answer_is_listed_for_both_ends(
        self, council_lead, make_user
    ):
        receiver = make_user(Role.SAFEGUARDING_LEAD)
        referral = SupportReferralFactory(
            victim=VictimFactory(identified_by=council_lead.organisation),
            to_organisation=receiver.organisation,
        )

        for user in (council_lead, receiver):
            [item] = selectors.worklist(user).support_awaiting
            assert item.reference == referral.victim.reference
        # The receiver answers it on the referral's page: the person's is not yet open to it.
        assert selectors.worklist(receiver).support_awaiting[0].link == (
            f"/safeguarding/support-referrals/{referral.pk}/"
        )
        assert selectors.worklist(council_lead).support_awaiting[0].link == (
            f"/safeguarding/victims/{referral.victim.reference}/"
        )

        referral.status = "declined"
        referral.save()
        assert selectors.worklist(council_lead).support_awaiting == []

    def test_an_outcome_not_recorded_after_90_days_is_chased(self, council_lead):
        today = timezone.localdate()
        old = VictimFactory(
            identified_by=council_lead.organisation, identified_on=today - datetime.timedelta(91)
        )
        VictimFactory(
            identified_by=council_lead.organisation, identified_on=today - datetime.timedelta(30)
        )
        VictimFactory(
            identified_by=council_lead.organisation,
            identified_on=today - datetime.timedelta(200),
            outcome="declined_support",
        )

        assert [item.reference for item in selectors.worklist(council_lead).outcomes_missing] == [
            old.reference
        ]

    def test_another_organisations_people_are_not_in_the_worklist(self, council_lead):
        NRMReferralFactory(referred_on=timezone.localdate() - datetime.timedelta(days=20))
        VictimFactory(identified_on=timezone.localdate() - datetime.timedelta(days=200))

        assert selectors.worklist(council_lead).count == 0
