"""A campaign's status follows its dates (the daily job), and administrators can correct a
campaign in the admin, audited; neither ever overrides a cancellation."""

import datetime

import pytest

from lantern.core.models import AuditEvent
from lantern.core.roles import Role
from lantern.housekeeping import services as housekeeping
from lantern.outreach.models import Campaign, CampaignStatus
from lantern.outreach.services import campaigns as services
from tests.outreach.campaigns.factories import CampaignFactory

OCTOBER_1 = datetime.date(2026, 10, 1)


@pytest.mark.parametrize(
    ("status", "today", "expected"),
    [
        ("planned", OCTOBER_1 - datetime.timedelta(days=1), "planned"),
        ("planned", OCTOBER_1, "running"),
        ("planned", datetime.date(2026, 10, 31), "running"),
        ("planned", datetime.date(2026, 11, 1), "finished"),
        ("running", datetime.date(2026, 11, 1), "finished"),
        # Never backwards, never over a cancellation.
        ("running", OCTOBER_1 - datetime.timedelta(days=5), "running"),
        ("finished", OCTOBER_1, "finished"),
        ("cancelled", OCTOBER_1, "cancelled"),
        ("cancelled", datetime.date(2027, 1, 1), "cancelled"),
    ],
)
def test_the_status_its_dates_give(officer, status, today, expected):
    campaign = CampaignFactory(created_by=officer, status=status)
    assert services.status_on(campaign, today) == expected


def test_the_daily_job_moves_campaigns_on_and_audits_each_move(officer):
    planned = CampaignFactory(created_by=officer)
    finished = CampaignFactory(created_by=officer, status="running")
    finished.ends_on = datetime.date(2026, 10, 10)
    finished.save()
    cancelled = CampaignFactory(created_by=officer, status="cancelled")
    later = CampaignFactory(
        created_by=officer, starts_on=datetime.date(2027, 1, 1), ends_on=datetime.date(2027, 1, 9)
    )

    summary = housekeeping.run_daily(today=datetime.date(2026, 10, 15))
    again = housekeeping.run_daily(today=datetime.date(2026, 10, 15))

    statuses = dict(Campaign.objects.values_list("pk", "status"))
    assert statuses[planned.pk] == CampaignStatus.RUNNING
    assert statuses[finished.pk] == CampaignStatus.FINISHED
    assert statuses[cancelled.pk] == CampaignStatus.CANCELLED
    assert statuses[later.pk] == CampaignStatus.PLANNED
    assert (summary.campaigns_moved, again.campaigns_moved) == (2, 0)
    moves = AuditEvent.objects.filter(action="outreach.campaign_changed", actor_id=None)
    assert sorted(event.detail["status"] for event in moves) == ["finished", "running"]


@pytest.fixture
def admin_client(signed_in):
    return signed_in(Role.SYSTEM_ADMINISTRATOR)


def test_an_administrator_corrects_a_campaign_in_the_admin_audited(admin_client, officer):
    campaign = CampaignFactory(created_by=officer)
    listing = admin_client.get("/admin/outreach/campaign/")
    page = admin_client.get(f"/admin/outreach/campaign/{campaign.pk}/change/")
    data = {
        "name": "Anti-Slavery Day 2026",
        "purpose": campaign.purpose,
        "starts_on": "2026-10-01",
        "ends_on": "2026-10-31",
        "status": "cancelled",
        "landing": "signs",
        "cost": "",
    }

    changed = admin_client.post(f"/admin/outreach/campaign/{campaign.pk}/change/", data)
    backwards = admin_client.post(
        f"/admin/outreach/campaign/{campaign.pk}/change/", {**data, "ends_on": "2026-09-01"}
    )

    assert listing.status_code == 200 and campaign.code in listing.content.decode()
    assert 'for="id_starts_on"' in page.content.decode()
    assert changed.status_code == 302
    campaign.refresh_from_db()
    assert (campaign.name, campaign.status) == ("Anti-Slavery Day 2026", "cancelled")
    assert AuditEvent.objects.filter(action="admin.change").exists()
    assert backwards.status_code == 200 and campaign.ends_on == datetime.date(2026, 10, 31)
    assert admin_client.get("/admin/outreach/campaign/add/").status_code == 403
    assert admin_client.get(f"/admin/outreach/campaign/{campaign.pk}/delete/").status_code == 403


@pytest.mark.parametrize("role", [Role.OUTREACH_OFFICER, Role.HUB_COORDINATOR])
def test_the_admin_is_for_administrators_only(signed_in, role, officer):
    campaign = CampaignFactory(created_by=officer)
    response = signed_in(role).get(f"/admin/outreach/campaign/{campaign.pk}/change/")
    assert response.status_code in {302, 404}
