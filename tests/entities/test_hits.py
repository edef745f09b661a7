"""The hit notice is recorded where restricted intelligence is found, once, whatever the
way in: each page, the API and the import record one hit, one audit entry and one email
to the author; and a new caller of the selectors and services (the CLI, the worker) gets
the same without doing anything."""

import datetime
import json
import uuid

import pytest
from django.test import Client

from lantern.core import services as core_services
from lantern.core.audit import AuditContext
from lantern.core.models import AuditEvent
from lantern.core.roles import Role
from lantern.entities import hits
from lantern.entities.mentions import MentionData
from lantern.entities.models import Entity, RestrictedHit
from lantern.intelligence import selectors as intelligence_selectors
from lantern.intelligence.services import submission
from lantern.intelligence.submitted import ReportFields
from tests.factories import IntelligenceReportFactory
from tests.intelligence.test_api import report_json
from tests.intelligence.test_import import csv_bytes, row, upload

PHONE = "07700 900461"
API_KEY = "6f1d1a1e-0d43-4c39-9a43-2b1f0c7d9e01"


@pytest.fixture
def secret(restricted_report, mention):
    """The police's C report names a phone no other partner may know they hold."""
    mention(restricted_report, "phone", "+44 7700 900461", role="contact")
    return restricted_report


@pytest.fixture
def partner(signed_in, council):
    return signed_in(Role.PARTNER_CONTRIBUTOR, organisation=council)


@pytest.fixture
def own_report(partner, council, mention):
    report = IntelligenceReportFactory(originating_organisation=council, created_by=partner.user)
    mention(report, "phone", PHONE, role="contact")
    return report


def _token_client(user) -> Client:
    issued = core_services.issue_api_token(
        account=user, expires_in=datetime.timedelta(days=30), actor_email="operator"
    )
    return Client(headers={"authorization": f"Token {issued.token}"})


def _report_page(partner, own_report) -> None:
    partner.get(f"/intelligence/{own_report.reference}/")


def _search(partner, own_report) -> None:
    partner.get("/intelligence/search/", {"q": PHONE})


def _entity_page(partner, own_report) -> None:
    partner.get(f"/entities/{Entity.objects.get(kind='phone').pk}/")


def _submission(partner, own_report) -> None:
    response = partner.post(
        "/intelligence/new/",
        {
            "submission_key": "0b0f3f4e-8f0c-4b5b-9d43-b0d0f5b1a001",
            "summary": "Car wash workers",
            "narrative": "The manager's number is on the door.",
            "source_evaluation": "2",
            "intelligence_assessment": "B",
            "handling_code": "P",
            "sector": "hand_car_wash",
            "mentions-TOTAL_FORMS": "1",
            "mentions-INITIAL_FORMS": "0",
            "mentions-0-kind": "phone",
            "mentions-0-role": "contact",
            "mentions-0-value": PHONE,
        },
    )
    assert response.status_code == 302
    partner.get(response["Location"])


def _import(partner, own_report) -> None:
    key = uuid.uuid4()
    response = upload(partner, csv_bytes([row(phones=PHONE)]), action="import", key=key)
    assert response.status_code == 302


def _api_read(partner, own_report) -> None:
    answer = _token_client(partner.user).get(f"/api/v1/intelligence/{own_report.reference}/")
    assert answer.status_code == 200
    assert len(answer.json()["restricted_intelligence"]) == 1


def _api_submission(partner, own_report) -> None:
    answer = _token_client(partner.user).post(
        "/api/v1/intelligence/",
        json.dumps(report_json(phones=[PHONE], submission_key=API_KEY)),
        content_type="application/json",
    )
    assert answer.status_code in (200, 201)  # stored, then found again on the retry
    assert len(answer.json()["restricted_intelligence"]) == 1


ENTRY_POINTS = {
    "report page": (_report_page, "report"),
    "search": (_search, "search"),
    "entity page": (_entity_page, "entity_page"),
    "submission page": (_submission, "submission"),
    "import": (_import, "submission"),
    "API read": (_api_read, "report"),
    "API submission": (_api_submission, "submission"),
}


@pytest.mark.parametrize("entry", ENTRY_POINTS)
def test_each_way_in_records_the_hit_once_with_one_email(
    partner, own_report, secret, entry, run_jobs
):
    touch, where = ENTRY_POINTS[entry]

    touch(partner, own_report)
    touch(partner, own_report)  # a reload, a retry: still one hit that day

    hit = RestrictedHit.objects.get()
    assert (hit.user, hit.context) == (partner.user, where)
    assert AuditEvent.objects.filter(action="entities.restricted_hit").count() == 1
    assert run_jobs() == 1  # the email to the police author, sent by the worker


def test_a_new_reader_of_a_report_records_the_hit_without_doing_anything(
    make_user, council, own_report, secret, run_jobs, mailoutbox
):
    """A command or the worker reads the report through the selector, and nothing else."""
    reader = make_user(Role.PARTNER_CONTRIBUTOR, organisation=council)

    intelligence_selectors.report_for_reading(
        reader, own_report.reference, context=AuditContext.system("a new caller", actor=reader)
    )

    hit = RestrictedHit.objects.get()
    assert (hit.user, hit.context) == (reader, "report")
    event = AuditEvent.objects.get(action="entities.restricted_hit")
    assert event.ip_address is None
    assert run_jobs() == 1
    assert [email.to for email in mailoutbox] == [[secret.created_by.email]]


def test_a_submission_outside_any_page_records_the_hit(make_user, council, secret):
    submitter = make_user(Role.PARTNER_CONTRIBUTOR, organisation=council)

    submission.submit_intelligence(
        actor=submitter,
        submission_key=uuid.uuid4(),
        context=AuditContext.system("worker"),
        fields=ReportFields(
            summary="Sent by the worker",
            narrative="n",
            source_evaluation="2",
            intelligence_assessment="B",
            handling_code="P",
            mentions=[MentionData(kind="phone", role="contact", value=PHONE)],
        ),
    )

    hit = RestrictedHit.objects.get()
    assert (hit.user, hit.context) == (submitter, "submission")
    event = AuditEvent.objects.get(action="entities.restricted_hit")
    assert (event.actor_id, event.purpose) == (submitter.pk, "worker")


def test_a_search_outside_any_page_records_one_hit(make_user, council, secret):
    searcher = make_user(Role.PARTNER_CONTRIBUTOR, organisation=council)

    found = hits.searched_entities(searcher, PHONE, context=AuditContext.system("cli"))

    assert [hit.reference for hit in found.hits] == [RestrictedHit.objects.get().reference]
    assert found.readable == []


def test_nothing_restricted_records_no_hit(partner, own_report, run_jobs):
    _report_page(partner, own_report)
    _search(partner, own_report)

    assert not RestrictedHit.objects.exists()
    assert run_jobs() == 0
