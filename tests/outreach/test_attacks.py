"""An attacker's probes of the outreach pages: codes no campaign or session can have.

PostgreSQL refuses a NUL byte in a query (SQLite does not), so a code holding one must be
refused as missing before any lookup: otherwise the same address is a 404 on one database
and a server error on the other. Run these on PostgreSQL too.
"""

import pytest
from hypothesis import HealthCheck, example, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from lantern.core.roles import Role
from tests.outreach.training.factories import SessionFactory

pytestmark = pytest.mark.django_db

ODD_CODES = ["%00", "AB%00CD", "K7PD3X%00", "%C3%A9%00"]


@pytest.mark.parametrize("code", ODD_CODES)
@pytest.mark.parametrize(
    "page",
    [
        "/campaigns/{code}/",
        "/campaigns/{code}/change/",
        "/campaigns/{code}/activities/new/",
        "/campaigns/{code}/activities/1/reach/",
        "/campaigns/{code}/activities/1/qr.png",
        "/campaigns/{code}/import/",
        "/campaigns/{code}/qr.svg",
        "/campaigns/{code}/materials/new/",
        "/campaigns/{code}/materials/1/",
        "/evaluation/campaigns/{code}/effect/",
    ],
)
def test_a_campaign_code_holding_a_nul_byte_is_missing(client, make_user, page, code):
    client.force_login(make_user(Role.HUB_COORDINATOR))

    response = client.get(page.format(code=code))

    assert response.status_code == 404


def test_removing_a_material_of_a_nul_code_is_missing(client, make_user):
    client.force_login(make_user(Role.OUTREACH_OFFICER))

    response = client.post("/campaigns/%00/materials/1/remove/")

    assert response.status_code == 404


@pytest.mark.parametrize("code", ["\x00", "AB\x00CD", "ZZZ\x00"])
def test_results_for_a_session_code_holding_a_nul_byte_are_missing(client, make_user, code):
    SessionFactory()
    client.force_login(make_user(Role.OUTREACH_OFFICER))

    response = client.get("/training/results/", {"session": code})

    assert response.status_code == 404


@hypothesis_settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(code=st.text(max_size=14))
@example(code="\x00")
@example(code="9" * 20)
def test_results_never_fail_on_any_session_code(client, make_user, code):
    client.force_login(make_user(Role.OUTREACH_OFFICER))

    response = client.get("/training/results/", {"session": code})

    assert response.status_code in (200, 400, 404)


def test_an_imported_activity_holding_a_nul_byte_is_named_and_nothing_is_stored(client, make_user):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from lantern.outreach.models import Activity
    from tests.outreach.campaigns.factories import CampaignFactory

    officer = make_user(Role.OUTREACH_OFFICER)
    campaign = CampaignFactory(created_by=officer)
    client.force_login(officer)
    text = (
        "date,activity,channel,area,impressions,link_clicks,listeners\n"
        "2026-10-18,Anti-Slavery Day post,social_media,Leicester,5400,120,\n"
        "2026-10-19,Stall\x00 at the market,social_media,Leicester,10,,\n"
    )
    upload = SimpleUploadedFile("reach.csv", text.encode("utf-8"), content_type="text/csv")

    response = client.post(f"/campaigns/{campaign.code}/import/", {"file": upload})

    assert response.status_code == 400
    assert "Remove the unreadable characters" in response.content.decode()
    assert not Activity.objects.filter(campaign=campaign).exists()


def test_a_board_viewer_never_sees_a_small_number_of_staff_trained(client, make_user):
    from tests.factories import OrganisationFactory
    from tests.outreach.training.factories import BookingFactory

    small = OrganisationFactory(name="Melton Borough Council")
    BookingFactory(session=SessionFactory(), organisation=small, attended=2)
    client.force_login(make_user(Role.BOARD_VIEWER))

    response = client.get("/training/reach/")

    # The true counts by organisation are for those who manage training; a board viewer
    # reads training totals through the evaluation pages, small numbers withheld.
    assert response.status_code == 404
    assert "Melton Borough Council" not in response.content.decode()


def test_an_attendee_of_one_session_reaches_nothing_of_another(client):
    """The pairing code and the certificate belong to one session: taking the tests of
    one gives no certificate of another, and its code opens nothing there."""
    from django.test import Client

    from lantern.outreach.models.training import Attempt, CourseItem, QuestionKind, Stage

    def answers(session):
        data = {}
        for item in CourseItem.objects.filter(course=session.course, stage=Stage.PRE):
            question = item.question
            if question.kind == QuestionKind.CONFIDENCE:
                data[f"q{question.pk}"] = "5"
            else:
                data[f"q{question.pk}"] = str(question.choices.get(name="right").pk)
        return data

    first, other = SessionFactory(), SessionFactory()
    code = client.get(f"/t/{first.code}/pre/").context["pairing_code"]
    client.post(f"/t/{first.code}/pre/", answers(first))
    client.post(f"/t/{first.code}/post/", answers(first))

    certificate = client.post(f"/t/{other.code}/certificate/", {"name": "Alex Martin"})
    done = client.get(f"/t/{other.code}/post/done/")
    stranger = Client()
    typed = stranger.post(
        f"/t/{other.code}/post/", {**answers(other), "pairing-pairing_code": code}
    )

    assert certificate.status_code == 302 and certificate.url == f"/t/{other.code}/"
    assert done.status_code == 302
    assert typed.status_code == 400
    assert not Attempt.objects.filter(session=other).exists()
