"""Running a campaign: what is stored, what is refused whole, and what is audited."""

import datetime
import decimal
import uuid

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from lantern.core import audit
from lantern.core.models import AuditEvent
from lantern.core.roles import Role
from lantern.outreach.models import Activity, Campaign, ReachFigure
from lantern.outreach.selectors.campaigns import link_target
from lantern.outreach.services import campaigns as services
from tests.factories import OrganisationFactory
from tests.outreach.campaigns.factories import activity


def create(actor, **changes):
    values = {
        "submission_key": uuid.uuid4(),
        "name": "Spot the signs at the market",
        "purpose": "Stalls at markets across the county with leaflets in five languages.",
        "channels": ["pop_up", "print"],
        "starts_on": datetime.date(2026, 5, 1),
        "ends_on": datetime.date(2026, 5, 31),
        "audiences": ["general_public", "community_faith"],
        "languages": ["English", "Polish", "Romanian"],
        "cost": decimal.Decimal("450.00"),
    }
    values.update(changes)
    return services.create_campaign(actor=actor, **values)


def test_a_command_or_the_worker_creates_a_campaign_with_no_request(officer):
    """A task or the CLI passes a system context: the actor is audited, with no address."""
    context = audit.AuditContext.system("campaigns moved from the old tracker", actor=officer)

    campaign = create(officer, context=context)

    event = AuditEvent.objects.get(action="outreach.campaign_created")
    assert event.object_id == str(campaign.pk)
    assert (event.actor_id, event.ip_address, event.purpose) == (
        officer.pk,
        None,
        "campaigns moved from the old tracker",
    )


def test_an_officer_creates_a_campaign_with_a_short_code_and_an_audit_entry(officer, leicester):
    partner = OrganisationFactory(name="Melton Borough Council")

    campaign = create(officer, areas=[leicester], partners=[partner])

    assert len(campaign.code) == 6 and link_target(campaign.code) == (campaign, None)
    assert campaign.channel_list == ["pop_up", "print"]
    assert list(campaign.areas.all()) == [leicester]
    assert list(campaign.partners.all()) == [partner]
    assert campaign.status == "planned"
    event = AuditEvent.objects.get(action="outreach.campaign_created")
    assert event.object_id == str(campaign.pk) and event.actor_id == officer.pk


def test_the_same_form_sent_twice_creates_one_campaign(officer):
    key = uuid.uuid4()

    first = create(officer, submission_key=key)
    second = create(officer, submission_key=key)

    assert first == second and Campaign.objects.count() == 1


def test_someone_else_resending_the_key_is_refused(officer, make_user):
    key = uuid.uuid4()
    create(officer, submission_key=key)

    with pytest.raises(PermissionDenied):
        create(make_user(Role.HUB_COORDINATOR), submission_key=key)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"ends_on": datetime.date(2026, 4, 30)}, "ends_on"),
        ({"starts_on": datetime.date(2009, 5, 1)}, "starts_on"),
        ({"ends_on": datetime.date(2027, 12, 31)}, "ends_on"),
        ({"channels": []}, "channels"),
        ({"channels": ["billboard"]}, "channels"),
        ({"audiences": ["everyone"]}, "audiences"),
        ({"name": "  "}, "name"),
        ({"cost": decimal.Decimal("-1")}, "cost"),
        ({"languages": ["x" * 41]}, "languages"),
    ],
)
def test_bad_input_is_refused_naming_the_field_and_nothing_is_stored(officer, changes, field):
    with pytest.raises(ValidationError) as refused:
        create(officer, **changes)

    assert field in refused.value.message_dict
    assert not Campaign.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="outreach.").exists()


@pytest.mark.parametrize(
    "role", [Role.PARTNER_CONTRIBUTOR, Role.HUB_ANALYST, Role.BOARD_VIEWER, Role.OPERATIONS_LEAD]
)
def test_only_officers_and_the_hub_coordinator_run_campaigns(make_user, role):
    with pytest.raises(PermissionDenied):
        create(make_user(role))


def test_an_officer_without_a_signed_agreement_runs_none(make_user):
    pending = OrganisationFactory(name="Pending partner", isa_signed_on=None)

    with pytest.raises(PermissionDenied):
        create(make_user(Role.OUTREACH_OFFICER, organisation=pending))


