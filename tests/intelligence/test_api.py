"""The REST API for partner systems: what it shows whom, audited, and submissions made once."""

import datetime
import json
import uuid

import pytest
from django.test import Client
from hypothesis import HealthCheck, example, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from lantern.core import access, services
from lantern.core.models import AuditEvent
from lantern.core.roles import Role
from lantern.entities.mentions import MentionData
from lantern.entities.models import RestrictedHit
from lantern.intelligence import api
from lantern.intelligence.models import IntelligenceReport
from lantern.intelligence.services.mentions import add_mentions
from tests import strategies
from tests.entities.factories import MentionFactory
from tests.factories import IntelligenceReportFactory, OrganisationFactory
from tests.intelligence.test_access import MATRIX, world  # noqa: F401  (the matrix's fixture)

LIST = "/api/v1/intelligence/"


def detail(reference: str) -> str:
    return f"/api/v1/intelligence/{reference}/"


@pytest.mark.parametrize(
    ("role", "place", "code", "allowed"),
    MATRIX,
    ids=[f"{role.name}-{place}-{code}" for role, place, code, _allowed in MATRIX],
)
def test_access_matrix_through_the_api(client, make_user, world, role, place, code, allowed):  # noqa: F811
    organisations, reports = world
    report = reports[code]
    user = make_user(role, organisation=organisations[place])
    client.force_login(user)

    listing = client.get(LIST)
    reading = client.get(detail(report.reference))

    if access.can_read_intelligence(user):
        assert listing.status_code == 200
        references = [entry["reference"] for entry in listing.json()["results"]]
        assert (report.reference in references) is allowed
    else:
        assert listing.status_code == 403
    assert reading.status_code == (200 if allowed else 404)
    reads = AuditEvent.objects.filter(action="record.read", object_id=str(report.pk))
    assert list(reads.values_list("purpose", flat=True)) == (["API"] if allowed else [])


def token_client(user) -> Client:
    issued = services.issue_api_token(
        account=user, expires_in=datetime.timedelta(days=30), actor_email="operator"
    )
    return Client(headers={"authorization": f"Token {issued.token}"})


@pytest.fixture
def partner_system(make_user):
    """A partner's system signing in with the token of its service account."""
    account = make_user(Role.PARTNER_CONTRIBUTOR)
    client = token_client(account)
    client.user = account
    return client


def test_a_partner_system_reads_a_report_with_its_token(partner_system):
    report = IntelligenceReportFactory(handling_code="P")
    MentionFactory(
        report=report, kind="phone", role="contact", value="07700 900123", key="+447700900123"
    )

    body = partner_system.get(detail(report.reference)).json()

    assert body["reference"] == report.reference
    assert body["narrative"] == report.narrative
    assert body["mentions"] == [
        {"kind": "phone", "role": "contact", "value": "07700 900123", "details": ""}
    ]
    assert body["url"].endswith(detail(report.reference))


def test_the_list_is_paginated_filtered_and_shows_no_narrative(partner_system):
    for _number in range(3):
        IntelligenceReportFactory(handling_code="P", sector="nail_bar")
    IntelligenceReportFactory(handling_code="P", sector="agriculture")

    page = partner_system.get(LIST, {"sector": "nail_bar", "page_size": 2}).json()

    assert page["count"] == 3
    assert len(page["results"]) == 2
    assert page["next"] is not None
    assert "narrative" not in page["results"][0]
    assert not AuditEvent.objects.filter(action="record.read").exists()


def test_a_wrong_or_missing_token_is_refused(db, client):
    IntelligenceReportFactory()

    missing = client.get(LIST)
    wrong = Client(headers={"authorization": "Token not-a-token"}).get(LIST)

    assert missing.status_code == wrong.status_code == 401
    assert missing["WWW-Authenticate"] == "Token"


def test_a_token_gives_no_more_than_its_account_may_read(make_user, world):  # noqa: F811
    _organisations, reports = world
    outsider = token_client(make_user(Role.PARTNER_CONTRIBUTOR))

    forbidden = outsider.get(detail(reports["C"].reference))
    missing = outsider.get(detail("ZZZZ-ZZZZ"))

    assert forbidden.status_code == missing.status_code == 404
    # JSON a partner system can read, the same for both: the page's HTML 404 is not.
    assert forbidden["Content-Type"] == missing["Content-Type"] == "application/json"
    assert forbidden.json() == missing.json()
    assert outsider.get(detail(reports["P"].reference)).status_code == 200


def report_json(**changes) -> dict:
    data = {
        "submission_key": str(uuid.uuid4()),
        "summary": "Men sleeping at a hand car wash",
        "narrative": "Six men sleeping in the back unit.",
        "occurred_on": "2026-02-03",
        "postcode": "le3 0aa",
        "exploitation_types": ["labour"],
        "child_involved": False,
        "indicators": "injuries",
        "sector": "hand_car_wash",
        "source_evaluation": "2",
        "intelligence_assessment": "B",
        "handling_code": "P",
        "phones": ["07700 900123"],
    }
    data.update(changes)
    return data


def post(client: Client, data) -> object:
    return client.post(LIST, json.dumps(data), content_type="application/json")


def test_a_partner_system_submits_a_report_once_however_often_it_retries(partner_system):
    data = report_json()

    first = post(partner_system, data)
    second = post(partner_system, data)

    assert first.status_code == 201
    assert second.status_code == 200
    assert first.json()["reference"] == second.json()["reference"]
    assert first["Location"].endswith(detail(first.json()["reference"]))
    report = IntelligenceReport.objects.get()
    assert report.created_by == partner_system.user
    assert report.area.name == "Leicester"
    assert report.mentions.get().key == "+447700900123"
    assert AuditEvent.objects.filter(action="intelligence.submitted").count() == 1


