"""Analysts add what a report mentions, one at a time, with its role and matching key."""

import pytest

from lantern.core.models import AuditEvent
from lantern.core.roles import Role
from tests.factories import IntelligenceReportFactory


@pytest.fixture
def report(db):
    return IntelligenceReportFactory()


def add_url(report) -> str:
    return f"/intelligence/{report.reference}/mentions/"


def row(**changes) -> dict:
    return {
        "mention-kind": "phone",
        "mention-role": "contact",
        "mention-value": "+44 7700 900123",
        "mention-details": "Number on the advert",
        **changes,
    }


def test_an_analyst_adds_a_mention(signed_in, report):
    analyst = signed_in(Role.HUB_ANALYST)

    response = analyst.post(add_url(report), row())

    mention = report.mentions.get()
    assert response.status_code == 302
    assert (mention.kind, mention.role, mention.key) == ("phone", "contact", "+447700900123")
    assert AuditEvent.objects.filter(
        action="intelligence.mention_added", object_id=str(report.pk)
    ).exists()
    page = analyst.get(response["Location"]).content.decode()
    assert "+44 7700 900123" in page
    assert "Number on the advert" in page


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"mention-value": ""}, "Enter the name, number or address"),
        ({"mention-kind": "", "mention-role": "", "mention-value": ""}, "Enter the name"),
        ({"mention-value": "not a phone"}, "Enter a real phone number"),
        ({"mention-kind": "spaceship"}, "Select what it is from the list"),
        ({"mention-role": ""}, "Select its role"),
        ({"mention-value": "07700\x00900123"}, "Null characters are not allowed"),
    ],
)
def test_a_bad_mention_is_refused_with_its_field_named(signed_in, report, changes, message):
    analyst = signed_in(Role.HUB_ANALYST)

    response = analyst.post(add_url(report), row(**changes))

    page = response.content.decode()
    assert response.status_code == 400
    assert message in page
    assert 'href="#id_mention-' in page
    assert not report.mentions.exists()


def test_partners_read_mentions_but_do_not_add_them(signed_in, report):
    report.mentions.create(kind="vehicle", role="vehicle_used", value="AB12 CDE", key="AB12CDE")
    contributor = signed_in(Role.PARTNER_CONTRIBUTOR)

    page = contributor.get(f"/intelligence/{report.reference}/").content.decode()
    refused = contributor.post(add_url(report), row())

    assert "AB12 CDE" in page
    assert "Add a mention" not in page
    assert refused.status_code == 403
    assert report.mentions.count() == 1


def test_a_report_one_may_not_read_is_not_found(signed_in, db):
    restricted = IntelligenceReportFactory(handling_code="C", handling_conditions="Police only")
    contributor = signed_in(Role.PARTNER_CONTRIBUTOR)

    assert contributor.post(add_url(restricted), row()).status_code == 404
    assert not restricted.mentions.exists()


def test_an_identifier_written_with_a_note_is_keyed_and_the_note_kept(signed_in, report):
    analyst = signed_in(Role.HUB_ANALYST)

    analyst.post(add_url(report), row(**{"mention-value": "07700 900 123 (mob)"}))

    mention = report.mentions.get()
    assert mention.key == "+447700900123"
    assert mention.value == "07700 900 123 (mob)"
    assert mention.details == "Number on the advert\nmob"