def test_the_hub_coordinator_changes_an_officers_campaign(campaign, make_user, leicester):
    coordinator = make_user(Role.HUB_COORDINATOR)

    services.change_campaign(
        campaign=campaign,
        actor=coordinator,
        name=campaign.name,
        purpose=campaign.purpose,
        channels=["social_media"],
        starts_on=campaign.starts_on,
        ends_on=campaign.ends_on,
        status="running",
        areas=[leicester],
    )

    campaign.refresh_from_db()
    assert campaign.status == "running" and campaign.channel_list == ["social_media"]
    event = AuditEvent.objects.get(action="outreach.campaign_changed")
    assert event.actor_id == coordinator.pk
    assert set(event.detail["changed"]) == {"channels", "status"}


def test_activities_are_numbered_and_carry_their_reach(campaign, officer):
    first = activity(campaign, officer)
    second = activity(campaign, officer, channel="local_radio", reach={"listeners": 12000})

    assert (first.number, second.number) == (1, 2)
    assert second.link_code == f"{campaign.code}-2"
    assert dict(first.reach.values_list("kind", "value")) == {
        "impressions": 5400,
        "link_clicks": 120,
    }
    assert AuditEvent.objects.filter(action="outreach.campaign_activity_recorded").count() == 2


@pytest.mark.parametrize(
    ("reach", "field"),
    [
        ({"impressions": -1}, "impressions"),
        ({"impressions": 10**20}, "impressions"),
        ({"impressions": "12"}, "impressions"),
        ({"impressions": True}, "impressions"),
        ({"followers": 3}, "reach"),
    ],
)
def test_a_reach_figure_that_is_not_a_plausible_count_is_refused(campaign, officer, reach, field):
    with pytest.raises(ValidationError) as refused:
        activity(campaign, officer, reach=reach)

    assert field in refused.value.message_dict
    assert not Activity.objects.exists() and not ReachFigure.objects.exists()


def test_an_activity_far_outside_the_campaign_is_refused(campaign, officer):
    with pytest.raises(ValidationError) as refused:
        activity(campaign, officer, happened_on=datetime.date(2026, 1, 1))

    assert "happened_on" in refused.value.message_dict


def test_an_activity_sent_twice_is_stored_once(campaign, officer):
    key = uuid.uuid4()
    values = {
        "title": "Breakfast show interview",
        "channel": "local_radio",
        "happened_on": datetime.date(2026, 10, 18),
        "reach": {"listeners": 30000},
    }

    services.record_activity(campaign=campaign, actor=officer, submission_key=key, **values)
    services.record_activity(campaign=campaign, actor=officer, submission_key=key, **values)

    assert Activity.objects.count() == 1 and ReachFigure.objects.count() == 1


def test_reach_is_corrected_and_an_empty_figure_removes_its_kind(campaign, officer):
    recorded = activity(campaign, officer)

    services.set_reach(
        activity=recorded, actor=officer, reach={"impressions": 6000, "link_clicks": None}
    )

    assert dict(recorded.reach.values_list("kind", "value")) == {"impressions": 6000}
    assert AuditEvent.objects.filter(action="outreach.campaign_reach_recorded").exists()


def test_visits_are_counted_per_day_without_anything_about_the_visitor(campaign, officer):
    recorded = activity(campaign, officer)
    day = datetime.date(2026, 10, 18)

    for _ in range(3):
        services.count_visit(code=campaign.code, on=day)
    services.count_visit(code=recorded.link_code, on=day)
    services.count_visit(code=campaign.code, on=day + datetime.timedelta(days=1))

    rows = sorted(campaign.visits.values_list("activity__number", "day", "count"), key=str)
    assert rows == sorted(
        [(None, day, 3), (1, day, 1), (None, day + datetime.timedelta(days=1), 1)], key=str
    )
    assert {field.name for field in campaign.visits.model._meta.fields} == {
        "id",
        "campaign",
        "activity",
        "day",
        "count",
    }


@pytest.mark.parametrize(
    "code", ["", "NOPE", "ZZZZZZ", "ZZZZZZ-1", "\ud800", "A" * 500, "TST000-9"]
)
def test_an_unknown_code_counts_nothing(campaign, code):
    assert services.count_visit(code=code) is None
    assert not campaign.visits.exists()


def test_an_activity_key_resent_by_someone_else_is_refused(campaign, officer, make_user):
    key = uuid.uuid4()
    values = {"title": "Post", "channel": "social_media", "happened_on": campaign.starts_on}
    services.record_activity(campaign=campaign, actor=officer, submission_key=key, **values)

    with pytest.raises(PermissionDenied):
        services.record_activity(
            campaign=campaign,
            actor=make_user(Role.HUB_COORDINATOR),
            submission_key=key,
            **values,
        )
    assert Activity.objects.count() == 1
