"""The pages: they render in English and French, refuse what the rules refuse and say why."""

import datetime
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone

from lantern.core.models import AuditEvent
from lantern.core.roles import Role
from lantern.entities.mentions import MentionData
from lantern.entities.models import Entity
from lantern.intelligence.services.mentions import add_mentions
from lantern.safeguarding.models import (
    DutyToNotify,
    NRMReferral,
    PotentialVictim,
    SafeguardingAction,
)
from tests.factories import IntelligenceReportFactory
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


def test_the_page_audits_the_reader_and_the_address_the_server_saw(lead, victim):
    lead.get(f"/safeguarding/victims/{victim.reference}/", REMOTE_ADDR="192.0.2.44")

    read = AuditEvent.objects.get(action="record.read", object_id=str(victim.pk))
    shown = AuditEvent.objects.get(action="safeguarding.personal_data_read")
    assert read.ip_address == shown.ip_address == "192.0.2.44"
    assert read.actor_email == shown.actor_email != ""


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
    VictimFactory(identified_by=police, age_at_identification=None, may_be_child=True)
    VictimFactory(identified_by=council, nationality="GB")  # another organisation's
    client = signed_in(Role.SAFEGUARDING_LEAD, organisation=police)
    response = client.get(reverse("safeguarding:statistics"))
    statistics = response.context["statistics"]
    assert statistics.total == 3
    rows = {title: {row.label: row.count for row in rows} for title, rows in statistics.tables()}
    assert rows["Age group"] == {"Adult": 0, "Child": 2, "Age not known": 1}
    assert rows["Nationality"]["Vietnam"] == 1
    assert rows["Nationality"]["United Kingdom"] == 1
    assert rows["Route"] == {"NRM referral": 1, "Duty to Notify": 0, "Neither yet": 2}
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


@pytest.mark.parametrize(
    "query",
    [
        {"until": "0001-01-01"},
        {"until": "9999-12-31"},
        {"since": "0001-01-01"},
        {"since": "9999-12-31"},
        {"since": "01/01/0001", "until": "31/12/9999"},
    ],
)
def test_absurd_statistics_dates_are_explained_never_a_server_error(lead, query):
    page = problem(lead.get(reverse("safeguarding:statistics"), query))
    assert "on or after 1/1/2015" in page or "today or in the past" in page


def test_the_statistics_period_starts_no_earlier_than_the_floor(lead):
    response = lead.get(reverse("safeguarding:statistics"), {"until": "1/3/2015"})
    assert response.status_code == 200
    assert response.context["form"].period() == (
        datetime.date(2015, 1, 1),
        datetime.date(2015, 3, 1),
    )


def test_a_backdated_identification_is_explained(lead):
    page = problem(
        lead.post(
            reverse("safeguarding:victim_create"),
            form_data(identified_on="01/01/0001", date_of_birth="1/1/1800"),
        )
    )
    assert "The date identified must be on or after 1/1/2015" in page
    assert 'href="#id_identified_on"' in page
    assert not PotentialVictim.objects.exists()


def test_a_date_of_birth_that_undoes_the_referral_is_explained(lead, police):
    child = VictimFactory(identified_by=police, age_at_identification=16)
    NRMReferralFactory(victim=child, consent_given_on=None)
    page = problem(
        lead.post(
            reverse("safeguarding:personal_details", args=[child.reference]),
            {"name": child.name, "date_of_birth": "1/1/1980"},
        )
    )
    assert "the NRM referral already made depends on their age" in page
    assert 'href="#id_date_of_birth"' in page
    child.refresh_from_db()
    assert (child.date_of_birth, child.age_at_identification) == (None, 16)


@pytest.mark.parametrize(
    ("name", "data", "model", "success"),
    [
        (
            "safeguarding:nrm_referral",
            {"referred_on": typed(TODAY()), "consent_given_on": typed(TODAY())},
            NRMReferral,
            "Referred to the National Referral Mechanism",
        ),
        (
            "safeguarding:duty_to_notify",
            {"notified_on": typed(TODAY())},
            DutyToNotify,
            "Duty to Notify report made",
        ),
    ],
    ids=["nrm referral", "duty to notify"],
)
def test_a_route_sent_twice_shows_the_record_made(lead, victim, name, data, model, success):
    url = reverse(name, args=[victim.reference])
    data = data | {"competent_authority": "sca"}
    lead.post(url, data)
    again = lead.post(url, data, follow=True)
    assert again.redirect_chain == [(reverse("safeguarding:victim", args=[victim.reference]), 302)]
    assert success in again.content.decode()
    assert model.objects.count() == 1
    yesterday = typed(TODAY() - datetime.timedelta(days=1))
    problem(lead.post(url, data | {field: yesterday for field in data if field.endswith("_on")}))
    assert model.objects.count() == 1


def test_an_entity_number_unreadable_after_a_merge_is_refused_like_a_missing_one(
    signed_in, council, police, person_entity
):
    secret = IntelligenceReportFactory(
        originating_organisation=police, handling_code="C", handling_conditions="Police only"
    )
    [mention] = add_mentions(secret, [MentionData(kind="person", role="other", value="Jan Kowal")])
    Entity.objects.filter(pk=mention.entity_id).update(merged_into=person_entity)
    client = signed_in(Role.SAFEGUARDING_LEAD, organisation=council)
    pages = [
        problem(client.post(reverse("safeguarding:victim_create"), form_data(entity=str(number))))
        for number in (mention.entity_id, mention.entity_id + 1000)
    ]
    for page in pages:
        assert "Enter the number of a hub entity you can read" in page
    assert not PotentialVictim.objects.exists()


def test_the_victim_list_pages_through_every_record(client, make_user, police):
    VictimFactory.create_batch(55, identified_by=police)
    client.force_login(make_user(Role.SAFEGUARDING_LEAD, organisation=police))

    first = client.get("/safeguarding/victims/").content.decode()
    second = client.get("/safeguarding/victims/?page=2").content.decode()

    assert first.count('href="/safeguarding/victims/PV') == 50
    assert second.count('href="/safeguarding/victims/PV') == 5
    assert "?page=2" in first
