"""An analyst turns a report from the public into intelligence: once, linked, audited."""

import uuid

import pytest

from lantern.core.models import AuditEvent
from lantern.core.roles import Role
from lantern.intelligence.models import IntelligenceReport
from lantern.public.models import PublicReport
from tests.public.test_hub import send_public_report


def convert_url(public_report: PublicReport) -> str:
    return f"/intelligence/from-public/{public_report.reference}/"


def answers(**changes) -> dict:
    data = {
        "submission_key": str(uuid.uuid4()),
        "summary": "Car wash workers sleeping on site, Narborough Road",
        "narrative": "Men at the car wash work every day with no gloves and sleep on site.",
        "location": "Hand car wash, Narborough Road",
        "postcode": "LE3 0AB",
        "exploitation_types": ["labour"],
        "sector": "hand_car_wash",
        "source_evaluation": "2",
        "intelligence_assessment": "C",
        "handling_code": "P",
        "mentions-TOTAL_FORMS": "2",
        "mentions-INITIAL_FORMS": "0",
        "mentions-0-kind": "phone",
        "mentions-0-role": "contact",
        "mentions-0-value": "07700 900123",
        "mentions-1-kind": "vehicle",
        "mentions-1-role": "vehicle_used",
        "mentions-1-value": "AB12CDE",
    }
    data.update(changes)
    return data


@pytest.fixture
def report(db) -> PublicReport:
    return send_public_report()


@pytest.fixture
def analyst(signed_in):
    return signed_in(Role.HUB_ANALYST)


def test_the_form_starts_from_what_the_public_said(analyst, report):
    public_page = analyst.get(f"/hub/public-reports/{report.reference}/").content.decode()
    form = analyst.get(convert_url(report))

    page = form.content.decode()
    assert convert_url(report) in public_page
    assert form.status_code == 200
    assert "Workers sleep on site" in page
    assert "Every morning at 6am" in page
    for number in report.phone_numbers:
        assert f'value="{number}"' in page
    for registration in report.vehicle_registrations:
        assert f'value="{registration}"' in page
    assert 'value="Sparkle Wash"' in page
    assert (
        'value="2" class="govuk-radios__input" id="id_source_evaluation_1" required checked' in page
    )


def test_converting_keeps_the_link_and_marks_the_public_report(analyst, report):
    response = analyst.post(convert_url(report), answers())

    intelligence = IntelligenceReport.objects.get()
    report.refresh_from_db()
    assert response.status_code == 302
    assert response["Location"] == f"/intelligence/{intelligence.reference}/"
    assert intelligence.public_report == report
    assert intelligence.originating_organisation == analyst.user.organisation
    assert report.status == "under_assessment"
    assert [(m.kind, m.key) for m in intelligence.mentions.all()] == [
        ("phone", "+447700900123"),
        ("vehicle", "AB12CDE"),
    ]
    assert AuditEvent.objects.filter(
        action="intelligence.converted_from_public", object_id=str(intelligence.pk)
    ).exists()
    page = analyst.get(response["Location"]).content.decode()
    assert f"/hub/public-reports/{report.reference}/" in page
    public_page = analyst.get(f"/hub/public-reports/{report.reference}/").content.decode()
    assert f"/intelligence/{intelligence.reference}/" in public_page
    assert convert_url(report) not in public_page


def test_a_report_from_the_public_becomes_intelligence_once(analyst, report):
    data = answers()
    first = analyst.post(convert_url(report), data)
    again = analyst.post(convert_url(report), data)
    other = analyst.post(convert_url(report), answers())
    revisit = analyst.get(convert_url(report))

    intelligence = IntelligenceReport.objects.get()
    assert first["Location"] == again["Location"] == revisit["Location"]
    assert other.status_code == 400
    assert f"already intelligence {intelligence.reference}" in other.content.decode()


def test_partners_learn_only_that_it_came_from_the_public(analyst, report, signed_in, client):
    analyst.post(convert_url(report), answers())
    intelligence = IntelligenceReport.objects.get()
    contributor = signed_in(Role.PARTNER_CONTRIBUTOR)

    page = contributor.get(f"/intelligence/{intelligence.reference}/").content.decode()

    assert "a report by a member of the public" in page
    assert report.reference not in page


def test_bad_input_names_the_field_and_converts_nothing(analyst, report):
    response = analyst.post(convert_url(report), answers(source_evaluation="9", summary=""))

    page = response.content.decode()
    assert response.status_code == 400
    assert "Enter a summary" in page
    assert "Select a source evaluation of 1, 2 or 3" in page
    assert not IntelligenceReport.objects.exists()
    report.refresh_from_db()
    assert report.status == "new"


@pytest.mark.parametrize(
    "role", [role for role in Role if role is not Role.HUB_ANALYST], ids=lambda role: role.name
)
def test_nobody_else_may_convert(signed_in, report, role):
    other = signed_in(role)

    assert other.get(convert_url(report)).status_code == 404
    assert other.post(convert_url(report), answers()).status_code == 404
    assert not IntelligenceReport.objects.exists()


def test_an_unknown_public_report_is_not_found(analyst, db):
    assert analyst.get("/intelligence/from-public/ACDE-FGHJ/").status_code == 404


def test_the_triage_queue_lists_reports_from_the_public_until_converted(analyst, report):
    waiting = analyst.get("/intelligence/triage/").content.decode()
    analyst.post(convert_url(report), answers())
    analyst.get(f"/intelligence/{IntelligenceReport.objects.get().reference}/")  # its message
    after = analyst.get("/intelligence/triage/").content.decode()

    assert "1 report from the public is waiting" in waiting
    assert f"/hub/public-reports/{report.reference}/" in waiting
    assert "No report from the public is waiting." in after
    assert f"/hub/public-reports/{report.reference}/" not in after