def test_c_coded_submissions_name_organisations_by_name(partner_system):
    named = OrganisationFactory(name="Open Doors Refuge")

    response = post(
        partner_system,
        report_json(
            handling_code="C",
            handling_conditions="Refuge only",
            shared_with=["Open Doors Refuge"],
        ),
    )

    assert response.status_code == 201
    assert response.json()["shared_with"] == ["Open Doors Refuge"]
    assert list(IntelligenceReport.objects.get().shared_with.all()) == [named]


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"submission_key": None}, "submission_key", "UUID"),
        ({"submission_key": "nope"}, "submission_key", "UUID"),
        ({"summary": ""}, "summary", "Enter a summary"),
        ({"summary": ["a", "list"]}, "summary", "Enter text"),
        ({"source_evaluation": "7"}, "source_evaluation", "1, 2 or 3"),
        ({"handling_code": "C"}, "handling_conditions", "required for handling code C"),
        ({"occurred_on": "2999-01-01"}, "occurred_on", "today or in the past"),
        ({"postcode": "ABC 123"}, "postcode", "real UK postcode"),
        ({"exploitation_types": ["piracy"]}, "exploitation_types", "“piracy”"),
        ({"shared_with": ["Nobody Ltd"]}, "shared_with", "“Nobody Ltd”"),
        ({"phones": ["not a phone"]}, "phones", "real phone number"),
        ({"narrative": "nul\x00byte"}, "narrative", ""),
        ({"colour": "red"}, "colour", "does not know this field"),
    ],
    ids=lambda value: value if isinstance(value, str) else None,
)
def test_bad_submissions_are_refused_naming_the_field(partner_system, changes, field, message):
    response = post(partner_system, report_json(**changes))

    assert response.status_code == 400
    body = response.json()
    assert field in body
    assert message in " ".join(body[field])
    assert not IntelligenceReport.objects.exists()


def test_a_body_that_is_not_one_report_is_refused(partner_system):
    assert post(partner_system, [report_json()]).status_code == 400
    broken = partner_system.post(LIST, "{not json", content_type="application/json")
    assert broken.status_code == 400
    assert not IntelligenceReport.objects.exists()


@pytest.mark.parametrize("role", [Role.HUB_COORDINATOR, Role.BOARD_VIEWER])
def test_only_those_who_submit_intelligence_submit_through_the_api(make_user, role):
    client = token_client(make_user(role))

    assert post(client, report_json()).status_code == 403
    assert not IntelligenceReport.objects.exists()


def test_session_submissions_need_the_csrf_token(make_user):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(make_user(Role.PARTNER_CONTRIBUTOR))

    assert post(browser, report_json()).status_code == 403
    assert not IntelligenceReport.objects.exists()


def test_a_submission_touching_restricted_intelligence_gets_a_notice_and_nothing_more(
    partner_system,
):
    police = OrganisationFactory(name="Leicestershire Police")
    secret = IntelligenceReportFactory(originating_organisation=police, restricted=True)
    add_mentions(secret, [MentionData(kind="phone", role="contact", value="07700 900123")])

    created = post(partner_system, report_json()).json()
    read = partner_system.get(detail(created["reference"])).json()

    hit = RestrictedHit.objects.get()
    assert created["restricted_intelligence"] == [
        {
            "reference": hit.reference,
            "notice": "Restricted intelligence exists: contact the intelligence hub and quote "
            f"reference {hit.reference}.",
        }
    ]
    assert read["restricted_intelligence"] == created["restricted_intelligence"]
    body = json.dumps(created) + json.dumps(read)
    assert secret.reference not in body and "Nightjar" not in body and "Police" not in body
    assert (hit.user, hit.context) == (partner_system.user, "submission")


def test_a_report_touching_nothing_restricted_carries_no_notice(partner_system):
    created = post(partner_system, report_json()).json()

    assert created["restricted_intelligence"] == []
    assert not RestrictedHit.objects.exists()


@pytest.fixture
def partner_session(make_user) -> Client:
    """A partner's browser session: the API's other way in, CSRF checked only by browsers."""
    client = Client()
    client.force_login(make_user(Role.PARTNER_CONTRIBUTOR))
    return client


@hypothesis_settings(
    max_examples=80,
    deadline=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)
@given(
    changes=st.dictionaries(
        st.sampled_from(sorted(api.FIELDS)) | strategies.unreadable_text,
        strategies.json_value,
        max_size=6,
    )
)
@example(changes={"summary": "\ud800"})
@example(changes={"people": ["Ivan Petrov"] * 3500})
@example(changes={"shared_with": [2**64], "handling_code": "C"})
@example(changes={"area": 2**70, "sector": -(2**70)})
def test_no_submission_through_the_api_causes_a_server_error(partner_session, changes):
    # A server error raises here (the test client re-raises it), whatever the status.
    response = post(partner_session, report_json(**changes))

    assert response.status_code in {200, 201, 400}
    if response.status_code == 400:
        assert response.json()


@pytest.mark.parametrize(
    "body",
    [
        "[]",
        '"\\ud800"',
        "[" + ",".join(["1"] * 5000) + "]",
        json.dumps(report_json(narrative="x" * 3_000_000)),
        json.dumps({"people": ["Ivan Petrov"] * 300_000}),
    ],
    ids=["list", "lone-surrogate", "long-list", "over-the-size-limit", "huge-list"],
)
def test_a_body_of_any_shape_or_size_is_refused_not_a_server_error(partner_session, body):
    response = partner_session.post(LIST, body, content_type="application/json")

    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert response.json()
    assert not IntelligenceReport.objects.exists()
