"""A partner contributor's home page shows their organisation's own work: recent
submissions, open taskings with their due dates, and hits on its restricted intelligence."""

import datetime

import pytest
from django.utils import timezone

from lantern.core.roles import Role
from lantern.entities.hits import record_hits
from lantern.entities.mentions import MentionData
from lantern.entities.models import HitContext
from lantern.intelligence.services.mentions import add_mentions
from tests.factories import IntelligenceReportFactory, OrganisationFactory, TaskingFactory


@pytest.fixture
def fire_service(db):
    return OrganisationFactory(name="Leicestershire Fire and Rescue")


@pytest.fixture
def contributor(client, make_user, fire_service):
    user = make_user(Role.PARTNER_CONTRIBUTOR, organisation=fire_service)
    client.force_login(user)
    return client


def test_the_contributor_sees_their_organisations_recent_submissions_only(
    contributor, fire_service
):
    ours = IntelligenceReportFactory(
        originating_organisation=fire_service, summary="Mattresses in the loft above the shop"
    )
    theirs = IntelligenceReportFactory(summary="Someone else's report")

    page = contributor.get("/").content.decode()

    assert "Your organisation’s intelligence" in page
    assert ours.reference in page
    assert "Mattresses in the loft above the shop" in page
    assert theirs.reference not in page


def test_open_taskings_show_their_due_dates_and_overdue_ones_say_so(contributor, fire_service):
    due = timezone.localdate() + datetime.timedelta(days=3)
    TaskingFactory(organisation=fire_service, deadline=due)
    late = TaskingFactory(
        organisation=fire_service, deadline=timezone.localdate() - datetime.timedelta(days=2)
    )
    withdrawn = TaskingFactory(organisation=fire_service, status="withdrawn")
    elsewhere = TaskingFactory()

    page = contributor.get("/").content.decode()

    assert f"due {due.day} " in page
    assert f"/intelligence/taskings/{late.pk}/" in page
    assert "Overdue" in page
    assert f"/intelligence/taskings/{withdrawn.pk}/" not in page
    assert f"/intelligence/taskings/{elsewhere.pk}/" not in page


def test_hits_on_the_organisations_restricted_intelligence_are_counted(
    contributor, fire_service, make_user
):
    report = IntelligenceReportFactory(originating_organisation=fire_service, restricted=True)
    [mention] = add_mentions(report, [MentionData(kind="phone", role="other", value="07700900123")])
    mention.refresh_from_db()
    record_hits(
        user=make_user(Role.PARTNER_CONTRIBUTOR),
        entities=[mention.entity],
        where=HitContext.SEARCH,
    )

    page = contributor.get("/").content.decode()

    assert "1 hit on your organisation’s restricted intelligence" in page


def test_others_get_no_contributor_panel(client, make_user):
    client.force_login(make_user(Role.HUB_ANALYST))

    assert "Your organisation’s intelligence" not in client.get("/").content.decode()


def test_the_panel_renders_in_french(contributor):
    assert contributor.get("/fr/").status_code == 200
