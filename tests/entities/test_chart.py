"""The link chart: one hop at a time, links labelled with their reports, filters, the path
between two entities, and exports that are audited and hold what the chart shows."""

import csv
import datetime
import io
import json
import xml.etree.ElementTree as ET

import pytest
from django.utils import timezone

from lantern.core.models import AuditEvent
from lantern.core.roles import Role
from lantern.entities.models import Entity
from tests.factories import IntelligenceReportFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def analyst(signed_in):
    return signed_in(Role.HUB_ANALYST)


@pytest.fixture
def chain(mention, police, council):
    """A van and a phone in two police reports; the phone and an email in a council report;
    the email and an address in another: van - phone - email - address (identifiers all,
    so that each is one entity whoever wrote it)."""
    first = IntelligenceReportFactory(originating_organisation=police)
    second = IntelligenceReportFactory(originating_organisation=police)
    third = IntelligenceReportFactory(originating_organisation=council)
    fourth = IntelligenceReportFactory(originating_organisation=council)
    for report in (first, second):
        mention(report, "vehicle", "FD19 XKP", role="vehicle_used")
        mention(report, "phone", "07700 900111", role="suspected_exploiter")
    mention(third, "phone", "07700 900111", role="suspected_exploiter")
    mention(third, "email", "boss@example.com", role="contact")
    mention(fourth, "email", "boss@example.com", role="contact")
    mention(fourth, "location", "12 High Street, Leicester LE1 5AB", role="premises")
    return {
        "reports": (first, second, third, fourth),
        **{entity.kind: entity for entity in Entity.objects.filter(merged_into=None)},
    }


def elements(response):
    return json.loads(response.content)["elements"]


def test_the_chart_draws_one_hop_with_links_labelled_by_their_reports(analyst, chain):
    van = chain["vehicle"]

    page = analyst.get(f"/entities/chart/?entity={van.pk}").content.decode()

    assert "07700 900111" in page
    assert "2 reports" in page
    assert "Vehicle used – Suspected exploiter (2)" in page
    for report in chain["reports"][:2]:
        assert report.reference in page
    # The phone is two hops out: drawn only when the man is expanded.
    assert "boss@example.com" not in page.split('id="links"')[1]
    assert AuditEvent.objects.filter(action="record.read", purpose="link chart").count() == 1


def test_expanding_a_node_adds_its_neighbours(analyst, chain):
    phone = chain["phone"]

    response = analyst.get(f"/entities/chart/expand.json?entity={phone.pk}")

    labels = {element["data"].get("label") for element in elements(response)}
    assert {"07700 900111", "FD19 XKP", "boss@example.com", "1 report", "2 reports"} <= labels
    link = next(e["data"] for e in elements(response) if e["data"].get("count") == 2)
    assert link["reports"] and link["organisations"] == ["Leicestershire Police"]


def test_the_shortest_path_crosses_three_reports(analyst, chain):
    van, place = chain["vehicle"], chain["location"]

    body = json.loads(analyst.get(f"/entities/chart/path.json?from={van.pk}&to={place.pk}").content)
    page = analyst.get(
        f"/entities/chart/?entity={van.pk}&from={van.pk}&to={place.pk}"
    ).content.decode()

    assert body["found"]
    assert body["steps"] == [
        f"e{pk}" for pk in (van.pk, chain["phone"].pk, chain["email"].pk, place.pk)
    ]
    assert "12 High Street" in page and "linked by 1 report" in page


def test_a_helpline_joins_no_path(analyst, mention):
    first, second = IntelligenceReportFactory.create_batch(2)
    van = mention(first, "vehicle", "FD19 XKP").entity
    mention(first, "phone", "08000 121 700")
    mention(second, "phone", "08000 121 700")
    stranger = mention(second, "person", "Anna Nowak").entity

    body = json.loads(
        analyst.get(f"/entities/chart/path.json?from={van.pk}&to={stranger.pk}").content
    )

    assert body == {"found": False, "steps": [], "elements": []}


