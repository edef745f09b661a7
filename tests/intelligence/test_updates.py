"""A contributor adds an update to a report their organisation submitted: an addendum on
the timeline, never an edit of what was sent."""

import uuid
from urllib.parse import quote_from_bytes

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from lantern.core.models import AuditEvent
from lantern.core.roles import Role
from lantern.intelligence.models import ReportUpdate
from lantern.intelligence.services import updates as update_services
from tests.factories import IntelligenceReportFactory, OrganisationFactory


@pytest.fixture
def fire_service(db):
    return OrganisationFactory(name="Leicestershire Fire and Rescue")


@pytest.fixture
def contributor(make_user, fire_service):
    return make_user(Role.PARTNER_CONTRIBUTOR, organisation=fire_service)


@pytest.fixture
def report(fire_service):
    return IntelligenceReportFactory(
        originating_organisation=fire_service,
        narrative="Mattresses in the loft above the takeaway.",
    )


def add(user, report, text="The mattresses were gone at the revisit.", key=None):
    return update_services.add_update(
        report=report, user=user, submission_key=key or uuid.uuid4(), text=text
    )


def test_an_update_is_added_to_the_timeline_and_the_report_is_unchanged(
    client, contributor, report
):
    client.force_login(contributor)
    url = f"/intelligence/{report.reference}/"
    assert f'href="{url}updates/new/"' in client.get(url).content.decode()

    response = client.post(
        f"{url}updates/new/",
        {"submission_key": str(uuid.uuid4()), "text": "Revisited: the loft is empty now."},
        follow=True,
    )

    page = response.content.decode()
    assert f"Update added to {report.reference}" in page
    assert "Update from the submitting organisation" in page
    assert "Revisited: the loft is empty now." in page
    report.refresh_from_db()
    assert report.narrative == "Mattresses in the loft above the takeaway."
    assert AuditEvent.objects.filter(action="intelligence.update_added").count() == 1


def test_the_same_form_sent_twice_adds_one_update(contributor, report):
    key = uuid.uuid4()

    add(contributor, report, key=key)
    add(contributor, report, key=key)

    assert ReportUpdate.objects.count() == 1


def test_an_empty_update_is_refused_on_its_field(client, contributor, report):
    client.force_login(contributor)

    response = client.post(
        f"/intelligence/{report.reference}/updates/new/",
        {"submission_key": str(uuid.uuid4()), "text": "   "},
    )

    assert response.status_code == 400
    assert 'href="#id_text">Enter the update' in response.content.decode()
    assert not ReportUpdate.objects.exists()


def test_a_nul_in_the_update_is_refused(contributor, report):
    with pytest.raises(ValidationError):
        add(contributor, report, text="bad\x00text")
    assert not ReportUpdate.objects.exists()


def test_another_organisation_that_reads_the_report_may_not_add_to_it(client, make_user, report):
    reader = make_user(Role.PARTNER_CONTRIBUTOR)
    client.force_login(reader)
    url = f"/intelligence/{report.reference}/"

    assert "updates/new/" not in client.get(url).content.decode()
    assert client.post(f"{url}updates/new/", {"text": "Not mine"}).status_code == 403
    with pytest.raises(PermissionDenied):
        add(reader, report)
    assert not ReportUpdate.objects.exists()


def test_a_report_the_user_may_not_read_is_not_found(client, make_user, fire_service):
    restricted = IntelligenceReportFactory(restricted=True)
    client.force_login(make_user(Role.PARTNER_CONTRIBUTOR, organisation=fire_service))

    response = client.post(f"/intelligence/{restricted.reference}/updates/new/", {"text": "x"})
    own = IntelligenceReportFactory(originating_organisation=fire_service)

    assert response.status_code == 404
    # The same page opens for a report of the user's own organisation.
    assert client.get(f"/intelligence/{own.reference}/updates/new/").status_code == 200


def test_a_board_viewer_of_the_organisation_may_not_add_an_update(make_user, fire_service, report):
    with pytest.raises(PermissionDenied):
        add(make_user(Role.BOARD_VIEWER, organisation=fire_service), report)


@hypothesis_settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    values=st.dictionaries(
        st.sampled_from(["submission_key", "text"]),
        st.one_of(st.text(max_size=300), st.sampled_from(["\ud800", "\x00", "x" * 5001])),
    )
)
def test_no_input_to_the_update_form_causes_a_server_error(client, contributor, report, values):
    client.force_login(contributor)
    body = "&".join(
        f"{name}={quote_from_bytes(value.encode('utf-8', 'surrogatepass'))}"
        for name, value in values.items()
    ).encode("ascii")

    response = client.post(
        f"/intelligence/{report.reference}/updates/new/",
        body,
        content_type="application/x-www-form-urlencoded",
    )

    assert response.status_code in {302, 400}
