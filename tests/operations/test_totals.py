"""Debrief totals are added up from the records they come from, never typed twice; victims
appear by pseudonymous reference only."""

import pytest
from django.utils import timezone

from lantern.core.roles import Role
from lantern.operations import presenters, selectors, services
from lantern.safeguarding.models import DutyToNotify, NRMReferral, Outcome
from tests.factories import IntelligenceReportFactory
from tests.operations.factories import mentioned
from tests.safeguarding.factories import VictimFactory


@pytest.fixture
def debriefed(live, lead, police, shared_report):
    """Two targets with outcomes, three potential victims, two new reports."""
    services.add_target(
        operation=live,
        actor=lead,
        entity_id=mentioned(shared_report, "Star Nails").pk,
        description="Nail bar",
        justification=[shared_report.reference],
    )
    first, second = live.targets.all()
    common = {"warrants_executed": 1, "closure_orders": 0, "outcome_notes": ""}
    services.debrief_target(
        target=first,
        actor=lead,
        visited=True,
        people_spoken_to=6,
        arrests=2,
        charges=1,
        items_seized=3,
        disruptions=["licensing", "immigration"],
        **common,
    )
    services.debrief_target(
        target=second,
        actor=lead,
        visited=False,
        people_spoken_to=1,
        arrests=0,
        charges=0,
        items_seized=0,
        disruptions=["licensing"],
        **common,
    )
    safeguarded = VictimFactory(
        operation=live, target=first, identified_by=police, outcome=Outcome.SAFEGUARDED
    )
    referred = VictimFactory(operation=live, target=first, identified_by=police)
    notified = VictimFactory(operation=live, target=second, identified_by=police)
    today = timezone.localdate()
    NRMReferral.objects.create(
        victim=referred, referring_organisation=police, referred_on=today, referred_by=lead
    )
    NRMReferral.objects.create(
        victim=safeguarded, referring_organisation=police, referred_on=today, referred_by=lead
    )
    DutyToNotify.objects.create(
        victim=notified, notifying_organisation=police, notified_on=today, notified_by=lead
    )
    VictimFactory(identified_by=police)  # identified elsewhere: not this operation's
    reports = [IntelligenceReportFactory(originating_organisation=police) for _ in range(2)]
    services.link_intelligence(
        operation=live, actor=lead, references=[report.reference for report in reports]
    )
    return live


def test_totals_are_computed_from_the_linked_records(debriefed, lead):
    totals = selectors.debrief_totals(lead, debriefed)

    assert (totals.targets, totals.targets_visited) == (2, 1)
    assert totals.people_spoken_to == 7
    assert (totals.arrests, totals.charges, totals.warrants_executed) == (2, 1, 2)
    assert (totals.closure_orders, totals.items_seized) == (0, 3)
    assert totals.businesses_disrupted == 2
    assert totals.disruptions_by_kind == [("Licensing", 2), ("Immigration", 1)]
    assert totals.victims_identified == 3
    assert totals.victims_safeguarded == 1
    assert totals.nrm_referrals == 2
    assert totals.duty_to_notify_reports == 1
    assert totals.new_intelligence == 2


def test_totals_follow_a_correction_of_the_records(debriefed, lead):
    first = debriefed.targets.first()
    services.debrief_target(
        target=first,
        actor=lead,
        visited=True,
        people_spoken_to=6,
        arrests=5,
        charges=1,
        warrants_executed=1,
        closure_orders=2,
        items_seized=3,
    )
    debriefed.victims.filter(outcome="").update(outcome=Outcome.SAFEGUARDED)

    totals = selectors.debrief_totals(lead, debriefed)

    assert (totals.arrests, totals.closure_orders) == (5, 2)
    assert totals.businesses_disrupted == 1
    assert totals.victims_safeguarded == 3


def test_an_operation_with_no_outcomes_adds_up_to_zero(live, lead):
    totals = selectors.debrief_totals(lead, live)
    assert (totals.targets, totals.arrests, totals.victims_identified) == (1, 0, 0)
    assert totals.disruptions_by_kind == []


def test_the_page_names_victims_by_reference_only(signed_in, debriefed, council, lead):
    services.add_participant(operation=debriefed, actor=lead, organisation=council, role="X")
    participant = signed_in(Role.PARTNER_CONTRIBUTOR, organisation=council)

    page = participant.get(f"/operations/{debriefed.reference}/").content.decode()

    for victim in debriefed.victims.all():
        assert victim.reference in page
        assert victim.name not in page
    assert "Zdenka Novakova" not in page
    assert "Potential victims identified" in page


def test_new_intelligence_is_counted_among_what_the_viewer_may_read(
    debriefed, lead, council, make_user
):
    services.add_participant(operation=debriefed, actor=lead, organisation=council, role="X")
    participant = make_user(Role.PARTNER_CONTRIBUTOR, organisation=council)
    restricted = IntelligenceReportFactory(
        originating_organisation=debriefed.lead_organisation,
        handling_code="C",
        handling_conditions="Lead agency only.",
    )
    services.link_intelligence(operation=debriefed, actor=lead, references=[restricted.reference])

    assert selectors.debrief_totals(lead, debriefed).new_intelligence == 3
    assert selectors.debrief_totals(participant, debriefed).new_intelligence == 2


def test_a_link_to_a_page_that_does_not_exist_is_left_out():
    assert presenters.url_or_none("safeguarding:no_such_page") is None


@pytest.mark.urls("tests.operations.safeguarding_urls")
def test_a_victim_links_to_safeguarding_by_reference(debriefed, make_user):
    coordinator = make_user(Role.HUB_COORDINATOR)
    target = debriefed.targets.first()
    victim = debriefed.victims.first()

    assert presenters.VictimRow.of(victim).url == f"/safeguarding/victims/{victim.reference}/"
    assert presenters.record_victim_url(coordinator, debriefed, target) == (
        f"/safeguarding/victims/new/?operation={debriefed.pk}&target={target.pk}"
    )


def test_a_victim_is_recorded_from_a_target_only_once_the_operation_went_live(targeted, make_user):
    coordinator = make_user(Role.HUB_COORDINATOR)
    assert presenters.record_victim_url(coordinator, targeted, targeted.targets.get()) is None


def test_only_those_who_record_victims_are_offered_to(live, make_user):
    analyst = make_user(Role.HUB_ANALYST)
    assert presenters.record_victim_url(analyst, live, live.targets.get()) is None
