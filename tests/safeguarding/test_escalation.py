"""Issue 16, finding 1: receiving a support referral never widens what an organisation reads.

The attacker is the safeguarding lead of a supporting organisation that was given only the
person's name. Whatever it records afterwards through the real pages (an NRM referral, a
Duty to Notify report, an action, a referral onward, the outcome), the victim page, the
personal-details page, the NRM decisions page and the entity page show it no more than
the name. Losing the safeguarding lead role closes the record; other organisations' ids in
a form change nothing.
"""

import datetime
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone

from lantern.core import audit
from lantern.core.models import AuditEvent
from lantern.core.roles import Role
from lantern.safeguarding.models import (
    DutyToNotify,
    NRMReferral,
    SafeguardingAction,
    SupportReferral,
)
from tests.factories import OrganisationFactory
from tests.safeguarding.factories import (
    FirstResponderFactory,
    SupportReferralFactory,
    VictimFactory,
)

NAME = "Zdenka Novakova"
CONTACT = "07700 900123"
ADDRESS = "Flat 2, 14 Hidden Lane"
IMMIGRATION = "Asylum claim pending"
HIDDEN = (CONTACT, ADDRESS, IMMIGRATION)


def typed(day: datetime.date) -> str:
    return day.strftime("%d/%m/%Y")


@pytest.fixture
def victim(police, person_entity):
    """An adult the police identified, with every detail recorded, and no route yet."""
    return VictimFactory(
        identified_by=police,
        age_at_identification=34,
        name=NAME,
        contact=CONTACT,
        address=ADDRESS,
        immigration_status=IMMIGRATION,
        entity=person_entity,
    )


@pytest.fixture
def attacker(client, make_user, police, council, victim):
    """The council's safeguarding lead (a First Responder and a public authority), signed in
    after accepting, through the page, a support referral that shared only the name."""
    referral = SupportReferralFactory(
        victim=victim,
        from_organisation=police,
        to_organisation=council,
        service="housing",
        shared_details=["name"],
    )
    lead = make_user(Role.SAFEGUARDING_LEAD, organisation=council)
    client.force_login(lead)
    response = client.post(
        reverse("safeguarding:support_referral", args=[referral.pk]),
        {"accept": "yes", "decline_reason": ""},
    )
    assert response.status_code == 302
    client.user = lead
    return client


def page(client, name: str, victim) -> tuple[int, str]:
    response = client.get(reverse(f"safeguarding:{name}", args=[victim.reference]))
    return response.status_code, response.content.decode()


def assert_sees_only_the_name(client, victim) -> None:
    """The victim page shows the name and nothing else; the pages for those who see every
    detail answer 404; the entity page does not put the record to the person."""
    status, body = page(client, "victim", victim)
    assert status == 200
    assert NAME in body
    for secret in HIDDEN:
        assert secret not in body
    assert reverse("entities:entity", args=[victim.entity_id]) not in body
    # No link to pages that would answer 404 (the NRM's decisions, the personal details).
    assert reverse("safeguarding:nrm_decision", args=[victim.reference]) not in body
    assert reverse("safeguarding:personal_details", args=[victim.reference]) not in body
    for name in ("personal_details", "nrm_decision"):
        status, body = page(client, name, victim)
        assert status == 404, name
        for secret in HIDDEN:
            assert secret not in body
    entity_page = client.get(reverse("entities:entity", args=[victim.entity_id]))
    assert victim.reference not in entity_page.content.decode()
    council_reads = AuditEvent.objects.filter(
        action=audit.Action.VICTIM_PERSONAL_DATA_READ, actor_id=client.user.pk
    )
    assert council_reads.exists()
    assert {tuple(event.detail["fields"]) for event in council_reads} == {("name",)}


def test_the_nrm_page_says_the_referral_is_made_on_the_name_only(attacker, victim):
    status, body = page(attacker, "nrm_referral", victim)
    assert status == 200
    assert "Your organisation was given only these personal details" in body
    assert "made on them: name." in body
    for secret in HIDDEN:
        assert secret not in body


def test_an_nrm_referral_by_the_supporting_organisation_shows_it_no_more(attacker, victim, council):
    today = timezone.localdate()
    response = attacker.post(
        reverse("safeguarding:nrm_referral", args=[victim.reference]),
        {
            "referred_on": typed(today),
            "consent_given_on": typed(today),
            "competent_authority": "sca",
        },
    )
    assert response.status_code == 302
    referral = NRMReferral.objects.get(victim=victim)
    assert referral.referring_organisation == council
    event = AuditEvent.objects.get(action=audit.Action.NRM_REFERRED)
    assert event.detail["details"] == ["name"]

    assert_sees_only_the_name(attacker, victim)
    # Nor may it record the NRM's decisions, which those who see every detail record.
    response = attacker.post(
        reverse("safeguarding:nrm_decision", args=[victim.reference]),
        {"reasonable_grounds": "positive", "reasonable_grounds_on": typed(today)},
    )
    assert response.status_code == 404
    referral.refresh_from_db()
    assert referral.reasonable_grounds == ""