def test_filters_by_organisation_date_and_kind(analyst, chain, council):
    phone = chain["phone"]
    IntelligenceReportFactory._meta.model.objects.filter(pk=chain["reports"][2].pk).update(
        created_at=timezone.make_aware(datetime.datetime(2024, 1, 1))
    )

    by_council = analyst.get(
        f"/entities/chart/?entity={phone.pk}&organisation={council.pk}"
    ).content.decode()
    recent = analyst.get(f"/entities/chart/?entity={phone.pk}&since=1/1/2025").content.decode()
    phones = analyst.get(f"/entities/chart/?entity={phone.pk}&kind=email").content.decode()
    bad = analyst.get(f"/entities/chart/?entity={phone.pk}&since=31/02/2025")

    links = lambda page: page.split('id="links"')[1]  # noqa: E731
    assert "boss@example.com" in links(by_council) and "FD19 XKP" not in links(by_council)
    assert "FD19 XKP" in links(recent) and "boss@example.com" not in links(recent)
    assert "boss@example.com" in links(phones) and "FD19 XKP" not in links(phones)
    assert bad.status_code == 400
    assert "Enter the first date as a real date" in bad.content.decode()


def test_the_exports_hold_the_chart_and_are_audited(analyst, chain):
    phone, van = chain["phone"], chain["vehicle"]

    graphml = analyst.get(f"/entities/chart/export.graphml?entity={phone.pk}")
    i2 = analyst.get(f"/entities/chart/export.csv?entity={phone.pk}&hide={van.pk}")

    tree = ET.fromstring(graphml.content)
    namespace = {"g": "http://graphml.graphdrawing.org/xmlns"}
    assert len(tree.findall(".//g:node", namespace)) == 3
    assert len(tree.findall(".//g:edge", namespace)) == 2
    assert graphml["Content-Disposition"].startswith("attachment")
    rows = list(csv.DictReader(io.StringIO(i2.content.decode())))
    assert [(row["Entity1 Label"], row["Entity2 Label"]) for row in rows] == [
        ("07700 900111", "boss@example.com")
    ]
    assert rows[0]["Link Label"] == "1 report"
    exports = AuditEvent.objects.filter(action="record.export")
    assert [event.detail["rows"] for event in exports.order_by("pk")] == [2, 1]


def test_a_formula_written_as_a_name_is_not_run_by_a_spreadsheet(analyst, mention):
    report = IntelligenceReportFactory()
    van = mention(report, "vehicle", "FD19 XKP").entity
    mention(report, "business", '=HYPERLINK("http://evil.example")')

    i2 = analyst.get(f"/entities/chart/export.csv?entity={van.pk}").content.decode()

    assert "'=HYPERLINK" in i2


def test_a_picture_of_the_chart_is_recorded_as_an_export(analyst, chain):
    drawn = analyst.post(
        "/entities/chart/drawn/", {"type": "svg", "entity": chain["phone"].pk, "nodes": "3"}
    )
    odd = analyst.post("/entities/chart/drawn/", {"type": "exe", "entity": chain["phone"].pk})

    assert drawn.status_code == 204
    assert odd.status_code == 400
    event = AuditEvent.objects.get(action="record.export")
    assert event.detail["rows"] == 3 and "svg" in event.detail["description"]


@pytest.mark.parametrize(
    "address",
    ["/entities/chart/", "/entities/chart/?entity=x", "/entities/chart/expand.json?entity=1e3"],
)
def test_no_entity_or_a_malformed_one_is_a_missing_page(analyst, address):
    assert analyst.get(address).status_code == 404


def test_people_who_read_no_intelligence_get_no_chart(signed_in, chain):
    board = signed_in(Role.BOARD_VIEWER)

    assert board.get(f"/entities/chart/?entity={chain['phone'].pk}").status_code == 404
