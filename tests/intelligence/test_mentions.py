"""Analysts add what a report mentions, one at a time, with its role and matching key."""

import uuid

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lantern.core.models import AuditEvent
from lantern.core.roles import Role
from lantern.entities.mentions import MentionData
from lantern.entities.models import MENTIONS_MAX, Mention
from lantern.intelligence.models import IntelligenceReport
from lantern.intelligence.services import submission as submission_services
from lantern.intelligence.services.mentions import add_mentions
from lantern.intelligence.submitted import ReportFields
from tests.entities.factories import MentionFactory
from tests.factories import IntelligenceReportFactory
from tests.intelligence.test_api import post, report_json
from tests.intelligence.test_import import csv_bytes, upload
from tests.intelligence.test_import import row as import_row


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
    MentionFactory(
        report=report, kind="vehicle", role="vehicle_used", value="AB12 CDE", key="AB12CDE"
    )
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
    # The same form, sent by an analyst who may read the report, adds the mention.
    assert signed_in(Role.HUB_ANALYST).post(add_url(restricted), row()).status_code == 302
    assert restricted.mentions.count() == 1


# At most MENTIONS_MAX different mentions per report, whichever way it comes; repeats once.


def _names(count: int) -> list[str]:
    """Different names (names are letters: a digit in a name is refused)."""
    return [
        f"Person {chr(65 + number % 26)}{chr(65 + number // 26)} Smith" for number in range(count)
    ]


def test_one_name_repeated_thousands_of_times_through_the_api_is_one_mention(signed_in):
    partner = signed_in(Role.PARTNER_CONTRIBUTOR)
    queries = CaptureQueriesContext(connection)

    with queries:
        response = post(partner, report_json(people=["Ivan Petrov"] * 3500))

    assert response.status_code == 201
    report = IntelligenceReport.objects.get()
    assert sorted(report.mentions.values_list("value", flat=True)) == [
        "07700 900123",
        "Ivan Petrov",
    ]
    # Correlation ran for two mentions, not 3,500: a bounded number of statements.
    assert len(queries) < 200


def test_too_many_different_mentions_through_the_api_are_refused_naming_the_field(signed_in):
    partner = signed_in(Role.PARTNER_CONTRIBUTOR)

    response = post(partner, report_json(people=_names(MENTIONS_MAX + 1), phones=[]))

    assert response.status_code == 400
    assert f"at most {MENTIONS_MAX} different" in " ".join(response.json()["people"])
    assert not IntelligenceReport.objects.exists()


def test_the_limit_counts_every_kind_of_mention_together(signed_in):
    partner = signed_in(Role.PARTNER_CONTRIBUTOR)
    phones = [f"07700 900{number:03d}" for number in range(10)]

    exactly = post(partner, report_json(people=_names(MENTIONS_MAX - 10), phones=phones))
    over = post(partner, report_json(people=_names(MENTIONS_MAX - 9), phones=phones))

    assert exactly.status_code == 201
    assert over.status_code == 400
    assert "people" in over.json()


def test_too_many_mentions_in_a_csv_row_are_named_by_line_and_column(signed_in):
    contributor = signed_in(Role.PARTNER_CONTRIBUTOR)
    content = csv_bytes([import_row(people=";".join(_names(MENTIONS_MAX + 1)))])

    response = upload(contributor, content, action="import")

    assert response.status_code == 400
    problems = response.context["checked"].problems
    assert [(problem.line, problem.column) for problem in problems] == [(2, "people")]
    assert f"at most {MENTIONS_MAX} different" in problems[0].message
    assert not IntelligenceReport.objects.exists()


def test_a_csv_row_repeating_a_name_imports_it_once(signed_in):
    contributor = signed_in(Role.PARTNER_CONTRIBUTOR)
    content = csv_bytes([import_row(people=";".join(["Ivan Petrov"] * 2000))])

    response = upload(contributor, content, action="import")

    assert response.status_code == 302
    assert Mention.objects.filter(kind="person", value="Ivan Petrov").count() == 1


def test_the_service_refuses_too_many_mentions_however_it_is_called(signed_in, report):
    mentions = [MentionData(kind="person", role="other", value=name) for name in _names(101)]
    with pytest.raises(ValidationError) as refused:
        submission_services.submit_intelligence(
            actor=signed_in(Role.PARTNER_CONTRIBUTOR).user,
            submission_key=uuid.uuid4(),
            fields=ReportFields(
                summary="s",
                narrative="n",
                source_evaluation="2",
                intelligence_assessment="B",
                handling_code="P",
                mentions=mentions,
            ),
        )
    assert "mentions" in refused.value.message_dict


def test_an_analyst_cannot_add_a_mention_past_the_limit(signed_in, report):
    add_mentions(
        report,
        [MentionData(kind="person", role="other", value=name) for name in _names(MENTIONS_MAX)],
    )
    analyst = signed_in(Role.HUB_ANALYST)

    response = analyst.post(add_url(report), row())

    assert response.status_code == 400
    assert f"at most {MENTIONS_MAX} different" in response.content.decode()
    assert report.mentions.count() == MENTIONS_MAX


def test_an_identifier_written_with_a_note_is_keyed_and_the_note_kept(signed_in, report):
    analyst = signed_in(Role.HUB_ANALYST)

    analyst.post(add_url(report), row(**{"mention-value": "07700 900 123 (mob)"}))

    mention = report.mentions.get()
    assert mention.key == "+447700900123"
    assert mention.value == "07700 900 123 (mob)"
    assert mention.details == "Number on the advert\nmob"
