"""The campaign pages as an officer uses them: create, list and filter, calendar, the
campaign page with activities and reach, QR codes and materials."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from lantern.core.models import AuditEvent, LocalAuthorityArea
from lantern.core.roles import Role
from lantern.outreach.models import Campaign, Material
from lantern.outreach.services import campaigns as services
from tests.outreach.campaigns.factories import CampaignFactory, activity, report_through


@pytest.fixture
def as_officer(client, officer):
    client.force_login(officer)
    return client


def new_campaign_form(client, **changes):
    page = client.get("/campaigns/new/")
    data = {
        "submission_key": page.context["form"].initial["submission_key"],
        "name": "Anti-Slavery Day 2026",
        "purpose": "Posts, radio and stalls around 18 October.",
        "channels": ["social_media", "local_radio"],
        "starts_on": "2026-10-01",
        "ends_on": "2026-10-31",
        "areas": [LocalAuthorityArea.objects.get(name="Rutland").pk],
        "audiences": ["general_public"],
        "languages": "English, Polish",
        "cost": "1250.50",
        "landing": "report",
    }
    data.update(changes)
    return data


def test_an_officer_creates_a_campaign_and_lands_on_its_page(as_officer):
    data = new_campaign_form(as_officer)

    response = as_officer.post("/campaigns/new/", data)
    again = as_officer.post("/campaigns/new/", data)

    campaign = Campaign.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/campaigns/{campaign.code}/"
    assert again["Location"] == response["Location"]
    assert campaign.languages == ["English", "Polish"] and str(campaign.cost) == "1250.50"
    page = as_officer.get(response["Location"]).content.decode()
    assert "Anti-Slavery Day 2026" in page and "Rutland" in page
    assert f"/c/{campaign.code}/" in page


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"ends_on": "2026-09-01"}, "The end date must be the same as or after the start date"),
        ({"starts_on": "31/02/2026"}, "Enter a real date, like 18/10/2026"),
        ({"channels": []}, "Select at least one channel"),
        ({"cost": "lots"}, "Enter the cost as a number, like 1250.00"),
        ({"cost": "-5"}, "Enter a cost that is 0 or more"),
        ({"areas": ["999999"]}, "Select areas from the list"),
    ],
)
def test_bad_input_is_shown_against_its_field_and_nothing_is_saved(as_officer, changes, message):
    response = as_officer.post("/campaigns/new/", new_campaign_form(as_officer, **changes))

    assert response.status_code == 400
    assert message in response.content.decode()
    assert "There is a problem" in response.content.decode()
    assert not Campaign.objects.exists()


def test_the_list_filters_by_year_channel_area_and_status(as_officer, officer, leicester):
    october = CampaignFactory(name="October posts", created_by=officer, channels=["social_media"])
    october.areas.add(leicester)
    CampaignFactory(
        name="Winter radio",
        created_by=officer,
        channels=["local_radio"],
        starts_on=datetime.date(2025, 1, 6),
        ends_on=datetime.date(2025, 2, 28),
        status="finished",
    )

    def names(query):
        response = as_officer.get(f"/campaigns/?{query}")
        assert response.status_code == 200
        return [row["campaign"].name for row in response.context["rows"]]

    assert names("") == ["October posts", "Winter radio"]
    assert names("year=2025") == ["Winter radio"]
    assert names("channel=social_media") == ["October posts"]
    assert names(f"area={leicester.pk}") == ["October posts"]
    assert names("status=finished") == ["Winter radio"]
    # Filters nobody could pick are ignored, never an error.
    assert names("year=%ED%A0%80&channel=x&area=abc&status=") == ["October posts", "Winter radio"]


def test_the_calendar_shows_each_month_with_its_campaigns(as_officer, campaign):
    response = as_officer.get("/campaigns/calendar/2026/")

    months = response.context["months"]
    assert [len(month.campaigns) for month in months] == [0] * 9 + [1, 0, 0]
    assert campaign.name in response.content.decode()
    assert "October" in response.content.decode()


def test_the_campaign_page_totals_reach_by_kind(as_officer, campaign, officer):
    activity(campaign, officer)
    activity(campaign, officer, title="Second post", reach={"impressions": 600})
    activity(campaign, officer, channel="local_radio", reach={"listeners": 20000})

    response = as_officer.get(f"/campaigns/{campaign.code}/")

    assert response.context["reach"] == [
        ("Impressions", 6000),
        ("Link clicks", 120),
        ("Estimated listeners", 20000),
    ]


def test_recording_an_activity_through_the_page(as_officer, campaign):
    page = as_officer.get(f"/campaigns/{campaign.code}/activities/new/")
    data = {
        "submission_key": page.context["form"].initial["submission_key"],
        "title": "Stall at the market",
        "channel": "pop_up",
        "happened_on": "2026-10-17",
        "stall_visitors": "240",
        "leaflets": "1,000",
    }

    refused = as_officer.post(f"/campaigns/{campaign.code}/activities/new/", data)
    data["leaflets"] = "1000"
    stored = as_officer.post(f"/campaigns/{campaign.code}/activities/new/", data)

    assert refused.status_code == 400
    assert "Enter a whole number, like 1200" in refused.content.decode()
    assert stored.status_code == 302
    [recorded] = campaign.activities.all()
    assert dict(recorded.reach.values_list("kind", "value")) == {
        "stall_visitors": 240,
        "leaflets": 1000,
    }


def test_qr_codes_download_as_png_and_svg_and_hold_the_short_link(as_officer, campaign):
    png = as_officer.get(f"/campaigns/{campaign.code}/qr.png")
    svg = as_officer.get(f"/campaigns/{campaign.code}/qr.svg")

    assert png["Content-Type"] == "image/png"
    assert "attachment" in png["Content-Disposition"]
    image = Image.open(io.BytesIO(png.content))
    assert image.size[0] == image.size[1] > 200
    assert svg["Content-Type"] == "image/svg+xml"
    assert f"http://testserver/c/{campaign.code}/" in svg.content.decode()


def test_the_qr_link_has_no_language_prefix_even_from_the_french_pages(as_officer, campaign):
    svg = as_officer.get(f"/fr/campaigns/{campaign.code}/qr.svg")

    assert f"http://testserver/c/{campaign.code}/" in svg.content.decode()


def test_materials_are_private_unless_marked_public(as_officer, client, campaign, officer):
    response = as_officer.post(
        f"/campaigns/{campaign.code}/materials/new/",
        {"title": "Poster", "file": SimpleUploadedFile("poster.pdf", b"%PDF-1.4 x")},
    )
    private = Material.objects.get()
    public = services.add_material(
        campaign=campaign,
        actor=officer,
        upload=SimpleUploadedFile("leaflet.pdf", b"%PDF-1.4 leaflet"),
        title="Leaflet",
        is_public=True,
    )

    assert response.status_code == 302
    staff = as_officer.get(f"/campaigns/{campaign.code}/materials/{private.pk}/")
    assert b"".join(staff.streaming_content) == b"%PDF-1.4 x"
    client.logout()
    assert client.get(f"/c/{campaign.code}/materials/{private.pk}/").status_code == 404
    shared = client.get(f"/c/{campaign.code}/materials/{public.pk}/")
    assert shared.status_code == 200 and shared["X-Content-Type-Options"] == "nosniff"
    assert AuditEvent.objects.filter(action="outreach.campaign_material_added").count() == 2


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("page.html", b"<script>alert(1)</script>", "The file must be one of"),
        ("poster.svg", b"<svg onload='x'/>", "The file must be one of"),
        ("poster.pdf", b"x" * (20 * 1024 * 1024 + 1), "The file must be 20 MB or smaller"),
        ("poster.pdf", b"<script>alert(1)</script>", "is not a PDF file"),
        ("leaflet.docx", b"%PDF-1.4 a PDF renamed", "is not a DOCX file"),
    ],
)
def test_a_material_that_is_not_allowed_is_refused(as_officer, campaign, name, content, message):
    response = as_officer.post(
        f"/campaigns/{campaign.code}/materials/new/",
        {"title": "Poster", "file": SimpleUploadedFile(name, content)},
    )

    assert response.status_code == 400 and message in response.content.decode()
    assert not Material.objects.exists()


def test_removing_a_material_removes_its_file_once_committed(
    as_officer, campaign, officer, django_capture_on_commit_callbacks
):
    material = services.add_material(
        campaign=campaign,
        actor=officer,
        upload=SimpleUploadedFile("poster.pdf", b"%PDF-1.4 x"),
        title="Poster",
    )
    storage, name = material.file.storage, material.file.name

    with django_capture_on_commit_callbacks(execute=True):
        with_commit = as_officer.post(f"/campaigns/{campaign.code}/materials/{material.pk}/remove/")

    assert with_commit.status_code == 302
    assert not Material.objects.exists()
    assert AuditEvent.objects.filter(action="outreach.campaign_material_removed").exists()
    assert storage.exists(name) is False


def test_the_home_page_lists_running_and_coming_campaigns(as_officer, officer):
    today = datetime.date.today()
    CampaignFactory(
        name="Coming soon",
        created_by=officer,
        starts_on=today + datetime.timedelta(days=10),
        ends_on=today + datetime.timedelta(days=20),
    )
    CampaignFactory(
        name="Long over",
        created_by=officer,
        starts_on=today - datetime.timedelta(days=400),
        ends_on=today - datetime.timedelta(days=380),
    )

    page = as_officer.get("/").content.decode()

    assert "Your campaigns" in page and "Coming soon" in page and "Long over" not in page


def test_the_coordinator_sees_counts_of_intelligence_only_over_what_they_read(
    client, make_user, campaign, leicester
):
    from tests.factories import IntelligenceReportFactory

    report = IntelligenceReportFactory(area=leicester)
    report.created_at = datetime.datetime(2026, 10, 10, 12, tzinfo=datetime.UTC)
    report.save()
    client.force_login(make_user(Role.HUB_COORDINATOR))

    attribution = client.get(f"/campaigns/{campaign.code}/").context["attribution"]

    assert attribution.intelligence_during == 1 and attribution.intelligence_before == 0
    assert attribution.public_reports_during is None


def test_an_officer_reads_no_intelligence_so_none_is_counted(as_officer, campaign, leicester):
    report_through(area=leicester)

    attribution = as_officer.get(f"/campaigns/{campaign.code}/").context["attribution"]

    assert attribution.intelligence_during is None and attribution.public_reports_during is None
    assert attribution.references == []


def test_the_coordinator_moves_a_campaign_through_the_change_page(client, make_user, campaign):
    client.force_login(make_user(Role.HUB_COORDINATOR))
    form = client.get(f"/campaigns/{campaign.code}/change/").context["form"]
    data = {
        name: value
        for name, value in {
            **form.initial,
            "starts_on": "2026-10-01",
            "ends_on": "2026-10-31",
            "status": "running",
            "areas": [area.pk for area in form.initial["areas"]],
            "partners": [],
            "cost": "",
        }.items()
        if value is not None
    }

    response = client.post(f"/campaigns/{campaign.code}/change/", data)

    assert response.status_code == 302
    campaign.refresh_from_db()
    assert campaign.status == "running"
    assert "Running" in client.get(response["Location"]).content.decode()
