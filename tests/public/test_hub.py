"""The hub's view of public reports: hub analysts only, every read audited, nothing leaks."""

import io

import pytest
from django.test import Client
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from PIL import Image

from lantern.core import audit
from lantern.core.access import NotFoundOrNotAllowed
from lantern.core.models import AuditEvent
from lantern.core.roles import Role
from lantern.public import selectors
from lantern.public.models import PublicReport
from tests import strategies
from tests.factories import OrganisationFactory
from tests.public.test_report import ANSWERS, fill_in, send, step_url, upload

SCRIPT = '<script>alert("x")</script>'


@pytest.fixture
def report(db) -> PublicReport:
    return send_public_report()


def send_public_report() -> PublicReport:
    """A report sent through the public form, with a photo and script in its text."""
    visitor = Client()
    answers = {
        **ANSWERS,
        "what-happened": {"what_happened": f"Workers sleep on site {SCRIPT}"},
    }
    output = io.BytesIO()
    Image.new("RGB", (8, 8), "blue").save(output, format="PNG")
    visitor.post(
        step_url("photos"), {"action": "upload", "photos": [upload("yard.png", output.getvalue())]}
    )
    send(visitor, fill_in(visitor, answers))
    return PublicReport.objects.get()


def detail(report: PublicReport) -> str:
    return f"/hub/public-reports/{report.reference}/"


def photo(report: PublicReport) -> str:
    return f"{detail(report)}photos/{report.photos.get().pk}/"


def test_a_hub_analyst_lists_and_reads_reports_and_each_read_is_audited(signed_in, report):
    analyst = signed_in(Role.HUB_ANALYST)

    listing = analyst.get("/hub/public-reports/")
    page = analyst.get(detail(report))
    picture = analyst.get(photo(report))

    assert listing.status_code == page.status_code == picture.status_code == 200
    assert report.reference in listing.content.decode()
    assert "Leicester" in listing.content.decode()
    assert "Workers sleep on site" in page.content.decode()
    assert picture["Content-Type"] == "image/png"
    assert "no-store" in picture["Cache-Control"]
    reads = AuditEvent.objects.filter(action="record.read", object_id=str(report.pk))
    assert reads.count() == 2
    assert {(event.actor_id, event.ip_address) for event in reads} == {
        (analyst.user.pk, "127.0.0.1")
    }


def test_a_command_or_the_worker_reads_a_report_with_no_request(make_user, report):
    """A task or the CLI passes a system context: the actor is audited, with no address."""
    analyst = make_user(Role.HUB_ANALYST)
    context = audit.AuditContext.system("weekly digest of public reports", actor=analyst)

    assert selectors.report_for_reading(analyst, report.reference, context=context) == report

    read = AuditEvent.objects.get(action="record.read", object_id=str(report.pk))
    assert (read.actor_id, read.ip_address) == (analyst.pk, None)


def test_the_selectors_refuse_missing_and_forbidden_alike(make_user, report):
    context = audit.AuditContext.system("check")
    for user, reference in (
        (make_user(Role.HUB_ANALYST), "ZZZZ-ZZZZ"),
        (make_user(Role.PARTNER_CONTRIBUTOR), report.reference),
    ):
        with pytest.raises(NotFoundOrNotAllowed):
            selectors.report_for_reading(user, reference, context=context)
    assert not AuditEvent.objects.filter(action="record.read").exists()


def test_script_in_a_report_is_shown_as_text_on_staff_pages(signed_in, report):
    analyst = signed_in(Role.HUB_ANALYST)

    page = analyst.get(detail(report)).content.decode()

    assert SCRIPT not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page


@pytest.mark.parametrize(
    "role", [role for role in Role if role is not Role.HUB_ANALYST], ids=lambda role: role.name
)
def test_nobody_else_can_read_public_reports(signed_in, report, role):
    other = signed_in(role)

    assert other.get("/hub/public-reports/").status_code == 403
    assert other.get(detail(report)).status_code == 404
    assert other.get(photo(report)).status_code == 404
    assert not AuditEvent.objects.filter(action="record.read").exists()


def test_an_analyst_whose_organisation_left_the_sharing_is_refused(signed_in, report):
    outside = signed_in(Role.HUB_ANALYST, organisation=OrganisationFactory(isa_signed_on=None))

    assert outside.get("/hub/public-reports/").status_code == 403
    assert outside.get(detail(report)).status_code == 404


def test_missing_and_forbidden_look_the_same(signed_in, report):
    analyst = signed_in(Role.HUB_ANALYST)

    assert analyst.get("/hub/public-reports/ZZZZ-ZZZZ/").status_code == 404
    assert analyst.get(f"{detail(report)}photos/999999/").status_code == 404
    assert analyst.get(detail(report)).status_code == 200


def test_visitors_cannot_reach_staff_pages(client, report):
    assert client.get("/hub/public-reports/").status_code == 302
    assert client.get(photo(report)).status_code == 302


@pytest.mark.parametrize(
    "step", ["danger", "what-happened", "exploitation", "where", "people", "contact"]
)
@hypothesis_settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    values=st.dictionaries(
        st.sampled_from(
            [
                "immediate_danger",
                "what_happened",
                "suspected_types",
                "children_involved",
                "location",
                "postcode",
                "people",
                "vehicle_registrations",
                "phone_numbers",
                "wants_contact",
                "contact_email",
                "contact_phone",
                "consent_to_contact",
            ]
        ),
        strategies.form_values,
    )
)
def test_no_input_to_any_question_causes_a_server_error(client, db, step, values):
    response = client.post(step_url(step), values)

    assert response.status_code in {302, 400}


def test_only_hub_analysts_are_shown_the_way_to_public_reports(signed_in, make_user, client):
    analyst = signed_in(Role.HUB_ANALYST)
    assert 'href="/hub/public-reports/"' in analyst.get("/").content.decode()

    client.force_login(make_user(Role.PARTNER_CONTRIBUTOR))
    assert "/hub/public-reports/" not in client.get("/").content.decode()