def _record(attacker, victim, kind: str, elsewhere) -> None:
    """Make one record through its page, as the supporting organisation's lead."""
    today = timezone.localdate()
    forms = {
        "duty_to_notify": ("duty_to_notify", {"notified_on": typed(today)}),
        "action": (
            "action",
            {
                "submission_key": str(uuid.uuid4()),
                "kind": "place_of_safety",
                "done_on": typed(today),
                "note": "Room at the night shelter",
            },
        ),
        "support_referral": (
            "support_referral_create",
            {
                "submission_key": str(uuid.uuid4()),
                "to_organisation": elsewhere.pk,
                "service": "health",
                "request_text": "GP registration",
                "shared_details": ["name"],
                "consented": "on",
            },
        ),
        "outcome": (
            "outcome",
            {"outcome": "declined_support", "outcome_recorded_on": typed(today)},
        ),
    }
    name, data = forms[kind]
    response = attacker.post(reverse(f"safeguarding:{name}", args=[victim.reference]), data)
    assert response.status_code == 302, response.content.decode()


@pytest.mark.parametrize("kind", ["duty_to_notify", "action", "support_referral", "outcome"])
def test_no_record_the_supporting_organisation_makes_shows_it_more(attacker, victim, kind):
    elsewhere = FirstResponderFactory(
        name="Health partner", organisation_type="health", helps_with_victims=True
    )
    _record(attacker, victim, kind, elsewhere)
    made = {
        "duty_to_notify": DutyToNotify.objects.filter(victim=victim),
        "action": SafeguardingAction.objects.filter(victim=victim),
        "support_referral": SupportReferral.objects.filter(
            victim=victim, to_organisation=elsewhere
        ),
        "outcome": type(victim).objects.filter(pk=victim.pk, outcome="declined_support"),
    }[kind]
    assert made.count() == 1
    assert_sees_only_the_name(attacker, victim)


def test_every_record_together_still_shows_only_the_name(attacker, victim):
    """The attacker tries everything in turn: an action, a referral onward, the NRM."""
    elsewhere = FirstResponderFactory(
        name="Health partner", organisation_type="health", helps_with_victims=True
    )
    for kind in ("action", "support_referral", "outcome"):
        _record(attacker, victim, kind, elsewhere)
    today = timezone.localdate()
    attacker.post(
        reverse("safeguarding:nrm_referral", args=[victim.reference]),
        {
            "referred_on": typed(today),
            "consent_given_on": typed(today),
            "competent_authority": "sca",
        },
    )
    assert NRMReferral.objects.filter(victim=victim).exists()
    assert_sees_only_the_name(attacker, victim)


def test_a_referral_onward_passes_on_no_more_than_the_name(
    attacker, make_user, client, victim, police
):
    elsewhere = FirstResponderFactory(
        name="Health partner", organisation_type="health", helps_with_victims=True
    )
    url = reverse("safeguarding:support_referral_create", args=[victim.reference])
    data = {
        "submission_key": str(uuid.uuid4()),
        "to_organisation": elsewhere.pk,
        "service": "health",
        "request_text": "GP registration",
        "shared_details": ["name", "address"],
        "consented": "on",
    }
    response = attacker.post(url, data)
    assert response.status_code == 400
    assert "Select the details to share from the list" in response.content.decode()
    assert not SupportReferral.objects.filter(to_organisation=elsewhere).exists()


def test_other_organisations_ids_in_the_nrm_form_change_nothing(attacker, victim, police, council):
    today = timezone.localdate()
    response = attacker.post(
        reverse("safeguarding:nrm_referral", args=[victim.reference]),
        {
            "referred_on": typed(today),
            "consent_given_on": typed(today),
            "competent_authority": "sca",
            "referring_organisation": police.pk,
            "victim": victim.pk + 1,
            "identified_by": council.pk,
        },
    )
    assert response.status_code == 302
    referral = NRMReferral.objects.get()
    assert referral.referring_organisation == council
    assert referral.victim == victim
    victim.refresh_from_db()
    assert victim.identified_by == police
    assert_sees_only_the_name(attacker, victim)


