"""Sanitised dissemination: an edited P version of a C report for every partner, the
original still restricted, both linked for those who may read both."""

import uuid

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from lantern.core.models import AuditEvent
from lantern.core.roles import Role
from lantern.intelligence.models import IntelligenceReport
from lantern.intelligence.services import submission as submission_services
from tests.entities.factories import MentionFactory
from tests.factories import IntelligenceReportFactory, OrganisationFactory


@pytest.fixture
def original(db):
    report = IntelligenceReportFactory(
        handling_code="C",
        handling_conditions="Police only: an informant could be identified.",
        summary="Informant says Mr X runs the car wash crew",
        narrative="Mr X of 12 Mill Lane collects wages at 6am.",
        postcode="LE3 0AA",
        sector="hand_car_wash",
    )
    MentionFactory(report=report, role="suspected_exploiter", value="Mr X")
    return report


@pytest.fixture
def analyst(signed_in):
    return signed_in(Role.HUB_ANALYST)


def sanitise_url(report: IntelligenceReport) -> str:
    return f"/intelligence/{report.reference}/sanitise/"


def answers(**changes) -> dict:
    return {
        "submission_key": str(uuid.uuid4()),
        "summary": "Car wash workers' wages collected by a third party",
        "narrative": "Wages of car wash workers are reported to be collected early morning.",
        "location": "Leicester",
        "source_evaluation": "2",
        "intelligence_assessment": "C",
        **changes,
    }


def test_an_analyst_publishes_a_sanitised_version(analyst, original):
    form = analyst.get(sanitise_url(original))
    response = analyst.post(sanitise_url(original), answers())

    version = IntelligenceReport.objects.get(sanitised_from=original)
    original.refresh_from_db()
    assert form.status_code == 200
    assert "Police only: an informant could be identified." in form.content.decode()
    assert response["Location"] == f"/intelligence/{version.reference}/"
    assert version.handling_code == "P"
    assert version.summary.startswith("Car wash workers")
    assert version.sector == "hand_car_wash"
    assert version.postcode == ""
    assert not version.mentions.exists()
    assert original.handling_code == "C"
    assert AuditEvent.objects.filter(
        action="intelligence.sanitised_version_published", object_id=str(original.pk)
    ).exists()
    assert (
        f"/intelligence/{version.reference}/"
        in analyst.get(f"/intelligence/{original.reference}/").content.decode()
    )
    assert (
        f"/intelligence/{original.reference}/" in analyst.get(response["Location"]).content.decode()
    )


def test_other_partners_read_the_version_but_never_the_original(analyst, original, make_user):
    analyst.post(sanitise_url(original), answers())
    version = IntelligenceReport.objects.get(sanitised_from=original)
    partner = Client()
    partner.force_login(make_user(Role.PARTNER_CONTRIBUTOR, organisation=OrganisationFactory()))

    page = partner.get(f"/intelligence/{version.reference}/")

    assert page.status_code == 200
    assert (
        "A sanitised version, for wider sharing, of a restricted report." in page.content.decode()
    )
    assert original.reference not in page.content.decode()
    assert "Mr X" not in page.content.decode()
    assert partner.get(f"/intelligence/{original.reference}/").status_code == 404
    assert partner.get(sanitise_url(original)).status_code == 404


def test_a_sanitised_version_is_published_once(analyst, original):
    data = answers()
    analyst.post(sanitise_url(original), data)
    again = analyst.post(sanitise_url(original), data)

    version = IntelligenceReport.objects.get(sanitised_from=original)
    assert again.status_code == 404  # there is nothing left to publish
    assert IntelligenceReport.objects.filter(sanitised_from__isnull=False).count() == 1
    assert (
        "Publish a sanitised version"
        not in analyst.get(f"/intelligence/{original.reference}/").content.decode()
    )
    assert version.handling_code == "P"


def test_the_service_returns_the_version_to_the_same_form_sent_again(make_user, original):
    analyst = make_user(Role.HUB_ANALYST)
    key = uuid.uuid4()
    fields = {
        "summary": "s",
        "narrative": "n",
        "location": "",
        "source_evaluation": "2",
        "intelligence_assessment": "C",
    }
    first = submission_services.publish_sanitised_version(
        actor=analyst, original=original, submission_key=key, **fields
    )
    again = submission_services.publish_sanitised_version(
        actor=analyst, original=original, submission_key=key, **fields
    )

    assert first == again


def test_the_sanitised_version_stays_out_of_the_triage_queue(analyst, original):
    published = analyst.post(sanitise_url(original), answers())
    analyst.get(published["Location"])  # the page that shows the "published" message
    version = IntelligenceReport.objects.get(sanitised_from=original)

    queue = analyst.get("/intelligence/triage/").content.decode()

    assert original.reference in queue
    assert version.reference not in queue


def test_bad_input_names_the_field_and_publishes_nothing(analyst, original):
    response = analyst.post(sanitise_url(original), answers(summary="", source_evaluation="7"))

    page = response.content.decode()
    assert response.status_code == 400
    assert "Enter a summary" in page
    assert "Select a source evaluation of 1, 2 or 3" in page
    assert not IntelligenceReport.objects.filter(sanitised_from=original).exists()


def test_only_c_reports_have_a_sanitised_version(analyst, db):
    shared = IntelligenceReportFactory(handling_code="P")

    assert analyst.get(sanitise_url(shared)).status_code == 404
    assert analyst.post(sanitise_url(shared), answers()).status_code == 404


@pytest.mark.parametrize(
    "role", [role for role in Role if role is not Role.HUB_ANALYST], ids=lambda role: role.name
)
def test_only_analysts_publish_sanitised_versions(signed_in, original, role):
    # Even the originating organisation's own people: dissemination is the hub's call.
    other = signed_in(role, organisation=original.originating_organisation)

    assert other.get(sanitise_url(original)).status_code == 404
    assert other.post(sanitise_url(original), answers()).status_code == 404
    assert not IntelligenceReport.objects.filter(sanitised_from=original).exists()


def test_the_service_refuses_a_second_sanitised_version(make_user, original):
    analyst = make_user(Role.HUB_ANALYST)
    fields = {
        "summary": "s",
        "narrative": "n",
        "location": "",
        "source_evaluation": "2",
        "intelligence_assessment": "C",
    }
    first = submission_services.publish_sanitised_version(
        actor=analyst, original=original, submission_key=uuid.uuid4(), **fields
    )

    with pytest.raises(ValidationError) as refused:
        submission_services.publish_sanitised_version(
            actor=analyst, original=original, submission_key=uuid.uuid4(), **fields
        )

    assert refused.value.messages == [
        f"This report already has a sanitised version, {first.reference}"
    ]
    assert IntelligenceReport.objects.filter(sanitised_from=original).count() == 1
