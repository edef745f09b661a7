"""The pages: they render in English and French, refuse what the rules refuse and say why."""

import datetime
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone

from lantern.core.roles import Role
from lantern.safeguarding.models import NRMReferral, PotentialVictim, SafeguardingAction
from tests.safeguarding.factories import (
    NRMReferralFactory,
    SupportReferralFactory,
    VictimFactory,
)

TODAY = timezone.localdate


def typed(day: datetime.date) -> str:
    return day.strftime("%d/%m/%Y")


@pytest.fixture
def lead(signed_in, police):
    return signed_in(Role.SAFEGUARDING_LEAD, organisation=police)


@pytest.fixture
def victim(police):
    return VictimFactory(identified_by=police, age_at_identification=34)


def form_data(**fields) -> dict[str, str]:
    return {
        "submission_key": str(uuid.uuid4()),
        "identified_on": typed(TODAY()),
        "name": "Zdenka Novakova",
        "gender": "female",
        "exploitation_location": "uk",
        "nationality": "AL",
        "exploitation_types": ["labour"],
    } | fields


def problem(response) -> str:
    page = response.content.decode()
    assert response.status_code == 400
    assert "There is a problem" in page
    assert "<title>Error:" in page
    return page


@pytest.mark.parametrize("prefix", ["", "/fr"])
def test_pages_render_in_english_and_french(lead, victim, prefix):
    NRMReferralFactory(victim=victim)
    urls = [
        reverse("safeguarding:victim_list"),
        reverse("safeguarding:victim_create"),
        reverse("safeguarding:victim", args=[victim.reference]),
        reverse("safeguarding:nrm_decision", args=[victim.reference]),
        reverse("safeguarding:action", args=[victim.reference]),
        reverse("safeguarding:support_referral_create", args=[victim.reference]),
        reverse("safeguarding:outcome", args=[victim.reference]),
        reverse("safeguarding:personal_details", args=[victim.reference]),
        reverse("safeguarding:support_referrals"),
        reverse("safeguarding:statistics"),
    ]
    for url in urls:
        response = lead.get(prefix + url)
        assert response.status_code == 200, url
        assert f'lang="{"fr" if prefix else "en-gb"}"' in response.content.decode()[:200], url


def test_the_list_url_names():
    assert reverse("safeguarding:victim_list") == "/safeguarding/victims/"
    assert reverse("safeguarding:victim_create") == "/safeguarding/victims/new/"
    assert reverse("safeguarding:victim", args=["K7PD-3XQA"]) == "/safeguarding/victims/K7PD-3XQA/"


def test_recording_a_victim_once_however_often_sent(lead):
    data = form_data()
    first = lead.post(reverse("safeguarding:victim_create"), data)
    victim = PotentialVictim.objects.get()
    assert first.status_code == 302
    assert first.url == reverse("safeguarding:victim", args=[victim.reference])
    again = lead.post(reverse("safeguarding:victim_create"), data)
    assert again.url == first.url
    assert PotentialVictim.objects.count() == 1
    page = lead.get(first.url).content.decode()
    assert f'<h1 class="govuk-heading-l lantern-reference">{victim.reference}</h1>' in page
    assert "Zdenka Novakova" in page
    assert "Albania" in page


def test_a_date_of_birth_in_the_future_is_explained(lead):
    tomorrow = TODAY() + datetime.timedelta(days=1)
    page = problem(
        lead.post(reverse("safeguarding:victim_create"), form_data(date_of_birth=typed(tomorrow)))
    )
    assert "The date of birth must be today or in the past" in page
    assert 'href="#id_date_of_birth"' in page
    assert not PotentialVictim.objects.exists()


def test_a_200_year_old_is_explained(lead):
    born = TODAY().replace(year=TODAY().year - 200)
    page = problem(
        lead.post(reverse("safeguarding:victim_create"), form_data(date_of_birth=typed(born)))
    )
    assert "gives an age over 120" in page


def test_the_form_is_prefilled_from_an_operation_target_and_intelligence(
    lead, operation, target, report
):
    url = reverse("safeguarding:victim_create")
    response = lead.get(
        f"{url}?operation={operation.pk}&target={target.pk}&intelligence={report.pk}"
    )
    page = response.content.decode()
    assert f'<option value="{operation.pk}" selected>' in page
    assert f'<option value="{target.pk}" selected>' in page
    assert f'value="{report.reference}"' in page


def test_an_adult_referral_without_consent_is_explained(lead, victim):
    page = problem(
        lead.post(
            reverse("safeguarding:nrm_referral", args=[victim.reference]),
            {"referred_on": typed(TODAY()), "competent_authority": "sca"},
        )
    )
    assert "an adult must consent to an NRM referral" in page
    assert not NRMReferral.objects.exists()


def test_a_child_is_referred_without_consent(lead, police):
    child = VictimFactory(identified_by=police, age_at_identification=15)
    response = lead.post(
        reverse("safeguarding:nrm_referral", args=[child.reference]),
        {"referred_on": typed(TODAY()), "competent_authority": "sca"},
    )
    assert response.status_code == 302
    page = lead.get(response.url).content.decode()
    assert "Referred as a child, without consent" in page
    assert "Referred" in page


def test_a_non_first_responder_is_told_why_before_filling_in(signed_in, charity):
    victim = VictimFactory(identified_by=charity)
    client = signed_in(Role.SAFEGUARDING_LEAD, organisation=charity)
    url = reverse("safeguarding:nrm_referral", args=[victim.reference])
    page = client.get(url).content.decode()
    assert "Open Door Charity is not a First Responder Organisation" in page
    assert 'name="referred_on"' not in page
    problem(client.post(url, {"referred_on": typed(TODAY()), "competent_authority": "sca"}))
    assert not NRMReferral.objects.exists()