def test_a_referral_to_its_own_organisation_is_refused(attacker, victim, council):
    response = attacker.post(
        reverse("safeguarding:support_referral_create", args=[victim.reference]),
        {
            "submission_key": str(uuid.uuid4()),
            "to_organisation": council.pk,
            "service": "health",
            "request_text": "More details",
            "shared_details": [],
        },
    )
    assert response.status_code == 400
    assert not SupportReferral.objects.filter(from_organisation=council).exists()


def test_losing_the_safeguarding_lead_role_closes_the_record(attacker, victim):
    lead = attacker.user
    lead.groups.clear()
    for name in ("victim", "personal_details", "nrm_referral", "action", "outcome"):
        status, body = page(attacker, name, victim)
        assert status == 404, name
        assert NAME not in body
    response = attacker.get(reverse("safeguarding:support_referrals"))
    assert response.status_code == 403


def test_the_identifying_lead_who_loses_the_role_loses_the_details(
    client, make_user, police, victim
):
    lead = make_user(Role.SAFEGUARDING_LEAD, organisation=police)
    client.force_login(lead)
    assert ADDRESS in page(client, "victim", victim)[1]
    lead.groups.clear()
    lead.groups.add(*make_user(Role.PARTNER_CONTRIBUTOR).groups.all())
    for name in ("victim", "personal_details"):
        status, body = page(client, name, victim)
        assert status == 404, name
        assert ADDRESS not in body and NAME not in body


def test_a_lead_who_moves_to_the_supporting_organisation_reads_what_it_was_given(
    attacker, client, make_user, police, council, victim
):
    lead = make_user(Role.SAFEGUARDING_LEAD, organisation=police)
    lead.organisation = council
    lead.save()
    client.force_login(lead)
    client.user = lead
    status, body = page(client, "victim", victim)
    assert status == 200
    assert NAME in body and ADDRESS not in body
    assert page(client, "personal_details", victim)[0] == 404


def test_a_hub_coordinators_referral_does_not_open_the_person_to_the_hubs_leads(
    client, make_user, victim
):
    """The referral is made in the hub's name; the hub's safeguarding leads who are not
    coordinators must not read the person because of it."""
    hub = FirstResponderFactory(name="Intelligence hub", organisation_type="public_body")
    coordinator = make_user(Role.HUB_COORDINATOR, organisation=hub)
    client.force_login(coordinator)
    today = timezone.localdate()
    response = client.post(
        reverse("safeguarding:nrm_referral", args=[victim.reference]),
        {
            "referred_on": typed(today),
            "consent_given_on": typed(today),
            "competent_authority": "sca",
        },
    )
    assert response.status_code == 302
    assert NRMReferral.objects.get().referring_organisation == hub

    client.force_login(make_user(Role.SAFEGUARDING_LEAD, organisation=hub))
    status, body = page(client, "victim", victim)
    assert status == 200
    assert NAME not in body and ADDRESS not in body
    assert page(client, "personal_details", victim)[0] == 404


def test_a_stranger_still_gets_404_on_every_page(client, make_user, victim, attacker):
    client.force_login(make_user(Role.SAFEGUARDING_LEAD, organisation=OrganisationFactory()))
    for name in ("victim", "personal_details", "nrm_referral", "nrm_decision", "action"):
        status, body = page(client, name, victim)
        assert status == 404, name
        assert NAME not in body


def test_the_victim_list_after_the_nrm_referral_shows_the_reference_only(attacker, victim):
    today = timezone.localdate()
    attacker.post(
        reverse("safeguarding:nrm_referral", args=[victim.reference]),
        {
            "referred_on": typed(today),
            "consent_given_on": typed(today),
            "competent_authority": "sca",
        },
    )
    body = attacker.get(reverse("safeguarding:victim_list")).content.decode()
    assert victim.reference in body
    for secret in (NAME, *HIDDEN):
        assert secret not in body


def test_accepting_another_organisations_referral_by_its_id_gives_nothing(
    attacker, victim, police, charity
):
    """A referral that shared everything, sent to another organisation: its id is refused
    to the attacker, read or answered, exactly like one that does not exist."""
    other = SupportReferralFactory(
        victim=victim,
        from_organisation=police,
        to_organisation=charity,
        shared_details=["name", "contact", "address", "immigration_status"],
    )
    url = reverse("safeguarding:support_referral", args=[other.pk])
    for response in (attacker.get(url), attacker.post(url, {"accept": "yes"})):
        assert response.status_code == 404
        for secret in HIDDEN:
            assert secret not in response.content.decode()
    other.refresh_from_db()
    assert other.status == "pending"
    assert_sees_only_the_name(attacker, victim)
