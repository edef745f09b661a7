"""Importing reach from a platform's or a radio station's CSV file: all rows or none,
every problem by line and column, a file in the wrong shape refused whole."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from lantern.core.models import AuditEvent
from lantern.outreach.models import Activity, ReachFigure

GOOD = (
    "date,activity,channel,area,impressions,link_clicks,listeners\n"
    "2026-10-18,Anti-Slavery Day post,social_media,Leicester,5400,120,\n"
    '18/10/2026,Breakfast show,Local radio,E06000017,,,"32,000"\n'
)


def upload(text: str | bytes, name: str = "reach.csv") -> SimpleUploadedFile:
    content = text.encode("utf-8") if isinstance(text, str) else text
    return SimpleUploadedFile(name, content, content_type="text/csv")


@pytest.fixture
def as_officer(client, officer):
    client.force_login(officer)
    return client


def post(client, campaign, text, name="reach.csv"):
    return client.post(f"/campaigns/{campaign.code}/import/", {"file": upload(text, name)})


def test_every_row_becomes_an_activity_with_its_reach(as_officer, campaign):
    response = post(as_officer, campaign, GOOD)

    assert response.status_code == 302
    post_, radio = campaign.activities.order_by("number")
    assert (post_.title, post_.channel, post_.area.name) == (
        "Anti-Slavery Day post",
        "social_media",
        "Leicester",
    )
    assert dict(post_.reach.values_list("kind", "value")) == {
        "impressions": 5400,
        "link_clicks": 120,
    }
    assert (radio.channel, radio.area.name) == ("local_radio", "Rutland")
    assert dict(radio.reach.values_list("kind", "value")) == {"listeners": 32000}
    assert set(ReachFigure.objects.values_list("source", flat=True)) == {"imported"}
    event = AuditEvent.objects.get(action="outreach.campaign_reach_imported")
    assert event.detail["activities"] == 2


def test_one_bad_row_stores_nothing_and_every_problem_is_named(as_officer, campaign):
    text = GOOD + (
        "2026-13-01,Bad date,social_media,,1,,\n"
        "2026-10-20,Bad reach,social_media,,-4,many,\n"
        '2026-10-21,=HYPERLINK("http://x"),tv,Atlantis,,,\n'
    )

    response = post(as_officer, campaign, text)

    assert response.status_code == 400
    problems = [(p.line, p.column) for p in response.context["problems"]]
    assert problems == [
        (4, "date"),
        (5, "impressions"),
        (5, "link_clicks"),
        (6, "activity"),
        (6, "channel"),
        (6, "area"),
    ]
    assert not Activity.objects.exists()
    assert "Nothing was imported" in response.content.decode()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("name,reach\nx,1\n", "The file is missing the columns: date, activity, channel."),
        (
            "date,activity,channel,followers\n2026-10-18,Post,social_media,4\n",
            "The file has columns the template does not: followers.",
        ),
        ("date,activity,channel\n", "The file has a header row but no activities under it"),
        ("", "The selected file is empty"),
        ("date,activity,channel\n2026-10-18,Post\n", "Line 2 has 2 cells but the header has 3."),
        ("date,activity,channel\n2026-10-18,Café,pop_up\n".encode("latin-1"), "not in UTF-8"),
        (
            "date,activity,channel\n" + "2026-10-18,Post,social_media\n" * 5001,
            "more than 5,000 rows",
        ),
    ],
)
def test_a_file_in_the_wrong_shape_is_refused_whole(as_officer, campaign, content, message):
    response = post(as_officer, campaign, content)

    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Activity.objects.exists()


def test_an_oversized_file_is_refused(as_officer, campaign):
    big = "date,activity,channel\n" + "2026-10-18," + "x" * (5 * 1024 * 1024) + ",pop_up\n"

    response = post(as_officer, campaign, big)

    assert response.status_code == 400
    assert "The file is larger than 5 MB" in response.content.decode()


def test_the_template_imports_as_it_is(as_officer, campaign):
    template = b"".join(as_officer.get("/campaigns/reach-template.csv").streaming_content)

    assert post(as_officer, campaign, template).status_code == 302
    assert campaign.activities.count() == 1
