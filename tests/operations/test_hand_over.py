"""The hand-over pages as people use them: an officer at the door hands the people found to
a participating safeguarding lead, who finds them in their worklist and takes them on."""

from urllib.parse import quote_from_bytes

import pytest
from django.core import mail
from django.utils import timezone
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from lantern.core.roles import Role
from lantern.safeguarding.models import PotentialVictim
from tests.factories import OrganisationFactory
from tests.operations.factories import LiveOperationFactory

FUZZ = hypothesis_settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
NASTY = st.one_of(
    st.text(max_size=300),
    st.sampled_from(["\ud800", "12345678901234567890", "-1", "1e9", "", " ", "٣", "31/2/2026"]),
    st.integers(min_value=-(10**20), max_value=10**20).map(str),
)
FIELDS = [
    "submission_key",
    "receiving_organisation",
    "target",
    "identified_on",
    "age_at_identification",
    "may_be_child",
    "gender",
    "nationality",
    "languages",
    "interpreter_needed",
    "exploitation_types",
]


@pytest.fixture
def council_lead(make_user, council):
    return make_user(Role.SAFEGUARDING_LEAD, organisation=council, email="lead@council.test")


@pytest.fixture
def live_with_council(police, council, council_lead):
    return LiveOperationFactory(lead_organisation=police, participants=[council])


@pytest.fixture
def officer(client, make_user, police):
    """A police officer taking part, signed in: not a safeguarding lead."""
    client.force_login(make_user(Role.PARTNER_CONTRIBUTOR, organisation=police))
    return client


def answers(council, **changes):
    return {
        "submission_key": "6f1f5b0e-8a57-4f6e-9a55-0d8f2f7b1c11",
        "receiving_organisation": str(council.pk),
        "identified_on": timezone.localdate().strftime("%d/%m/%Y"),
        "age_at_identification": "15",
        "gender": "male",
        **changes,
    }


def test_an_officer_hands_a_person_over_and_the_council_lead_takes_them_on(
    officer, client, live_with_council, council, council_lead, run_jobs
):
    url = f"/operations/{live_with_council.reference}/"
    assert f'href="{url}victims/new/"' in officer.get(url).content.decode()
    form = officer.get(f"{url}victims/new/").content.decode()
    assert council.name in form

    response = officer.post(f"{url}victims/new/", answers(council), follow=True)
    run_jobs()

    victim = PotentialVictim.objects.get()
    page = response.content.decode()
    assert f"Potential victim {victim.reference} handed over to {council.name}" in page
    assert "Handed over, not yet taken on" in page
    assert [message.to for message in mail.outbox] == [["lead@council.test"]]

    client.force_login(council_lead)
    worklist = client.get("/safeguarding/worklist/").content.decode()
    assert victim.reference in worklist
    assert "Handed over by an operation</a>: 1" in client.get("/").content.decode()

    client.post(f"/safeguarding/victims/{victim.reference}/take-on/", follow=True)
    victim.refresh_from_db()
    assert victim.taken_on_at is not None
    assert victim.reference not in client.get("/safeguarding/worklist/").content.decode()


def test_the_same_form_sent_twice_hands_over_one_person(officer, live_with_council, council):
    url = f"/operations/{live_with_council.reference}/victims/new/"

    officer.post(url, answers(council))
    officer.post(url, answers(council))

    assert PotentialVictim.objects.count() == 1


def test_an_organisation_not_offered_is_refused_on_its_field(officer, live_with_council):
    outsider = OrganisationFactory(name="Elsewhere Council")
    url = f"/operations/{live_with_council.reference}/victims/new/"

    response = officer.post(url, answers(outsider))

    assert response.status_code == 400
    assert 'href="#id_receiving_organisation"' in response.content.decode()
    assert not PotentialVictim.objects.exists()


def test_someone_outside_the_operation_gets_the_same_404_as_a_missing_one(
    client, make_user, live_with_council, council, police
):
    client.force_login(make_user(Role.SAFEGUARDING_LEAD))
    url = f"/operations/{live_with_council.reference}/victims/new/"

    assert client.get(url).status_code == 404
    assert client.post(url, answers(council)).status_code == 404
    assert client.get("/operations/ZZZZ-ZZZZ/victims/new/").status_code == 404
    assert not PotentialVictim.objects.exists()
    # The same form opens for an officer of the lead agency.
    client.force_login(make_user(Role.PARTNER_CONTRIBUTOR, organisation=police))
    assert client.get(url).status_code == 200


def test_a_hub_analyst_reads_the_operation_but_may_not_hand_over(
    client, make_user, live_with_council, council
):
    client.force_login(make_user(Role.HUB_ANALYST))
    url = f"/operations/{live_with_council.reference}/"

    assert "victims/new/" not in client.get(url).content.decode()
    assert client.post(f"{url}victims/new/", answers(council)).status_code == 403
    assert not PotentialVictim.objects.exists()


def test_only_the_responsible_lead_takes_on(client, make_user, officer, live_with_council, council):
    officer.post(f"/operations/{live_with_council.reference}/victims/new/", answers(council))
    victim = PotentialVictim.objects.get()
    client.force_login(make_user(Role.SAFEGUARDING_LEAD))

    assert client.post(f"/safeguarding/victims/{victim.reference}/take-on/").status_code == 404
    assert client.get(f"/safeguarding/victims/{victim.reference}/take-on/").status_code in {
        404,
        405,
    }
    victim.refresh_from_db()
    assert victim.taken_on_at is None


def test_the_worklist_is_for_safeguarding_leads_and_the_hub_coordinator(client, make_user):
    client.force_login(make_user(Role.PARTNER_CONTRIBUTOR))
    assert client.get("/safeguarding/worklist/").status_code == 403
    client.force_login(make_user(Role.HUB_COORDINATOR))
    assert client.get("/safeguarding/worklist/").status_code == 200


@pytest.mark.parametrize("prefix", ["", "/fr"])
def test_the_hand_over_page_renders_in_english_and_french(officer, live_with_council, prefix):
    response = officer.get(f"{prefix}/operations/{live_with_council.reference}/victims/new/")

    assert response.status_code == 200


@FUZZ
@given(values=st.dictionaries(st.sampled_from(FIELDS), NASTY))
def test_no_input_to_the_hand_over_form_causes_a_server_error(officer, live_with_council, values):
    body = "&".join(
        f"{name}={quote_from_bytes(value.encode('utf-8', 'surrogatepass'))}"
        for name, value in values.items()
    ).encode("ascii")

    response = officer.post(
        f"/operations/{live_with_council.reference}/victims/new/",
        body,
        content_type="application/x-www-form-urlencoded",
    )

    assert response.status_code in {302, 400}


def test_an_operations_leads_home_shows_their_operations_by_stage(client, lead, police):
    planned = LiveOperationFactory(lead_organisation=police, status="planned", name="Kestrel")
    live = LiveOperationFactory(lead_organisation=police, name="Operation Heron")
    closed = LiveOperationFactory(lead_organisation=police, status="closed", name="Old Osprey")
    elsewhere = LiveOperationFactory(name="Someone Else's")
    client.force_login(lead)

    page = client.get("/").content.decode()

    assert "Your operations" in page
    assert f"/operations/{planned.reference}/" in page
    assert f"/operations/{live.reference}/" in page
    assert "Operation Kestrel" in page
    assert closed.reference not in page
    assert elsewhere.reference not in page
    assert page.index("Operation Kestrel") < page.index("Operation Heron")