def test_a_child_gets_no_duty_to_notify_and_is_told_why(lead, police):
    child = VictimFactory(identified_by=police, age_at_identification=16)
    page = lead.get(reverse("safeguarding:duty_to_notify", args=[child.reference])).content.decode()
    assert "refer this child to the NRM instead" in page


def test_duty_to_notify_for_an_adult(lead, victim):
    response = lead.post(
        reverse("safeguarding:duty_to_notify", args=[victim.reference]),
        {"notified_on": typed(TODAY())},
    )
    assert response.status_code == 302
    page = lead.get(response.url).content.decode()
    assert "It is anonymous." in page


def test_conclusive_grounds_before_reasonable_grounds_is_explained(lead, victim):
    NRMReferralFactory(victim=victim)
    page = problem(
        lead.post(
            reverse("safeguarding:nrm_decision", args=[victim.reference]),
            {
                "reasonable_grounds": "positive",
                "reasonable_grounds_on": typed(TODAY()),
                "conclusive_grounds": "positive",
                "conclusive_grounds_on": typed(TODAY() - datetime.timedelta(days=1)),
            },
        )
    )
    assert "cannot be before the reasonable grounds decision" in page


def test_the_timeline_shows_stage_days_and_overdue(lead, victim):
    NRMReferralFactory(victim=victim, referred_on=TODAY() - datetime.timedelta(days=20))
    page = lead.get(reverse("safeguarding:victim", args=[victim.reference])).content.decode()
    assert "Awaiting reasonable grounds decision" in page
    assert "for 20 days" in page
    assert "Reasonable grounds decision overdue" in page


def test_safeguarded_without_protection_is_explained(lead, victim):
    url = reverse("safeguarding:outcome", args=[victim.reference])
    page = problem(
        lead.post(url, {"outcome": "safeguarded", "outcome_recorded_on": typed(TODAY())})
    )
    assert "Safeguarded means a place of safety or police protection was recorded" in page
    action = reverse("safeguarding:action", args=[victim.reference])
    data = {
        "submission_key": str(uuid.uuid4()),
        "kind": "place_of_safety",
        "done_on": typed(TODAY()),
    }
    lead.post(action, data)
    lead.post(action, data)
    assert SafeguardingAction.objects.count() == 1
    assert (
        lead.post(
            url, {"outcome": "safeguarded", "outcome_recorded_on": typed(TODAY())}
        ).status_code
        == 302
    )
    page = lead.get(reverse("safeguarding:victim", args=[victim.reference])).content.decode()
    assert "Place of safety" in page
    assert "Safeguarded" in page


def test_sharing_without_consent_asks_for_the_legal_basis(lead, victim, council):
    page = problem(
        lead.post(
            reverse("safeguarding:support_referral_create", args=[victim.reference]),
            {
                "submission_key": str(uuid.uuid4()),
                "to_organisation": council.pk,
                "service": "housing",
                "request_text": "Emergency housing",
                "shared_details": ["name", "address"],
            },
        )
    )
    assert "Enter the legal basis for sharing without consent" in page


def test_declining_without_a_reason_is_explained(signed_in, victim, council):
    referral = SupportReferralFactory(victim=victim, to_organisation=council)
    client = signed_in(Role.SAFEGUARDING_LEAD, organisation=council)
    assert (
        victim.reference in client.get(reverse("safeguarding:support_referrals")).content.decode()
    )
    url = reverse("safeguarding:support_referral", args=[referral.pk])
    page = problem(client.post(url, {"accept": "no", "decline_reason": ""}))
    assert "Enter the reason for declining the support referral" in page


def test_statistics_count_what_the_user_may_see(signed_in, police, council):
    child = VictimFactory(identified_by=police, age_at_identification=15, nationality="VN")
    NRMReferralFactory(
        victim=child,
        consent_given_on=None,
        reasonable_grounds="positive",
        reasonable_grounds_on=TODAY(),
    )
    VictimFactory(identified_by=police, age_at_identification=None, nationality="GB")
    VictimFactory(identified_by=council, nationality="GB")  # another organisation's
    client = signed_in(Role.SAFEGUARDING_LEAD, organisation=police)
    response = client.get(reverse("safeguarding:statistics"))
    statistics = response.context["statistics"]
    assert statistics.total == 2
    rows = {title: {row.label: row.count for row in rows} for title, rows in statistics.tables()}
    assert rows["Age group"] == {"Adult": 0, "Child": 1, "Age not known": 1}
    assert rows["Nationality"] == {"Vietnam": 1, "United Kingdom": 1}
    assert rows["Route"] == {"NRM referral": 1, "Duty to Notify": 0, "Neither yet": 1}
    assert rows["Referring or notifying organisation"]["Police"] == 1
    assert rows["Reasonable grounds decision"]["Positive"] == 1
    assert rows["Conclusive grounds decision"]["Not yet decided"] == 1


def test_wrong_statistics_dates_are_explained(lead):
    page = problem(lead.get(reverse("safeguarding:statistics"), {"since": "31/2/2026"}))
    assert "Enter from as a real date" in page


@pytest.mark.parametrize("role", [Role.BOARD_VIEWER, Role.OUTREACH_OFFICER])
def test_no_victim_pages_for_roles_without_need(signed_in, police, role):
    client = signed_in(role, organisation=police)
    assert client.get(reverse("safeguarding:victim_list")).status_code == 403
    assert client.get(reverse("safeguarding:statistics")).status_code == 403
    assert client.get(reverse("safeguarding:victim_create")).status_code == 403
