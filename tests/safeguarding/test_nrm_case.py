"""The NRM referral names its case as the Home Office does, and who made it."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from lantern.core.roles import Role
from lantern.safeguarding import services
from lantern.safeguarding.models import NRMReferral
from tests.safeguarding.factories import VictimFactory

TODAY = timezone.localdate


@pytest.fixture
def lead(make_user, police):
    return make_user(Role.SAFEGUARDING_LEAD, organisation=police, full_name="DC Asha Patel")


@pytest.fixture
def victim(police):
    return VictimFactory(identified_by=police, identified_on=TODAY() - datetime.timedelta(days=3))


def refer(lead, victim, **fields):
    return services.refer_to_nrm(
        actor=lead,
        victim=victim,
        referred_on=TODAY(),
        consent_given_on=TODAY(),
        competent_authority="sca",
        **fields,
    )


def test_the_referral_keeps_the_case_reference_and_the_officer(lead, victim):
    referral, _created = refer(
        lead, victim, case_reference=" NRM-2026/004512 ", first_responder_officer="PC Dan Moss"
    )

    assert referral.case_reference == "NRM-2026/004512"
    assert referral.first_responder_officer == "PC Dan Moss"


def test_the_officer_is_the_person_referring_unless_named(lead, victim):
    referral, _created = refer(lead, victim)

    assert referral.first_responder_officer == "DC Asha Patel"
    assert referral.case_reference == ""


@pytest.mark.parametrize("typed", ["NRM 2026 004512", "<script>", "x" * 31, "NRM\x00"])
def test_a_case_reference_that_cannot_be_one_is_refused_on_its_field(lead, victim, typed):
    with pytest.raises(ValidationError) as refusal:
        refer(lead, victim, case_reference=typed)

    assert "case_reference" in refusal.value.message_dict
    assert not NRMReferral.objects.exists()


def test_the_case_reference_is_added_later_with_the_decisions(lead, victim):
    referral, _created = refer(lead, victim)

    services.record_nrm_decision(actor=lead, referral=referral, case_reference="NRM-77")
    referral.refresh_from_db()

    assert referral.case_reference == "NRM-77"


def test_recording_decisions_without_a_case_reference_keeps_the_one_given(lead, victim):
    referral, _created = refer(lead, victim, case_reference="NRM-77")

    services.record_nrm_decision(
        actor=lead,
        referral=referral,
        reasonable_grounds="positive",
        reasonable_grounds_on=TODAY(),
    )
    referral.refresh_from_db()

    assert referral.case_reference == "NRM-77"
    assert referral.reasonable_grounds == "positive"


def test_the_pages_take_and_show_the_case_reference_and_the_officer(client, lead, victim):
    client.force_login(lead)
    url = f"/safeguarding/victims/{victim.reference}/"
    form = client.get(f"{url}nrm/").content.decode()
    assert 'value="DC Asha Patel"' in form

    response = client.post(
        f"{url}nrm/",
        {
            "referred_on": TODAY().strftime("%d/%m/%Y"),
            "consent_given_on": TODAY().strftime("%d/%m/%Y"),
            "competent_authority": "sca",
            "first_responder_officer": "PC Dan Moss",
            "case_reference": "",
        },
        follow=True,
    )
    page = response.content.decode()
    assert "PC Dan Moss" in page
    assert "Not given yet" in page

    client.post(f"{url}nrm/decisions/", {"case_reference": "NRM-2026/1"}, follow=True)
    assert "NRM-2026/1" in client.get(url).content.decode()


def test_a_bad_case_reference_on_the_decisions_page_is_shown_on_its_field(client, lead, victim):
    refer(lead, victim)
    client.force_login(lead)

    response = client.post(
        f"/safeguarding/victims/{victim.reference}/nrm/decisions/", {"case_reference": "a b"}
    )

    assert response.status_code == 400
    assert 'href="#id_case_reference"' in response.content.decode()
