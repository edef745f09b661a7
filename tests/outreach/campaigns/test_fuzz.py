"""No input to any campaign form causes a server error: random text, lone surrogates,
20-digit integers and huge bodies all get a page (a redirect, or 400 with messages)."""

from urllib.parse import quote_from_bytes

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from lantern.outreach.models import Campaign, LinkVisit

FUZZ = hypothesis_settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
NASTY = st.one_of(
    st.text(max_size=300),
    st.sampled_from(["\ud800", "12345678901234567890", "-1", "1e9", "0x10", "", " ", "٣"]),
    st.integers(min_value=-(10**20), max_value=10**20).map(str),
)
CAMPAIGN_FIELDS = [
    "submission_key",
    "name",
    "purpose",
    "channels",
    "starts_on",
    "ends_on",
    "areas",
    "audiences",
    "languages",
    "partners",
    "cost",
    "landing",
    "status",
]
ACTIVITY_FIELDS = [
    "submission_key",
    "title",
    "channel",
    "happened_on",
    "area",
    "impressions",
    "link_clicks",
    "listeners",
    "leaflets",
]


def encoded(values: dict[str, str]) -> bytes:
    """A form body as a browser would send it, lone surrogates included (as broken UTF-8)."""
    return "&".join(
        f"{name}={quote_from_bytes(value.encode('utf-8', 'surrogatepass'))}"
        for name, value in values.items()
    ).encode("ascii")


def post(client, url, values):
    return client.post(url, encoded(values), content_type="application/x-www-form-urlencoded")


@pytest.fixture
def as_officer(client, officer):
    client.force_login(officer)
    return client


@pytest.mark.parametrize("page", ["/campaigns/new/", "change/"])
@FUZZ
@given(values=st.dictionaries(st.sampled_from(CAMPAIGN_FIELDS), NASTY))
def test_no_input_to_the_campaign_forms_causes_a_server_error(as_officer, campaign, page, values):
    url = page if page.startswith("/") else f"/campaigns/{campaign.code}/{page}"

    response = post(as_officer, url, values)

    assert response.status_code in {302, 400}


@pytest.mark.parametrize("page", ["activities/new/", "activities/1/reach/"])
@FUZZ
@given(values=st.dictionaries(st.sampled_from(ACTIVITY_FIELDS), NASTY))
def test_no_input_to_the_activity_forms_causes_a_server_error(
    as_officer, campaign, officer, page, values
):
    from tests.outreach.campaigns.factories import activity

    if not campaign.activities.exists():
        activity(campaign, officer)

    response = post(as_officer, f"/campaigns/{campaign.code}/{page}", values)

    assert response.status_code in {302, 400}


@FUZZ
@given(content=st.one_of(st.binary(max_size=2000), st.text(max_size=2000).map(str.encode)))
def test_no_file_causes_a_server_error(as_officer, campaign, content):
    from django.core.files.uploadedfile import SimpleUploadedFile

    for url in ("import/", "materials/new/"):
        response = as_officer.post(
            f"/campaigns/{campaign.code}/{url}",
            {"file": SimpleUploadedFile("x.csv", content), "title": "x"},
        )
        assert response.status_code in {302, 400}


@FUZZ
@given(query=st.dictionaries(st.sampled_from(["year", "channel", "area", "status", "page"]), NASTY))
def test_no_filter_causes_a_server_error(as_officer, campaign, query):
    response = as_officer.get(
        "/campaigns/?" + encoded(query).decode("ascii"),
    )

    assert response.status_code == 200


@FUZZ
@given(code=NASTY)
def test_no_short_link_causes_a_server_error(client, db, code):
    path = quote_from_bytes(code.encode("utf-8", "surrogatepass"), safe="") or "x"

    response = client.get(f"/c/{path}/")

    assert response.status_code in {302, 404}
    assert not LinkVisit.objects.exists()


def test_a_huge_body_is_refused_without_a_server_error(as_officer):
    response = post(as_officer, "/campaigns/new/", {"name": "x" * 3_000_000, "purpose": "y"})

    assert response.status_code in {400, 413}
    assert not Campaign.objects.exists()
