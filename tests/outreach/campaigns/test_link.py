"""Attribution without tracking: a visitor follows a campaign's short link, sends a report,
and the campaign counts it; nothing that identifies the visitor is kept."""

import datetime

import pytest
from django.utils import timezone

from lantern.core.models import AuditEvent
from lantern.outreach.models import LinkVisit
from lantern.public.models import PublicReport
from tests.outreach.campaigns.factories import CampaignFactory, activity, report_through
from tests.public.test_report import ANSWERS, fill_in, send


def test_a_visitor_through_the_link_sends_a_report_that_keeps_only_the_code(
    client, campaign, officer
):
    response = client.get(f"/c/{campaign.code}/", REMOTE_ADDR="203.0.113.9")

    assert response.status_code == 302 and response["Location"] == "/help/"
    assert set(response.cookies) <= {"sessionid"}
    send(client, fill_in(client, {**ANSWERS, "heard": {"heard_from": "social_media"}}))

    report = PublicReport.objects.get()
    assert report.campaign_code == campaign.code and report.heard_from == "social_media"
    [visit] = LinkVisit.objects.all()
    assert (visit.campaign, visit.activity, visit.day, visit.count) == (
        campaign,
        None,
        timezone.localdate(),
        1,
    )
    assert not AuditEvent.objects.filter(ip_address="203.0.113.9").exists()
    client.force_login(officer)
    attribution = client.get(f"/campaigns/{campaign.code}/").context["attribution"]
    assert (attribution.visits, attribution.through_links) == (1, 1)


def test_an_activity_link_counts_for_the_activity_and_its_campaign(client, campaign, officer):
    recorded = activity(campaign, officer)
    campaign.landing = "report"
    campaign.save()

    response = client.get(f"/c/{recorded.link_code.lower()}/")
    send(client, fill_in(client))

    assert response["Location"] == "/report/"
    assert PublicReport.objects.get().campaign_code == recorded.link_code
    assert LinkVisit.objects.get().activity == recorded
    client.force_login(officer)
    assert client.get(f"/campaigns/{campaign.code}/").context["attribution"].through_links == 1


def test_french_visitors_land_on_the_french_pages(client, campaign):
    assert client.get(f"/fr/c/{campaign.code}/")["Location"] == "/fr/help/"


@pytest.mark.parametrize("code", ["ZZZZZZ", "nope", "TST000-99", "x" * 300, "%ED%A0%80"])
def test_an_unknown_link_gets_a_helpful_page_and_counts_nothing(client, campaign, code):
    response = client.get(f"/c/{code}/")

    assert response.status_code == 404
    assert "This link is not in use" in response.content.decode()
    assert 'href="/report/"' in response.content.decode()
    assert not LinkVisit.objects.exists()
    assert "campaign_code" not in client.session


def test_another_campaign_does_not_count_a_report_through_this_ones_link(client, officer):
    first = CampaignFactory(code="AAAAAA", created_by=officer)
    second = CampaignFactory(code="AAAAAC", created_by=officer)
    report_through(code="AAAAAA-1")

    client.force_login(officer)

    assert client.get("/campaigns/AAAAAA/").context["attribution"].through_links == 1
    assert client.get(f"/campaigns/{second.code}/").context["attribution"].through_links == 0
    assert first.code != second.code


def test_reports_naming_a_channel_count_only_during_the_campaign(client, officer):
    campaign = CampaignFactory(
        created_by=officer,
        starts_on=timezone.localdate() - datetime.timedelta(days=3),
        ends_on=timezone.localdate() + datetime.timedelta(days=3),
        channels=["local_radio", "other"],
    )
    report_through(heard_from="local_radio")
    report_through(heard_from="social_media")
    report_through(heard_from="other")
    old = report_through(heard_from="local_radio")
    PublicReport.objects.filter(pk=old.pk).update(
        submitted_at=timezone.now() - datetime.timedelta(days=30)
    )
    client.force_login(officer)

    assert client.get(f"/campaigns/{campaign.code}/").context["attribution"].named_channel == 1


def test_the_hub_analyst_sees_how_a_reporter_heard_of_the_service(client, signed_in):
    from lantern.core.roles import Role

    report = report_through(code="AAAAAA", heard_from="friend_family")
    analyst = signed_in(Role.HUB_ANALYST)

    page = analyst.get(f"/hub/public-reports/{report.reference}/").content.decode()

    assert "How you heard about this service" in page and "A friend or family member" in page


def test_a_forged_code_in_the_session_is_not_stored(client, db):
    session = client.session
    session["campaign_code"] = "<script>" * 10
    session.save()

    send(client, fill_in(client))

    assert PublicReport.objects.get().campaign_code == ""


def test_the_how_did_you_hear_question_is_optional_and_checked(client, db):
    fill_in(client)

    skipped = client.post("/report/heard/", {})
    # A lone surrogate, as a client that sends broken UTF-8 would.
    wrong = client.post(
        "/report/heard/",
        b"heard_from=tv%ED%A0%80",
        content_type="application/x-www-form-urlencoded",
    )

    assert skipped.status_code == 302 and skipped["Location"] == "/report/check/"
    assert wrong.status_code == 400
    assert "Select one of the answers, or leave it empty" in wrong.content.decode()


def test_a_script_following_the_link_again_and_again_is_not_counted(client, campaign, settings):
    settings.CAMPAIGN_VISIT_RATE_LIMIT = "2/h"

    responses = [client.get(f"/c/{campaign.code}/", REMOTE_ADDR="203.0.113.9") for _ in range(5)]
    other = client.get(f"/c/{campaign.code}/", REMOTE_ADDR="198.51.100.7")

    # Every visitor still reaches the public pages; only the counting stops.
    assert [response.status_code for response in [*responses, other]] == [302] * 6
    assert LinkVisit.objects.get().count == 3
    assert client.get("/c/ZZZZZZ/", REMOTE_ADDR="203.0.113.9").status_code == 404
